/*
 * Matching resource patterns against the catalog's ARN formats.
 *
 * Both sides are small regular languages: the pattern with its `*`, `?` and
 * unknowns, the format with its ${Variable} parts.  Whether they share a
 * string is decided by a breadth-first search over pairs of positions, one
 * in each, consuming one character at a time that both sides accept; it is
 * exact for the character classes below and costs at most the product of
 * the two lengths.
 */
#include "iamcross/arn.h"
#include "iamcross/symbol.h"

#include <stdlib.h>
#include <string.h>

enum { FIELDS_BEFORE_RESOURCE = 5 };

/*
 * Format variables whose values never contain '/': AWS's naming rules for
 * buckets, queues, topics, tables, functions, keys and account-level fields
 * allow no slash.  Any other variable may (object keys, role paths, log
 * group and parameter names, repository namespaces).
 */
static const char *const slashless_variables[] = {
	"Partition", "Region",   "Account",      "BucketName",   "QueueName",
	"TopicName", "TableName", "FunctionName", "KeyId",        "AccessPointName",
	"StreamName", "IndexName", "RoleName",    "UserName",     "GroupName",
};

struct token {
	int byte;          /* the literal byte, or -1 for a class */
	bool colon;        /* the class includes ':' */
	bool slash;        /* the class includes '/' */
	bool repeat;       /* zero or more (a `*`), else exactly one */
};

struct tokens {
	struct token *items;
	size_t count;
	/*
	 * Index of the first token of the resource part, when every string
	 * the tokens match has its fifth colon at the same token; else
	 * NO_RESOURCE_START.
	 */
	size_t resource_start;
};

#define NO_RESOURCE_START SIZE_MAX

static void push(struct tokens *t, size_t *cap, struct token token)
{
	t->items = xgrow(t->items, cap, t->count + 1, sizeof(*t->items));
	t->items[t->count++] = token;
}

static bool is_slashless(const char *name, size_t length)
{
	for (size_t i = 0; i < IX_COUNT(slashless_variables); i++) {
		if (strlen(slashless_variables[i]) == length &&
		    memcmp(slashless_variables[i], name, length) == 0)
			return true;
	}
	return false;
}

static void read_format(const char *format, struct tokens *out)
{
	size_t cap = 0;
	int field = 0;

	for (const char *p = format; *p;) {
		const char *end;

		if (p[0] == '$' && p[1] == '{' && (end = strchr(p + 2, '}'))) {
			bool in_fields = field < FIELDS_BEFORE_RESOURCE;
			bool slash = !in_fields && !is_slashless(p + 2, (size_t)(end - p - 2));
			struct token one = {-1, !in_fields, slash, false};
			struct token more = {-1, !in_fields, slash, true};

			push(out, &cap, one);
			push(out, &cap, more);
			p = end + 1;
			continue;
		}
		if (*p == '*') {
			bool in_fields = field < FIELDS_BEFORE_RESOURCE;

			push(out, &cap, (struct token){-1, !in_fields, !in_fields, true});
			p++;
			continue;
		}
		if (*p == ':' && field < FIELDS_BEFORE_RESOURCE)
			field++;
		push(out, &cap, (struct token){(unsigned char)*p, false, false, false});
		if (*p == ':' && field == FIELDS_BEFORE_RESOURCE && out->resource_start == NO_RESOURCE_START)
			out->resource_start = out->count;
		p++;
	}
}

static size_t variable_length(const char *p)
{
	const char *end;

	if (p[0] != '$' || p[1] != '{' || !(end = strchr(p + 2, '}')))
		return 0;
	return (size_t)(end - p) + 1;
}

static void read_pattern(const char *pattern, struct tokens *out)
{
	static const struct token anything = {-1, true, true, true};
	size_t cap = 0;
	int field = 0;
	size_t length = strlen(pattern);
	const char *final_stars;
	/* A token before the fifth colon that can match a colon moves the resource's start. */
	bool colon_before = false;

	if (strcmp(pattern, "*") == 0) {
		push(out, &cap, anything);
		return;
	}
	while (length > 0 && pattern[length - 1] == '*')
		length--;
	final_stars = pattern + length;
	for (const char *p = pattern; *p;) {
		bool limited = field < FIELDS_BEFORE_RESOURCE;
		uint32_t id;
		size_t n;

		if (hole_parse(p, &id, &n)) {
			push(out, &cap, anything);
			p += n;
		} else if ((n = variable_length(p)) > 0) {
			if (n == 4 && strchr("*?$", p[2]))
				push(out, &cap, (struct token){(unsigned char)p[2], false, false, false});
			else
				push(out, &cap, anything);
			p += n;
		} else if (*p == '*') {
			bool final = p >= final_stars;

			push(out, &cap, (struct token){-1, !limited || final, true, true});
			p++;
		} else if (*p == '?') {
			push(out, &cap, (struct token){-1, !limited, true, false});
			p++;
		} else {
			if (*p == ':' && limited)
				field++;
			push(out, &cap, (struct token){(unsigned char)*p, false, false, false});
			if (*p == ':' && limited && field == FIELDS_BEFORE_RESOURCE && !colon_before)
				out->resource_start = out->count;
			p++;
		}
		if (limited && out->count > 0 && out->items[out->count - 1].colon)
			colon_before = true;
	}
}

