/*
 * Tests of ARN parsing and principal classification, with the exact reason
 * text that user messages are built from.
 */
#include "iamcross/arn.h"
/* Included as well to keep the two headers' names apart. */
#include "iamcross/policy.h"
#include "tap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define H1 "\x01" "1" "\x02"

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

static void check_slice(struct arn_slice slice, const char *expected, const char *what)
{
	char got[256];
	size_t n = slice.length < sizeof(got) - 1 ? slice.length : sizeof(got) - 1;

	memcpy(got, slice.data ? slice.data : "", slice.data ? n : 0);
	got[slice.data ? n : 0] = '\0';
	tap_check_str(got, expected, what, __FILE__, __LINE__);
}

static void test_arn_parse_fields(void)
{
	struct arn arn;

	CHECK(arn_parse("arn:aws:s3:::bucket/key:with:colons", &arn, NULL));
	check_slice(arn.partition, "aws", "s3 partition");
	check_slice(arn.service, "s3", "s3 service");
	check_slice(arn.region, "", "s3 region");
	check_slice(arn.account, "", "s3 account");
	check_slice(arn.resource, "bucket/key:with:colons", "s3 resource keeps colons");

	CHECK(arn_parse("arn:aws:iam::111122223333:role/app", &arn, NULL));
	check_slice(arn.service, "iam", "iam service");
	check_slice(arn.account, "111122223333", "iam account");
	check_slice(arn.resource, "role/app", "iam resource");

	CHECK(arn_parse("arn:aws:logs:us-east-1:111122223333:log-group:/aws/eks/c:*", &arn, NULL));
	check_slice(arn.region, "us-east-1", "logs region");
	check_slice(arn.resource, "log-group:/aws/eks/c:*", "logs resource");
}

struct reason_case {
	const char *text;
	const char *reason; /* NULL when valid */
};

static const struct reason_case parse_cases[] = {
	{"foo", "'foo' is not an ARN; an ARN starts with 'arn:'"},
	{"ARN:aws:s3:::b", "'ARN:aws:s3:::b' is not an ARN; an ARN starts with 'arn:'"},
	{"arn:aws:s3",
	 "ARN 'arn:aws:s3' has 3 fields; an ARN has 6: arn:partition:service:region:account-id:resource"},
	{"arn:aws:s3:::",
	 "ARN 'arn:aws:s3:::' has no resource after the account field"},
	{"arn::s3:::b",
	 "ARN 'arn::s3:::b' has no partition; expected 'aws' or another partition after 'arn:'"},
	{"arn:aws::::b",
	 "ARN 'arn:aws::::b' has no service; expected a service such as 's3' in the third field"},
	{"arn:aws:s3:::b", NULL},
};

static const struct reason_case validate_cases[] = {
	{"arn:aws:s3:::b", NULL},
	{"arn:aws-cn:s3:::b", NULL},
	{"arn:aws-us-gov:s3:::b", NULL},
	{"arn:aws-iso:s3:::b", NULL},
	{"arn:aws-iso-b:s3:::b", NULL},
	{"arn:aws-iso-:s3:::b",
	 "unknown partition 'aws-iso-'; AWS partitions are aws, aws-cn, aws-us-gov, aws-iso and "
	 "aws-iso-b, -e and -f"},
	{"arn:aws-foo:s3:::b",
	 "unknown partition 'aws-foo'; AWS partitions are aws, aws-cn, aws-us-gov, aws-iso and "
	 "aws-iso-b, -e and -f"},
	{"arn:aws:S3:::b", "service 'S3' contains 'S'; expected lower-case letters, digits and '-'"},
	{"arn:aws:ec2:us_east_1:111122223333:instance/i-1",
	 "region 'us_east_1' contains '_'; expected lower-case letters, digits and '-'"},
	{"arn:aws:iam::11111111:role/x", "account ID '11111111' has 8 digits; an AWS account ID has 12"},
	{"arn:aws:iam::aws:policy/ReadOnlyAccess", NULL},
	{"arn:*:s3:::b", NULL},
	{"arn:aws:ec2:*:*:instance/*", NULL},
	{"arn:aws:iam::${aws:PrincipalAccount}:role/x", NULL},
	{"arn:aws:iam::" H1 ":role/x", NULL},
};

