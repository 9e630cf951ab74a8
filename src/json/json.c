/*
 * The JSON front end: a strict scanner that records positions and reports
 * syntax errors, then cJSON for the tree, then a walk that pairs the two.
 *
 * The scanner accepts exactly RFC 8259 JSON in UTF-8, with two deliberate
 * leniencies that are still reported: a UTF-8 byte order mark is skipped
 * (a json-syntax finding would only teach users to fight their editor, and
 * AWS tools accept it), and a trailing comma is blanked out after its
 * finding so the rest of the document is still checked.  Any other error
 * stops the scan at the first problem, because positions after a real
 * syntax error would mislead more than help.
 *
 * It does not build values: cJSON does that from the same bytes, so both
 * see the same document and their pre-order walks line up one to one.
 */
#include "iamcross/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct scanner {
	const char *text;
	size_t length;
	size_t pos;
	uint32_t source;
	uint32_t base;
	const uint32_t *origin;
	struct diag_store *diags;
	char *patched;
	struct json_position *records;
	size_t record_count;
	size_t record_cap;
	/* Records of object members that a later member of the same name overrides. */
	size_t *overridden;
	size_t overridden_count;
	size_t overridden_cap;
	int depth;
	bool failed;
};

static struct span map_span(uint32_t source, uint32_t base, const uint32_t *origin,
			    size_t text_length, size_t start, size_t end)
{
	uint32_t first;
	uint32_t last;

	if (!origin)
		return span_make(source, base + (uint32_t)start, (uint32_t)(end - start));
	if (text_length == 0)
		return span_make(source, base, 0);
	if (start >= text_length)
		return span_make(source, origin[text_length - 1] + 1, 0);
	first = origin[start];
	if (end <= start)
		return span_make(source, first, 0);
	last = origin[end - 1] + 1;
	return span_make(source, first, last > first ? last - first : 1);
}

static struct span scan_span(const struct scanner *s, size_t start, size_t end)
{
	return map_span(s->source, s->base, s->origin, s->length, start, end);
}

static void describe_byte(char out[32], const char *text, size_t length, size_t pos)
{
	unsigned char c;

	if (pos >= length) {
		strcpy(out, "end of file");
		return;
	}
	c = (unsigned char)text[pos];
	if (c >= 0x21 && c < 0x7f)
		snprintf(out, 32, "'%c'", c);
	else if (c == ' ')
		strcpy(out, "a space");
	else if (c == '\n' || c == '\r')
		strcpy(out, "end of line");
	else
		snprintf(out, 32, "byte 0x%02X", c);
}

static void scan_fail(struct scanner *s, size_t at, size_t length, const char *fmt, ...)
	IX_PRINTF(4, 5);

static void scan_fail(struct scanner *s, size_t at, size_t length, const char *fmt, ...)
{
	va_list ap;
	char *message;

	if (s->failed)
		return;
	s->failed = true;
	va_start(ap, fmt);
	message = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(s->diags, RULE_JSON_SYNTAX, scan_span(s, at, at + length), "%s", message);
	free(message);
}

static void scan_fail_limit(struct scanner *s)
{
	struct finding *f;

	if (s->failed)
		return;
	s->failed = true;
	f = diag_add(s->diags, RULE_LIMIT_EXCEEDED, scan_span(s, s->pos, s->pos + 1),
		     "the document has more than %d values, the limit for one JSON document; it was not checked",
		     JSON_MAX_VALUES);
	diag_set_hint(f, "a policy has at most a few thousand values; check that this is the file you meant");
}

static void scan_expected(struct scanner *s, const char *expected)
{
	char found[32];

	describe_byte(found, s->text, s->length, s->pos);
	scan_fail(s, s->pos, s->pos < s->length ? 1 : 0, "expected %s, found %s", expected, found);
}

