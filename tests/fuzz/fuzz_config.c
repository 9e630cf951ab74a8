/*
 * libFuzzer harness: the configuration loader on arbitrary bytes; a config
 * that loads is then applied to a small policy so custom rules run.
 */
#include "iamcross/config.h"
#include "iamcross/lint.h"
#include "iamcross/load.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char policy[] =
	"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"A\", \"Effect\": \"Allow\","
	" \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"},"
	" \"Action\": [\"s3:GetObject\", \"iam:PassRole\"], \"Resource\": \"arn:aws:s3:::b/*\","
	" \"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-1\"}}}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct context ctx;
	struct config config;
	struct policy_set set;
	uint32_t id;

	context_init(&ctx);
	config_init(&config);
	policy_set_init(&set);
	id = source_set_add(&ctx.sources, ".iamcross.json", (const char *)data, size);
	if (config_load_source(&config, &ctx, id)) {
		ctx.config = &config;
		id = source_set_add(&ctx.sources, "p.json", policy, strlen(policy));
		if (load_json_policy(&ctx, &set, id, POLICY_RESOURCE))
			lint_policy(&ctx, set.items[0]);
		config_apply(&config, &ctx, ctx.policies, ctx.policy_count);
	}
	policy_set_release(&set);
	config_release(&config);
	context_release(&ctx);
	return 0;
}
