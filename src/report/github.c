/*
 * GitHub Actions workflow commands: one `::error`, `::warning` or `::notice`
 * line per finding, which GitHub turns into an annotation on the pull
 * request's diff, and one `::notice` per suppression that the change under
 * review adds (scan --changed-since).  Values are escaped as the workflow
 * command syntax requires: '%', CR and LF everywhere, and ':' and ',' in
 * properties too.
 */
#include "iamcross/report.h"

#include <string.h>

static const char *command_name(enum severity severity)
{
	switch (severity) {
	case SEVERITY_ERROR:
		return "error";
	case SEVERITY_WARNING:
		return "warning";
	default:
		return "notice";
	}
}

static void put_escaped(struct buf *b, const char *text, bool property)
{
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '%':
			buf_puts(b, "%25");
			break;
		case '\r':
			buf_puts(b, "%0D");
			break;
		case '\n':
			buf_puts(b, "%0A");
			break;
		case ':':
			buf_puts(b, property ? "%3A" : ":");
			break;
		case ',':
			buf_puts(b, property ? "%2C" : ",");
			break;
		default:
			buf_putc(b, *p);
		}
	}
}

/* One `::notice` per suppression or weaker setting the change adds. */
static void put_added(struct buf *b, const struct context *ctx, const struct added_list *added)
{
	for (size_t i = 0; added && i < added->count; i++) {
		const struct added_suppression *a = &added->items[i];
		const struct source *src = source_get(&ctx->sources, a->span.source);
		struct position start;
		struct position end;
		struct buf message = BUF_INIT;

		report_span_position(ctx, a->span, &start, &end);
		buf_puts(b, "::notice file=");
		put_escaped(b, src ? src->path : "", true);
		buf_printf(b, ",line=%u,col=%u,endLine=%u,endColumn=%u,title=added suppression::", start.line,
			   start.column, end.line, end.column);
		buf_puts(&message, "this change ");
		report_describe_added(&message, a);
		put_escaped(b, buf_str(&message), false);
		buf_putc(b, '\n');
		buf_release(&message);
	}
}

void report_write_github(FILE *out, struct context *ctx, const struct report_options *options)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < ctx->diags.count; i++) {
		const struct finding *f = &ctx->diags.items[i];
		const struct source *src = source_get(&ctx->sources, f->span.source);
		struct position start;
		struct position end;
		struct buf message = BUF_INIT;

		if (!finding_is_active(f))
			continue;
		report_span_position(ctx, f->span, &start, &end);
		buf_printf(&b, "::%s file=", command_name(f->severity));
		put_escaped(&b, src ? src->path : "", true);
		buf_printf(&b, ",line=%u,col=%u,endLine=%u,endColumn=%u,title=", start.line, start.column,
			   end.line, end.column);
		put_escaped(&b, finding_rule_name(f), true);
		buf_puts(&b, "::");
		report_put_safe(&message, f->message, strlen(f->message));
		if (f->hint) {
			buf_puts(&message, "\nhint: ");
			report_put_safe(&message, f->hint, strlen(f->hint));
		}
		put_escaped(&b, buf_str(&message), false);
		buf_putc(&b, '\n');
		buf_release(&message);
	}
	put_added(&b, ctx, options->added);
	fwrite(buf_str(&b), 1, b.len, out);
	buf_release(&b);
}
