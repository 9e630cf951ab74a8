/*
 * SARIF 2.1.0: one run, the whole rule table as rule descriptors, and one
 * result per unsuppressed finding with its region, related locations and a
 * partial fingerprint that survives edits which only move lines.
 *
 * Columns are Unicode code points (`columnKind`), as in the other formats.
 * File paths become relative URI references with forward slashes and
 * percent-encoded special characters, so code-scanning services can resolve
 * them against the checkout.
 */
#include "iamcross/report.h"
#include "iamcross/version.h"

#include <string.h>

static const char *sarif_level(enum severity severity)
{
	switch (severity) {
	case SEVERITY_ERROR:
		return "error";
	case SEVERITY_WARNING:
		return "warning";
	default:
		return "note";
	}
}

/* Percent-encode a path into a URI reference (RFC 3986 unreserved and '/' kept). */
static void put_uri(struct buf *b, const char *path)
{
	struct buf uri = BUF_INIT;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			buf_putc(&uri, (char)*p);
		else
			buf_printf(&uri, "%%%02X", *p);
	}
	buf_put_json_string(b, buf_str(&uri));
	buf_release(&uri);
}

static void put_physical_location(struct buf *b, const struct context *ctx, struct span span)
{
	const struct source *src = source_get(&ctx->sources, span.source);
	struct position start;
	struct position end;

	report_span_position(ctx, span, &start, &end);
	buf_puts(b, "{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
	put_uri(b, src ? src->path : "");
	buf_printf(b, "}, \"region\": {\"startLine\": %u, \"startColumn\": %u, \"endLine\": %u, \"endColumn\": %u}}",
		   start.line ? start.line : 1, start.column ? start.column : 1,
		   end.line ? end.line : 1, end.column ? end.column : 1);
}

static void put_rule(struct buf *b, const struct rule_info *r)
{
	struct buf help = BUF_INIT;

	buf_printf(&help, "%s\n\nTo fix: %s", r->explanation, r->fix);
	buf_puts(b, "{\"id\": ");
	buf_put_json_string(b, r->name);
	buf_puts(b, ", \"shortDescription\": {\"text\": ");
	buf_put_json_string(b, r->summary);
	buf_puts(b, "}, \"fullDescription\": {\"text\": ");
	buf_put_json_string(b, r->explanation);
	buf_puts(b, "}, \"help\": {\"text\": ");
	buf_put_json_string(b, buf_str(&help));
	buf_puts(b, "}, \"defaultConfiguration\": {\"level\": ");
	buf_put_json_string(b, sarif_level(r->severity));
	buf_puts(b, "}, \"properties\": {\"group\": ");
	buf_put_json_string(b, r->group);
	buf_puts(b, "}");
	if (r->reference_count > 0) {
		buf_puts(b, ", \"helpUri\": ");
		buf_put_json_string(b, r->references[0]);
	}
	buf_puts(b, "}");
	buf_release(&help);
}

static void put_result(struct buf *b, const struct context *ctx, const struct finding *f)
{
	struct buf message = BUF_INIT;

	buf_puts(&message, f->message);
	if (f->hint)
		buf_printf(&message, "\nhint: %s", f->hint);

	buf_puts(b, "{\"ruleId\": ");
	buf_put_json_string(b, finding_rule_name(f));
	buf_printf(b, ", \"ruleIndex\": %d, \"level\": ", (int)f->rule);
	buf_put_json_string(b, sarif_level(f->severity));
	buf_puts(b, ",\n       \"message\": {\"text\": ");
	buf_put_json_string(b, buf_str(&message));
	buf_puts(b, "},\n       \"locations\": [");
	put_physical_location(b, ctx, f->span);
	buf_puts(b, "}]");
	if (f->related_count > 0) {
		buf_puts(b, ",\n       \"relatedLocations\": [");
		for (size_t i = 0; i < f->related_count; i++) {
			buf_puts(b, i ? ", " : "");
			put_physical_location(b, ctx, f->related[i].span);
			buf_printf(b, ", \"id\": %zu, \"message\": {\"text\": ", i + 1);
			buf_put_json_string(b, f->related[i].message);
			buf_puts(b, "}}");
		}
		buf_puts(b, "]");
	}
	buf_printf(b, ",\n       \"partialFingerprints\": {\"iamcross/v1\": \"%016llx\"}}",
		   (unsigned long long)f->fingerprint);
	buf_release(&message);
}

void report_write_sarif(FILE *out, struct context *ctx, const struct report_options *options)
{
	struct buf b = BUF_INIT;
	bool first = true;

	(void)options;
	buf_puts(&b, "{\"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json\",\n");
	buf_puts(&b, " \"version\": \"2.1.0\",\n \"runs\": [{\n");
	buf_puts(&b, "  \"tool\": {\"driver\": {\"name\": \"iamcross\", \"version\": ");
	buf_put_json_string(&b, IAMCROSS_VERSION);
	buf_puts(&b, ", \"semanticVersion\": ");
	buf_put_json_string(&b, IAMCROSS_VERSION);
	buf_puts(&b, ",\n   \"rules\": [");
	for (size_t i = 0; i < RULE_COUNT; i++) {
		buf_puts(&b, i ? ",\n    " : "\n    ");
		put_rule(&b, rule_get((enum rule_id)i));
	}
	buf_puts(&b, "]}},\n  \"columnKind\": \"unicodeCodePoints\",\n  \"results\": [");
	for (size_t i = 0; i < ctx->diags.count; i++) {
		const struct finding *f = &ctx->diags.items[i];

		if (!finding_is_active(f))
			continue;
		buf_puts(&b, first ? "\n    " : ",\n    ");
		put_result(&b, ctx, f);
		first = false;
	}
	buf_puts(&b, first ? "]\n }]\n}\n" : "\n  ]\n }]\n}\n");
	fwrite(buf_str(&b), 1, b.len, out);
	buf_release(&b);
}
