/*
 * The text reporter, in the style of a compiler: one block per finding with
 * the source line and the span underlined, notes for related locations, a
 * hint.  After the findings come the suppressions that a change adds (scan
 * --changed-since), a summary line and the rules worth reading about.
 *
 * Long lines (a policy printed on one line by the AWS CLI) are cut to a
 * window around the span so the underline stays on screen.
 */
#include "iamcross/report.h"

#include <string.h>

enum { LINE_WINDOW = 100, LINE_CONTEXT_BEFORE = 30 };

struct palette {
	const char *error;
	const char *warning;
	const char *info;
	const char *note;
	const char *bold;
	const char *dim;
	const char *reset;
};

static const struct palette colors = {
	"\033[1;31m", "\033[1;33m", "\033[1;36m", "\033[1;34m", "\033[1m", "\033[2m", "\033[0m",
};
static const struct palette plain = {"", "", "", "", "", "", ""};

static const char *severity_color(const struct palette *pal, enum severity severity)
{
	switch (severity) {
	case SEVERITY_ERROR:
		return pal->error;
	case SEVERITY_WARNING:
		return pal->warning;
	default:
		return pal->info;
	}
}

/* Byte offset of the code point `column` (from 1) in `line`. */
static size_t column_offset(const char *line, size_t length, uint32_t column)
{
	size_t i = 0;
	uint32_t c = 1;

	while (i < length && c < column) {
		i++;
		while (i < length && ((unsigned char)line[i] & 0xc0) == 0x80)
			i++;
		c++;
	}
	return i;
}

/* Does `s` have more than `limit` code points?  Reads at most about `limit` of them. */
static bool longer_than(const char *s, size_t length, size_t limit)
{
	size_t n = 0;

	for (size_t i = 0; i < length; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++n > limit)
			return true;
	}
	return false;
}

/*
 * The byte offset in `line` where the code point `column` starts, which is
 * `offset` (the span's byte offset in the line) or the start of the next
 * character when `offset` falls inside one.  A short line is walked from
 * its start.  On a long line that would cost as much as the line for every
 * finding on it, so there the walk starts at `offset`.
 */
static size_t marker_offset(const char *line, size_t length, size_t offset, uint32_t column)
{
	if (length <= LINE_WINDOW)
		return column_offset(line, length, column);
	if (offset >= length)
		return length;
	while (offset > 0 && offset < length && ((unsigned char)line[offset] & 0xc0) == 0x80)
		offset++;
	return offset;
}

/*
 * How wide report_put_safe() prints the byte sequence at `s`: an escaped
 * byte takes four columns, a character one.  Stores the bytes consumed.
 */
static size_t display_width(const char *s, size_t available, size_t *consumed)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (p[0] == '\t') {
		*consumed = 1;
		return 1;
	}
	if (p[0] < 0x20 || p[0] == 0x7f) {
		*consumed = 1;
		return 4;
	}
	n = utf8_sequence_length(p, available);
	*consumed = n ? n : 1;
	return n ? 1 : 4;
}

static void put_padding(struct buf *b, const char *line, size_t from, size_t to)
{
	for (size_t i = from; i < to;) {
		size_t consumed;
		size_t width = display_width(line + i, to - i, &consumed);

		if (line[i] == '\t')
			buf_putc(b, '\t');
		else
			buf_printf(b, "%*s", (int)width, "");
		i += consumed;
	}
}

static void put_marker_tail(struct buf *b, const char *line, size_t from, size_t to)
{
	size_t consumed;
	size_t width;

	if (from >= to)
		return;
	/* The caret stands for the first column of the first character. */
	width = display_width(line + from, to - from, &consumed);
	for (size_t k = 1; k < width; k++)
		buf_putc(b, '~');
	for (size_t i = from + consumed; i < to;) {
		width = display_width(line + i, to - i, &consumed);
		for (size_t k = 0; k < width; k++)
			buf_putc(b, '~');
		i += consumed;
	}
}

static void put_excerpt(struct buf *b, const struct context *ctx, struct span span,
			const struct palette *pal, const char *marker_color)
{
	const struct source *src = source_get(&ctx->sources, span.source);
	struct position start;
	struct position end;
	const char *line;
	size_t length;
	size_t from;
	size_t to;
	size_t mark_start;
	size_t mark_end;
	char gutter[16];
	int width;

	/* An empty source has no line to show: an empty file, or one that was not read. */
	if (!src || src->length == 0)
		return;
	report_span_position(ctx, span, &start, &end);
	line = source_line(src, start.line, &length);

	mark_start = marker_offset(line, length, span.offset - (size_t)(line - src->text), start.column);
	mark_end = end.line != start.line ? length :
		   marker_offset(line, length, span.offset + span.length - (size_t)(line - src->text), end.column);
	if (mark_end <= mark_start)
		mark_end = mark_start + 1;

	from = 0;
	to = length;
	if (longer_than(line, length, LINE_WINDOW)) {
		from = mark_start > LINE_CONTEXT_BEFORE ? mark_start - LINE_CONTEXT_BEFORE : 0;
		while (from > 0 && ((unsigned char)line[from] & 0xc0) == 0x80)
			from--;
		to = column_offset(line + from, length - from, LINE_WINDOW) + from;
	}

	width = snprintf(gutter, sizeof(gutter), "%u", start.line);
	buf_printf(b, " %s%s |%s ", pal->dim, gutter, pal->reset);
	if (from > 0)
		buf_puts(b, "...");
	report_put_safe(b, line + from, to - from);
	if (to < length)
		buf_puts(b, "...");
	buf_printf(b, "\n %s%*s |%s ", pal->dim, width, "", pal->reset);
	if (from > 0)
		buf_puts(b, "   ");

	/* Pad as wide as the text before the span was printed, tabs mirrored. */
	put_padding(b, line, from, mark_start < to ? mark_start : to);
	buf_puts(b, marker_color);
	buf_putc(b, '^');
	put_marker_tail(b, line, mark_start, mark_end < to ? mark_end : to);
	buf_printf(b, "%s\n", pal->reset);
}

