/*
 * The JSON report, version 1, as documented in docs/json-report.md.  Keys
 * come in a fixed order and the output is byte-for-byte reproducible.
 */
#include "iamcross/report.h"
#include "iamcross/version.h"

#include <string.h>

static void put_location_fields(struct buf *b, const struct context *ctx, struct span span,
				bool with_end)
{
	const struct source *src = source_get(&ctx->sources, span.source);
	struct position start;
	struct position end;

	report_span_position(ctx, span, &start, &end);
	buf_puts(b, "\"file\": ");
	buf_put_json_string(b, src ? src->path : "");
	buf_printf(b, ", \"line\": %u, \"column\": %u", start.line, start.column);
	if (with_end)
		buf_printf(b, ", \"end_line\": %u, \"end_column\": %u", end.line, end.column);
}

static void put_finding(struct buf *b, const struct context *ctx, const struct finding *f)
{
	buf_puts(b, "    {\"rule\": ");
	buf_put_json_string(b, finding_rule_name(f));
	buf_puts(b, ", \"severity\": ");
	buf_put_json_string(b, severity_name(f->severity));
	buf_puts(b, ",\n     \"message\": ");
	buf_put_json_string(b, f->message);
	buf_puts(b, ",\n     ");
	put_location_fields(b, ctx, f->span, true);
	buf_puts(b, ",\n     \"related\": [");
	for (size_t i = 0; i < f->related_count; i++) {
		buf_puts(b, i ? ",\n       {" : "\n       {");
		put_location_fields(b, ctx, f->related[i].span, false);
		buf_puts(b, ", \"message\": ");
		buf_put_json_string(b, f->related[i].message);
		buf_putc(b, '}');
	}
	buf_puts(b, f->related_count ? "\n     ]" : "]");
	buf_puts(b, ",\n     \"hint\": ");
	if (f->hint)
		buf_put_json_string(b, f->hint);
	else
		buf_puts(b, "null");
	buf_putc(b, '}');
}

/* The "added_suppressions" member: every entry has every key, null where it does not apply. */
static void put_added(struct buf *b, const struct context *ctx, const struct added_list *added)
{
	buf_puts(b, " \"added_suppressions\": [");
	for (size_t i = 0; i < added->count; i++) {
		const struct added_suppression *a = &added->items[i];
		struct buf location = BUF_INIT;

		buf_puts(&location, ",\n     ");
		put_location_fields(&location, ctx, a->span, false);
		buf_puts(b, i ? ",\n    {" : "\n    {");
		report_put_added_members(b, a, buf_str(&location));
		buf_putc(b, '}');
		buf_release(&location);
	}
	buf_puts(b, added->count ? "\n ],\n" : "],\n");
}

void report_write_json(FILE *out, struct context *ctx, const struct report_options *options)
{
	struct buf b = BUF_INIT;
	struct diag_totals totals;
	bool first = true;

	buf_puts(&b, "{\"version\": 1,\n \"tool\": {\"name\": \"iamcross\", \"version\": ");
	buf_put_json_string(&b, IAMCROSS_VERSION);
	buf_puts(&b, "},\n \"findings\": [");
	for (size_t i = 0; i < ctx->diags.count; i++) {
		if (!finding_is_active(&ctx->diags.items[i]))
			continue;
		buf_puts(&b, first ? "\n" : ",\n");
		put_finding(&b, ctx, &ctx->diags.items[i]);
		first = false;
	}
	buf_puts(&b, first ? "],\n" : "\n ],\n");
	if (options->added)
		put_added(&b, ctx, options->added);

	diag_count(&ctx->diags, &totals);
	buf_printf(&b,
		   " \"summary\": {\"files\": %zu, \"errors\": %zu, \"warnings\": %zu, \"infos\": %zu, \"suppressed\": %zu, \"baselined\": %zu}}\n",
		   options->file_count, totals.by_severity[SEVERITY_ERROR],
		   totals.by_severity[SEVERITY_WARNING], totals.by_severity[SEVERITY_INFO],
		   totals.suppressed, totals.baselined);
	fwrite(buf_str(&b), 1, b.len, out);
	buf_release(&b);
}
