/*
 * A strict RFC 8259 reader that builds a cJSON tree in an arena.
 *
 * It is for documents read in bulk, such as the requests of a batch, one a
 * line.  cJSON allocates every node with malloc and frees them one by one.
 * It also writes a shared error record on every parse, which rules out
 * parsing in several threads.  This reader allocates everything from the
 * caller's arena, keeps no state outside its call, and reports the first
 * syntax error with its byte offset.  It keeps no positions (json_doc_parse() is
 * for files whose findings need them) and accepts no trailing comma.
 * Strings are decoded in place, so the tree's strings point into the text
 * and cost no copy.
 *
 * The tree has cJSON's layout, so the cJSON accessors and the policy
 * builder read it, but it must never be passed to cJSON_Delete(): it lives
 * and dies with the arena.
 */
#include "iamcross/json.h"

#include <stdlib.h>
#include <string.h>

struct reader {
	char *start;
	char *p;
	char *end;
	struct arena *arena;
	const char *error;
	int depth;
	size_t values;
};

static bool fail(struct reader *r, const char *error)
{
	if (!r->error)
		r->error = error;
	return false;
}

static void skip_space(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static cJSON *new_item(struct reader *r, int type)
{
	cJSON *item = ARENA_NEW(r->arena, cJSON);

	item->type = type;
	return item;
}

static bool read_literal(struct reader *r, const char *word, int type, cJSON **out)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return fail(r, "expected a value");
	r->p += n;
	*out = new_item(r, type);
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool read_hex4(struct reader *r, const char *at, unsigned *out)
{
	unsigned v = 0;

	if (r->end - at < 4)
		return fail(r, "incomplete \\u escape");
	for (int i = 0; i < 4; i++) {
		int d = hex_digit(at[i]);

		if (d < 0)
			return fail(r, "invalid \\u escape");
		v = v * 16 + (unsigned)d;
	}
	*out = v;
	return true;
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * Decode the \u escape at `at` (the 'u') and, for a high surrogate, the low
 * one after it.  Stores the bytes of text it spans in `*used` and the UTF-8
 * bytes it wrote in `*written`.
 */
static bool read_unicode(struct reader *r, const char *at, char *out, size_t *used, size_t *written)
{
	unsigned cp;
	unsigned low;

	if (!read_hex4(r, at + 1, &cp))
		return false;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(r, "unpaired surrogate in \\u escape");
	*used = 5;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (r->end - at < 11 || at[5] != '\\' || at[6] != 'u' || !read_hex4(r, at + 7, &low) ||
		    low < 0xdc00 || low > 0xdfff)
			return fail(r, "unpaired surrogate in \\u escape");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
		*used = 11;
	}
	if (cp == 0)
		return fail(r, "a string contains \\u0000");
	*written = put_utf8(out, cp);
	return true;
}

/* Decode the escapes of the string body [from, to) into `out`. */
static bool decode_escapes(struct reader *r, const char *from, const char *to, char *out)
{
	size_t n = 0;

	for (const char *s = from; s < to;) {
		size_t used = 0;
		size_t written = 0;

		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		switch (s[1]) {
		case '"':
		case '\\':
		case '/':
			out[n++] = s[1];
			s += 2;
			continue;
		case 'b':
			out[n++] = '\b';
			break;
		case 'f':
			out[n++] = '\f';
			break;
		case 'n':
			out[n++] = '\n';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'u':
			if (!read_unicode(r, s + 1, out + n, &used, &written))
				return false;
			n += written;
			s += 1 + used;
			continue;
		default:
			return fail(r, "invalid escape in a string");
		}
		s += 2;
	}
	out[n] = '\0';
	return true;
}

/*
 * True when one of the `n` bytes at `s` is a control character.  Eight bytes
 * are tested at a time: (x - 0x20..20) & ~x & 0x80..80 is not zero exactly
 * when some byte of x is below 0x20.
 */
static bool has_control(const char *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;

		memcpy(&x, s + i, 8);
		if ((x - 0x2020202020202020ull) & ~x & 0x8080808080808080ull)
			return true;
	}
	for (; i < n; i++) {
		if ((unsigned char)s[i] < 0x20)
			return true;
	}
	return false;
}

/*
 * Read a string whose opening quote is at r->p.  The closing quote and the
 * escapes are found with memchr, which scans many bytes a step, because
 * strings are most of the bytes of a policy.
 */