static void skip_space(struct scanner *s)
{
	while (s->pos < s->length) {
		char c = s->text[s->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		s->pos++;
	}
	if (s->pos + 1 < s->length && s->text[s->pos] == '/' &&
	    (s->text[s->pos + 1] == '/' || s->text[s->pos + 1] == '*'))
		scan_fail(s, s->pos, 2, "comments are not allowed in JSON");
}

static size_t record_reserve(struct scanner *s)
{
	s->records = xgrow(s->records, &s->record_cap, s->record_count + 1, sizeof(*s->records));
	memset(&s->records[s->record_count], 0, sizeof(*s->records));
	return s->record_count++;
}

static bool hex4(const char *p, unsigned *value)
{
	*value = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned digit;

		if (c >= '0' && c <= '9')
			digit = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			digit = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			digit = (unsigned)(c - 'A' + 10);
		else
			return false;
		*value = *value * 16 + digit;
	}
	return true;
}

/* Scan a \u escape at s->pos (the backslash); false after reporting. */
static bool scan_unicode_escape(struct scanner *s)
{
	size_t start = s->pos;
	unsigned unit;

	if (s->pos + 6 > s->length || !hex4(s->text + s->pos + 2, &unit)) {
		scan_fail(s, start, 2, "invalid \\u escape: expected four hexadecimal digits");
		return false;
	}
	s->pos += 6;
	if (unit == 0) {
		scan_fail(s, start, 6, "\\u0000 is not allowed in a policy string");
		return false;
	}
	if (unit >= 0xdc00 && unit <= 0xdfff) {
		scan_fail(s, start, 6, "invalid \\u escape: a low surrogate without a high one");
		return false;
	}
	if (unit >= 0xd800 && unit <= 0xdbff) {
		unsigned low;

		if (s->pos + 6 > s->length || s->text[s->pos] != '\\' || s->text[s->pos + 1] != 'u' ||
		    !hex4(s->text + s->pos + 2, &low) || low < 0xdc00 || low > 0xdfff) {
			scan_fail(s, start, 6, "invalid \\u escape: a high surrogate without a low one");
			return false;
		}
		s->pos += 6;
	}
	return true;
}

