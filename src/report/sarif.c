/*
 * SARIF 2.1.0: one run, the whole rule table as rule descriptors, and one
 * result per unsuppressed finding with its region, related locations and a
 * partial fingerprint that survives edits which only move lines.  With
 * scan --changed-since, findings that a suppression added by the change
 * silences are results too, with `suppressions`, and the run's properties
 * list every addition.
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

/*
 * The `suppressions` of a result that a suppression the change adds
 * silences.  Its status is underReview, not accepted: the change is still
 * in review, so SARIF viewers keep showing the result to the reviewer.
 */
static void put_suppressions(struct buf *b, const struct context *ctx, const struct added_suppression *a)
{
	buf_puts(b, ",\n       \"suppressions\": [{\"kind\": ");
	buf_put_json_string(b, a->kind == ADDED_INLINE ? "inSource" : "external");
	buf_puts(b, ", \"status\": \"underReview\", \"justification\": ");
	buf_put_json_string(b, a->reason ? a->reason : "");
	buf_puts(b, ", \"location\": ");
	put_physical_location(b, ctx, a->span);
	buf_puts(b, "}}]");
}

static void put_result(struct buf *b, const struct context *ctx, const struct finding *f,
		       const struct added_suppression *added)
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
	if (added)
		put_suppressions(b, ctx, added);
	buf_printf(b, ",\n       \"partialFingerprints\": {\"iamcross/v1\": \"%016llx\"}}",
		   (unsigned long long)f->fingerprint);
	buf_release(&message);
}

/* The run's `properties.addedSuppressions`: what the change adds, as in the JSON report. */
static void put_added_properties(struct buf *b, const struct context *ctx, const struct added_list *added)
{
	buf_puts(b, ",\n  \"properties\": {\"addedSuppressions\": [");
	for (size_t i = 0; i < added->count; i++) {
		const struct added_suppression *a = &added->items[i];

		buf_puts(b, i ? ",\n    {" : "\n    {");
		report_put_added_members(b, a, "");
		buf_puts(b, ", \"location\": ");
		put_physical_location(b, ctx, a->span);
		buf_puts(b, "}}");
	}
	buf_puts(b, added->count ? "\n  ]}" : "]}");
}

/* The addition that silenced `f`, when one did and the baseline does not hold `f`. */
static const struct added_suppression *silenced_by_added(const struct finding *f, const struct added_list *added)
{
	if (!added || !f->suppressed || f->baselined)
		return NULL;
	return added_list_find_suppression(added, f->suppressed_by);
}

void report_write_sarif(FILE *out, struct context *ctx, const struct report_options *options)
{
	struct buf b = BUF_INIT;
	bool first = true;

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
		const struct added_suppression *added = silenced_by_added(f, options->added);

		if (!finding_is_active(f) && !added)
			continue;
		buf_puts(&b, first ? "\n    " : ",\n    ");
		put_result(&b, ctx, f, added);
		first = false;
	}
	buf_puts(&b, first ? "]" : "\n  ]");
	if (options->added)
		put_added_properties(&b, ctx, options->added);
	buf_puts(&b, "\n }]\n}\n");
	fwrite(buf_str(&b), 1, b.len, out);
	buf_release(&b);
}
