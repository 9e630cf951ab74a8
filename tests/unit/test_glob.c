/*
 * Tests of wildcard patterns: a table for each rule.
 */
#include "iamcross/glob.h"
#include "tap.h"

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

int main(void)
{
	test_match_table();
	test_subset_table();
	test_intersect_table();
	test_properties();
	test_state_cap();
	test_long_patterns();
	test_threads();
	return tap_done();
}