static void check_reasons(const struct reason_case *cases, size_t count, bool validate)
{
	for (size_t i = 0; i < count; i++) {
		struct buf reason = BUF_INIT;
		struct arn arn;
		bool ok = arn_parse(cases[i].text, &arn, &reason);

		if (ok && validate)
			ok = arn_validate(&arn, &reason);
		check_that(ok == (cases[i].reason == NULL), "%s '%s'",
			   validate ? "validate" : "parse", cases[i].text);
		if (cases[i].reason)
			CHECK_STR(buf_str(&reason), cases[i].reason);
		else
			CHECK_STR(buf_str(&reason), "");
		buf_release(&reason);
	}
}

static void test_arn_reasons(void)
{
	struct arn arn;

	check_reasons(parse_cases, IX_COUNT(parse_cases), false);
	check_reasons(validate_cases, IX_COUNT(validate_cases), true);
	CHECK(!arn_parse("arn:aws", &arn, NULL));
}

static struct arn_slice slice_of(const char *text)
{
	struct arn_slice slice = {text, strlen(text)};

	return slice;
}

static void test_account_id_check(void)
{
	struct buf reason = BUF_INIT;

	CHECK(arn_account_id_check(slice_of("111122223333"), &reason));
	CHECK_STR(buf_str(&reason), "");

	CHECK(!arn_account_id_check(slice_of("11111111"), &reason));
	CHECK_STR(buf_str(&reason), "account ID '11111111' has 8 digits; an AWS account ID has 12");
	buf_reset(&reason);

	CHECK(!arn_account_id_check(slice_of("1"), &reason));
	CHECK_STR(buf_str(&reason), "account ID '1' has 1 digit; an AWS account ID has 12");
	buf_reset(&reason);

	CHECK(!arn_account_id_check(slice_of("1111222233334"), &reason));
	CHECK_STR(buf_str(&reason), "account ID '1111222233334' has 13 digits; an AWS account ID has 12");
	buf_reset(&reason);

	CHECK(!arn_account_id_check(slice_of("1111-2222-3333"), &reason));
	CHECK_STR(buf_str(&reason),
		  "account ID '1111-2222-3333' contains '-'; an AWS account ID is 12 digits");
	buf_reset(&reason);

	CHECK(!arn_account_id_check(slice_of(""), &reason));
	CHECK_STR(buf_str(&reason), "missing account ID; an AWS account ID has 12 digits");
	buf_reset(&reason);

	CHECK(arn_account_id_check(slice_of(H1), &reason));
	CHECK(!arn_account_id_check(slice_of("11111111"), NULL));
	buf_release(&reason);
}

static void test_partitions(void)
{
	CHECK(arn_partition_known(slice_of("aws")));
	CHECK(arn_partition_known(slice_of("aws-cn")));
	CHECK(arn_partition_known(slice_of("aws-us-gov")));
	CHECK(arn_partition_known(slice_of("aws-iso")));
	CHECK(arn_partition_known(slice_of("aws-iso-b")));
	CHECK(arn_partition_known(slice_of("aws-iso-f")));
	CHECK(!arn_partition_known(slice_of("aws-iso-")));
	CHECK(!arn_partition_known(slice_of("aws-iso-B")));
	CHECK(!arn_partition_known(slice_of("AWS")));
	CHECK(!arn_partition_known(slice_of("")));
}

struct principal_case {
	const char *text;
	enum arn_principal_kind kind;
	const char *account;
	const char *path;
	const char *name;
	const char *session;
};

