/*
 * Rendering findings.  Every format renders the same sorted store; none of
 * them decides what is a finding.
 *
 * Text is for people: `file:line:column: severity[rule]: message`, the
 * source line with the span underlined, related locations as notes, a hint,
 * then a summary.  JSON is the documented machine contract (docs/json-report.md).
 * Columns count code points from 1; an end column is the column just after
 * the span, as in SARIF.
 *
 * Text from input files (policy values inside messages, source lines) is
 * printed with control characters escaped, so a hostile file cannot move the
 * cursor or forge lines in a CI log.
 */
#ifndef IAMCROSS_REPORT_H
#define IAMCROSS_REPORT_H

#include "iamcross/config.h"
#include "iamcross/context.h"

#include <stdio.h>

enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_SARIF,
	REPORT_GITHUB,
};

struct report_options {
	enum report_format format;
	bool color;
	size_t file_count; /* input files read, for the summary */
	/* The additions of the change under review (scan --changed-since), else NULL. */
	const struct added_list *added;
	const char *since; /* the revision the change is compared with */
};

bool report_format_parse(const char *name, enum report_format *format);
void report_write(FILE *out, struct context *ctx, const struct report_options *options);

/* Line, column and the end column just after the span. */
void report_span_position(const struct context *ctx, struct span span, struct position *start,
			  struct position *end);
/* Append `text` with control characters and invalid UTF-8 escaped as \xNN. */
void report_put_safe(struct buf *b, const char *text, size_t length);
/*
 * Append what an addition does, e.g. "suppresses 'wildcard-action' (1
 * finding): REASON", escaped as above.
 */
void report_describe_added(struct buf *b, const struct added_suppression *added);
/*
 * Append the members an added suppression has in the JSON and SARIF
 * reports, from "kind" to "message", without the braces: every key is
 * present, null where it does not apply.  `location` (members of the
 * format's own, or "") goes between "to" and "findings".
 */
void report_put_added_members(struct buf *b, const struct added_suppression *added,
			      const char *location);
/* The kind of an addition as the JSON report names it, e.g. "inline". */
const char *report_added_kind_name(enum added_kind kind);

void report_write_text(FILE *out, struct context *ctx, const struct report_options *options);
void report_write_json(FILE *out, struct context *ctx, const struct report_options *options);
void report_write_sarif(FILE *out, struct context *ctx, const struct report_options *options);
void report_write_github(FILE *out, struct context *ctx, const struct report_options *options);

#endif
