/*
 * Tests of condition evaluation: every operator family with its edge cases,
 * set operators, ...IfExists, Null, policy variables, the request context
 * (closed and open) and the wildcard matchers underneath.
 */
#include "eval_helpers.h"
#include "../../src/eval/internal.h"

#include <stdio.h>

static const char *const version_2012 = "2012-10-17";

/*
 * Evaluate the Condition block `block` of an Allow statement in a policy of
 * `version`, against a context of `keys`.  When `dependency` is not NULL,
 * also check that the result records a dependency on it.
 */
static enum tri evaluate(const char *version, const char *block, bool closed, bool workload,
			 const char *const *keys, const char *dependency)
{
	struct fixture f;
	const struct policy *policy;
	char json[4096];
	enum tri result = TRI_NO;

	fixture_init(&f);
	f.context.closed = closed;
	f.context.workload = workload;
	fixture_context(&f, keys);
	snprintf(json, sizeof(json),
		 "{%s%s%s\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\","
		 " \"Resource\": \"*\", \"Condition\": %s}]}",
		 version ? "\"Version\": \"" : "", version ? version : "", version ? "\", " : "", block);
	policy = fixture_policy(&f, "condition.json", json, POLICY_IDENTITY);
	if (policy) {
		struct eval_caller caller;
		struct buf reason = BUF_INIT;

		if (eval_caller_parse(&caller, "arn:aws:iam::111122223333:role/app", &f.arena, &reason))
			eval_context_derive(&f.context, &caller, NULL);
		buf_release(&reason);
		result = eval_conditions(policy, &policy->statements[0], &f.context, &f.deps, NULL);
		if (dependency && !depends_on(&f.deps, EVAL_DEPENDS_ON_KEY, dependency) &&
		    !depends_on(&f.deps, EVAL_DEPENDS_ON_SET_OPERATOR, dependency) &&
		    !depends_on(&f.deps, EVAL_DEPENDS_ON_VARIABLE, dependency))
			result = (enum tri)99;
		if (!dependency && result == TRI_MAYBE && f.deps.count == 0)
			result = (enum tri)98; /* a MAYBE must say what it depends on */
	}
	fixture_release(&f);
	return result;
}

/* A closed context: keys not listed are absent. */
#define CLOSED(block, keys) evaluate(version_2012, block, true, false, keys, NULL)
/* An open context: keys not listed follow the evaluator's rules. */
#define OPEN(block, keys) evaluate(version_2012, block, false, false, keys, NULL)
#define OPEN_DEPENDS(block, keys, key) evaluate(version_2012, block, false, false, keys, key)

static void test_string(void)
{
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"home/\"}}", KEYS("s3:prefix=home/")) == TRI_YES);
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"home/\"}}", KEYS("s3:prefix=Home/")) == TRI_NO);
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": [\"a\", \"b\"]}}", KEYS("s3:prefix=b")) == TRI_YES);
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"a*\"}}", KEYS("s3:prefix=abc")) == TRI_NO);
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"a*\"}}", KEYS("s3:prefix=a*")) == TRI_YES);
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"a\"}}", NO_KEYS) == TRI_NO);
	CHECK(CLOSED("{\"StringNotEquals\": {\"s3:prefix\": [\"a\", \"b\"]}}", KEYS("s3:prefix=c")) == TRI_YES);
	CHECK(CLOSED("{\"StringNotEquals\": {\"s3:prefix\": [\"a\", \"b\"]}}", KEYS("s3:prefix=b")) == TRI_NO);
	CHECK(CLOSED("{\"StringNotEquals\": {\"s3:prefix\": \"a\"}}", NO_KEYS) == TRI_YES);
	CHECK(CLOSED("{\"StringEqualsIgnoreCase\": {\"s3:prefix\": \"HOME\"}}", KEYS("s3:prefix=home")) == TRI_YES);
	CHECK(CLOSED("{\"StringNotEqualsIgnoreCase\": {\"s3:prefix\": \"HOME\"}}", KEYS("s3:prefix=home")) == TRI_NO);
	CHECK(CLOSED("{\"StringNotEqualsIgnoreCase\": {\"s3:prefix\": \"HOME\"}}", KEYS("s3:prefix=work")) == TRI_YES);
	CHECK(CLOSED("{\"StringLike\": {\"s3:prefix\": \"home/*\"}}", KEYS("s3:prefix=home/a/b")) == TRI_YES);
	CHECK(CLOSED("{\"StringLike\": {\"s3:prefix\": \"home/?\"}}", KEYS("s3:prefix=home/ab")) == TRI_NO);
	CHECK(CLOSED("{\"StringLike\": {\"s3:prefix\": \"HOME/*\"}}", KEYS("s3:prefix=home/a")) == TRI_NO);
	CHECK(CLOSED("{\"StringLike\": {\"s3:prefix\": \"a${*}\"}}", KEYS("s3:prefix=a*")) == TRI_YES);
	CHECK(CLOSED("{\"StringLike\": {\"s3:prefix\": \"a${*}\"}}", KEYS("s3:prefix=ab")) == TRI_NO);
	CHECK(CLOSED("{\"StringLike\": {\"s3:prefix\": \"a${?}${$}\"}}", KEYS("s3:prefix=a?$")) == TRI_YES);
	CHECK(CLOSED("{\"StringNotLike\": {\"s3:prefix\": \"home/*\"}}", KEYS("s3:prefix=work/a")) == TRI_YES);
	CHECK(CLOSED("{\"StringNotLike\": {\"s3:prefix\": \"home/*\"}}", NO_KEYS) == TRI_YES);
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"\"}}", KEYS("s3:prefix=")) == TRI_YES);
}

