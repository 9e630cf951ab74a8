/*
 * libFuzzer property harness: arn_format_may_match() against brute force.
 *
 * The input picks a small ARN format and a small resource pattern from the
 * pieces below.  Both are then matched against every string up to a length
 * bound, one string at a time, by two backtracking matchers written from
 * the contract in arn.h.  arn_format_may_match() must be true exactly when
 * some string matches both.
 *
 * The bound: each side is a sequence of single-character classes and
 * repeated classes (a format variable is one character then a repeat).  A
 * shortest common string never consumes a character with both sides on a
 * repeat, so its length is at most the number of single-character items
 * of the two sides together.  The search extends a string only while it
 * is still the prefix of a match on both sides, and gives up (checking
 * nothing) past a fixed number of matcher calls, so every input stays fast.
 */
#include "iamcross/arn.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fields before the resource in an ARN: arn, partition, service, region, account. */
enum { FIELDS_BEFORE_RESOURCE = 5, MAX_TEXT = 96, MAX_WITNESS = 32, MATCHER_BUDGET = 50000 };

/* Pieces of a format's first five fields; each field is one piece. */
static const char *const format_field_pieces[] = {"", "a", "b", "ab", "${Region}", "*", "a*", "${Account}b"};
/* Pieces of a format's resource part; it has up to four. */
static const char *const format_resource_pieces[] = {
	"a", "b", "/", ":", "*", "${Key}", "${BucketName}", "${TableName}/",
};
/* Pieces of a pattern; a field of a pattern has up to two. */
static const char *const pattern_pieces[] = {
	"a", "b", "/", "*", "?", "${aws:username}", "${*}", "${?}", "${$}", "**",
};
/* Every character the pieces write literally, and the three a `${x}` escape stands for. */
static const char witness_alphabet[] = "arnb:/*?$";

/* Format variables whose values never contain '/', as arn.h documents. */
static const char *const slashless[] = {
	"Partition", "Region",   "Account",      "BucketName", "QueueName",
	"TopicName", "TableName", "FunctionName", "KeyId",      "AccessPointName",
	"StreamName", "IndexName", "RoleName",    "UserName",   "GroupName",
};

struct input {
	const uint8_t *data;
	size_t size;
};

static unsigned take(struct input *in, unsigned n)
{
	unsigned v;

	if (in->size == 0)
		return 0;
	v = in->data[0] % n;
	in->data++;
	in->size--;
	return v;
}

static void append(char *out, const char *piece)
{
	if (strlen(out) + strlen(piece) < MAX_TEXT)
		strcat(out, piece);
}

/* The whole format: "arn" and four fields from the menu, then the resource part. */
static void build_format(struct input *in, char *out)
{
	unsigned n;

	strcpy(out, "arn");
	for (int i = 1; i < FIELDS_BEFORE_RESOURCE; i++) {
		append(out, ":");
		append(out, format_field_pieces[take(in, IX_COUNT(format_field_pieces))]);
	}
	append(out, ":");
	n = 1 + take(in, 4);
	for (unsigned i = 0; i < n; i++)
		append(out, format_resource_pieces[take(in, IX_COUNT(format_resource_pieces))]);
}

/*
 * The pattern: "arn" and then, for a number of fields chosen by the input
 * (so that a pattern may end early, as "arn:aws:s3:*" does), a colon and
 * up to two pieces each.  One input in eight is the bare "*".
 */
static void build_pattern(struct input *in, char *out)
{
	unsigned fields;

	if (take(in, 8) == 0) {
		strcpy(out, "*");
		return;
	}
	strcpy(out, "arn");
	fields = 1 + take(in, FIELDS_BEFORE_RESOURCE + 1);
	for (unsigned f = 0; f < fields; f++) {
		unsigned pieces = take(in, 3);

		append(out, ":");
		for (unsigned i = 0; i < pieces; i++)
			append(out, pattern_pieces[take(in, IX_COUNT(pattern_pieces))]);
	}
}

/* The reference matchers ---------------------------------------------------------- */

struct matcher {
	long calls;
};

static bool is_slashless(const char *name, size_t length)
{
	for (size_t i = 0; i < IX_COUNT(slashless); i++) {
		if (strlen(slashless[i]) == length && memcmp(slashless[i], name, length) == 0)
			return true;
	}
	return false;
}

/* Length of "${...}" at p, or 0. */
static size_t variable_at(const char *p)
{
	const char *end;

	if (p[0] != '$' || p[1] != '{' || !(end = strchr(p + 2, '}')))
		return 0;
	return (size_t)(end - p) + 1;
}

/*
 * Does `format` match all of `s`?  With `prefix`, is `s` the start of a
 * string it matches?  `field` counts the colons of the format seen so far.
 */
