/*
 * Tests of wildcard patterns: tables for each rule, then brute force
 * against a backtracking reference matcher and against enumeration of every
 * string up to a length that is proven long enough (see "Enumeration
 * bounds" below).  The random patterns come from a fixed seed, so every run
 * checks the same cases.
 */
#include "iamcross/glob.h"
#include "tap.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Holes for symbols 1 and 2; split so that "\x01" "1" is not read as "\x011". */
#define H1 "\x01" "1" "\x02"
#define H2 "\x01" "2" "\x02"

static const char *tri_name(enum tri value)
{
	switch (value) {
	case TRI_YES:
		return "yes";
	case TRI_NO:
		return "no";
	case TRI_MAYBE:
		break;
	}
	return "maybe";
}

static const char *kind_name(enum glob_kind kind)
{
	switch (kind) {
	case GLOB_ACTION:
		return "action";
	case GLOB_ARN:
		return "arn";
	case GLOB_STRING:
		return "string";
	case GLOB_LITERAL:
		return "literal";
	}
	return "?";
}

/* `text` printable for a TAP line: holes as <1>, other control bytes as \xNN. */
static const char *show(const char *text)
{
	static char buffers[4][600];
	static int next;
	char *out = buffers[next++ % 4];
	size_t n = 0;

	if (!text)
		return "(null)";
	for (; *text && n < sizeof(buffers[0]) - 8; text++) {
		unsigned char c = (unsigned char)*text;

		if (c == 0x01)
			out[n++] = '<';
		else if (c == 0x02)
			out[n++] = '>';
		else if (c < 0x20)
			n += (size_t)snprintf(out + n, 8, "\\x%02x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
	return out;
}

static void check_that(int ok, const char *format, ...) IX_PRINTF(2, 3);

static void check_that(int ok, const char *format, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, format);
	vsnprintf(what, sizeof(what), format, ap);
	va_end(ap);
	tap_check(ok, what, __FILE__, __LINE__);
}

/* Table cases. */

struct match_case {
	enum glob_kind kind;
	bool with_variables;
	const char *pattern;
	const char *text;
	enum tri expected;
};

static const struct match_case match_cases[] = {
	/* Actions: whole string, ASCII case-insensitive. */
	{GLOB_ACTION, false, "s3:GetObject", "s3:getobject", TRI_YES},
	{GLOB_ACTION, false, "s3:GetObject", "S3:GETOBJECT", TRI_YES},
	{GLOB_ACTION, false, "s3:GetObject", "s3:GetObjectAcl", TRI_NO},
	{GLOB_ACTION, false, "s3:Get*", "s3:GetObjectTagging", TRI_YES},
	{GLOB_ACTION, false, "s3:Get*", "s3:get", TRI_YES},
	{GLOB_ACTION, false, "s3:Get*Tagging", "s3:GetObjectTagging", TRI_YES},
	{GLOB_ACTION, false, "s3:Get*Tagging", "s3:GetBucketTagging", TRI_YES},
	{GLOB_ACTION, false, "s3:Get*Tagging", "s3:GetObject", TRI_NO},
	{GLOB_ACTION, false, "s3:Get*Tagging", "s3:PutObjectTagging", TRI_NO},
	{GLOB_ACTION, false, "s3:?etObject", "s3:GetObject", TRI_YES},
	{GLOB_ACTION, false, "s3:?etObject", "s3:etObject", TRI_NO},
	{GLOB_ACTION, false, "*", "", TRI_YES},
	{GLOB_ACTION, false, "*", "kms:Decrypt", TRI_YES},
	{GLOB_ACTION, false, "kms:*", "s3:GetObject", TRI_NO},
	/* Strings: case-sensitive, `*` and `?` over the whole string. */
	{GLOB_STRING, false, "foo*", "Foo", TRI_NO},
	{GLOB_STRING, false, "foo*", "foo:bar/baz", TRI_YES},
	{GLOB_STRING, false, "a?c", "abc", TRI_YES},
	{GLOB_STRING, false, "a?c", "a:c", TRI_YES},
	{GLOB_STRING, false, "a?c", "ac", TRI_NO},
	{GLOB_STRING, false, "a*b*c", "aXbYc", TRI_YES},
	{GLOB_STRING, false, "a*b*c", "aXcYb", TRI_NO},
	{GLOB_STRING, false, "", "", TRI_YES},
	{GLOB_STRING, false, "", "a", TRI_NO},
	{GLOB_STRING, false, "*", "", TRI_YES},
	{GLOB_STRING, false, "**", "abc", TRI_YES},
	/* Literals: `*` and `?` are ordinary bytes. */
	{GLOB_LITERAL, false, "a*", "a*", TRI_YES},
	{GLOB_LITERAL, false, "a*", "ab", TRI_NO},
	{GLOB_LITERAL, false, "a?", "ab", TRI_NO},
	{GLOB_LITERAL, false, "A", "a", TRI_NO},
	/* ARNs: wildcards stay inside one of the first five fields. */
	{GLOB_ARN, false, "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", TRI_YES},
	{GLOB_ARN, false, "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", TRI_NO},
	{GLOB_ARN, false, "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/", TRI_YES},
	{GLOB_ARN, false, "arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-logs/x", TRI_YES},
	{GLOB_ARN, false, "arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", TRI_NO},
	{GLOB_ARN, false, "arn:aws:iam::*:role/x", "arn:aws:iam::111122223333:role/x", TRI_YES},
	{GLOB_ARN, false, "arn:aws:iam::*:role/x", "arn:aws:iam::1111:2222:role/x", TRI_NO},
	{GLOB_ARN, false, "arn:aws:iam::*:role/x", "arn:aws:iam:::role/x", TRI_YES},
	{GLOB_ARN, false, "arn:aws:ec2:*:111122223333:instance/*",
	 "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc", TRI_YES},
	{GLOB_ARN, false, "arn:aws:ec2:us-*-1:111122223333:instance/*",
	 "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc", TRI_YES},
	{GLOB_ARN, false, "arn:aws:ec2:us-*-1:111122223333:instance/*",
	 "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc", TRI_NO},
	{GLOB_ARN, false, "arn:aws:sqs:us-east-?:111122223333:queue",
	 "arn:aws:sqs:us-east-1:111122223333:queue", TRI_YES},
	{GLOB_ARN, false, "arn:aws:sqs:us-east-?:111122223333:queue",
	 "arn:aws:sqs:us-east-10:111122223333:queue", TRI_NO},
	{GLOB_ARN, false, "arn:aws:s3:?::b", "arn:aws:s3::::b", TRI_NO},
	{GLOB_ARN, false, "arn:aws:s3:::a?b", "arn:aws:s3:::a:b", TRI_YES},
	{GLOB_ARN, false, "arn:aws:s3:::a?b", "arn:aws:s3:::a/b", TRI_YES},
	{GLOB_ARN, false, "*", "arn:aws:s3:::b", TRI_YES},
	{GLOB_ARN, false, "*", "", TRI_YES},
	{GLOB_ARN, false, "arn:*", "arn:aws:s3:::b", TRI_YES},
	{GLOB_ARN, false, "arn:aws:*", "arn:aws:s3:::b/c", TRI_YES},
	{GLOB_ARN, false, "arn:aws:s3:*", "arn:aws:s3:::b", TRI_YES},
	{GLOB_ARN, false, "arn:aws:*:b", "arn:aws:s3:::b", TRI_NO},
	{GLOB_ARN, false, "arn:aws:s3:::*", "arn:aws:s3:::a:b/c", TRI_YES},
	{GLOB_ARN, false, "arn:aws:logs:*:*:log-group:/aws/eks/*",
	 "arn:aws:logs:us-east-1:111122223333:log-group:/aws/eks/c:log-stream:x", TRI_YES},
	{GLOB_ARN, false, "arn:aws:logs:*:*:log-group:/aws/eks/*",
	 "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f", TRI_NO},
	/* Policy variables. */
	{GLOB_ARN, true, "arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket/alice/x",
	 TRI_MAYBE},
	{GLOB_ARN, true, "arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::other/alice/x",
	 TRI_NO},
	{GLOB_ARN, true, "arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket/alice",
	 TRI_NO},
	{GLOB_ARN, true, "arn:aws:s3:::bucket/${*}", "arn:aws:s3:::bucket/*", TRI_YES},
	{GLOB_ARN, true, "arn:aws:s3:::bucket/${*}", "arn:aws:s3:::bucket/x", TRI_NO},
	{GLOB_STRING, true, "a${?}", "a?", TRI_YES},
	{GLOB_STRING, true, "a${?}", "ab", TRI_NO},
	{GLOB_STRING, true, "${$}{x}", "${x}", TRI_YES},
	{GLOB_STRING, true, "team-${aws:PrincipalTag/team, 'none'}", "team-a", TRI_MAYBE},
	{GLOB_STRING, true, "team-${aws:PrincipalTag/team, 'none'}", "group-a", TRI_NO},
	{GLOB_STRING, true, "${aws:username", "${aws:username", TRI_YES},
	{GLOB_STRING, true, "${}", "${}", TRI_YES},
	{GLOB_STRING, false, "a${aws:username}", "a${aws:username}", TRI_YES},
	{GLOB_STRING, false, "a${aws:username}", "ab", TRI_NO},
	{GLOB_STRING, false, "${*}", "${*}", TRI_YES},
	{GLOB_LITERAL, true, "${aws:username}", "alice", TRI_MAYBE},
	{GLOB_LITERAL, true, "${*}", "*", TRI_YES},
	/* Holes, in the pattern, the text or both. */
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/*", "arn:aws:s3:::" H1 "/key", TRI_YES},
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/*", "arn:aws:s3:::" H2 "/key", TRI_MAYBE},
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/*", "arn:aws:s3:::b/key", TRI_MAYBE},
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/*", "arn:aws:sqs:::b/key", TRI_NO},
	{GLOB_ARN, false, "arn:aws:s3:::b/*", "arn:aws:s3:::" H1 "/k", TRI_MAYBE},
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/uploads/*", "arn:aws:s3:::" H1 "/key", TRI_NO},
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/uploads/*", "arn:aws:s3:::" H1 "/uploads/a", TRI_YES},
	{GLOB_ARN, false, "arn:aws:s3:::*", "arn:aws:s3:::" H1, TRI_YES},
	{GLOB_ARN, false, "arn:aws:s3:::b/?", "arn:aws:s3:::b/" H1, TRI_MAYBE},
	{GLOB_ARN, false, "arn:aws:s3:::b/?", "arn:aws:s3:::c/" H1, TRI_NO},
	{GLOB_ARN, false, "arn:aws:iam::*:role/x", "arn:aws:iam::" H1 ":role/x", TRI_MAYBE},
	{GLOB_ARN, false, "arn:aws:iam::" H1 ":role/x", "arn:aws:iam::" H1 ":role/x", TRI_YES},
	{GLOB_ARN, false, H1, "arn:aws:s3:::b", TRI_MAYBE},
	{GLOB_STRING, false, H1 "a", H1 "b", TRI_NO},
	{GLOB_ACTION, false, "s3:" H1, "s3:GetObject", TRI_MAYBE},
	{GLOB_ACTION, false, "s3:" H1, "kms:Decrypt", TRI_NO},
	/* A malformed hole is ordinary text. */
	{GLOB_STRING, false, "\x01x\x02", "\x01x\x02", TRI_YES},
};

static void test_match_table(void)
{
	for (size_t i = 0; i < IX_COUNT(match_cases); i++) {
		const struct match_case *c = &match_cases[i];
		struct glob *glob = glob_compile(c->pattern, c->kind, c->with_variables);
		enum tri got = glob_match(glob, c->text);

		check_that(got == c->expected, "%s match '%s' against '%s': %s", kind_name(c->kind),
			   show(c->pattern), show(c->text), tri_name(got));
		glob_free(glob);
	}
}

struct subset_case {
	enum glob_kind kind;
	bool with_variables;
	const char *a;
	const char *union_of[3]; /* NULL-terminated */
	enum tri expected;
	const char *witness; /* expected on TRI_NO */
};

static const struct subset_case subset_cases[] = {
	{GLOB_ARN, false, "arn:aws:s3:::bucket/uploads/*", {"arn:aws:s3:::bucket/*"}, TRI_YES, NULL},
	{GLOB_ARN, false, "arn:aws:s3:::bucket/*", {"arn:aws:s3:::bucket/uploads/*"}, TRI_NO,
	 "arn:aws:s3:::bucket/"},
	{GLOB_ARN, false, "arn:aws:s3:::bucket/*", {"arn:aws:s3:::bucket/*"}, TRI_YES, NULL},
	{GLOB_ARN, false, "arn:aws:s3:::bucket", {"arn:aws:s3:::bucket/*"}, TRI_NO,
	 "arn:aws:s3:::bucket"},
	{GLOB_ACTION, false, "s3:GetObjectTagging", {"s3:Get*Tagging"}, TRI_YES, NULL},
	{GLOB_ACTION, false, "s3:Get*Tagging", {"s3:Get*"}, TRI_YES, NULL},
	{GLOB_ACTION, false, "s3:Get*", {"s3:Get*Tagging"}, TRI_NO, "s3:Get"},
	{GLOB_ACTION, false, "S3:GETOBJECT", {"s3:getobject"}, TRI_YES, NULL},
	{GLOB_ACTION, false, "s3:Get*", {"s3:Get", "s3:Get?*"}, TRI_YES, NULL},
	{GLOB_ACTION, false, "s3:*", {"s3:Get*", "s3:Put*", "s3:List*"}, TRI_NO, "s3:"},
	{GLOB_ARN, false, "arn:aws:iam::111122223333:role/x", {"arn:aws:iam::*:role/x"}, TRI_YES,
	 NULL},
	{GLOB_ARN, false, "arn:aws:iam::*:role/x", {"arn:aws:iam::111122223333:role/x"}, TRI_NO,
	 "arn:aws:iam:::role/x"},
	{GLOB_ARN, false, "arn:aws:iam::*:role/x", {"arn:aws:iam::*"}, TRI_YES, NULL},
	{GLOB_ARN, false, "arn:aws:iam::*", {"arn:aws:iam::*:*"}, TRI_NO, "arn:aws:iam::"},
	{GLOB_ARN, false, "arn:aws:ec2:us-east-1:111122223333:instance/*",
	 {"arn:aws:ec2:us-*:111122223333:instance/*"}, TRI_YES, NULL},
	{GLOB_ARN, false, "arn:aws:ec2:*:111122223333:instance/*",
	 {"arn:aws:ec2:us-*:111122223333:instance/*"}, TRI_NO, "arn:aws:ec2::111122223333:instance/"},
	{GLOB_ARN, false, "*", {"arn:*"}, TRI_NO, ""},
	{GLOB_ARN, false, "arn:*", {"*"}, TRI_YES, NULL},
	{GLOB_ARN, false, "arn:aws:s3:*", {"arn:aws:s3:*:*:*:*"}, TRI_NO, "arn:aws:s3:"},
	{GLOB_STRING, false, "a*", {"a", "a?*"}, TRI_YES, NULL},
	{GLOB_STRING, false, "a*", {"a", "a??*"}, TRI_NO, "ab"},
	{GLOB_STRING, false, "x", {NULL}, TRI_NO, "x"},
	{GLOB_STRING, false, "A", {"a"}, TRI_NO, "A"},
	{GLOB_LITERAL, false, "a*", {"a*"}, TRI_YES, NULL},
	{GLOB_LITERAL, false, "a*", {"ab"}, TRI_NO, "a*"},
	/* Unknowns. */
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/*", {"arn:aws:s3:::" H1 "/*"}, TRI_YES, NULL},
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/uploads/*", {"arn:aws:s3:::" H1 "/*"}, TRI_YES, NULL},
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/*", {"arn:aws:s3:::" H1 "/uploads/*"}, TRI_NO,
	 "arn:aws:s3:::" H1 "/"},
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/*", {"arn:aws:s3:::" H2 "/*"}, TRI_MAYBE, NULL},
	{GLOB_ARN, false, H1 "/*", {H1 "/uploads/*", H1 "/logs/*"}, TRI_NO, H1 "/"},
	{GLOB_ARN, false, H1 "/*", {H1 "/uploads/*", "arn:aws:sqs:*"}, TRI_MAYBE, NULL},
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/a", {"arn:aws:s3:::x/*", "arn:aws:sqs:*"}, TRI_MAYBE,
	 NULL},
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/a", {"arn:aws:sqs:*", "arn:aws:s3:::" H1 "/*"},
	 TRI_YES, NULL},
	{GLOB_ARN, false, "arn:aws:s3:::" H1, {"arn:aws:s3:::*"}, TRI_YES, NULL},
	{GLOB_ARN, false, "arn:aws:s3:::" H1, {"arn:aws:sqs:*"}, TRI_NO, "arn:aws:s3:::" H1},
	{GLOB_ARN, true, "arn:aws:s3:::b/*", {"arn:aws:s3:::b/${aws:username}/*"}, TRI_NO,
	 "arn:aws:s3:::b/"},
	{GLOB_ARN, true, "arn:aws:s3:::b/${aws:username}/*", {"arn:aws:s3:::b/*"}, TRI_YES, NULL},
	{GLOB_ARN, true, "arn:aws:s3:::b/${aws:username}/*", {"arn:aws:s3:::b/${aws:userid}/*"},
	 TRI_MAYBE, NULL},
	{GLOB_STRING, true, "${aws:username}", {"${aws:username}"}, TRI_YES, NULL},
	{GLOB_STRING, true, "*", {"${aws:username}"}, TRI_MAYBE, NULL},
	{GLOB_ARN, false, "arn:aws:iam::" H1 ":role/app", {"arn:aws:iam::*:role/app"}, TRI_MAYBE,
	 NULL},
	{GLOB_ARN, false, "arn:aws:iam::" H1 ":role/app", {"arn:aws:iam::" H1 ":role/*"}, TRI_YES,
	 NULL},
	{GLOB_ARN, false, "arn:aws:iam::" H1 ":role/app", {"arn:aws:iam::" H1 ":role/web"}, TRI_NO,
	 "arn:aws:iam::" H1 ":role/app"},
	{GLOB_ARN, false, "arn:aws:iam::" H1 ":role/app", {"arn:aws:iam::" H2 ":role/web"}, TRI_NO,
	 "arn:aws:iam::" H1 ":role/app"},
	/* With five colons in the hole, `*` lands in the resource field and matches "a:b". */
	{GLOB_ARN, false, H1 "a:b", {H1 "*b"}, TRI_MAYBE, NULL},
	{GLOB_ARN, false, H1 "ab", {H1 "*b"}, TRI_YES, NULL},
};

static void test_subset_table(void)
{
	for (size_t i = 0; i < IX_COUNT(subset_cases); i++) {
		const struct subset_case *c = &subset_cases[i];
		struct glob *a = glob_compile(c->a, c->kind, c->with_variables);
		struct glob *others[3];
		size_t count = 0;
		char *witness = NULL;
		enum tri got;

		while (count < 3 && c->union_of[count]) {
			others[count] = glob_compile(c->union_of[count], c->kind, c->with_variables);
			count++;
		}
		got = glob_subset(a, (const struct glob *const *)others, count, &witness);
		check_that(got == c->expected, "%s subset '%s' of '%s' (+%zu): %s", kind_name(c->kind),
			   show(c->a), show(c->union_of[0]), count ? count - 1 : 0, tri_name(got));
		if (c->expected == TRI_NO && got == TRI_NO)
			check_that(witness && strcmp(witness, c->witness) == 0,
				   "witness of '%s' outside '%s' is '%s', got '%s'", show(c->a),
				   show(c->union_of[0]), show(c->witness), show(witness));
		if (got != TRI_NO)
			check_that(witness == NULL, "no witness unless '%s' is outside", show(c->a));

		free(witness);
		for (size_t j = 0; j < count; j++)
			glob_free(others[j]);
		glob_free(a);
	}
}

struct intersect_case {
	enum glob_kind kind;
	bool with_variables;
	const char *a;
	const char *b;
	enum tri expected;
	const char *witness; /* expected on TRI_YES */
};

static const struct intersect_case intersect_cases[] = {
	{GLOB_ARN, false, "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/uploads/*", TRI_YES,
	 "arn:aws:s3:::bucket/uploads/"},
	{GLOB_ARN, false, "arn:aws:s3:::a/*", "arn:aws:s3:::b/*", TRI_NO, NULL},
	{GLOB_ARN, false, "arn:aws:iam::*:role/x", "arn:aws:iam::1:2:role/x", TRI_NO, NULL},
	{GLOB_ARN, false, "arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:*", TRI_YES,
	 "arn:aws:iam::111122223333:role/"},
	{GLOB_ARN, false, "*", "arn:aws:s3:::b", TRI_YES, "arn:aws:s3:::b"},
	{GLOB_ACTION, false, "s3:Get*", "s3:*Object", TRI_YES, "s3:GetObject"},
	{GLOB_ACTION, false, "s3:Put*", "s3:Get*", TRI_NO, NULL},
	{GLOB_ACTION, false, "S3:GET*", "s3:get", TRI_YES, "S3:GET"},
	{GLOB_STRING, false, "a*", "*b", TRI_YES, "ab"},
	{GLOB_STRING, false, "a?", "?b?", TRI_NO, NULL},
	{GLOB_ARN, false, "arn:aws:s3:::" H1 "/*", "arn:aws:s3:::*", TRI_YES,
	 "arn:aws:s3:::" H1 "/"},
	{GLOB_STRING, false, H1 "/a", H1 "/b", TRI_NO, NULL},
	{GLOB_STRING, false, H1 "/a*", H1 "/b*", TRI_NO, NULL},
	{GLOB_STRING, false, "x" H1 "/a*", H1 "/b*", TRI_MAYBE, NULL},
	{GLOB_STRING, false, "x" H1 "a", "y" H1 "*", TRI_NO, NULL},
	{GLOB_STRING, false, H1 "/a*", H1 "/*b", TRI_YES, H1 "/ab"},
	{GLOB_STRING, false, H1, "b", TRI_MAYBE, NULL},
	{GLOB_STRING, false, "a" H1, "b" H2, TRI_NO, NULL},
	{GLOB_STRING, true, "${aws:username}", "${aws:username}", TRI_YES, "${aws:username}"},
};

static void test_intersect_table(void)
{
	for (size_t i = 0; i < IX_COUNT(intersect_cases); i++) {
		const struct intersect_case *c = &intersect_cases[i];
		struct glob *a = glob_compile(c->a, c->kind, c->with_variables);
		struct glob *b = glob_compile(c->b, c->kind, c->with_variables);
		char *witness = NULL;
		enum tri got = glob_intersects(a, b, &witness);

		check_that(got == c->expected, "%s intersect '%s' and '%s': %s", kind_name(c->kind),
			   show(c->a), show(c->b), tri_name(got));
		if (c->expected == TRI_YES && got == TRI_YES)
			check_that(witness && strcmp(witness, c->witness) == 0,
				   "common string of '%s' and '%s' is '%s', got '%s'", show(c->a),
				   show(c->b), show(c->witness), show(witness));
		free(witness);
		glob_free(a);
		glob_free(b);
	}
}

static void test_properties(void)
{
	struct glob *glob;

	glob = glob_compile("arn:aws:s3:::b/*", GLOB_ARN, false);
	CHECK(glob_has_wildcard(glob));
	CHECK(!glob_has_unknown(glob));
	CHECK_STR(glob_text(glob), "arn:aws:s3:::b/*");
	glob_free(glob);

	glob = glob_compile("a${*}${?}", GLOB_STRING, true);
	CHECK(!glob_has_wildcard(glob));
	glob_free(glob);

	glob = glob_compile("a*?", GLOB_LITERAL, false);
	CHECK(!glob_has_wildcard(glob));
	glob_free(glob);

	glob = glob_compile("home/${aws:username}", GLOB_STRING, true);
	CHECK(glob_has_unknown(glob));
	glob_free(glob);

	glob = glob_compile("home/${aws:username}", GLOB_STRING, false);
	CHECK(!glob_has_unknown(glob));
	glob_free(glob);

	glob = glob_compile("arn:aws:s3:::" H1, GLOB_ARN, false);
	CHECK(glob_has_unknown(glob));
	CHECK(!glob_has_wildcard(glob));
	glob_free(glob);

	glob_free(NULL);
}

/*
 * `*a` and twenty `?` need 2^20 sets of states to tell strings apart, far
 * past GLOB_MAX_STATES, so the result is MAYBE rather than a guess.
 */
static void test_state_cap(void)
{
	struct glob *a = glob_compile("*a????????????????????", GLOB_STRING, false);
	struct glob *b = glob_compile("*a???????????????????", GLOB_STRING, false);
	const struct glob *others[] = {b};
	char *witness = NULL;

	CHECK(glob_subset(a, others, 1, &witness) == TRI_MAYBE);
	CHECK(witness == NULL);
	glob_free(a);
	glob_free(b);
}

/* Patterns near the 2 KiB that policies reach must still get exact results. */
static void test_long_patterns(void)
{
	struct buf text = BUF_INIT;
	struct glob *exact;
	struct glob *prefix;
	struct glob *other;
	const struct glob *others[1];
	char *witness = NULL;

	buf_puts(&text, "arn:aws:s3:::bucket/");
	for (int i = 0; i < 100; i++)
		buf_puts(&text, "segment-");
	exact = glob_compile(buf_str(&text), GLOB_ARN, false);
	for (int i = 0; i < 100; i++)
		buf_puts(&text, "a?b*");
	prefix = glob_compile("arn:aws:s3:::bucket/*", GLOB_ARN, false);
	other = glob_compile(buf_str(&text), GLOB_ARN, false);

	others[0] = prefix;
	CHECK(glob_subset(other, others, 1, NULL) == TRI_YES);
	others[0] = other;
	CHECK(glob_subset(exact, others, 1, &witness) == TRI_NO);
	CHECK(witness != NULL);
	CHECK_STR(witness, glob_text(exact));
	CHECK(glob_intersects(other, prefix, NULL) == TRI_YES);
	CHECK(glob_intersects(other, exact, NULL) == TRI_NO);

	free(witness);
	glob_free(exact);
	glob_free(prefix);
	glob_free(other);
	buf_release(&text);
}

/* Two threads asking the same questions about shared patterns get the same results. */
struct thread_work {
	const struct glob *const *globs;
	size_t count;
	enum tri results[64];
};

static void *thread_ask(void *argument)
{
	struct thread_work *work = argument;

	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i + 1 < work->count; i++) {
			char *witness = NULL;

			work->results[i] = glob_subset(work->globs[i], &work->globs[i + 1], 1, &witness);
			free(witness);
		}
	}
	return NULL;
}