static void test_numeric(void)
{
	CHECK(CLOSED("{\"NumericEquals\": {\"s3:max-keys\": \"10\"}}", KEYS("s3:max-keys=10")) == TRI_YES);
	CHECK(CLOSED("{\"NumericEquals\": {\"s3:max-keys\": \"10\"}}", KEYS("s3:max-keys=10.0")) == TRI_YES);
	CHECK(CLOSED("{\"NumericEquals\": {\"s3:max-keys\": 10}}", KEYS("s3:max-keys=10")) == TRI_YES);
	CHECK(CLOSED("{\"NumericLessThan\": {\"s3:max-keys\": \"10\"}}", KEYS("s3:max-keys=9")) == TRI_YES);
	CHECK(CLOSED("{\"NumericLessThan\": {\"s3:max-keys\": \"10\"}}", KEYS("s3:max-keys=10")) == TRI_NO);
	CHECK(CLOSED("{\"NumericLessThanEquals\": {\"s3:max-keys\": \"10\"}}", KEYS("s3:max-keys=10")) == TRI_YES);
	CHECK(CLOSED("{\"NumericGreaterThan\": {\"s3:max-keys\": \"-1.5\"}}", KEYS("s3:max-keys=-1")) == TRI_YES);
	CHECK(CLOSED("{\"NumericGreaterThanEquals\": {\"s3:max-keys\": \"3\"}}", KEYS("s3:max-keys=2")) == TRI_NO);
	CHECK(CLOSED("{\"NumericNotEquals\": {\"s3:max-keys\": [\"1\", \"2\"]}}", KEYS("s3:max-keys=3")) == TRI_YES);
	CHECK(CLOSED("{\"NumericNotEquals\": {\"s3:max-keys\": [\"1\", \"2\"]}}", KEYS("s3:max-keys=2")) == TRI_NO);
	/* A value that is not a number matches nothing, negated or not. */
	CHECK(CLOSED("{\"NumericEquals\": {\"s3:max-keys\": \"ten\"}}", KEYS("s3:max-keys=10")) == TRI_NO);
	CHECK(CLOSED("{\"NumericLessThan\": {\"s3:max-keys\": \"10\"}}", KEYS("s3:max-keys=abc")) == TRI_NO);
	CHECK(CLOSED("{\"NumericNotEquals\": {\"s3:max-keys\": \"ten\"}}", KEYS("s3:max-keys=10")) == TRI_NO);
	CHECK(CLOSED("{\"NumericNotEquals\": {\"s3:max-keys\": \"10\"}}", KEYS("s3:max-keys=0x10")) == TRI_NO);
	CHECK(CLOSED("{\"NumericEquals\": {\"s3:max-keys\": \"1e3\"}}", KEYS("s3:max-keys=1000")) == TRI_NO);
	CHECK(CLOSED("{\"NumericNotEquals\": {\"s3:max-keys\": \"10\"}}", NO_KEYS) == TRI_YES);
}

