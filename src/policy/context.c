/*
 * The run context: construction, release and message rendering.
 */
#include "iamcross/context.h"

#include <stdlib.h>

void context_init(struct context *ctx)
{
	source_set_init(&ctx->sources);
	diag_init(&ctx->diags);
	symbol_table_init(&ctx->symbols);
	arena_init(&ctx->arena);
	ctx->account = NULL;
	ctx->config = NULL;
	ctx->policies = NULL;
	ctx->policy_count = 0;
	ctx->policy_cap = 0;
}

void context_release(struct context *ctx)
{
	source_set_release(&ctx->sources);
	diag_release(&ctx->diags);
	symbol_table_release(&ctx->symbols);
	arena_release(&ctx->arena);
	free(ctx->policies);
	ctx->policies = NULL;
	ctx->policy_count = 0;
	ctx->policy_cap = 0;
}

void context_add_policy(struct context *ctx, const struct policy *policy)
{
	ctx->policies = xgrow(ctx->policies, &ctx->policy_cap, ctx->policy_count + 1,
			      sizeof(*ctx->policies));
	ctx->policies[ctx->policy_count++] = policy;
}

const char *context_render(struct context *ctx, const char *text)
{
	struct buf b = BUF_INIT;
	char *copy;

	if (!text_has_hole(text))
		return text;
	text_render(&b, text, &ctx->symbols);
	copy = arena_strdup(&ctx->arena, buf_str(&b));
	buf_release(&b);
	return copy;
}