static void put_location(struct buf *b, const struct context *ctx, struct span span)
{
	const struct source *src = source_get(&ctx->sources, span.source);
	struct position start;
	struct position end;

	if (!src) {
		buf_puts(b, "iamcross");
		return;
	}
	report_span_position(ctx, span, &start, &end);
	report_put_safe(b, src->path, strlen(src->path));
	buf_printf(b, ":%u:%u", start.line, start.column);
}

static void put_finding(struct buf *b, struct context *ctx, const struct finding *f,
			const struct palette *pal)
{
	const char *color = severity_color(pal, f->severity);

	buf_puts(b, pal->bold);
	put_location(b, ctx, f->span);
	buf_printf(b, ":%s %s%s%s[%s]: %s", pal->reset, color, severity_name(f->severity), pal->reset,
		   finding_rule_name(f), pal->bold);
	report_put_safe(b, f->message, strlen(f->message));
	buf_printf(b, "%s\n", pal->reset);
	put_excerpt(b, ctx, f->span, pal, color);

	for (size_t i = 0; i < f->related_count; i++) {
		const struct related *r = &f->related[i];

		buf_puts(b, pal->bold);
		put_location(b, ctx, r->span);
		buf_printf(b, ":%s %snote%s: ", pal->reset, pal->note, pal->reset);
		report_put_safe(b, r->message, strlen(r->message));
		buf_putc(b, '\n');
		put_excerpt(b, ctx, r->span, pal, pal->note);
	}
	if (f->hint) {
		buf_printf(b, "%shint%s: ", pal->bold, pal->reset);
		report_put_safe(b, f->hint, strlen(f->hint));
		buf_putc(b, '\n');
	}
	buf_putc(b, '\n');
}

static void put_count(struct buf *b, size_t n, const char *one, const char *many, bool *first)
{
	buf_printf(b, "%s%zu %s", *first ? "" : ", ", n, n == 1 ? one : many);
	*first = false;
}

static void put_summary(struct buf *b, struct context *ctx, const struct report_options *options,
			const struct palette *pal)
{
	struct diag_totals totals;
	bool seen[RULE_COUNT] = {false};
	bool first = true;
	bool any = false;

	diag_count(&ctx->diags, &totals);
	for (size_t i = 0; i < ctx->diags.count; i++) {
		const struct finding *f = &ctx->diags.items[i];

		/* Custom rules have no explanation to point at. */
		if (!finding_is_active(f) || f->custom_rule)
			continue;
		seen[f->rule] = true;
		any = true;
	}

	buf_puts(b, pal->bold);
	put_count(b, totals.by_severity[SEVERITY_ERROR], "error", "errors", &first);
	put_count(b, totals.by_severity[SEVERITY_WARNING], "warning", "warnings", &first);
	put_count(b, totals.by_severity[SEVERITY_INFO], "info", "infos", &first);
	if (totals.suppressed)
		put_count(b, totals.suppressed, "suppressed", "suppressed", &first);
	if (totals.baselined)
		put_count(b, totals.baselined, "in the baseline", "in the baseline", &first);
	buf_printf(b, " in %zu %s%s\n", options->file_count, options->file_count == 1 ? "file" : "files",
		   pal->reset);

	if (!any)
		return;
	buf_puts(b, "see 'iamcross explain RULE' for:");
	for (size_t r = 0, listed = 0; r < RULE_COUNT; r++) {
		if (!seen[r])
			continue;
		buf_printf(b, "%s %s", listed++ ? "," : "", rule_get((enum rule_id)r)->name);
	}
	buf_putc(b, '\n');
}

/* The suppressions and weaker settings a change adds, one line each, then a blank line. */
static void put_added(struct buf *b, struct context *ctx, const struct report_options *options,
		      const struct palette *pal)
{
	const struct added_list *added = options->added;

	if (!added || added->count == 0)
		return;
	buf_printf(b, "%ssuppressions added since ", pal->bold);
	report_put_safe(b, options->since, strlen(options->since));
	buf_printf(b, ":%s\n", pal->reset);
	for (size_t i = 0; i < added->count; i++) {
		buf_puts(b, pal->bold);
		put_location(b, ctx, added->items[i].span);
		buf_printf(b, ":%s ", pal->reset);
		report_describe_added(b, &added->items[i]);
		buf_putc(b, '\n');
	}
	buf_putc(b, '\n');
}

void report_write_text(FILE *out, struct context *ctx, const struct report_options *options)
{
	const struct palette *pal = options->color ? &colors : &plain;
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < ctx->diags.count; i++) {
		if (!!finding_is_active(&ctx->diags.items[i]))
			put_finding(&b, ctx, &ctx->diags.items[i], pal);
	}
	put_added(&b, ctx, options, pal);
	put_summary(&b, ctx, options, pal);
	fwrite(buf_str(&b), 1, b.len, out);
	buf_release(&b);
}