static void test_date(void)
{
	CHECK(CLOSED("{\"DateLessThan\": {\"aws:CurrentTime\": \"2024-01-01T00:00:00Z\"}}",
		     KEYS("aws:CurrentTime=2023-12-31T23:59:59Z")) == TRI_YES);
	CHECK(CLOSED("{\"DateLessThan\": {\"aws:CurrentTime\": \"2024-01-01\"}}",
		     KEYS("aws:CurrentTime=2024-01-01T00:00:00Z")) == TRI_NO);
	CHECK(CLOSED("{\"DateEquals\": {\"aws:CurrentTime\": \"2024-01-01T01:00:00+01:00\"}}",
		     KEYS("aws:CurrentTime=2024-01-01T00:00:00Z")) == TRI_YES);
	CHECK(CLOSED("{\"DateEquals\": {\"aws:CurrentTime\": \"1704067200\"}}",
		     KEYS("aws:CurrentTime=2024-01-01T00:00:00Z")) == TRI_YES);
	CHECK(CLOSED("{\"DateEquals\": {\"aws:EpochTime\": \"2024-01-01T00:00:00.000Z\"}}",
		     KEYS("aws:EpochTime=1704067200")) == TRI_YES);
	CHECK(CLOSED("{\"DateGreaterThan\": {\"aws:CurrentTime\": \"2024-01\"}}",
		     KEYS("aws:CurrentTime=2024-01-01T00:00:01Z")) == TRI_YES);
	CHECK(CLOSED("{\"DateGreaterThanEquals\": {\"aws:CurrentTime\": \"2024\"}}",
		     KEYS("aws:CurrentTime=2024-06-01T00:00:00Z")) == TRI_YES);
	CHECK(CLOSED("{\"DateLessThanEquals\": {\"aws:CurrentTime\": \"2024-02-29T12:30\"}}",
		     KEYS("aws:CurrentTime=2024-02-29T12:30:00Z")) == TRI_YES);
	CHECK(CLOSED("{\"DateNotEquals\": {\"aws:CurrentTime\": \"2024-01-01T00:00:00Z\"}}",
		     KEYS("aws:CurrentTime=2024-01-01T00:00:00.5Z")) == TRI_YES);
	CHECK(CLOSED("{\"DateLessThan\": {\"aws:CurrentTime\": \"yesterday\"}}",
		     KEYS("aws:CurrentTime=2024-01-01T00:00:00Z")) == TRI_NO);
	CHECK(CLOSED("{\"DateNotEquals\": {\"aws:CurrentTime\": \"2024-13-01\"}}",
		     KEYS("aws:CurrentTime=2024-01-01T00:00:00Z")) == TRI_NO);
	CHECK(CLOSED("{\"DateLessThan\": {\"aws:CurrentTime\": \"2024-01-01T00:00:00Z\"}}", NO_KEYS) == TRI_NO);
}

static void test_bool_binary(void)
{
	CHECK(CLOSED("{\"Bool\": {\"aws:SecureTransport\": \"true\"}}", KEYS("aws:SecureTransport=TRUE")) == TRI_YES);
	CHECK(CLOSED("{\"Bool\": {\"aws:SecureTransport\": true}}", KEYS("aws:SecureTransport=true")) == TRI_YES);
	CHECK(CLOSED("{\"Bool\": {\"aws:SecureTransport\": \"false\"}}", KEYS("aws:SecureTransport=true")) == TRI_NO);
	CHECK(CLOSED("{\"Bool\": {\"aws:SecureTransport\": \"yes\"}}", KEYS("aws:SecureTransport=true")) == TRI_NO);
	CHECK(CLOSED("{\"Bool\": {\"aws:SecureTransport\": \"false\"}}", NO_KEYS) == TRI_NO);
	CHECK(CLOSED("{\"BoolIfExists\": {\"aws:SecureTransport\": \"false\"}}", NO_KEYS) == TRI_YES);
	CHECK(CLOSED("{\"BinaryEquals\": {\"ec2:x\": \"aGVsbG8=\"}}", KEYS("ec2:x=aGVsbG8=")) == TRI_YES);
	CHECK(CLOSED("{\"BinaryEquals\": {\"ec2:x\": \"aGVsbG8\"}}", KEYS("ec2:x=aGVsbG8=")) == TRI_YES);
	CHECK(CLOSED("{\"BinaryEquals\": {\"ec2:x\": \"aGVsbG8=\"}}", KEYS("ec2:x=aGVsbA==")) == TRI_NO);
	CHECK(CLOSED("{\"BinaryEquals\": {\"ec2:x\": \"!!\"}}", KEYS("ec2:x=!!")) == TRI_YES);
}