static bool format_match(struct matcher *m, const char *f, int field, const char *s, bool prefix)
{
	size_t n;

	m->calls++;
	if (*s == '\0' && prefix)
		return true;
	if (*f == '\0')
		return *s == '\0';
	n = variable_at(f);
	if (n > 0) {
		bool in_fields = field < FIELDS_BEFORE_RESOURCE;
		bool no_slash = in_fields || is_slashless(f + 2, n - 3);

		/* One or more characters. */
		for (const char *t = s; *t; t++) {
			if ((in_fields && *t == ':') || (no_slash && *t == '/'))
				return prefix;
			if (format_match(m, f + n, field, t + 1, prefix))
				return true;
		}
		return prefix;
	}
	if (*f == '*') {
		bool in_fields = field < FIELDS_BEFORE_RESOURCE;

		for (const char *t = s;; t++) {
			if (format_match(m, f + 1, field, t, prefix))
				return true;
			if (*t == '\0' || (in_fields && (*t == ':' || *t == '/')))
				return false;
		}
	}
	if (*s != *f)
		return false;
	return format_match(m, f + 1, field + (*f == ':' && field < FIELDS_BEFORE_RESOURCE), s + 1, prefix);
}

static bool only_stars(const char *p)
{
	return strspn(p, "*") == strlen(p);
}

/* Does the resource pattern `p` match all of `s` (or, with `prefix`, a string that starts with it)? */
static bool pattern_match(struct matcher *m, const char *p, int field, const char *s, bool prefix)
{
	size_t n;
	bool limited = field < FIELDS_BEFORE_RESOURCE;

	m->calls++;
	if (*s == '\0' && prefix)
		return true;
	if (*p == '\0')
		return *s == '\0';
	n = variable_at(p);
	if (n == 4 && strchr("*?$", p[2])) {
		/* ${*}, ${?} and ${$} stand for the character itself. */
		return *s == p[2] && pattern_match(m, p + n, field, s + 1, prefix);
	}
	if (n > 0) {
		/* Any other policy variable may be anything, colons included. */
		for (const char *t = s;; t++) {
			if (pattern_match(m, p + n, field, t, prefix))
				return true;
			if (*t == '\0')
				return false;
		}
	}
	if (*p == '*') {
		/* Before the resource a `*` stays in its field, unless only stars follow. */
		bool any = !limited || only_stars(p);

		for (const char *t = s;; t++) {
			if (pattern_match(m, p + 1, field, t, prefix))
				return true;
			if (*t == '\0' || (!any && *t == ':'))
				return false;
		}
	}
	if (*p == '?')
		return *s != '\0' && (!limited || *s != ':') && pattern_match(m, p + 1, field, s + 1, prefix);
	if (*s != *p)
		return false;
	return pattern_match(m, p + 1, field + (*p == ':' && limited), s + 1, prefix);
}

static bool pattern_matches(struct matcher *m, const char *pattern, const char *s, bool prefix)
{
	if (strcmp(pattern, "*") == 0)
		return true;
	return pattern_match(m, pattern, 0, s, prefix);
}

/* Single-character items: what a shortest common string can consume at most. */
static size_t single_items(const char *text, bool is_format)
{
	size_t count = 0;

	for (const char *p = text; *p;) {
		size_t n = variable_at(p);

		if (n > 0) {
			count += is_format || (n == 4 && strchr("*?$", p[2]));
			p += n;
			continue;
		}
		count += *p != '*';
		p++;
	}
	return count;
}

struct search {
	struct matcher m;
	const char *format;
	const char *pattern;
	char witness[MAX_WITNESS + 1];
	size_t bound;
	bool found;
};

static void extend(struct search *s, size_t length)
{
	s->witness[length] = '\0';
	if (s->found || s->m.calls > MATCHER_BUDGET)
		return;
	if (!format_match(&s->m, s->format, 0, s->witness, true) ||
	    !pattern_matches(&s->m, s->pattern, s->witness, true))
		return;
	if (format_match(&s->m, s->format, 0, s->witness, false) &&
	    pattern_matches(&s->m, s->pattern, s->witness, false)) {
		s->found = true;
		return;
	}
	if (length == s->bound)
		return;
	for (size_t i = 0; i < sizeof(witness_alphabet) - 1 && !s->found; i++) {
		s->witness[length] = witness_alphabet[i];
		extend(s, length + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	char format[MAX_TEXT];
	char pattern[MAX_TEXT];
	struct search s;
	bool answer;

	build_format(&in, format);
	build_pattern(&in, pattern);
	memset(&s, 0, sizeof(s));
	s.format = format;
	s.pattern = pattern;
	s.bound = single_items(format, true) + single_items(pattern, false);
	if (s.bound > MAX_WITNESS)
		return 0;
	extend(&s, 0);
	answer = arn_format_may_match(format, pattern);
	if (s.m.calls > MATCHER_BUDGET && !s.found)
		return 0;
	if (answer != s.found) {
		fprintf(stderr, "arn_format_may_match('%s', '%s') is %s; brute force %s\n", format, pattern,
			answer ? "true" : "false",
			s.found ? "finds a common string" : "finds no common string");
		if (s.found)
			fprintf(stderr, "the common string: '%s'\n", s.witness);
		abort();
	}
	return 0;
}
