/*
 * libFuzzer harness: the HCL parser on arbitrary bytes, then the evaluator
 * on every top-level attribute, with no references resolved.
 */
#include "iamcross/context.h"
#include "iamcross/hcl.h"
#include "iamcross/hcl_eval.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct context ctx;
	struct hcl_file file;
	struct hcl_eval_options options;
	struct hcl_eval *eval;
	uint32_t id;

	context_init(&ctx);
	id = source_set_add(&ctx.sources, "fuzz.tf", (const char *)data, size);
	hcl_parse(&file, &ctx.sources, id, &ctx.diags);

	memset(&options, 0, sizeof(options));
	options.symbols = &ctx.symbols;
	options.sources = &ctx.sources;
	eval = hcl_eval_new(&options);
	for (size_t i = 0; file.body && i < file.body->attribute_count; i++)
		hcl_eval_expr(eval, file.body->attributes[i].expr);
	hcl_eval_free(eval);

	hcl_file_release(&file);
	context_release(&ctx);
	return 0;
}
