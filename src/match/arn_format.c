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
};

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

static bool only_stars_follow(const char *p)
{
	return strspn(p, "*") == strlen(p);
}

static void read_pattern(const char *pattern, struct tokens *out)
{
	static const struct token anything = {-1, true, true, true};
	size_t cap = 0;
	int field = 0;

	if (strcmp(pattern, "*") == 0) {
		push(out, &cap, anything);
		return;
	}
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
			bool final = only_stars_follow(p);

			push(out, &cap, (struct token){-1, !limited || final, true, true});
			p++;
		} else if (*p == '?') {
			push(out, &cap, (struct token){-1, !limited, true, false});
			p++;
		} else {
			if (*p == ':' && limited)
				field++;
			push(out, &cap, (struct token){(unsigned char)*p, false, false, false});
			p++;
		}
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

bool arn_format_may_match(const char *format, const char *pattern)
{
	struct tokens f = {NULL, 0};
	struct tokens p = {NULL, 0};
	bool result;

	read_format(format, &f);
	read_pattern(pattern, &p);
	result = tokens_intersect(&p, &f);
	free(f.items);
	free(p.items);
	return result;
}