static void test_ip(void)
{
	CHECK(CLOSED("{\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}", KEYS("aws:SourceIp=10.1.2.3")) == TRI_YES);
	CHECK(CLOSED("{\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}", KEYS("aws:SourceIp=11.1.2.3")) == TRI_NO);
	CHECK(CLOSED("{\"IpAddress\": {\"aws:SourceIp\": \"192.0.2.7\"}}", KEYS("aws:SourceIp=192.0.2.7")) == TRI_YES);
	CHECK(CLOSED("{\"IpAddress\": {\"aws:SourceIp\": \"192.0.2.0/25\"}}", KEYS("aws:SourceIp=192.0.2.200")) == TRI_NO);
	CHECK(CLOSED("{\"IpAddress\": {\"aws:SourceIp\": \"0.0.0.0/0\"}}", KEYS("aws:SourceIp=203.0.113.9")) == TRI_YES);
	CHECK(CLOSED("{\"IpAddress\": {\"aws:SourceIp\": \"2001:db8::/32\"}}", KEYS("aws:SourceIp=2001:db8:1::5")) == TRI_YES);
	CHECK(CLOSED("{\"IpAddress\": {\"aws:SourceIp\": \"2001:db8::/32\"}}", KEYS("aws:SourceIp=2001:db9::5")) == TRI_NO);
	CHECK(CLOSED("{\"IpAddress\": {\"aws:SourceIp\": \"2001:db8:0:0:0:0:0:1/128\"}}", KEYS("aws:SourceIp=2001:db8::1")) == TRI_YES);
	CHECK(CLOSED("{\"IpAddress\": {\"aws:SourceIp\": \"2001:db8::/33\"}}", KEYS("aws:SourceIp=2001:db8:8000::1")) == TRI_NO);
	CHECK(CLOSED("{\"NotIpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}", KEYS("aws:SourceIp=2001:db8::1")) == TRI_YES);
	CHECK(CLOSED("{\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}", KEYS("aws:SourceIp=2001:db8::1")) == TRI_NO);
	CHECK(CLOSED("{\"NotIpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}", KEYS("aws:SourceIp=10.9.9.9")) == TRI_NO);
	CHECK(CLOSED("{\"NotIpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}", KEYS("aws:SourceIp=not-an-ip")) == TRI_NO);
	CHECK(CLOSED("{\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/33\"}}", KEYS("aws:SourceIp=10.0.0.1")) == TRI_NO);
	CHECK(CLOSED("{\"NotIpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}", NO_KEYS) == TRI_YES);
}

static void test_arn(void)
{
	CHECK(CLOSED("{\"ArnEquals\": {\"aws:SourceArn\": \"arn:aws:sns:eu-west-1:111122223333:t\"}}",
		     KEYS("aws:SourceArn=arn:aws:sns:eu-west-1:111122223333:t")) == TRI_YES);
	CHECK(CLOSED("{\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:sns:*:111122223333:*\"}}",
		     KEYS("aws:SourceArn=arn:aws:sns:eu-west-1:111122223333:t:x")) == TRI_YES);
	CHECK(CLOSED("{\"ArnEquals\": {\"aws:SourceArn\": \"arn:aws:sns:*:111122223333:t\"}}",
		     KEYS("aws:SourceArn=arn:aws:sns:eu-west-1:111122223333:t")) == TRI_YES);
	/* A wildcard in the region field never reaches into the account. */
	CHECK(CLOSED("{\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:sns:eu*:t:*\"}}",
		     KEYS("aws:SourceArn=arn:aws:sns:eu-west-1:111122223333:t")) == TRI_NO);
	/* AWS documents no reading of a value with fewer than six fields. */
	CHECK(CLOSED("{\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:sns:*\"}}",
		     KEYS("aws:SourceArn=arn:aws:sns:eu-west-1:111122223333:t")) == TRI_MAYBE);
	CHECK(CLOSED("{\"ArnNotLike\": {\"aws:SourceArn\": \"arn:aws:*\"}}",
		     KEYS("aws:SourceArn=arn:aws:sns:eu-west-1:111122223333:t")) == TRI_MAYBE);
	CHECK(CLOSED("{\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:SNS:*:*:*\"}}",
		     KEYS("aws:SourceArn=arn:aws:sns:eu-west-1:111122223333:t")) == TRI_NO);
	CHECK(CLOSED("{\"ArnNotEquals\": {\"aws:SourceArn\": \"arn:aws:sns:eu-west-1:111122223333:t\"}}",
		     NO_KEYS) == TRI_YES);
	CHECK(CLOSED("{\"ArnNotLike\": {\"aws:SourceArn\": \"arn:aws:sns:*:111122223333:*\"}}",
		     KEYS("aws:SourceArn=arn:aws:sns:eu-west-1:444455556666:t")) == TRI_YES);
	/* A value that is not an ARN matches nothing, negated or not. */
	CHECK(CLOSED("{\"ArnNotLike\": {\"aws:SourceArn\": \"arn:aws:sns:*:*:*\"}}",
		     KEYS("aws:SourceArn=not-an-arn")) == TRI_NO);
	CHECK(CLOSED("{\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:sns:*:*:*\"}}",
		     KEYS("aws:SourceArn=not-an-arn")) == TRI_NO);
	CHECK(CLOSED("{\"ArnNotEquals\": {\"aws:SourceArn\": \"sns-topic\"}}",
		     KEYS("aws:SourceArn=arn:aws:sns:eu-west-1:444455556666:t")) == TRI_NO);
}

