/*
 * libFuzzer harness: the JSON front end, the policy builder and the
 * one-policy lint rules on arbitrary bytes, as resource and as identity
 * policy.  Any crash, leak, hang or sanitizer report is a bug.
 */
#include "iamcross/lint.h"
#include "iamcross/load.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int kind = POLICY_IDENTITY; kind <= POLICY_RESOURCE; kind++) {
		struct context ctx;
		struct policy_set set;
		uint32_t id;

		context_init(&ctx);
		policy_set_init(&set);
		id = source_set_add(&ctx.sources, "fuzz.json", (const char *)data, size);
		load_json_policy(&ctx, &set, id, (enum policy_kind)kind);
		for (size_t i = 0; i < set.count; i++)
			lint_policy(&ctx, set.items[i]);
		diag_finish(&ctx.diags);
		policy_set_release(&set);
		context_release(&ctx);
	}
	return 0;
}