/* Is there a character both tokens accept? */
static bool compatible(const struct token *a, const struct token *b)
{
	if (a->byte >= 0 && b->byte >= 0)
		return a->byte == b->byte;
	if (a->byte >= 0)
		return (a->byte != ':' || b->colon) && (a->byte != '/' || b->slash);
	if (b->byte >= 0)
		return (b->byte != ':' || a->colon) && (b->byte != '/' || a->slash);
	return true; /* every class holds the letters */
}

struct search {
	const struct tokens *a;
	const struct tokens *b;
	unsigned char *seen;
	size_t *queue;
	size_t head;
	size_t tail;
};

static void visit(struct search *s, size_t i, size_t j)
{
	size_t index = i * (s->b->count + 1) + j;

	if (s->seen[index])
		return;
	s->seen[index] = 1;
	s->queue[s->tail++] = index;
	/* A `*` may match nothing. */
	if (i < s->a->count && s->a->items[i].repeat)
		visit(s, i + 1, j);
	if (j < s->b->count && s->b->items[j].repeat)
		visit(s, i, j + 1);
}

static bool tokens_intersect(const struct tokens *a, const struct tokens *b)
{
	size_t states = (a->count + 1) * (b->count + 1);
	struct search s = {a, b, xcalloc(states, 1), xmalloc(states * sizeof(size_t)), 0, 0};
	bool found = false;

	visit(&s, 0, 0);
	while (s.head < s.tail && !found) {
		size_t index = s.queue[s.head++];
		size_t i = index / (b->count + 1);
		size_t j = index % (b->count + 1);
		const struct token *ta;
		const struct token *tb;

		if (i == a->count && j == b->count) {
			found = true;
			break;
		}
		if (i == a->count || j == b->count)
			continue;
		ta = &a->items[i];
		tb = &b->items[j];
		if (!compatible(ta, tb))
			continue;
		visit(&s, ta->repeat ? i : i + 1, tb->repeat ? j : j + 1);
	}
	free(s.seen);
	free(s.queue);
	return found;
}

static bool is_literal(const struct token *t)
{
	return t->byte >= 0 && !t->repeat;
}

/*
 * A quick "no" before the search: the resource parts of the two must start
 * with the same literal characters and end with them.  Only when both have
 * their fifth colon at a fixed token, for then a common string's resource
 * part is matched by the resource parts alone.  Most formats of a service
 * differ in the first word of the resource ("instance/", "volume/"), so
 * this leaves the search for the few that may match.
 */
static bool resources_differ(const struct tokens *a, const struct tokens *b)
{
	size_t i = a->resource_start;
	size_t j = b->resource_start;

	if (i == NO_RESOURCE_START || j == NO_RESOURCE_START)
		return false;
	for (; i < a->count && j < b->count && is_literal(&a->items[i]) && is_literal(&b->items[j]); i++, j++) {
		if (a->items[i].byte != b->items[j].byte)
			return true;
	}
	for (i = a->count, j = b->count; i > a->resource_start && j > b->resource_start; i--, j--) {
		const struct token *ta = &a->items[i - 1];
		const struct token *tb = &b->items[j - 1];

		if (!is_literal(ta) || !is_literal(tb))
			break;
		if (ta->byte != tb->byte)
			return true;
	}
	return false;
}

bool arn_format_may_match(const char *format, const char *pattern)
{
	struct tokens f = {NULL, 0, NO_RESOURCE_START};
	struct tokens p = {NULL, 0, NO_RESOURCE_START};
	bool result;

	read_format(format, &f);
	read_pattern(pattern, &p);
	result = !resources_differ(&p, &f) && tokens_intersect(&p, &f);
	free(f.items);
	free(p.items);
	return result;
}