static void test_null_and_if_exists(void)
{
	CHECK(CLOSED("{\"Null\": {\"aws:TokenIssueTime\": \"true\"}}", NO_KEYS) == TRI_YES);
	CHECK(CLOSED("{\"Null\": {\"aws:TokenIssueTime\": \"true\"}}", KEYS("aws:TokenIssueTime=2024-01-01T00:00:00Z")) == TRI_NO);
	CHECK(CLOSED("{\"Null\": {\"aws:TokenIssueTime\": \"false\"}}", KEYS("aws:TokenIssueTime=x")) == TRI_YES);
	CHECK(CLOSED("{\"Null\": {\"aws:TokenIssueTime\": false}}", NO_KEYS) == TRI_NO);
	CHECK(CLOSED("{\"Null\": {\"aws:TokenIssueTime\": \"TRUE\"}}", NO_KEYS) == TRI_YES);
	CHECK(CLOSED("{\"StringEqualsIfExists\": {\"s3:prefix\": \"a\"}}", NO_KEYS) == TRI_YES);
	CHECK(CLOSED("{\"StringEqualsIfExists\": {\"s3:prefix\": \"a\"}}", KEYS("s3:prefix=b")) == TRI_NO);
	CHECK(CLOSED("{\"StringEqualsIfExists\": {\"s3:prefix\": \"a\"}}", KEYS("s3:prefix=a")) == TRI_YES);
	CHECK(CLOSED("{\"NumericLessThanIfExists\": {\"s3:max-keys\": \"5\"}}", NO_KEYS) == TRI_YES);
	CHECK(CLOSED("{\"ArnLikeIfExists\": {\"aws:SourceArn\": \"arn:aws:sns:*:*:*\"}}", NO_KEYS) == TRI_YES);
	CHECK(CLOSED("{\"IpAddressIfExists\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}", KEYS("aws:SourceIp=11.0.0.1")) == TRI_NO);
	/* Every entry of the block must hold. */
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"a\", \"s3:delimiter\": \"/\"}, \"Null\": {\"s3:max-keys\": \"true\"}}",
		     KEYS("s3:prefix=a", "s3:delimiter=/")) == TRI_YES);
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"a\", \"s3:delimiter\": \"/\"}}",
		     KEYS("s3:prefix=a")) == TRI_NO);
}