static bool scan_string(struct scanner *s)
{
	size_t start = s->pos;

	s->pos++; /* opening quote */
	while (s->pos < s->length) {
		unsigned char c = (unsigned char)s->text[s->pos];
		size_t n;

		if (c == '"') {
			s->pos++;
			return true;
		}
		if (c == '\\') {
			char e = s->pos + 1 < s->length ? s->text[s->pos + 1] : '\0';

			if (e == 'u') {
				if (!scan_unicode_escape(s))
					return false;
				continue;
			}
			if (!strchr("\"\\/bfnrt", e) || e == '\0') {
				scan_fail(s, s->pos, 2, "invalid escape '\\%c' in string", e ? e : ' ');
				return false;
			}
			s->pos += 2;
			continue;
		}
		if (c == '\n' || c == '\r') {
			scan_fail(s, start, 1, "unterminated string: a line ends before the closing '\"'");
			return false;
		}
		if (c < 0x20) {
			scan_fail(s, s->pos, 1,
				  "control character U+%04X in string; write it as an escape such as \\t", c);
			return false;
		}
		n = utf8_sequence_length((const unsigned char *)s->text + s->pos, s->length - s->pos);
		if (n == 0) {
			scan_fail(s, s->pos, 1, "invalid UTF-8 byte 0x%02X in string", c);
			return false;
		}
		s->pos += n;
	}
	scan_fail(s, start, 1, "unterminated string: no closing '\"' before the end of the file");
	return false;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool scan_number(struct scanner *s)
{
	size_t start = s->pos;

	if (s->text[s->pos] == '-')
		s->pos++;
	if (s->pos >= s->length || !is_digit(s->text[s->pos])) {
		scan_fail(s, start, 1, "invalid number: a digit must follow '-'");
		return false;
	}
	if (s->text[s->pos] == '0' && s->pos + 1 < s->length && is_digit(s->text[s->pos + 1])) {
		scan_fail(s, start, 2, "invalid number: leading zeros are not allowed in JSON; quote account IDs as strings");
		return false;
	}
	while (s->pos < s->length && is_digit(s->text[s->pos]))
		s->pos++;
	if (s->pos < s->length && s->text[s->pos] == '.') {
		s->pos++;
		if (s->pos >= s->length || !is_digit(s->text[s->pos])) {
			scan_fail(s, start, s->pos - start, "invalid number: a digit must follow '.'");
			return false;
		}
		while (s->pos < s->length && is_digit(s->text[s->pos]))
			s->pos++;
	}
	if (s->pos < s->length && (s->text[s->pos] == 'e' || s->text[s->pos] == 'E')) {
		s->pos++;
		if (s->pos < s->length && (s->text[s->pos] == '+' || s->text[s->pos] == '-'))
			s->pos++;
		if (s->pos >= s->length || !is_digit(s->text[s->pos])) {
			scan_fail(s, start, s->pos - start, "invalid number: the exponent has no digits");
			return false;
		}
		while (s->pos < s->length && is_digit(s->text[s->pos]))
			s->pos++;
	}
	return true;
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

static bool scan_word(struct scanner *s)
{
	size_t start = s->pos;
	size_t n;

	while (s->pos < s->length && is_word_char(s->text[s->pos]))
		s->pos++;
	n = s->pos - start;
	if ((n == 4 && memcmp(s->text + start, "true", 4) == 0) ||
	    (n == 5 && memcmp(s->text + start, "false", 5) == 0) ||
	    (n == 4 && memcmp(s->text + start, "null", 4) == 0))
		return true;
	scan_fail(s, start, n, "unexpected word '%.*s'; strings need double quotes, and the JSON literals are true, false and null",
		  (int)(n > 40 ? 40 : n), s->text + start);
	return false;
}

struct member_key {
	char *name;
	size_t record;
};

static int compare_member_keys(const void *pa, const void *pb)
{
	const struct member_key *a = pa;
	const struct member_key *b = pb;
	int c = strcmp(a->name, b->name);

	if (c != 0)
		return c;
	return a->record < b->record ? -1 : a->record > b->record;
}

static void report_duplicate_keys(struct scanner *s, struct member_key *keys, size_t count)
{
	qsort(keys, count, sizeof(*keys), compare_member_keys);
	for (size_t i = 1; i < count; i++) {
		struct finding *f;

		if (strcmp(keys[i - 1].name, keys[i].name) != 0)
			continue;
		f = diag_add(s->diags, RULE_DUPLICATE_KEY, s->records[keys[i].record].key,
			     "duplicate key '%s'; parsers disagree on which value wins, and iamcross reads the last one",
			     keys[i].name);
		diag_add_related(f, s->records[keys[i - 1].record].key, "'%s' first appears here",
				 keys[i].name);
		diag_set_hint(f, "keep one '%s' and merge the values into it", keys[i].name);
		s->overridden = xgrow(s->overridden, &s->overridden_cap, s->overridden_count + 1,
				      sizeof(*s->overridden));
		s->overridden[s->overridden_count++] = keys[i - 1].record;
	}
}

static bool scan_value(struct scanner *s);

static void blank_trailing_comma(struct scanner *s, size_t comma, char closer)
{
	diag_add(s->diags, RULE_JSON_SYNTAX, scan_span(s, comma, comma + 1),
		 "trailing comma before '%c'; JSON allows no comma after the last %s", closer,
		 closer == ']' ? "element" : "member");
	s->patched[comma] = ' ';
}

static bool scan_array(struct scanner *s)
{
	s->pos++; /* '[' */
	skip_space(s);
	if (s->pos < s->length && s->text[s->pos] == ']') {
		s->pos++;
		return true;
	}
	for (;;) {
		size_t comma;

		if (!scan_value(s))
			return false;
		skip_space(s);
		if (s->failed)
			return false;
		if (s->pos < s->length && s->text[s->pos] == ']') {
			s->pos++;
			return true;
		}
		if (s->pos >= s->length || s->text[s->pos] != ',') {
			scan_expected(s, "',' or ']' after an array element");
			return false;
		}
		comma = s->pos++;
		skip_space(s);
		if (s->failed)
			return false;
		if (s->pos < s->length && s->text[s->pos] == ']') {
			blank_trailing_comma(s, comma, ']');
			s->pos++;
			return true;
		}
	}
}

static bool scan_object_members(struct scanner *s, struct member_key **keys, size_t *count,
				size_t *cap)
{
	for (;;) {
		size_t key_start;
		struct span key_span;
		size_t record;
		struct buf name = BUF_INIT;
		size_t comma;

		skip_space(s);
		if (s->failed)
			return false;
		if (s->pos >= s->length || s->text[s->pos] != '"') {
			if (s->pos < s->length && s->text[s->pos] == '\'')
				scan_fail(s, s->pos, 1, "member names need double quotes, not single quotes");
			else
				scan_expected(s, "a member name in double quotes");
			return false;
		}
		key_start = s->pos;
		if (!scan_string(s))
			return false;
		key_span = scan_span(s, key_start, s->pos);

		/* The member's value takes the next record; its key is stored there. */
		record = s->record_count;
		json_decode_string(s->text + key_start, s->pos - key_start, &name, NULL, NULL, NULL);
		*keys = xgrow(*keys, cap, *count + 1, sizeof(**keys));
		(*keys)[*count].name = buf_detach(&name);
		(*keys)[*count].record = record;
		(*count)++;

		skip_space(s);
		if (s->failed)
			return false;
		if (s->pos >= s->length || s->text[s->pos] != ':') {
			scan_expected(s, "':' after the member name");
			return false;
		}
		s->pos++;
		if (!scan_value(s))
			return false;
		s->records[record].key = key_span;

		skip_space(s);
		if (s->failed)
			return false;
		if (s->pos < s->length && s->text[s->pos] == '}') {
			s->pos++;
			return true;
		}
		if (s->pos >= s->length || s->text[s->pos] != ',') {
			scan_expected(s, "',' or '}' after an object member");
			return false;
		}
		comma = s->pos++;
		skip_space(s);
		if (s->failed)
			return false;
		if (s->pos < s->length && s->text[s->pos] == '}') {
			blank_trailing_comma(s, comma, '}');
			s->pos++;
			return true;
		}
	}
}

static bool scan_object(struct scanner *s)
{
	struct member_key *keys = NULL;
	size_t count = 0;
	size_t cap = 0;
	bool ok;

	s->pos++; /* '{' */
	skip_space(s);
	if (s->pos < s->length && s->text[s->pos] == '}') {
		s->pos++;
		return true;
	}
	ok = scan_object_members(s, &keys, &count, &cap);
	if (ok)
		report_duplicate_keys(s, keys, count);
	for (size_t i = 0; i < count; i++)
		free(keys[i].name);
	free(keys);
	return ok;
}

static bool scan_value(struct scanner *s)
{
	size_t record;
	size_t start;
	bool ok;
	char c;

	skip_space(s);
	if (s->failed)
		return false;
	if (s->pos >= s->length) {
		scan_expected(s, "a value");
		return false;
	}
	if (s->record_count >= JSON_MAX_VALUES) {
		scan_fail_limit(s);
		return false;
	}
	record = record_reserve(s);
	start = s->pos;
	c = s->text[s->pos];

	if (c == '{' || c == '[') {
		if (++s->depth > JSON_MAX_DEPTH) {
			scan_fail(s, s->pos, 1,
				  "nesting deeper than %d levels; a policy document needs at most 7",
				  JSON_MAX_DEPTH);
			return false;
		}
		ok = c == '{' ? scan_object(s) : scan_array(s);
		s->depth--;
	} else if (c == '"') {
		ok = scan_string(s);
	} else if (c == '-' || is_digit(c)) {
		ok = scan_number(s);
	} else if (is_word_char(c)) {
		ok = scan_word(s);
	} else if (c == '\'') {
		scan_fail(s, s->pos, 1, "strings need double quotes, not single quotes");
		ok = false;
	} else if (c == ']' || c == '}' || c == ',') {
		scan_expected(s, "a value");
		ok = false;
	} else if ((unsigned char)c >= 0x80 &&
		   !utf8_sequence_length((const unsigned char *)s->text + s->pos, s->length - s->pos)) {
		scan_fail(s, s->pos, 1, "invalid UTF-8 byte 0x%02X", (unsigned char)c);
		ok = false;
	} else {
		scan_expected(s, "a value");
		ok = false;
	}
	if (ok)
		s->records[record].value = scan_span(s, start, s->pos);
	return ok;
}

static bool scan_document(struct scanner *s)
{
	size_t nul = strnlen(s->text, s->length);

	if (nul < s->length) {
		scan_fail(s, nul, 1, "NUL byte in the file; this looks like a binary file, not a policy");
		return false;
	}
	if (s->length >= 3 && memcmp(s->text, "\xEF\xBB\xBF", 3) == 0) {
		memset(s->patched, ' ', 3);
		s->pos = 3;
	}
	skip_space(s);
	if (s->failed)
		return false;
	if (s->pos >= s->length) {
		scan_fail(s, 0, 0, s->length == 0
					   ? "the file is empty; expected a JSON policy document"
					   : "the file holds only whitespace; expected a JSON policy document");
		return false;
	}
	if (!scan_value(s))
		return false;
	skip_space(s);
	if (s->failed)
		return false;
	if (s->pos < s->length) {
		char found[32];

		describe_byte(found, s->text, s->length, s->pos);
		scan_fail(s, s->pos, 1, "unexpected %s after the end of the document", found);
		return false;
	}
	return true;
}

static int compare_positions(const void *pa, const void *pb)
{
	const struct json_position *a = pa;
	const struct json_position *b = pb;
	uintptr_t x = (uintptr_t)a->item;
	uintptr_t y = (uintptr_t)b->item;

	return x < y ? -1 : x > y;
}

/* Pair cJSON's items with the scanner's records, both in pre-order. */
static void attach_items(const cJSON *item, struct json_position *records, size_t count,
			 size_t *next)
{
	if (*next >= count)
		return;
	records[(*next)++].item = item;
	if (cJSON_IsArray(item) || cJSON_IsObject(item)) {
		for (const cJSON *child = item->child; child; child = child->next)
			attach_items(child, records, count, next);
	}
}

static int compare_pointers(const void *pa, const void *pb)
{
	uintptr_t x = (uintptr_t)*(const cJSON *const *)pa;
	uintptr_t y = (uintptr_t)*(const cJSON *const *)pb;

	return x < y ? -1 : x > y;
}

static bool pointer_listed(const cJSON *const *list, size_t count, const cJSON *item)
{
	return count > 0 && bsearch(&item, list, count, sizeof(*list), compare_pointers) != NULL;
}

static void list_subtree(const cJSON *item, const cJSON ***list, size_t *count, size_t *cap)
{
	*list = xgrow(*list, cap, *count + 1, sizeof(**list));
	(*list)[(*count)++] = item;
	for (const cJSON *child = item->child; child; child = child->next)
		list_subtree(child, list, count, cap);
}

/* Detach every member of `overridden` from the objects under `item`, onto `removed`. */
static void detach_overridden(cJSON *item, const cJSON *const *overridden, size_t overridden_count,
			      cJSON **removed)
{
	cJSON *child = item->child;

	while (child) {
		cJSON *next = child->next;

		if (cJSON_IsObject(item) && pointer_listed(overridden, overridden_count, child)) {
			cJSON_DetachItemViaPointer(item, child);
			child->next = *removed;
			*removed = child;
		} else {
			detach_overridden(child, overridden, overridden_count, removed);
		}
		child = next;
	}
}

/*
 * Remove the members that a later member of the same name overrides, so
 * that every reader of the tree gets the last value, as the duplicate-key
 * message promises.  Their records leave the index before they are freed.
 */
static void drop_overridden_members(struct json_doc *doc, const struct scanner *s)
{
	const cJSON **overridden = xmalloc(s->overridden_count * sizeof(*overridden));
	const cJSON **freed = NULL;
	size_t freed_count = 0;
	size_t freed_cap = 0;
	cJSON *removed = NULL;
	size_t kept_count = 0;

	for (size_t i = 0; i < s->overridden_count; i++)
		overridden[i] = doc->index[s->overridden[i]].item;
	qsort(overridden, s->overridden_count, sizeof(*overridden), compare_pointers);
	detach_overridden(doc->root, overridden, s->overridden_count, &removed);

	for (cJSON *item = removed; item; item = item->next) {
		freed = xgrow(freed, &freed_cap, freed_count + 1, sizeof(*freed));
		freed[freed_count++] = item;
		for (const cJSON *child = item->child; child; child = child->next)
			list_subtree(child, &freed, &freed_count, &freed_cap);
	}
	qsort(freed, freed_count, sizeof(*freed), compare_pointers);
	for (size_t i = 0; i < doc->count; i++) {
		if (!pointer_listed(freed, freed_count, doc->index[i].item))
			doc->index[kept_count++] = doc->index[i];
	}
	doc->count = kept_count;

	while (removed) {
		cJSON *next = removed->next;

		removed->next = NULL;
		cJSON_Delete(removed);
		removed = next;
	}
	free(freed);
	free(overridden);
}

void json_doc_init_built(struct json_doc *doc, cJSON *root)
{
	memset(doc, 0, sizeof(*doc));
	doc->root = root;
}

void json_doc_record(struct json_doc *doc, const cJSON *item, struct span value, struct span key)
{
	struct json_position *p;

	doc->index = xgrow(doc->index, &doc->cap, doc->count + 1, sizeof(*doc->index));
	p = &doc->index[doc->count++];
	p->item = item;
	p->value = value;
	p->key = key;
}

void json_doc_finish_index(struct json_doc *doc)
{
	qsort(doc->index, doc->count, sizeof(*doc->index), compare_positions);
}

bool json_doc_parse(struct json_doc *doc, uint32_t source, const char *text, size_t length,
		    uint32_t base, const uint32_t *origin, struct diag_store *diags)
{
	struct scanner s;
	size_t next = 0;

	memset(doc, 0, sizeof(*doc));
	memset(&s, 0, sizeof(s));
	s.text = text;
	s.length = length;
	s.source = source;
	s.base = base;
	s.origin = origin;
	s.diags = diags;
	s.patched = xmalloc(length + 1);
	memcpy(s.patched, text, length);
	s.patched[length] = '\0';

	doc->source = source;
	doc->base = base;
	if (!scan_document(&s)) {
		free(s.patched);
		free(s.records);
		free(s.overridden);
		return false;
	}

	doc->root = cJSON_ParseWithLength(s.patched, length);
	if (!doc->root) {
		/* The scanner accepted what cJSON did not: report rather than guess. */
		diag_add(diags, RULE_JSON_SYNTAX, scan_span(&s, 0, 0),
			 "the document could not be parsed although it looks like valid JSON");
		free(s.patched);
		free(s.records);
		free(s.overridden);
		return false;
	}

	attach_items(doc->root, s.records, s.record_count, &next);
	doc->index = s.records;
	doc->count = next;
	doc->cap = s.record_cap;
	if (s.overridden_count > 0)
		drop_overridden_members(doc, &s);
	free(s.overridden);
	json_doc_finish_index(doc);

	doc->text = s.patched;
	doc->length = length;
	if (origin) {
		doc->origin = xmalloc((length ? length : 1) * sizeof(*doc->origin));
		memcpy(doc->origin, origin, length * sizeof(*doc->origin));
	}
	return true;
}

void json_doc_release(struct json_doc *doc)
{
	cJSON_Delete(doc->root);
	free(doc->index);
	free(doc->text);
	free(doc->origin);
	memset(doc, 0, sizeof(*doc));
}

static const struct json_position *find_position(const struct json_doc *doc, const cJSON *item)
{
	struct json_position key;

	if (!doc || !item || doc->count == 0)
		return NULL;
	key.item = item;
	return bsearch(&key, doc->index, doc->count, sizeof(*doc->index), compare_positions);
}

struct span json_value_span(const struct json_doc *doc, const cJSON *item)
{
	const struct json_position *p = find_position(doc, item);

	return p ? p->value : span_make(0, 0, 0);
}

struct span json_key_span(const struct json_doc *doc, const cJSON *item)
{
	const struct json_position *p = find_position(doc, item);

	return p ? p->key : span_make(0, 0, 0);
}

static void push_origin(uint32_t **origins, size_t *count, size_t *cap, uint32_t offset, size_t n)
{
	if (!origins)
		return;
	*origins = xgrow(*origins, cap, *count + n, sizeof(**origins));
	for (size_t i = 0; i < n; i++)
		(*origins)[(*count)++] = offset;
}

void json_decode_string(const char *text, size_t length, struct buf *out, uint32_t **origins,
			size_t *origin_count, size_t *origin_cap)
{
	size_t i = 1; /* after the opening quote */

	while (i < length && text[i] != '"') {
		size_t at = i;
		char bytes[4];
		size_t n = 1;

		if (text[i] != '\\') {
			buf_putc(out, text[i]);
			push_origin(origins, origin_count, origin_cap, (uint32_t)at, 1);
			i++;
			continue;
		}
		switch (i + 1 < length ? text[i + 1] : '\0') {
		case 'b': bytes[0] = '\b'; i += 2; break;
		case 'f': bytes[0] = '\f'; i += 2; break;
		case 'n': bytes[0] = '\n'; i += 2; break;
		case 'r': bytes[0] = '\r'; i += 2; break;
		case 't': bytes[0] = '\t'; i += 2; break;
		case 'u': {
			unsigned cp = 0;
			unsigned low;

			if (i + 6 > length || !hex4(text + i + 2, &cp)) {
				bytes[0] = '?';
				i += 2;
				break;
			}
			i += 6;
			if (cp >= 0xd800 && cp <= 0xdbff && i + 6 <= length && text[i] == '\\' &&
			    text[i + 1] == 'u' && hex4(text + i + 2, &low) && low >= 0xdc00 && low <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
				i += 6;
			}
			n = utf8_encode(cp, bytes);
			break;
		}
		default:
			bytes[0] = i + 1 < length ? text[i + 1] : '\\';
			i += 2;
		}
		buf_append(out, bytes, n);
		push_origin(origins, origin_count, origin_cap, (uint32_t)at, n);
	}
}

struct span json_string_subspan(const struct json_doc *doc, const cJSON *item, size_t start,
				size_t length)
{
	struct span whole = json_value_span(doc, item);
	struct buf decoded = BUF_INIT;
	uint32_t *origins = NULL;
	size_t count = 0;
	size_t cap = 0;
	size_t text_start;
	size_t text_end;
	struct span result;

	if (!span_is_set(whole) || !doc->text || !cJSON_IsString(item))
		return whole;

	/* Find the value's bytes in the parsed text from its source span. */
	text_start = SIZE_MAX;
	for (size_t i = 0; i < doc->length; i++) {
		uint32_t at = doc->origin ? doc->origin[i] : doc->base + (uint32_t)i;

		if (at == whole.offset && doc->text[i] == '"') {
			text_start = i;
			break;
		}
	}
	if (text_start == SIZE_MAX)
		return whole;
	text_end = text_start + 1;
	while (text_end < doc->length && doc->text[text_end] != '"')
		text_end += doc->text[text_end] == '\\' ? 2 : 1;

	json_decode_string(doc->text + text_start, text_end - text_start + 1, &decoded, &origins,
			   &count, &cap);
	if (start >= count) {
		result = whole;
	} else {
		size_t end = start + length > count ? count : start + length;
		size_t first = text_start + origins[start];
		size_t last = end > start ? text_start + origins[end - 1] : first;

		/* Extend the last byte over the whole escape or character it came from. */
		size_t last_end = last + 1;

		if (doc->text[last] == '\\')
			last_end = last + (doc->text[last + 1] == 'u' ? 6 : 2);
		result = map_span(doc->source, doc->base, doc->origin, doc->length, first, last_end);
	}
	buf_release(&decoded);
	free(origins);
	return result;
}