static void test_threads(void)
{
	static const char *const patterns[] = {
		"arn:aws:s3:::b/*", "arn:aws:s3:::b/uploads/*", "arn:aws:s3:::" H1 "/*",
		"arn:aws:s3:::" H1 "/a/*", "arn:aws:s3:::*", "arn:aws:iam::*:role/x",
		"arn:aws:iam::111122223333:role/x",
	};
	struct glob *globs[IX_COUNT(patterns)];
	struct thread_work first = {(const struct glob *const *)globs, IX_COUNT(patterns), {0}};
	struct thread_work second = first;
	pthread_t thread;

	for (size_t i = 0; i < IX_COUNT(patterns); i++)
		globs[i] = glob_compile(patterns[i], GLOB_ARN, false);
	CHECK(pthread_create(&thread, NULL, thread_ask, &first) == 0);
	thread_ask(&second);
	CHECK(pthread_join(thread, NULL) == 0);
	CHECK(memcmp(first.results, second.results, sizeof(first.results)) == 0);
	for (size_t i = 0; i < IX_COUNT(patterns); i++)
		glob_free(globs[i]);
}

/* Reference matcher: backtracking straight from the rules in glob.h. */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static size_t rng_below(size_t n)
{
	return (size_t)(rng_next() % n);
}

