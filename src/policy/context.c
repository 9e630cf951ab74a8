/*
 * The run context: construction, release and message rendering.
 */
#include "iamcross/context.h"

void context_init(struct context *ctx)
{
	source_set_init(&ctx->sources);
	diag_init(&ctx->diags);
	symbol_table_init(&ctx->symbols);
	arena_init(&ctx->arena);
	ctx->account = NULL;
}

void context_release(struct context *ctx)
{
	source_set_release(&ctx->sources);
	diag_release(&ctx->diags);
	symbol_table_release(&ctx->symbols);
	arena_release(&ctx->arena);
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