static void test_set_operators(void)
{
	const char *all = "{\"ForAllValues:StringEquals\": {\"aws:TagKeys\": [\"env\", \"team\"]}}";
	const char *any = "{\"ForAnyValue:StringEquals\": {\"aws:TagKeys\": [\"env\", \"team\"]}}";

	CHECK(CLOSED(all, KEYS("aws:TagKeys=env", "aws:TagKeys=team")) == TRI_YES);
	CHECK(CLOSED(all, KEYS("aws:TagKeys=env", "aws:TagKeys=cost")) == TRI_NO);
	CHECK(CLOSED(all, NO_KEYS) == TRI_YES);
	CHECK(CLOSED(all, KEYS("aws:TagKeys[]")) == TRI_YES);
	CHECK(CLOSED(all, KEYS("aws:TagKeys=")) == TRI_YES);
	CHECK(CLOSED(any, KEYS("aws:TagKeys=env", "aws:TagKeys=cost")) == TRI_YES);
	CHECK(CLOSED(any, KEYS("aws:TagKeys=cost")) == TRI_NO);
	CHECK(CLOSED(any, NO_KEYS) == TRI_NO);
	CHECK(CLOSED(any, KEYS("aws:TagKeys[]")) == TRI_NO);
	CHECK(CLOSED("{\"ForAnyValue:StringEqualsIfExists\": {\"aws:TagKeys\": \"env\"}}", NO_KEYS) == TRI_YES);
	CHECK(CLOSED("{\"ForAllValues:StringLike\": {\"aws:TagKeys\": \"t*\"}}",
		     KEYS("aws:TagKeys=team", "aws:TagKeys=tier")) == TRI_YES);
	CHECK(CLOSED("{\"ForAllValues:StringNotEquals\": {\"aws:TagKeys\": \"secret\"}}",
		     KEYS("aws:TagKeys=team", "aws:TagKeys=secret")) == TRI_NO);
	CHECK(CLOSED("{\"ForAnyValue:StringNotEquals\": {\"aws:TagKeys\": \"secret\"}}",
		     KEYS("aws:TagKeys=team", "aws:TagKeys=secret")) == TRI_YES);
	/* A set operator over a single-valued key treats its value as a set of one. */
	CHECK(CLOSED("{\"ForAnyValue:StringEquals\": {\"s3:prefix\": \"a\"}}", KEYS("s3:prefix=a")) == TRI_YES);
	/* Without a set operator a multivalued key is not settled. */
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"a\"}}", KEYS("s3:prefix=a", "s3:prefix=b")) == TRI_MAYBE);
	CHECK(evaluate(version_2012, "{\"StringEquals\": {\"aws:TagKeys\": \"env\"}}", true, false,
		       KEYS("aws:TagKeys=env"), "aws:TagKeys") == TRI_MAYBE);
	CHECK(evaluate(version_2012, "{\"StringNotEquals\": {\"aws:TagKeys\": \"env\"}}", true, false,
		       KEYS("aws:TagKeys[]"), "aws:TagKeys") == TRI_MAYBE);
}

static void test_key_names(void)
{
	CHECK(CLOSED("{\"IpAddress\": {\"AWS:SOURCEIP\": \"10.0.0.0/8\"}}", KEYS("aws:sourceip=10.1.1.1")) == TRI_YES);
	CHECK(CLOSED("{\"StringEquals\": {\"aws:PrincipalTag/Team\": \"red\"}}", KEYS("aws:principaltag/team=red")) == TRI_YES);
	CHECK(CLOSED("{\"StringEquals\": {\"aws:PrincipalTag/team\": \"red\"}}", KEYS("aws:PrincipalTag/team=RED")) == TRI_NO);
}

