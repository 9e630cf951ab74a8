/*
 * JSON documents with the position of every value.
 *
 * cJSON builds the tree but keeps no positions, reports no position for a
 * syntax error, accepts duplicate keys silently and rejects trailing commas.
 * json_doc_parse() therefore scans the text first with a strict RFC 8259
 * scanner of its own that records the span of every value and key in
 * document order, reports syntax errors at their line and column, and
 * blanks out trailing commas so the analysis can go on.  cJSON then parses
 * the (possibly patched) text and a pre-order walk pairs each cJSON item
 * with its recorded span.
 *
 * The parsed text need not be the source file itself: a policy inside an AWS
 * CLI wrapper (`{"Policy": "<policy as a string>"}`) or inside a Terraform
 * heredoc is decoded text whose every byte has an origin in the file.  The
 * `origin` map gives, per byte of the parsed text, its offset in the source,
 * so findings still point at the file the user edits.
 *
 * Terraform values that become policies (jsonencode, aws_iam_policy_document)
 * are built as cJSON trees directly; json_doc_init_built() and
 * json_doc_record() give them the same position index.
 *
 * Ownership: a json_doc owns its cJSON tree, its index and its patched
 * text; `text` and `origin` passed in are borrowed for the call only.
 */
#ifndef IAMCROSS_JSON_H
#define IAMCROSS_JSON_H

#include "iamcross/base.h"
#include "iamcross/diag.h"
#include "iamcross/source.h"

#include <cJSON.h>

/*
 * Deepest nesting of arrays and objects accepted.  A policy document nests at
 * most seven levels (document, Statement, statement, Condition, operator,
 * key, values); `terraform show -json` output nests module trees deeper.
 * 64 is far above both and keeps hostile input from recursing without bound.
 */
#define JSON_MAX_DEPTH 64

/*
 * Most values (objects, arrays, strings, numbers, literals) in one
 * document.  Each costs about 130 bytes once parsed with its position, so
 * a 16 MiB file of "1," would otherwise take a gigabyte.  A policy needs
 * at most about 8,000 (see POLICY_MAX_VALUES), and `terraform show -json`
 * output of a namespace a few tens of thousands; 1,000,000 bounds the
 * memory of one document at about 130 MB.  A document with more values
 * gets a limit-exceeded finding and is not read.
 */
#define JSON_MAX_VALUES 1000000

struct json_position {
	const cJSON *item;
	struct span value; /* the value, quotes included for strings */
	struct span key;   /* the member name, quotes included; unset outside objects */
};

struct json_doc {
	cJSON *root;
	uint32_t source;
	struct json_position *index; /* sorted by item address */
	size_t count;
	size_t cap;
	/* Origin of the parsed text, kept to map offsets inside string values. */
	char *text;      /* copy of the parsed text, trailing commas blanked */
	size_t length;
	uint32_t *origin; /* per byte of `text`; NULL when text[i] is at source offset base + i */
	uint32_t base;
};

/*
 * Parse `text` (`length` bytes) whose byte i comes from source offset
 * `origin[i]` (or `base + i` when `origin` is NULL).  Syntax problems are
 * added to `diags` as json-syntax and duplicate-key findings.  Returns true
 * when there is a tree to analyse, which includes documents whose only
 * problem was a trailing comma.
 */
bool json_doc_parse(struct json_doc *doc, uint32_t source, const char *text, size_t length,
		    uint32_t base, const uint32_t *origin, struct diag_store *diags);

/* Start an index for a tree built in memory; the doc takes ownership of `root`. */
void json_doc_init_built(struct json_doc *doc, cJSON *root);
/* Record the spans of a built item; call json_doc_finish_index() when done. */
void json_doc_record(struct json_doc *doc, const cJSON *item, struct span value, struct span key);
void json_doc_finish_index(struct json_doc *doc);

void json_doc_release(struct json_doc *doc);

/* Span of a value; an unset span when the item is unknown to the index. */
struct span json_value_span(const struct json_doc *doc, const cJSON *item);
/* Span of an object member's name. */
struct span json_key_span(const struct json_doc *doc, const cJSON *item);

/*
 * Span of the bytes [start, start + length) of a string value's *decoded*
 * text, mapped through escapes back to the source; falls back to the
 * value's span when the doc keeps no text for it.
 */
struct span json_string_subspan(const struct json_doc *doc, const cJSON *item, size_t start,
				size_t length);

/*
 * Decode the JSON string literal whose opening quote is at text[0] (which
 * must be valid, as after a successful scan), appending the decoded bytes to
 * `out` and, when `origins` is not NULL, the offset in `text` of the escape
 * or character each decoded byte came from.
 */
void json_decode_string(const char *text, size_t length, struct buf *out, uint32_t **origins,
			size_t *origin_count, size_t *origin_cap);

/*
 * Parse `length` bytes of `text` into a cJSON tree allocated from `arena`,
 * strictly as RFC 8259 defines JSON.  Strings are decoded in place: the
 * call overwrites parts of `text`, and the tree's strings point into it, so
 * `text` must outlive the tree.  On failure stores the byte offset of the
 * problem and a message, and returns false.  The tree needs no release and
 * must never be passed to cJSON_Delete(); it lives as long as the arena and
 * `text`.  For documents read in bulk, where positions are not needed.
 */
bool json_tree_parse(struct arena *arena, char *text, size_t length, cJSON **out,
		     size_t *error_offset, const char **error);

#endif
