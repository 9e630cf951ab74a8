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
