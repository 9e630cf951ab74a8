/*
 * Shared pieces of the reporters: format names, positions and safe text.
 */
#include "iamcross/report.h"

#include <string.h>

bool report_format_parse(const char *name, enum report_format *format)
{
	static const struct {
		const char *name;
		enum report_format format;
	} formats[] = {
		{"text", REPORT_TEXT},
		{"json", REPORT_JSON},
		{"sarif", REPORT_SARIF},
		{"github", REPORT_GITHUB},
	};

	for (size_t i = 0; i < IX_COUNT(formats); i++) {
		if (strcmp(name, formats[i].name) == 0) {
			*format = formats[i].format;
			return true;
		}
	}
	return false;
}

void report_span_position(const struct context *ctx, struct span span, struct position *start,
			  struct position *end)
{
	const struct source *src = source_get(&ctx->sources, span.source);

	if (!src) {
		start->line = start->column = 0;
		*end = *start;
		return;
	}
	*start = source_position(src, span.offset);
	*end = source_position(src, span.offset + span.length);
}

void report_put_safe(struct buf *b, const char *text, size_t length)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0;

	while (i < length) {
		size_t n;

		if (p[i] == '\t') {
			buf_putc(b, '\t');
			i++;
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			buf_printf(b, "\\x%02X", p[i]);
			i++;
			continue;
		}
		n = utf8_sequence_length(p + i, length - i);
		if (n == 0) {
			buf_printf(b, "\\x%02X", p[i]);
			i++;
			continue;
		}
		buf_append(b, text + i, n);
		i += n;
	}
}

void report_write(FILE *out, struct context *ctx, const struct report_options *options)
{
	switch (options->format) {
	case REPORT_JSON:
		report_write_json(out, ctx, options);
		break;
	case REPORT_SARIF:
		report_write_sarif(out, ctx, options);
		break;
	case REPORT_GITHUB:
		report_write_github(out, ctx, options);
		break;
	case REPORT_TEXT:
		report_write_text(out, ctx, options);
		break;
	}
}

const char *report_added_kind_name(enum added_kind kind)
{
	switch (kind) {
	case ADDED_INLINE:
		return "inline";
	case ADDED_SUPPRESSION:
		return "suppression";
	case ADDED_RULE_SETTING:
		return "rule-setting";
	case ADDED_MODULE_SEVERITY:
		return "module-severity";
	case ADDED_EXCLUDE:
		return "exclude";
	}
	return "unknown";
}

static void put_safe_string(struct buf *b, const char *text)
{
	report_put_safe(b, text, strlen(text));
}

/* " (2 findings)": how many findings of the run the addition silenced or lowered. */
static void put_effect(struct buf *b, const struct added_suppression *a)
{
	if (!a->counted)
		return;
	if (a->findings == 0)
		buf_puts(b, " (no finding in the folders checked)");
	else
		buf_printf(b, " (%zu %s)", a->findings, a->findings == 1 ? "finding" : "findings");
}

static void describe_suppression(struct buf *b, const struct added_suppression *a)
{
	buf_puts(b, "suppresses '");
	put_safe_string(b, a->rule);
	buf_putc(b, '\'');
	if (a->kind == ADDED_SUPPRESSION) {
		buf_puts(b, a->pattern ? " in '" : " in every file");
		if (a->pattern) {
			put_safe_string(b, a->pattern);
			buf_putc(b, '\'');
		}
		if (a->sid) {
			buf_puts(b, ", Sid '");
			put_safe_string(b, a->sid);
			buf_putc(b, '\'');
		}
	}
	put_effect(b, a);
	buf_puts(b, ": ");
	put_safe_string(b, a->reason ? a->reason : "");
}

void report_describe_added(struct buf *b, const struct added_suppression *a)
{
	switch (a->kind) {
	case ADDED_INLINE:
	case ADDED_SUPPRESSION:
		describe_suppression(b, a);
		break;
	case ADDED_RULE_SETTING:
		if (strcmp(a->to, "off") == 0)
			buf_printf(b, "turns '%s' off, was %s", a->rule, a->from);
		else
			buf_printf(b, "lowers '%s' to %s, was %s", a->rule, a->to, a->from);
		put_effect(b, a);
		break;
	case ADDED_MODULE_SEVERITY:
		buf_printf(b, "sets findings in modules' own policies to %s, was %s", a->to,
			   a->from ? a->from : "each rule's own severity");
		put_effect(b, a);
		break;
	case ADDED_EXCLUDE:
		buf_puts(b, "excludes '");
		put_safe_string(b, a->pattern);
		buf_puts(b, "' from scan, so nothing there is checked");
		break;
	}
}

static void put_string_or_null(struct buf *b, const char *text)
{
	if (text)
		buf_put_json_string(b, text);
	else
		buf_puts(b, "null");
}

void report_put_added_members(struct buf *b, const struct added_suppression *a,
			      const char *location)
{
	struct buf message = BUF_INIT;

	report_describe_added(&message, a);
	buf_puts(b, "\"kind\": ");
	buf_put_json_string(b, report_added_kind_name(a->kind));
	buf_puts(b, ", \"rule\": ");
	put_string_or_null(b, a->rule);
	buf_puts(b, ", \"path\": ");
	put_string_or_null(b, a->pattern);
	buf_puts(b, ", \"sid\": ");
	put_string_or_null(b, a->sid);
	buf_puts(b, ",\n     \"reason\": ");
	put_string_or_null(b, a->reason);
	buf_puts(b, ", \"from\": ");
	put_string_or_null(b, a->from);
	buf_puts(b, ", \"to\": ");
	put_string_or_null(b, a->to);
	buf_puts(b, location);
	if (a->counted)
		buf_printf(b, ", \"findings\": %zu", a->findings);
	else
		buf_puts(b, ", \"findings\": null");
	buf_puts(b, ",\n     \"message\": ");
	buf_put_json_string(b, buf_str(&message));
	buf_release(&message);
}