static bool read_string(struct reader *r, char **out)
{
	char *body = ++r->p;
	bool escapes = false;

	for (;;) {
		char *quote = memchr(r->p, '"', (size_t)(r->end - r->p));
		char *backslash;

		if (!quote) {
			r->p = r->end;
			break;
		}
		backslash = memchr(r->p, '\\', (size_t)(quote - r->p));
		if (has_control(r->p, (size_t)((backslash ? backslash : quote) - r->p)))
			return fail(r, "a control character in a string must be escaped");
		if (!backslash) {
			r->p = quote;
			break;
		}
		escapes = true;
		if (backslash + 1 >= r->end) {
			r->p = r->end;
			break;
		}
		r->p = backslash + 2;
	}
	if (r->p >= r->end)
		return fail(r, "unterminated string");
	/*
	 * The string is decoded in place.  An escape is never shorter than what
	 * it decodes to, so the writes never overtake the reads.  The closing
	 * quote becomes the terminating NUL.
	 */
	*out = body;
	if (escapes && !decode_escapes(r, body, r->p, body))
		return false;
	if (!escapes)
		*r->p = '\0';
	r->p++;
	return true;
}

static bool read_number(struct reader *r, cJSON **out)
{
	const char *s = r->p;
	char small[64];
	char *copy;
	size_t n;
	double v;

	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0') {
		r->p++;
	} else if (r->p < r->end && *r->p >= '1' && *r->p <= '9') {
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	} else {
		return fail(r, "invalid number");
	}
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (r->p >= r->end || *r->p < '0' || *r->p > '9')
			return fail(r, "invalid number");
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (r->p >= r->end || *r->p < '0' || *r->p > '9')
			return fail(r, "invalid number");
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	n = (size_t)(r->p - s);
	copy = n < sizeof(small) ? small : arena_alloc(r->arena, n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	v = strtod(copy, NULL);
	*out = new_item(r, cJSON_Number);
	(*out)->valuedouble = v;
	/* cJSON keeps an int copy of every number, clamped to the range of int. */
	if (v >= 2147483647.0)
		(*out)->valueint = 2147483647;
	else if (v <= -2147483648.0)
		(*out)->valueint = -2147483647 - 1;
	else
		(*out)->valueint = (int)v;
	return true;
}

static bool read_value(struct reader *r, cJSON **out);

/* Link `item` after `last` under `parent`; cJSON keeps the last child in child->prev. */
static void append_child(cJSON *parent, cJSON **last, cJSON *item)
{
	if (!*last) {
		parent->child = item;
	} else {
		(*last)->next = item;
		item->prev = *last;
	}
	parent->child->prev = item;
	*last = item;
}

static bool read_container(struct reader *r, bool object, cJSON **out)
{
	char close = object ? '}' : ']';
	cJSON *container = new_item(r, object ? cJSON_Object : cJSON_Array);
	cJSON *last = NULL;

	if (++r->depth > JSON_MAX_DEPTH)
		return fail(r, "nested too deeply");
	r->p++;
	skip_space(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		r->depth--;
		*out = container;
		return true;
	}
	for (;;) {
		char *name = NULL;
		cJSON *item;

		skip_space(r);
		if (object) {
			if (r->p >= r->end || *r->p != '"')
				return fail(r, "expected a member name in quotes");
			if (!read_string(r, &name))
				return false;
			skip_space(r);
			if (r->p >= r->end || *r->p != ':')
				return fail(r, "expected ':' after a member name");
			r->p++;
		}
		if (!read_value(r, &item))
			return false;
		item->string = name;
		append_child(container, &last, item);
		skip_space(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close)
			break;
		return fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
	r->p++;
	r->depth--;
	*out = container;
	return true;
}

static bool read_value(struct reader *r, cJSON **out)
{
	skip_space(r);
	if (r->p >= r->end)
		return fail(r, "expected a value");
	if (++r->values > JSON_MAX_VALUES)
		return fail(r, "more than 1000000 values, the limit for one JSON document (JSON_MAX_VALUES)");
	switch (*r->p) {
	case '{':
		return read_container(r, true, out);
	case '[':
		return read_container(r, false, out);
	case '"':
		*out = new_item(r, cJSON_String);
		return read_string(r, &(*out)->valuestring);
	case 't':
		return read_literal(r, "true", cJSON_True, out);
	case 'f':
		return read_literal(r, "false", cJSON_False, out);
	case 'n':
		return read_literal(r, "null", cJSON_NULL, out);
	default:
		if (*r->p != '-' && (*r->p < '0' || *r->p > '9'))
			return fail(r, "expected a value");
		return read_number(r, out);
	}
}

bool json_tree_parse(struct arena *arena, char *text, size_t length, cJSON **out,
		     size_t *error_offset, const char **error)
{
	struct reader r;

	memset(&r, 0, sizeof(r));
	r.start = text;
	r.p = text;
	r.end = text + length;
	r.arena = arena;
	*out = NULL;
	if (read_value(&r, out)) {
		skip_space(&r);
		if (r.p == r.end)
			return true;
		fail(&r, "unexpected text after the value");
	}
	*out = NULL;
	*error_offset = (size_t)(r.p - text);
	*error = r.error;
	return false;
}