static void test_variables(void)
{
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"home/${aws:PrincipalTag/team}/\"}}",
		     KEYS("aws:PrincipalTag/team=red", "s3:prefix=home/red/")) == TRI_YES);
	CHECK(CLOSED("{\"StringLike\": {\"s3:prefix\": \"home/${aws:PrincipalTag/team}/*\"}}",
		     KEYS("aws:PrincipalTag/team=red", "s3:prefix=home/red/x")) == TRI_YES);
	/* A wildcard inside a variable's value is a literal character. */
	CHECK(CLOSED("{\"StringLike\": {\"s3:prefix\": \"home/${aws:PrincipalTag/team}\"}}",
		     KEYS("aws:PrincipalTag/team=*", "s3:prefix=home/red")) == TRI_NO);
	CHECK(CLOSED("{\"StringLike\": {\"s3:prefix\": \"home/${aws:PrincipalTag/team}\"}}",
		     KEYS("aws:PrincipalTag/team=*", "s3:prefix=home/*")) == TRI_YES);
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"${aws:PrincipalTag/team, 'shared'}\"}}",
		     KEYS("s3:prefix=shared")) == TRI_YES);
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"${aws:PrincipalTag/team, 'shared'}\"}}",
		     KEYS("aws:PrincipalTag/team=red", "s3:prefix=shared")) == TRI_NO);
	/* A variable without a value: no match, or a MAYBE where a match would depend on AWS's reading. */
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"${aws:PrincipalTag/team}\"}}",
		     KEYS("s3:prefix=x")) == TRI_NO);
	CHECK(evaluate(version_2012, "{\"StringNotEquals\": {\"s3:prefix\": [\"${aws:PrincipalTag/team}\", \"y\"]}}",
		       true, false, KEYS("s3:prefix=x"), NULL) == TRI_NO);
	CHECK(evaluate(version_2012, "{\"StringEquals\": {\"s3:prefix\": [\"${aws:PrincipalTag/team}\", \"x\"]}}",
		       true, false, KEYS("s3:prefix=x"), "aws:PrincipalTag/team") == TRI_MAYBE);
	/* An unknown variable's key leaves the condition undecided. */
	CHECK(OPEN_DEPENDS("{\"StringEquals\": {\"s3:prefix\": \"home/${aws:PrincipalTag/team}\"}}",
			   KEYS("s3:prefix=home/red"), "aws:PrincipalTag/team") == TRI_MAYBE);
	CHECK(CLOSED("{\"ArnEquals\": {\"aws:SourceArn\": \"arn:aws:sns:eu-west-1:${aws:PrincipalAccount}:t\"}}",
		     KEYS("aws:SourceArn=arn:aws:sns:eu-west-1:111122223333:t")) == TRI_YES);
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"${aws:username}\"}}", KEYS("aws:username=bob", "s3:prefix=bob")) == TRI_YES);
	/* Variables are not expanded in Numeric values, nor in the old policy language. */
	CHECK(CLOSED("{\"NumericEquals\": {\"s3:max-keys\": \"${s3:prefix}\"}}", KEYS("s3:prefix=5", "s3:max-keys=5")) == TRI_NO);
	CHECK(evaluate("2008-10-17", "{\"StringEquals\": {\"s3:prefix\": \"${aws:username}\"}}", true, false,
		       KEYS("aws:username=bob", "s3:prefix=${aws:username}"), NULL) == TRI_YES);
	CHECK(evaluate(NULL, "{\"StringEquals\": {\"s3:prefix\": \"${aws:username}\"}}", true, false,
		       KEYS("aws:username=bob", "s3:prefix=bob"), NULL) == TRI_NO);
	/* A multivalued key is not a variable. */
	CHECK(CLOSED("{\"StringEquals\": {\"s3:prefix\": \"${aws:TagKeys}\"}}",
		     KEYS("aws:TagKeys=a", "aws:TagKeys=b", "s3:prefix=a")) == TRI_NO);
}

static void test_open_context(void)
{
	CHECK(OPEN("{\"Bool\": {\"aws:SecureTransport\": \"true\"}}", NO_KEYS) == TRI_YES);
	CHECK(OPEN("{\"Bool\": {\"aws:SecureTransport\": \"false\"}}", NO_KEYS) == TRI_NO);
	CHECK(OPEN("{\"Bool\": {\"aws:SecureTransport\": \"true\"}}", KEYS("aws:SecureTransport=false")) == TRI_NO);
	CHECK(OPEN("{\"ArnNotEquals\": {\"aws:SourceArn\": \"arn:aws:sns:eu-west-1:111122223333:t\"}}", NO_KEYS) == TRI_YES);
	CHECK(OPEN("{\"StringEquals\": {\"aws:SourceAccount\": \"111122223333\"}}", NO_KEYS) == TRI_NO);
	CHECK(OPEN("{\"Bool\": {\"aws:ViaAWSService\": \"false\"}}", NO_KEYS) == TRI_YES);
	CHECK(OPEN_DEPENDS("{\"StringEquals\": {\"s3:x-amz-acl\": \"bucket-owner-full-control\"}}", NO_KEYS,
			   "s3:x-amz-acl") == TRI_MAYBE);
	CHECK(OPEN_DEPENDS("{\"DateLessThan\": {\"aws:CurrentTime\": \"2030-01-01T00:00:00Z\"}}", NO_KEYS,
			   "aws:CurrentTime") == TRI_MAYBE);
	CHECK(OPEN("{\"Null\": {\"aws:CurrentTime\": \"false\"}}", NO_KEYS) == TRI_YES);
	CHECK(OPEN_DEPENDS("{\"Null\": {\"aws:SourceVpce\": \"true\"}}", NO_KEYS, "aws:SourceVpce") == TRI_MAYBE);
	/* Keys derived from the caller. */
	CHECK(OPEN("{\"ArnEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::111122223333:role/app\"}}", NO_KEYS) == TRI_YES);
	CHECK(OPEN("{\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/other\"}}", NO_KEYS) == TRI_NO);
	CHECK(OPEN("{\"StringEquals\": {\"aws:PrincipalAccount\": \"111122223333\"}}", NO_KEYS) == TRI_YES);
	CHECK(OPEN("{\"StringEquals\": {\"aws:PrincipalType\": \"AssumedRole\"}}", NO_KEYS) == TRI_YES);
	CHECK(OPEN("{\"Null\": {\"aws:username\": \"true\"}}", NO_KEYS) == TRI_YES);
	/* What the request supplies wins over what is derived. */
	CHECK(OPEN("{\"StringEquals\": {\"aws:PrincipalAccount\": \"444455556666\"}}",
		   KEYS("aws:PrincipalAccount=444455556666")) == TRI_YES);
	/* A workload never authenticates with MFA; otherwise the key is unknown. */
	CHECK(evaluate(version_2012, "{\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}", false, true,
		       NO_KEYS, NULL) == TRI_NO);
	CHECK(evaluate(version_2012, "{\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}}", false,
		       true, NO_KEYS, NULL) == TRI_YES);
	CHECK(OPEN_DEPENDS("{\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}", NO_KEYS,
			   "aws:MultiFactorAuthPresent") == TRI_MAYBE);
	/* An IfExists or a negated operator over a key that may be absent still depends on it. */
	CHECK(OPEN_DEPENDS("{\"StringNotEquals\": {\"s3:x-amz-acl\": \"public-read\"}}", NO_KEYS,
			   "s3:x-amz-acl") == TRI_MAYBE);
	CHECK(OPEN("{\"ForAllValues:StringEquals\": {\"aws:TagKeys\": \"a\"}}", NO_KEYS) == TRI_MAYBE);
}