static const struct principal_case principal_cases[] = {
	{"*", ARN_PRINCIPAL_ANY, "", "", "*", ""},
	{"111122223333", ARN_PRINCIPAL_ACCOUNT, "111122223333", "", "111122223333", ""},
	{"arn:aws:iam::111122223333:root", ARN_PRINCIPAL_ROOT, "111122223333", "", "", ""},
	{"arn:aws-cn:iam::111122223333:root", ARN_PRINCIPAL_ROOT, "111122223333", "", "", ""},
	{"arn:aws-us-gov:iam::111122223333:root", ARN_PRINCIPAL_ROOT, "111122223333", "", "", ""},
	{"arn:aws:iam::111122223333:role/app", ARN_PRINCIPAL_ROLE, "111122223333", "/", "app", ""},
	{"arn:aws:iam::111122223333:role/service-role/team/app", ARN_PRINCIPAL_ROLE, "111122223333",
	 "/service-role/team/", "app", ""},
	{"arn:aws:iam::111122223333:role/a+b=c,d.e@f_g-h", ARN_PRINCIPAL_ROLE, "111122223333", "/",
	 "a+b=c,d.e@f_g-h", ""},
	{"arn:aws:iam::111122223333:user/alice", ARN_PRINCIPAL_USER, "111122223333", "/", "alice", ""},
	{"arn:aws:iam::111122223333:user/staff/alice", ARN_PRINCIPAL_USER, "111122223333", "/staff/",
	 "alice", ""},
	{"arn:aws:sts::111122223333:assumed-role/app/botocore-session-1", ARN_PRINCIPAL_ASSUMED_ROLE,
	 "111122223333", "", "app", "botocore-session-1"},
	{"arn:aws:sts::111122223333:federated-user/bob", ARN_PRINCIPAL_FEDERATED_USER, "111122223333", "",
	 "bob", ""},
	{"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/"
	 "EXAMPLED539D4633E53DE1B71EXAMPLE",
	 ARN_PRINCIPAL_OIDC_PROVIDER, "111122223333", "",
	 "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", ""},
	{"arn:aws:iam::111122223333:saml-provider/ADFS", ARN_PRINCIPAL_SAML_PROVIDER, "111122223333", "",
	 "ADFS", ""},
	{"AROADBQP57FF2AEXAMPLE", ARN_PRINCIPAL_UNIQUE_ID, "", "", "AROADBQP57FF2AEXAMPLE", ""},
	{"AIDACKCEVSQ6C2EXAMPLE", ARN_PRINCIPAL_UNIQUE_ID, "", "", "AIDACKCEVSQ6C2EXAMPLE", ""},
	{"s3.amazonaws.com", ARN_PRINCIPAL_SERVICE, "", "", "s3.amazonaws.com", ""},
	{"logs.us-east-1.amazonaws.com", ARN_PRINCIPAL_SERVICE, "", "", "logs.us-east-1.amazonaws.com",
	 ""},
	{"ec2.amazonaws.com.cn", ARN_PRINCIPAL_SERVICE, "", "", "ec2.amazonaws.com.cn", ""},
	{"accounts.google.com", ARN_PRINCIPAL_WEB_IDENTITY, "", "", "accounts.google.com", ""},
	{"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", ARN_PRINCIPAL_CANONICAL_USER,
	 "", "", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", ""},
	{"arn:aws:iam::" H1 ":role/app", ARN_PRINCIPAL_ROLE, H1, "/", "app", ""},
	{H1, ARN_PRINCIPAL_UNKNOWN, "", "", H1, ""},
};

static void test_principal_kinds(void)
{
	for (size_t i = 0; i < IX_COUNT(principal_cases); i++) {
		const struct principal_case *c = &principal_cases[i];
		struct buf reason = BUF_INIT;
		struct arn_principal principal;
		bool ok = arn_principal_parse(c->text, &principal, &reason);

		check_that(ok, "principal '%s' is valid", c->text);
		check_that(principal.kind == c->kind, "principal '%s' is a %s, got %s", c->text,
			   arn_principal_kind_name(c->kind), arn_principal_kind_name(principal.kind));
		check_slice(principal.account, c->account, "account");
		check_slice(principal.path, c->path, "path");
		check_slice(principal.name, c->name, "name");
		check_slice(principal.session, c->session, "session");
		CHECK(!principal.has_wildcard);
		CHECK_STR(buf_str(&reason), "");
		buf_release(&reason);
	}
}

static void test_principal_details(void)
{
	struct arn_principal principal;

	CHECK(arn_principal_parse("AROADBQP57FF2AEXAMPLE", &principal, NULL));
	CHECK_STR(principal.unique_id_type, "role");
	CHECK(arn_principal_parse("AIDACKCEVSQ6C2EXAMPLE", &principal, NULL));
	CHECK_STR(principal.unique_id_type, "user");

	CHECK(arn_principal_parse("arn:aws:iam::*:role/x", &principal, NULL));
	CHECK(principal.kind == ARN_PRINCIPAL_ROLE);
	CHECK(principal.has_wildcard);
	CHECK(arn_principal_parse("arn:aws:iam::111122223333:role/*", &principal, NULL));
	CHECK(principal.has_wildcard);
	check_slice(principal.name, "*", "wildcard role name");

	CHECK(arn_principal_parse("arn:aws:iam::" H1 ":role/app", &principal, NULL));
	CHECK(principal.has_unknown);
	CHECK(arn_principal_parse("arn:aws:iam::111122223333:role/app", &principal, NULL));
	CHECK(!principal.has_unknown);

	CHECK_STR(arn_principal_kind_name(ARN_PRINCIPAL_ASSUMED_ROLE), "assumed role");
	CHECK_STR(arn_principal_kind_name(ARN_PRINCIPAL_OIDC_PROVIDER), "OIDC provider");
}

static const struct reason_case principal_failures[] = {
	{"11111111", "account ID '11111111' has 8 digits; an AWS account ID has 12"},
	{"1111-2222-3333", "account ID '1111-2222-3333' contains '-'; an AWS account ID is 12 digits"},
	{"AROA123", "unique ID 'AROA123' has 7 characters; an IAM unique ID has 21"},
	{"hello",
	 "'hello' is not a principal; expected '*', an account ID, an IAM or STS ARN, a unique ID, "
	 "a service such as 's3.amazonaws.com' or a canonical user ID"},
	{"arn:aws:iam::111122223333:group/admins",
	 "'arn:aws:iam::111122223333:group/admins' is an IAM group; a group cannot be a principal"},
	{"arn:aws:iam::111122223333:assumed-role/a/b",
	 "'arn:aws:iam::111122223333:assumed-role/a/b' uses service 'iam'; assumed-role and "
	 "federated-user ARNs use 'sts'"},
	{"arn:aws:sts::111122223333:role/a",
	 "'arn:aws:sts::111122223333:role/a' uses service 'sts'; role, user and root ARNs use 'iam'"},
	{"arn:aws:s3:::bucket",
	 "'arn:aws:s3:::bucket' is not a principal ARN; principal ARNs use service 'iam' or 'sts'"},
	{"arn:aws:iam:us-east-1:111122223333:role/a",
	 "'arn:aws:iam:us-east-1:111122223333:role/a' has region 'us-east-1'; IAM and STS ARNs have "
	 "an empty region field"},
	{"arn:aws-foo:iam::111122223333:root",
	 "unknown partition 'aws-foo'; AWS partitions are aws, aws-cn, aws-us-gov, aws-iso and "
	 "aws-iso-b, -e and -f"},
	{"arn:aws:iam::1111:role/a", "account ID '1111' has 4 digits; an AWS account ID has 12"},
	{"arn:aws:iam:::role/a", "missing account ID; an AWS account ID has 12 digits"},
	{"arn:aws:iam::111122223333:role/",
	 "role ARN 'arn:aws:iam::111122223333:role/' has no role name after the last '/'"},
	{"arn:aws:iam::111122223333:role/my app",
	 "role name 'my app' contains ' '; names use letters, digits and + = , . @ _ -"},
	{"arn:aws:iam::111122223333:role/"
	 "a1234567890123456789012345678901234567890123456789012345678901234",
	 "role name 'a1234567890123456789012345678901234567890123456789012345678901234' has 65 "
	 "characters; expected 1 to 64"},
	{"arn:aws:iam::111122223333:role/a b/app",
	 "path '/a b/' contains ' '; paths use printable ASCII without spaces"},
	{"arn:aws:iam::111122223333:policy/x",
	 "'arn:aws:iam::111122223333:policy/x' is not a principal; after the account ID expected "
	 "root, role/, user/, oidc-provider/ or saml-provider/"},
	{"arn:aws:sts::111122223333:assumed-role/app",
	 "assumed-role ARN 'arn:aws:sts::111122223333:assumed-role/app' has no session name; "
	 "expected assumed-role/ROLE/SESSION"},
	{"arn:aws:sts::111122223333:assumed-role/app/s",
	 "session name 's' has 1 character; expected 2 to 64"},
	{"arn:aws:sts::111122223333:session/x",
	 "'arn:aws:sts::111122223333:session/x' is not a principal; after the account ID expected "
	 "assumed-role/ or federated-user/"},
	{"arn:aws:iam::111122223333:oidc-provider/",
	 "OIDC provider ARN 'arn:aws:iam::111122223333:oidc-provider/' has no provider URL after "
	 "'oidc-provider/'"},
	{"arn:aws:iam::111122223333:saml-provider/a b",
	 "SAML provider name 'a b' contains ' '; expected letters, digits and . _ -"},
	{"arn:aws:iam", "ARN 'arn:aws:iam' has 3 fields; an ARN has 6: "
			"arn:partition:service:region:account-id:resource"},
};

static void test_principal_failures(void)
{
	for (size_t i = 0; i < IX_COUNT(principal_failures); i++) {
		struct buf reason = BUF_INIT;
		struct arn_principal principal;

		check_that(!arn_principal_parse(principal_failures[i].text, &principal, &reason),
			   "principal '%s' is invalid", principal_failures[i].text);
		CHECK_STR(buf_str(&reason), principal_failures[i].reason);
		buf_release(&reason);
	}
}

static const struct {
	const char *format;
	const char *pattern;
	bool may_match;
} format_cases[] = {
	{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::reports", true},
	{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::reports/*", false},
	{"arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::reports/*", true},
	{"arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::reports", false},
	{"arn:${Partition}:s3:::${BucketName}", "*", true},
	{"arn:${Partition}:sqs:${Region}:${Account}:${QueueName}", "arn:aws:sqs:eu-west-2:111122223333:queue/x", false},
	{"arn:${Partition}:sqs:${Region}:${Account}:${QueueName}", "arn:aws:sqs:*:111122223333:jobs", true},
	/* A `*` in the format is a wildcard, not the character. */
	{"arn:${Partition}:dms:${Region}:${Account}:endpoint:*", "arn:aws:dms:eu-west-1:111122223333:endpoint:ABCDEF", true},
	{"arn:${Partition}:dms:${Region}:${Account}:endpoint:*", "arn:aws:dms:eu-west-1:111122223333:task:ABCDEF", false},
	{"arn:${Partition}:identitystore:::user/*", "arn:aws:identitystore:::user/a/b", true},
	{"arn:${Partition}:braket:*:*:device/${DeviceType}/${Provider}/${DeviceId}", "arn:aws:braket:us-east-1:111122223333:device/qpu/ionq/Aria-1", true},
	{"arn:${Partition}:braket:*:*:device/${DeviceType}/${Provider}/${DeviceId}", "arn:aws:braket:us-east-1:111122223333:device/qpu", false},
};

static void test_format_may_match(void)
{
	for (size_t i = 0; i < IX_COUNT(format_cases); i++)
		check_that(arn_format_may_match(format_cases[i].format, format_cases[i].pattern) == format_cases[i].may_match,
			   "'%s' %s be of format '%s'", format_cases[i].pattern, format_cases[i].may_match ? "may" : "cannot",
			   format_cases[i].format);
}

int main(void)
{
	test_arn_parse_fields();
	test_arn_reasons();
	test_account_id_check();
	test_partitions();
	test_principal_kinds();
	test_principal_details();
	test_principal_failures();
	test_format_may_match();
	return tap_done();
}