struct ref_token {
	char type; /* 'c' literal, '?' or '*' */
	char byte;
	bool limited; /* may not match ':' */
};

enum { REF_MAX_TOKENS = 64 };

static size_t ref_tokenize(const char *pattern, enum glob_kind kind, struct ref_token *tokens)
{
	size_t n = 0;
	size_t colons = 0;

	for (const char *p = pattern; *p && n < REF_MAX_TOKENS; p++) {
		struct ref_token *token = &tokens[n++];
		bool wild = kind != GLOB_LITERAL && (*p == '*' || *p == '?');

		token->type = wild ? *p : 'c';
		token->byte = *p;
		token->limited = kind == GLOB_ARN && colons < 5;
		if (!wild && *p == ':')
			colons++;
	}
	for (size_t i = n; i > 0 && tokens[i - 1].type == '*'; i--)
		tokens[i - 1].limited = false;
	return n;
}

static bool ref_run(const struct ref_token *token, size_t n, const char *s, enum glob_kind kind)
{
	if (n == 0)
		return *s == '\0';
	if (token->type == '*') {
		for (const char *q = s;; q++) {
			if (ref_run(token + 1, n - 1, q, kind))
				return true;
			if (!*q || (token->limited && *q == ':'))
				return false;
		}
	}
	if (!*s)
		return false;
	if (token->type == '?')
		return !(token->limited && *s == ':') && ref_run(token + 1, n - 1, s + 1, kind);
	if (kind == GLOB_ACTION ? tolower((unsigned char)*s) != tolower((unsigned char)token->byte) :
				  *s != token->byte)
		return false;
	return ref_run(token + 1, n - 1, s + 1, kind);
}