static void test_wildcard_match(void)
{
	CHECK(eval_wildcard_match("a*c", 3, "abbc", 4, 0));
	CHECK(!eval_wildcard_match("a*c", 3, "abbd", 4, 0));
	CHECK(eval_wildcard_match("*", 1, "", 0, 0));
	CHECK(eval_wildcard_match("a?c", 3, "abc", 3, 0));
	CHECK(!eval_wildcard_match("a?c", 3, "ac", 2, 0));
	CHECK(eval_wildcard_match("*a*a*a*", 7, "aaa", 3, 0));
	CHECK(!eval_wildcard_match("*a*a*a*b", 8, "aaaaaaaaaaaaaaaaaaaaaaaa", 24, 0));
	CHECK(eval_wildcard_match("S3:GET*", 7, "s3:GetObject", 12, WILDCARD_IGNORE_CASE));
	CHECK(!eval_wildcard_match("S3:GET*", 7, "s3:GetObject", 12, 0));
	CHECK(eval_wildcard_match("a\\*", 3, "a*", 2, WILDCARD_ESCAPES));
	CHECK(!eval_wildcard_match("a\\*", 3, "ab", 2, WILDCARD_ESCAPES));
	CHECK(eval_wildcard_match("a*", 2, "a*", 2, WILDCARD_LITERAL));
	CHECK(!eval_wildcard_match("a*", 2, "ab", 2, WILDCARD_LITERAL));
}

static void test_arn_match(void)
{
	bool invalid;

	CHECK(eval_arn_match("arn:aws:s3:::b/*", "arn:aws:s3:::b/k/x", 0, &invalid));
	CHECK(!eval_arn_match("arn:aws:s3:::b/*", "arn:aws:s3:::c/k", 0, &invalid));
	CHECK(eval_arn_match("arn:aws:sqs:*:*:q", "arn:aws:sqs:eu-west-1:111122223333:q", 0, &invalid));
	CHECK(!eval_arn_match("arn:aws:sqs:*:q", "arn:aws:sqs:eu-west-1:111122223333:q", 0, &invalid));
	CHECK(invalid);
	CHECK(eval_arn_match("arn:aws:sqs:*", "arn:aws:sqs:eu-west-1:111122223333:q", 0, &invalid));
	CHECK(eval_arn_match("arn:aws:iam::*:role/a:b*", "arn:aws:iam::1:role/a:bc", 0, &invalid));
	CHECK(!eval_arn_match("arn:aws:iam::1*:role/x", "arn:aws:iam::2:role/x", 0, &invalid));
	CHECK(!eval_arn_match("arn:aws:s3:::b", "*", 0, &invalid));
	CHECK(invalid);
}

int main(void)
{
	test_string();
	test_numeric();
	test_date();
	test_bool_binary();
	test_ip();
	test_arn();
	test_null_and_if_exists();
	test_set_operators();
	test_key_names();
	test_variables();
	test_open_context();
	test_wildcard_match();
	test_arn_match();
	return tap_done();
}