static bool ref_match(const char *pattern, enum glob_kind kind, const char *text)
{
	struct ref_token tokens[REF_MAX_TOKENS];
	size_t n = ref_tokenize(pattern, kind, tokens);

	return ref_run(tokens, n, text, kind);
}

static void random_string(char *out, size_t max_length, const char *alphabet)
{
	size_t length = rng_below(max_length + 1);
	size_t letters = strlen(alphabet);

	for (size_t i = 0; i < length; i++)
		out[i] = alphabet[rng_below(letters)];
	out[length] = '\0';
}

/* A text `pattern` matches, with each wildcard filled from `alphabet`. */
static void random_instance(char *out, const char *pattern, enum glob_kind kind,
			    const char *alphabet)
{
	size_t n = 0;
	size_t letters = strlen(alphabet);

	for (const char *p = pattern; *p; p++) {
		if (kind != GLOB_LITERAL && *p == '*') {
			size_t fill = rng_below(3);

			for (size_t i = 0; i < fill; i++)
				out[n++] = alphabet[rng_below(letters)];
		} else if (kind != GLOB_LITERAL && *p == '?') {
			out[n++] = alphabet[rng_below(letters)];
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

/*
 * glob_match() against the reference on random patterns and texts.  Half
 * the texts are instances of the pattern, so both results are common.  The
 * colon is frequent so that ARN patterns reach the resource field.
 */
static void test_match_brute_force(void)
{
	static const struct {
		enum glob_kind kind;
		const char *pattern_alphabet;
		const char *text_alphabet;
	} variants[] = {
		{GLOB_STRING, "ab:/*?", "ab:/"},
		{GLOB_ARN, "ab::/*?", "ab::/"},
		{GLOB_ACTION, "aAbB:*?", "aAbB:"},
		{GLOB_LITERAL, "ab*?", "ab*?"},
	};
	enum { CASES_PER_VARIANT = 6000 };

	for (size_t v = 0; v < IX_COUNT(variants); v++) {
		size_t failures = 0;

		for (size_t i = 0; i < CASES_PER_VARIANT; i++) {
			char pattern[32];
			char text[64];
			struct glob *glob;
			bool expected;
			enum tri got;

			random_string(pattern, 12, variants[v].pattern_alphabet);
			if (i % 2)
				random_instance(text, pattern, variants[v].kind, variants[v].text_alphabet);
			else
				random_string(text, 14, variants[v].text_alphabet);

			glob = glob_compile(pattern, variants[v].kind, false);
			expected = ref_match(pattern, variants[v].kind, text);
			got = glob_match(glob, text);
			if (got != (expected ? TRI_YES : TRI_NO) && failures++ < 5)
				printf("# %s '%s' on '%s': got %s\n", kind_name(variants[v].kind), pattern,
				       text, tri_name(got));
			glob_free(glob);
		}
		check_that(failures == 0, "match brute force, %s: %d cases agree with the reference",
			   kind_name(variants[v].kind), CASES_PER_VARIANT);
	}
}

/*
 * Enumeration bounds.  A pool of random patterns is checked pairwise
 * against the set of all strings over a small alphabet up to a length
 * bound.  The bound is valid because a shortest counterexample, or a
 * shortest common string, is never longer than computed below.  Pairs whose
 * bound exceeds the enumerated length are skipped.
 *
 * Let c be a byte that no pattern contains, and not ':'.  Every wildcard
 * matches c and only wildcards do.
 *
 * Subset, when A's wildcards never need to match ':' (strings, actions, and
 * ARN patterns whose wildcards all lie in the resource field):
 *  1. Replace every byte that a wildcard of A matched by c.  The result is
 *     still in A.  If some B matched it, each c was matched by a wildcard of
 *     B, which would match the original byte as well, so B would match the
 *     original.  So a shortest counterexample uses only A's literals and c.
 *  2. Take a maximal run of c's that contains a byte of a `*` of A.  If it
 *     is longer than Q + 1, where Q is the largest number of `?` in any B,
 *     drop one c.  The shorter string is still in A.  If some B matched it,
 *     at least one c of the run (Q + 1 long) was matched by a `*` of B, and
 *     adding a c beside it gives back the original, which B would match.
 *  So the length is at most nonstar(A) + stars(A) * (Q + 1).
 *
 * Subset of ARN patterns with fewer than five colons: only a `*` that ends
 * A may need ':'.  Step 1 still turns every other byte into c, and step 2
 * still bounds runs of c.  If the final `*` of A matched more than C + 1
 * colons, where C is the largest number of literal colons in any B, cut the
 * string right after the (C + 1)th of them.  If some B matched the cut
 * string, one of those colons was matched by the final `*` of B, which
 * could then match the rest too.  So the final `*` covers at most C + 1
 * colons and C + 1 runs of c: (C + 1) * (Q + 2) bytes.
 *
 * Intersection: a byte matched by a `*` in both patterns can be dropped,
 * and a byte matched by wildcards in both can become c.  So a shortest
 * common string has at most nonstar(A) + nonstar(B) bytes, each a literal
 * of A or B, or c.  Action patterns are case-insensitive, so lower case
 * suffices.
 */
struct pattern_stats {
	size_t nonstar;      /* tokens that are not `*` */
	size_t star_runs;    /* runs of consecutive `*` */
	size_t questions;    /* `?` */
	size_t colons;       /* literal ':' */
	bool final_star;     /* ends with `*` */
};

static void pattern_stats_get(const char *pattern, struct pattern_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	for (const char *p = pattern; *p; p++) {
		if (*p == '*') {
			if (p == pattern || p[-1] != '*')
				stats->star_runs++;
			continue;
		}
		stats->nonstar++;
		stats->questions += *p == '?';
		stats->colons += *p == ':';
	}
	stats->final_star = *pattern && pattern[strlen(pattern) - 1] == '*';
}

enum enumeration_style {
	ENUMERATE_PLAIN,     /* strings and actions */
	ENUMERATE_ARN_SHORT, /* ARN patterns with fewer than five colons */
	ENUMERATE_RESOURCE,  /* ARN patterns after a prefix of five colons */
};

static size_t subset_bound(enum enumeration_style style, const struct pattern_stats *a,
			   const struct pattern_stats *const *others, size_t count)
{
	size_t questions = 0;
	size_t colons = 0;
	size_t field_star_runs = a->star_runs - (a->final_star ? 1 : 0);

	for (size_t i = 0; i < count; i++) {
		if (others[i]->questions > questions)
			questions = others[i]->questions;
		if (others[i]->colons > colons)
			colons = others[i]->colons;
	}
	if (style != ENUMERATE_ARN_SHORT)
		return a->nonstar + a->star_runs * (questions + 1);
	return a->nonstar + field_star_runs * (questions + 1) +
	       (a->final_star ? (colons + 1) * (questions + 2) : 0);
}

/* Every string `prefix` + w, w over `alphabet` up to `max_length`, shortest first. */
struct word_list {
	char *words;
	size_t stride;
	size_t count;
	unsigned char *lengths;
};

static void words_enumerate(struct word_list *list, const char *prefix, const char *alphabet,
			    size_t max_length)
{
	size_t letters = strlen(alphabet);
	size_t prefix_length = strlen(prefix);
	size_t total = 0;
	size_t level = 1;
	size_t level_start = 0;

	for (size_t l = 0; l <= max_length; l++, level *= letters)
		total += level;
	list->stride = prefix_length + max_length + 1;
	list->words = calloc(total, list->stride);
	list->lengths = calloc(total, 1);
	list->count = 1;
	memcpy(list->words, prefix, prefix_length);
	list->lengths[0] = (unsigned char)prefix_length;

	for (size_t l = 1; l <= max_length; l++) {
		size_t level_end = list->count;

		for (size_t w = level_start; w < level_end; w++) {
			for (size_t k = 0; k < letters; k++) {
				char *word = list->words + list->count * list->stride;

				memcpy(word, list->words + w * list->stride, prefix_length + l - 1);
				word[prefix_length + l - 1] = alphabet[k];
				list->lengths[list->count++] = (unsigned char)(prefix_length + l);
			}
		}
		level_start = level_end;
	}
}

static void words_release(struct word_list *list)
{
	free(list->words);
	free(list->lengths);
}

/* A pool of random patterns and, for each, the enumerated strings it matches. */
struct pool {
	enum glob_kind kind;
	enum enumeration_style style;
	const char *prefix;
	size_t size;
	char patterns[100][16];
	struct pattern_stats stats[100];
	struct glob *globs[100];
	uint64_t *members; /* size rows of `row_words` */
	size_t row_words;
	struct word_list words;
	size_t max_length;
};

static void pool_build(struct pool *pool, const char *pattern_alphabet, const char *word_alphabet)
{
	pool->words.words = NULL;
	words_enumerate(&pool->words, pool->prefix, word_alphabet, pool->max_length);
	pool->row_words = pool->words.count / 64 + 1;
	pool->members = calloc(pool->size * pool->row_words, sizeof(uint64_t));

	for (size_t i = 0; i < pool->size; i++) {
		char suffix[8];
		uint64_t *row = pool->members + i * pool->row_words;

		random_string(suffix, 4, pattern_alphabet);
		snprintf(pool->patterns[i], sizeof(pool->patterns[i]), "%s%s", pool->prefix, suffix);
		pattern_stats_get(suffix, &pool->stats[i]);
		pool->globs[i] = glob_compile(pool->patterns[i], pool->kind, false);
		for (size_t w = 0; w < pool->words.count; w++) {
			if (ref_match(pool->patterns[i], pool->kind,
				      pool->words.words + w * pool->words.stride))
				row[w / 64] |= (uint64_t)1 << (w % 64);
		}
	}
}

static void pool_release(struct pool *pool)
{
	for (size_t i = 0; i < pool->size; i++)
		glob_free(pool->globs[i]);
	free(pool->members);
	words_release(&pool->words);
}

/* Index of the first enumerated string in `a` and in none of `others`, or SIZE_MAX. */
static size_t pool_first_outside(const struct pool *pool, size_t a, const size_t *others,
				 size_t count)
{
	const uint64_t *row_a = pool->members + a * pool->row_words;

	for (size_t w = 0; w < pool->row_words; w++) {
		uint64_t outside = row_a[w];

		for (size_t i = 0; i < count; i++)
			outside &= ~pool->members[others[i] * pool->row_words + w];
		if (outside)
			return w * 64 + (size_t)__builtin_ctzll(outside);
	}
	return SIZE_MAX;
}

static size_t pool_first_common(const struct pool *pool, size_t a, size_t b)
{
	const uint64_t *row_a = pool->members + a * pool->row_words;
	const uint64_t *row_b = pool->members + b * pool->row_words;

	for (size_t w = 0; w < pool->row_words; w++) {
		if (row_a[w] & row_b[w])
			return w * 64 + (size_t)__builtin_ctzll(row_a[w] & row_b[w]);
	}
	return SIZE_MAX;
}

struct tally {
	size_t checked;
	size_t skipped;
	size_t failures;
};

static void report_failure(struct tally *tally, const char *format, ...) IX_PRINTF(2, 3);

static void report_failure(struct tally *tally, const char *format, ...)
{
	va_list ap;

	if (tally->failures++ >= 5)
		return;
	va_start(ap, format);
	printf("# ");
	vprintf(format, ap);
	printf("\n");
	va_end(ap);
}

/* Check glob_subset(a, others) and its witness against the enumeration. */
static void pool_check_subset(const struct pool *pool, size_t a, const size_t *others, size_t count,
			      struct tally *tally)
{
	const struct pattern_stats *stats[2];
	const struct glob *globs[2];
	size_t first;
	char *witness = NULL;
	enum tri got;

	for (size_t i = 0; i < count; i++) {
		stats[i] = &pool->stats[others[i]];
		globs[i] = pool->globs[others[i]];
	}
	if (subset_bound(pool->style, &pool->stats[a], stats, count) > pool->max_length) {
		tally->skipped++;
		return;
	}
	tally->checked++;
	first = pool_first_outside(pool, a, others, count);
	got = glob_subset(pool->globs[a], globs, count, &witness);

	if (got != (first == SIZE_MAX ? TRI_YES : TRI_NO)) {
		report_failure(tally, "'%s' subset of '%s' (+%zu): got %s", pool->patterns[a],
			       pool->patterns[others[0]], count - 1, tri_name(got));
	} else if (got == TRI_NO) {
		bool outside = witness && ref_match(pool->patterns[a], pool->kind, witness);

		for (size_t i = 0; outside && i < count; i++)
			outside = !ref_match(pool->patterns[others[i]], pool->kind, witness);
		if (!outside || strlen(witness) != pool->words.lengths[first])
			report_failure(tally, "'%s' outside '%s': witness '%s' is wrong, expected length %u",
				       pool->patterns[a], pool->patterns[others[0]], show(witness),
				       pool->words.lengths[first]);
	}
	free(witness);
}

static void pool_check_intersect(const struct pool *pool, size_t a, size_t b, struct tally *tally)
{
	size_t first = pool_first_common(pool, a, b);
	char *witness = NULL;
	enum tri got = glob_intersects(pool->globs[a], pool->globs[b], &witness);

	tally->checked++;
	if (got != (first == SIZE_MAX ? TRI_NO : TRI_YES)) {
		report_failure(tally, "'%s' intersects '%s': got %s", pool->patterns[a],
			       pool->patterns[b], tri_name(got));
	} else if (got == TRI_YES) {
		bool common = witness && ref_match(pool->patterns[a], pool->kind, witness) &&
			      ref_match(pool->patterns[b], pool->kind, witness);

		if (!common || strlen(witness) != pool->words.lengths[first])
			report_failure(tally, "'%s' and '%s': common string '%s' is wrong",
				       pool->patterns[a], pool->patterns[b], show(witness));
	}
	free(witness);
}

static void test_set_brute_force(void)
{
	static const struct {
		const char *name;
		enum glob_kind kind;
		enum enumeration_style style;
		const char *prefix;
		const char *pattern_alphabet;
		const char *word_alphabet;
		size_t max_length;
	} variants[] = {
		{"string", GLOB_STRING, ENUMERATE_PLAIN, "", "ab*?", "abc", 8},
		{"action", GLOB_ACTION, ENUMERATE_PLAIN, "", "aAb*?", "abc", 8},
		{"arn fields", GLOB_ARN, ENUMERATE_ARN_SHORT, "", "a:*?", "a:c", 9},
		{"arn resource", GLOB_ARN, ENUMERATE_RESOURCE, ":::::", "a:*?", "a:c", 8},
	};
	enum { POOL_SIZE = 90, UNIONS_PER_VARIANT = 3000 };
	static struct pool pool;

	for (size_t v = 0; v < IX_COUNT(variants); v++) {
		struct tally subsets = {0};
		struct tally intersections = {0};

		pool.kind = variants[v].kind;
		pool.style = variants[v].style;
		pool.prefix = variants[v].prefix;
		pool.size = POOL_SIZE;
		pool.max_length = variants[v].max_length;
		pool_build(&pool, variants[v].pattern_alphabet, variants[v].word_alphabet);

		for (size_t a = 0; a < pool.size; a++) {
			for (size_t b = 0; b < pool.size; b++) {
				pool_check_subset(&pool, a, &b, 1, &subsets);
				pool_check_intersect(&pool, a, b, &intersections);
			}
		}
		for (size_t i = 0; i < UNIONS_PER_VARIANT; i++) {
			size_t others[2] = {rng_below(pool.size), rng_below(pool.size)};

			pool_check_subset(&pool, rng_below(pool.size), others, 2, &subsets);
		}

		printf("# %s: %zu subset questions checked, %zu beyond the enumeration bound\n",
		       variants[v].name, subsets.checked, subsets.skipped);
		check_that(subsets.failures == 0, "subset brute force, %s: agrees with enumeration",
			   variants[v].name);
		check_that(subsets.skipped * 4 < subsets.checked,
			   "subset brute force, %s: most pairs within the bound", variants[v].name);
		check_that(intersections.failures == 0,
			   "intersection brute force, %s: %zu pairs agree with enumeration",
			   variants[v].name, intersections.checked);
		pool_release(&pool);
	}
}

/*
 * Unknowns: every TRI_YES or TRI_NO must hold for every value of the
 * unknowns.  Values are drawn from a small set with colons in it, which
 * move later ARN wildcards into other fields, up to the resource field.
 * The expected results on the substituted patterns come from the reference
 * matcher for glob_match(), and from glob_subset() and glob_intersects()
 * without unknowns, which the enumeration above checks.
 */
static const char *const unknown_values[] = {"", "a", ":", "a:a", "aa", "b", ":::::", "a::::"};

static void substitute(char *out, size_t size, const char *text, size_t value_1, size_t value_2)
{
	size_t n = 0;

	for (const char *p = text; *p && n + 4 < size; p++) {
		if (p[0] == '\x01' && (p[1] == '1' || p[1] == '2') && p[2] == '\x02') {
			const char *value = unknown_values[p[1] == '1' ? value_1 : value_2];

			n += (size_t)snprintf(out + n, size - n, "%s", value);
			p += 2;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

/*
 * The number of values to try for hole `id` in `a` and `b`: all of them
 * when it occurs, else one, since no value changes anything.
 */
static size_t values_to_try(const char *a, const char *b, char id)
{
	char hole[4] = {'\x01', id, '\x02', '\0'};

	return strstr(a, hole) || strstr(b, hole) ? IX_COUNT(unknown_values) : 1;
}

static void random_unknown_pattern(char *out, const char *const *alphabet, size_t letters,
				   size_t max_tokens)
{
	size_t tokens = rng_below(max_tokens + 1);

	out[0] = '\0';
	for (size_t i = 0; i < tokens; i++)
		strcat(out, alphabet[rng_below(letters)]);
}

struct unknown_tally {
	size_t questions;
	size_t decided;
	size_t failures;
};

static void unknown_fail(struct unknown_tally *tally, const char *what, const char *a,
			 const char *b, enum tri got)
{
	if (tally->failures++ < 5)
		printf("# %s '%s' and '%s': %s does not hold for every value\n", what, show(a), show(b),
		       tri_name(got));
}

static void unknown_check_subset(enum glob_kind kind, const char *a, const char *b,
				 struct unknown_tally *tally)
{
	struct glob *ga = glob_compile(a, kind, false);
	struct glob *gb = glob_compile(b, kind, false);
	const struct glob *others[] = {gb};
	char *witness = NULL;
	enum tri got = glob_subset(ga, others, 1, &witness);

	tally->questions++;
	tally->decided += got != TRI_MAYBE;
	for (size_t v1 = 0; got != TRI_MAYBE && v1 < values_to_try(a, b, '1'); v1++) {
		for (size_t v2 = 0; v2 < values_to_try(a, b, '2'); v2++) {
			char a_value[64];
			char b_value[64];
			char w_value[64];
			struct glob *ca;
			struct glob *cb;
			const struct glob *concrete[1];
			bool correct;

			substitute(a_value, sizeof(a_value), a, v1, v2);
			substitute(b_value, sizeof(b_value), b, v1, v2);
			ca = glob_compile(a_value, kind, false);
			cb = glob_compile(b_value, kind, false);
			concrete[0] = cb;
			correct = glob_subset(ca, concrete, 1, NULL) == got;
			if (got == TRI_NO) {
				substitute(w_value, sizeof(w_value), witness, v1, v2);
				correct = correct && ref_match(a_value, kind, w_value) &&
					!ref_match(b_value, kind, w_value);
			}
			if (!correct)
				unknown_fail(tally, "subset", a, b, got);
			glob_free(ca);
			glob_free(cb);
		}
	}
	free(witness);
	glob_free(ga);
	glob_free(gb);
}

static void unknown_check_intersect(enum glob_kind kind, const char *a, const char *b,
				    struct unknown_tally *tally)
{
	struct glob *ga = glob_compile(a, kind, false);
	struct glob *gb = glob_compile(b, kind, false);
	char *witness = NULL;
	enum tri got = glob_intersects(ga, gb, &witness);

	tally->questions++;
	tally->decided += got != TRI_MAYBE;
	for (size_t v1 = 0; got != TRI_MAYBE && v1 < values_to_try(a, b, '1'); v1++) {
		for (size_t v2 = 0; v2 < values_to_try(a, b, '2'); v2++) {
			char a_value[64];
			char b_value[64];
			char w_value[64];
			struct glob *ca;
			struct glob *cb;
			bool correct;

			substitute(a_value, sizeof(a_value), a, v1, v2);
			substitute(b_value, sizeof(b_value), b, v1, v2);
			ca = glob_compile(a_value, kind, false);
			cb = glob_compile(b_value, kind, false);
			correct = glob_intersects(ca, cb, NULL) == got;
			if (got == TRI_YES) {
				substitute(w_value, sizeof(w_value), witness, v1, v2);
				correct = correct && ref_match(a_value, kind, w_value) &&
					ref_match(b_value, kind, w_value);
			}
			if (!correct)
				unknown_fail(tally, "intersect", a, b, got);
			glob_free(ca);
			glob_free(cb);
		}
	}
	free(witness);
	glob_free(ga);
	glob_free(gb);
}

static void unknown_check_match(enum glob_kind kind, const char *pattern, const char *text,
				struct unknown_tally *tally)
{
	struct glob *glob = glob_compile(pattern, kind, false);
	enum tri got = glob_match(glob, text);

	tally->questions++;
	tally->decided += got != TRI_MAYBE;
	for (size_t v1 = 0; got != TRI_MAYBE && v1 < values_to_try(pattern, text, '1'); v1++) {
		for (size_t v2 = 0; v2 < values_to_try(pattern, text, '2'); v2++) {
			char pattern_value[64];
			char text_value[64];

			substitute(pattern_value, sizeof(pattern_value), pattern, v1, v2);
			substitute(text_value, sizeof(text_value), text, v1, v2);
			if (ref_match(pattern_value, kind, text_value) != (got == TRI_YES))
				unknown_fail(tally, "match", pattern, text, got);
		}
	}
	glob_free(glob);
}

static void test_unknown_brute_force(void)
{
	static const char *const pattern_tokens[] = {"a", ":", "*", "?", H1, H2};
	static const char *const text_tokens[] = {"a", ":", "b", H1, H2};
	static const enum glob_kind kinds[] = {GLOB_STRING, GLOB_ARN};
	enum { QUESTIONS = 2500 };

	for (size_t k = 0; k < IX_COUNT(kinds); k++) {
		struct unknown_tally subsets = {0};
		struct unknown_tally intersections = {0};
		struct unknown_tally matches = {0};

		for (size_t i = 0; i < QUESTIONS; i++) {
			char a[32];
			char b[32];
			char text[32];

			random_unknown_pattern(a, pattern_tokens, IX_COUNT(pattern_tokens), 4);
			random_unknown_pattern(b, pattern_tokens, IX_COUNT(pattern_tokens), 4);
			random_unknown_pattern(text, text_tokens, IX_COUNT(text_tokens), 4);
			unknown_check_subset(kinds[k], a, b, &subsets);
			unknown_check_intersect(kinds[k], a, b, &intersections);
			unknown_check_match(kinds[k], a, text, &matches);
		}

		printf("# %s with unknowns: decided %zu of %zu subset, %zu of %zu intersection, "
		       "%zu of %zu match questions\n",
		       kind_name(kinds[k]), subsets.decided, subsets.questions, intersections.decided,
		       intersections.questions, matches.decided, matches.questions);
		check_that(subsets.failures == 0, "%s subset results hold for every value",
			   kind_name(kinds[k]));
		check_that(intersections.failures == 0, "%s intersection results hold for every value",
			   kind_name(kinds[k]));
		check_that(matches.failures == 0, "%s match results hold for every value",
			   kind_name(kinds[k]));
		check_that(subsets.decided * 2 > subsets.questions,
			   "%s subset with unknowns is decided more often than not", kind_name(kinds[k]));
	}
}

int main(void)
{
	test_match_table();
	test_subset_table();
	test_intersect_table();
	test_properties();
	test_state_cap();
	test_long_patterns();
	test_threads();
	test_match_brute_force();
	test_set_brute_force();
	test_unknown_brute_force();
	return tap_done();
}
