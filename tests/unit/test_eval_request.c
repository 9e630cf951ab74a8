/*
 * Tests of whole requests: principal matching in all its forms, Action and
 * Resource with their negations, the account rules (cross-account, same
 * account, and the KMS key and role trust exceptions), NotPrincipal with
 * Deny, and the acceptance cases of `iamcross simulate`.
 */
#include "eval_helpers.h"

#include <stdio.h>

#define APP "arn:aws:iam::111122223333:role/app"
#define APP_SESSION "arn:aws:sts::111122223333:assumed-role/app/pod-1"
#define OTHER_ACCOUNT "444455556666"
#define BUCKET_OBJECT "arn:aws:s3:::reports/2024/q1.csv"

/* An identity policy with one Allow statement. */
#define ALLOW(action, resource)                                                                    \
	"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"" action \
	"\", \"Resource\": \"" resource "\"}]}"

/* A resource policy with one statement for `principal` (JSON after "Principal": ). */
#define GRANT(effect, principal, action, resource)                                                  \
	"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Grant\", \"Effect\": \"" effect    \
	"\", \"Principal\": " principal ", \"Action\": \"" action "\", \"Resource\": \"" resource    \
	"\"}]}"

struct run {
	struct fixture f;
	struct eval_caller caller;
	struct eval_result result;
	struct buf trace;
};

struct request_spec {
	const char *principal;
	const char *action;
	const char *resource;
	const char *resource_account;
	const char *const *identity; /* NULL-terminated policy texts */
	const char *resource_policy; /* NULL: none */
	const char *const *keys;
	bool closed;
};

static enum eval_decision run_request(struct run *r, const struct request_spec *spec)
{
	const struct policy *identity[8];
	size_t identity_count = 0;
	const struct policy *resource = NULL;
	struct eval_request request;
	struct eval_policies policies;
	struct buf reason = BUF_INIT;
	bool trust = eval_resource_policy_required(spec->action, spec->resource) &&
		     strncmp(spec->action, "sts:", 4) == 0;

	fixture_init(&r->f);
	memset(&r->trace, 0, sizeof(r->trace));
	r->f.context.closed = spec->closed;
	fixture_context(&r->f, spec->keys);
	for (const char *const *p = spec->identity; p && *p && identity_count < 8; p++)
		identity[identity_count++] = fixture_policy(&r->f, "identity.json", *p, POLICY_IDENTITY);
	if (spec->resource_policy)
		resource = fixture_policy(&r->f, "resource.json", spec->resource_policy,
					  trust ? POLICY_TRUST : POLICY_RESOURCE);
	if (!eval_caller_parse(&r->caller, spec->principal, &r->f.arena, &reason)) {
		printf("# caller: %s\n", buf_str(&reason));
		buf_release(&reason);
		return EVAL_DECISION_COUNT;
	}
	buf_release(&reason);

	memset(&request, 0, sizeof(request));
	request.caller = &r->caller;
	request.action = spec->action;
	request.resource = spec->resource;
	request.resource_account = spec->resource_account;
	request.context = &r->f.context;
	memset(&policies, 0, sizeof(policies));
	policies.identity = identity;
	policies.identity_count = identity_count;
	policies.resource = resource;
	eval_request_evaluate(&request, &policies, &r->f.arena, &r->result, &r->trace);
	return r->result.decision;
}

static void run_release(struct run *r)
{
	buf_release(&r->trace);
	fixture_release(&r->f);
}

/* The decision alone. */
static enum eval_decision decide(const struct request_spec *spec)
{
	struct run r;
	enum eval_decision d = run_request(&r, spec);

	if (d == EVAL_UNDECIDED)
		printf("# %s\n", r.result.reason);
	run_release(&r);
	return d;
}

/* Is statement `index` of the resource policy a certain, deciding match? */
static bool resource_statement_decides(const struct run *r, size_t index, enum effect effect)
{
	for (size_t i = 0; i < r->result.statement_count; i++) {
		const struct eval_statement *es = &r->result.statements[i];

		if (es->policy->kind != POLICY_IDENTITY && es->statement->index == index &&
		    es->statement->effect == effect && es->matches == TRI_YES)
			return true;
	}
	return false;
}

static const char *const allow_get[] = {ALLOW("s3:GetObject", "*"), NULL};
static const char *const allow_nothing[] = {NULL};

static enum eval_decision bucket_grant(const char *principal_json, const char *caller,
				       const char *account)
{
	char policy[1024];
	struct request_spec spec = {caller, "s3:GetObject", BUCKET_OBJECT, account, allow_get, policy,
				    NULL, true};

	snprintf(policy, sizeof(policy), GRANT("Allow", "%s", "s3:GetObject", "arn:aws:s3:::reports/*"),
		 principal_json);
	return decide(&spec);
}

static void test_principal_forms(void)
{
	CHECK(bucket_grant("\"*\"", APP, OTHER_ACCOUNT) == EVAL_ALLOWED);
	CHECK(bucket_grant("{\"AWS\": \"*\"}", APP, OTHER_ACCOUNT) == EVAL_ALLOWED);
	CHECK(bucket_grant("{\"AWS\": \"111122223333\"}", APP, OTHER_ACCOUNT) == EVAL_ALLOWED);
	CHECK(bucket_grant("{\"AWS\": \"arn:aws:iam::111122223333:root\"}", APP, OTHER_ACCOUNT) == EVAL_ALLOWED);
	CHECK(bucket_grant("{\"AWS\": \"arn:aws:iam::999988887777:root\"}", APP, OTHER_ACCOUNT) ==
	      EVAL_IMPLICITLY_DENIED);
	CHECK(bucket_grant("{\"AWS\": \"" APP "\"}", APP, OTHER_ACCOUNT) == EVAL_ALLOWED);
	CHECK(bucket_grant("{\"AWS\": [\"arn:aws:iam::111122223333:role/other\", \"" APP "\"]}", APP,
			   OTHER_ACCOUNT) == EVAL_ALLOWED);
	CHECK(bucket_grant("{\"AWS\": \"arn:aws:iam::111122223333:role/other\"}", APP, OTHER_ACCOUNT) ==
	      EVAL_IMPLICITLY_DENIED);
	/* A role ARN names every session of the role, whatever its path. */
	CHECK(bucket_grant("{\"AWS\": \"" APP "\"}", APP_SESSION, OTHER_ACCOUNT) == EVAL_ALLOWED);
	CHECK(bucket_grant("{\"AWS\": \"arn:aws:iam::111122223333:role/team/app\"}", APP_SESSION,
			   OTHER_ACCOUNT) == EVAL_ALLOWED);
	CHECK(bucket_grant("{\"AWS\": \"arn:aws:iam::111122223333:role/team/app\"}",
			   "arn:aws:iam::111122223333:role/team/app", OTHER_ACCOUNT) == EVAL_ALLOWED);
	CHECK(bucket_grant("{\"AWS\": \"arn:aws:iam::111122223333:role/team/app\"}", APP, OTHER_ACCOUNT) ==
	      EVAL_IMPLICITLY_DENIED);
	CHECK(bucket_grant("{\"AWS\": \"" APP_SESSION "\"}", APP_SESSION, OTHER_ACCOUNT) == EVAL_ALLOWED);
	CHECK(bucket_grant("{\"AWS\": \"arn:aws:sts::111122223333:assumed-role/app/pod-2\"}", APP_SESSION,
			   OTHER_ACCOUNT) == EVAL_IMPLICITLY_DENIED);
	CHECK(bucket_grant("{\"AWS\": \"arn:aws:iam::111122223333:user/alice\"}",
			   "arn:aws:iam::111122223333:user/alice", OTHER_ACCOUNT) == EVAL_ALLOWED);
	CHECK(bucket_grant("{\"AWS\": \"arn:aws:iam::111122223333:user/alice\"}", APP, OTHER_ACCOUNT) ==
	      EVAL_IMPLICITLY_DENIED);
	/* AWS shows a unique ID where the principal was deleted; it names no live principal. */
	CHECK(bucket_grant("{\"AWS\": \"AROAEXAMPLEEXAMPLE123\"}", APP, OTHER_ACCOUNT) ==
	      EVAL_IMPLICITLY_DENIED);
	/* A wildcard inside an ARN is refused by AWS and matches nothing here. */
	CHECK(bucket_grant("{\"AWS\": \"arn:aws:iam::111122223333:role/*\"}", APP, OTHER_ACCOUNT) ==
	      EVAL_IMPLICITLY_DENIED);
	/* Service, federated and canonical user principals name only such callers. */
	CHECK(bucket_grant("{\"Service\": \"cloudtrail.amazonaws.com\"}", "cloudtrail.amazonaws.com", NULL) ==
	      EVAL_ALLOWED);
	CHECK(bucket_grant("{\"Service\": \"cloudtrail.amazonaws.com\"}", APP, OTHER_ACCOUNT) ==
	      EVAL_IMPLICITLY_DENIED);
	CHECK(bucket_grant("{\"CanonicalUser\": \"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be\"}",
			   "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", NULL) == EVAL_ALLOWED);
}

static void test_policy_check(void)
{
	struct fixture f;
	struct buf reason = BUF_INIT;
	const struct policy *p;

	fixture_init(&f);
	p = fixture_policy(&f, "r.json",
			   GRANT("Allow", "{\"AWS\": \"arn:aws:iam::111122223333:role/*\"}", "s3:GetObject", "*"),
			   POLICY_RESOURCE);
	CHECK(p && !eval_policy_check(p, &reason));
	CHECK(strstr(buf_str(&reason), "role/*") != NULL);
	buf_reset(&reason);
	p = fixture_policy(&f, "r.json", GRANT("Allow", "\"*\"", "s3:GetObject", "*"), POLICY_RESOURCE);
	CHECK(p && eval_policy_check(p, &reason));
	buf_release(&reason);
	fixture_release(&f);
}

static void test_actions_and_resources(void)
{
	const char *const allow_wild[] = {ALLOW("S3:get*", "arn:aws:s3:::reports/*"), NULL};
	const char *const allow_other[] = {ALLOW("s3:Put*", "*"), NULL};
	const char *const not_action[] = {"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
					  " \"NotAction\": \"s3:Delete*\", \"Resource\": \"*\"}]}", NULL};
	const char *const not_action_miss[] = {"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
					       " \"NotAction\": [\"s3:Delete*\", \"s3:Get*\"], \"Resource\": \"*\"}]}", NULL};
	const char *const not_resource[] = {"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
					    " \"Action\": \"s3:*\", \"NotResource\": \"arn:aws:s3:::secret/*\"}]}", NULL};
	const char *const by_tag[] = {"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
				      " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::${aws:PrincipalTag/team}/*\"}]}",
				      NULL};
	struct request_spec spec = {APP, "s3:GetObject", BUCKET_OBJECT, "111122223333", allow_wild, NULL, NULL, true};

	CHECK(decide(&spec) == EVAL_ALLOWED);
	spec.resource = "arn:aws:s3:::other/x";
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	spec.resource = BUCKET_OBJECT;
	spec.identity = allow_other;
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	spec.identity = not_action;
	CHECK(decide(&spec) == EVAL_ALLOWED);
	spec.identity = not_action_miss;
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	spec.identity = not_resource;
	CHECK(decide(&spec) == EVAL_ALLOWED);
	spec.resource = "arn:aws:s3:::secret/key";
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	spec.identity = by_tag;
	spec.resource = "arn:aws:s3:::red/key";
	spec.keys = KEYS("aws:PrincipalTag/team=red");
	CHECK(decide(&spec) == EVAL_ALLOWED);
	spec.keys = KEYS("aws:PrincipalTag/team=blue");
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	/* No value for the variable: the statement does not apply. */
	spec.keys = NULL;
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	/* An unknown tag leaves the decision open. */
	spec.closed = false;
	CHECK(decide(&spec) == EVAL_UNDECIDED);
}

static void test_cross_account(void)
{
	const char *const allow_all[] = {ALLOW("s3:*", "*"), NULL};
	const char *const allow_any[] = {ALLOW("*", "*"), NULL};
	const char *grant = GRANT("Allow", "{\"AWS\": \"" APP "\"}", "s3:GetObject", "arn:aws:s3:::reports/*");
	struct request_spec spec = {APP, "s3:GetObject", BUCKET_OBJECT, OTHER_ACCOUNT, allow_all, NULL, NULL, true};

	/* No bucket policy at all: the identity policy alone cannot reach across. */
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	/* Only the bucket policy grants: not enough across accounts, enough within one. */
	spec.identity = allow_nothing;
	spec.resource_policy = grant;
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	spec.resource_account = "111122223333";
	CHECK(decide(&spec) == EVAL_ALLOWED);
	/* Both sides grant across accounts. */
	spec.identity = allow_all;
	spec.resource_account = OTHER_ACCOUNT;
	CHECK(decide(&spec) == EVAL_ALLOWED);
	/* Same account, identity policy only. */
	spec.resource_policy = NULL;
	spec.resource_account = "111122223333";
	CHECK(decide(&spec) == EVAL_ALLOWED);
	/* A bucket ARN names no account, so without one the decision may depend on it. */
	spec.resource_account = NULL;
	CHECK(decide(&spec) == EVAL_UNDECIDED);
	/* ... unless both readings agree. */
	spec.identity = allow_nothing;
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	/* The account in the resource's ARN counts. */
	spec.identity = allow_any;
	spec.action = "sqs:SendMessage";
	spec.resource = "arn:aws:sqs:eu-west-1:111122223333:jobs";
	CHECK(decide(&spec) == EVAL_ALLOWED);
	spec.resource = "arn:aws:sqs:eu-west-1:" OTHER_ACCOUNT ":jobs";
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
}

static void test_account_level_grant(void)
{
	const char *const allow_all[] = {ALLOW("s3:*", "*"), NULL};
	const char *account = GRANT("Allow", "{\"AWS\": \"111122223333\"}", "s3:GetObject", "*");
	struct request_spec spec = {APP, "s3:GetObject", BUCKET_OBJECT, "111122223333", allow_nothing, account,
				    NULL, true};

	/* Within one account an Allow for the account only delegates to identity policies. */
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	spec.identity = allow_all;
	CHECK(decide(&spec) == EVAL_ALLOWED);
}

static void test_kms_key(void)
{
	const char *key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
	const char *const allow_kms[] = {ALLOW("kms:Decrypt", "*"), NULL};
	const char *root_only = GRANT("Allow", "{\"AWS\": \"arn:aws:iam::111122223333:root\"}", "kms:*", "*");
	const char *app_only = GRANT("Allow", "{\"AWS\": \"" APP "\"}", "kms:Decrypt", "*");
	const char *nobody = GRANT("Allow", "{\"AWS\": \"arn:aws:iam::111122223333:role/admin\"}", "kms:*", "*");
	struct request_spec spec = {APP, "kms:Decrypt", key, NULL, allow_kms, NULL, NULL, true};

	/* A key policy must allow even within the account: none at all denies. */
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	spec.resource_policy = nobody;
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	/* An Allow for the account delegates to the identity policies. */
	spec.resource_policy = root_only;
	CHECK(decide(&spec) == EVAL_ALLOWED);
	spec.identity = allow_nothing;
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	/* An Allow for the caller itself suffices. */
	spec.resource_policy = app_only;
	CHECK(decide(&spec) == EVAL_ALLOWED);
	/* An alias is not a key: identity policies suffice within the account. */
	spec.identity = allow_kms;
	spec.resource_policy = NULL;
	spec.resource = "arn:aws:kms:eu-west-1:111122223333:alias/app";
	CHECK(decide(&spec) == EVAL_ALLOWED);
	CHECK(eval_resource_policy_required("kms:Decrypt", key));
	CHECK(!eval_resource_policy_required("kms:Decrypt", "arn:aws:kms:eu-west-1:111122223333:alias/app"));
	CHECK(!eval_resource_policy_required("s3:GetObject", key));
}

static void test_role_trust(void)
{
	const char *role = "arn:aws:iam::111122223333:role/data-writer";
	const char *const allow_assume[] = {ALLOW("sts:AssumeRole", "*"), NULL};
	const char *trust_account = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
				    " \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"sts:AssumeRole\"}]}";
	const char *trust_app = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
				" \"Principal\": {\"AWS\": \"" APP "\"}, \"Action\": \"sts:AssumeRole\"}]}";
	struct request_spec spec = {APP, "sts:AssumeRole", role, NULL, allow_assume, NULL, NULL, true};

	/* Even within the account, a role is assumed only through its trust policy. */
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	spec.resource_policy = trust_account;
	CHECK(decide(&spec) == EVAL_ALLOWED);
	spec.identity = allow_nothing;
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	spec.resource_policy = trust_app;
	CHECK(decide(&spec) == EVAL_ALLOWED);
	/* Across accounts the caller's identity policy must allow it too. */
	spec.resource = "arn:aws:iam::" OTHER_ACCOUNT ":role/data-writer";
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
	spec.identity = allow_assume;
	CHECK(decide(&spec) == EVAL_ALLOWED);
	/* A web identity provider has no identity policies: the trust policy decides. */
	spec.principal = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
	spec.action = "sts:AssumeRoleWithWebIdentity";
	spec.resource_policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
			       " \"Principal\": {\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC\"},"
			       " \"Action\": \"sts:AssumeRoleWithWebIdentity\"}]}";
	CHECK(decide(&spec) == EVAL_ALLOWED);
}

static void test_explicit_deny(void)
{
	const char *const deny_identity[] = {ALLOW("s3:*", "*"),
					     "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\","
					     " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::reports/*\"}]}",
					     NULL};
	const char *const allow_all[] = {ALLOW("s3:*", "*"), NULL};
	const char *deny_account = "{\"Version\": \"2012-10-17\", \"Statement\": ["
				   "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\"},"
				   "{\"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"s3:*\", \"Resource\": \"*\"}]}";
	const char *deny_insecure = "{\"Version\": \"2012-10-17\", \"Statement\": ["
				    "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\"},"
				    "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\","
				    " \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}]}";
	struct request_spec spec = {APP, "s3:GetObject", BUCKET_OBJECT, "111122223333", deny_identity, NULL, NULL,
				    true};

	CHECK(decide(&spec) == EVAL_EXPLICITLY_DENIED);
	/* A Deny for the caller's account denies every principal of it. */
	spec.identity = allow_all;
	spec.resource_policy = deny_account;
	CHECK(decide(&spec) == EVAL_EXPLICITLY_DENIED);
	/* An SDK sends requests over HTTPS, so the usual TLS guard does not apply. */
	spec.resource_policy = deny_insecure;
	spec.closed = false;
	CHECK(decide(&spec) == EVAL_ALLOWED);
	spec.keys = KEYS("aws:SecureTransport=false");
	CHECK(decide(&spec) == EVAL_EXPLICITLY_DENIED);
	/* A Deny that may apply keeps the request from being Allowed. */
	spec.keys = NULL;
	spec.resource_policy = "{\"Version\": \"2012-10-17\", \"Statement\": ["
			       "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\","
			       " \"Condition\": {\"StringNotEquals\": {\"aws:SourceVpce\": \"vpce-1\"}}}]}";
	CHECK(decide(&spec) == EVAL_UNDECIDED);
}

static void test_not_principal(void)
{
	const char *const allow_all[] = {ALLOW("s3:*", "*"), NULL};
	const char *both = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\","
			   " \"Action\": \"s3:*\", \"Resource\": \"*\"}, {\"Effect\": \"Deny\", \"NotPrincipal\":"
			   " {\"AWS\": [\"" APP "\", \"arn:aws:iam::111122223333:root\"]}, \"Action\": \"s3:*\","
			   " \"Resource\": \"*\"}]}";
	const char *role_only = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\","
				" \"Action\": \"s3:*\", \"Resource\": \"*\"}, {\"Effect\": \"Deny\", \"NotPrincipal\":"
				" {\"AWS\": \"" APP "\"}, \"Action\": \"s3:*\", \"Resource\": \"*\"}]}";
	const char *other = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\","
			    " \"Action\": \"s3:*\", \"Resource\": \"*\"}, {\"Effect\": \"Deny\", \"NotPrincipal\":"
			    " {\"AWS\": [\"arn:aws:iam::111122223333:role/admin\", \"111122223333\"]}, \"Action\": \"s3:*\","
			    " \"Resource\": \"*\"}]}";
	const char *allow_not = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"NotPrincipal\":"
				" {\"AWS\": \"arn:aws:iam::111122223333:role/admin\"}, \"Action\": \"s3:*\", \"Resource\": \"*\"}]}";
	struct request_spec spec = {APP, "s3:GetObject", BUCKET_OBJECT, OTHER_ACCOUNT, allow_all, both, NULL, true};
	struct run r;

	/* Naming the caller and its account exempts it from the Deny. */
	CHECK(decide(&spec) == EVAL_ALLOWED);
	spec.principal = APP_SESSION;
	CHECK(decide(&spec) == EVAL_ALLOWED);
	/* Naming only the role leaves the account, which AWS may check first, denied. */
	spec.principal = APP;
	spec.resource_policy = role_only;
	CHECK(run_request(&r, &spec) == EVAL_EXPLICITLY_DENIED);
	CHECK(resource_statement_decides(&r, 1, EFFECT_DENY));
	CHECK(strstr(buf_str(&r.trace), "AWS may check the account first") != NULL);
	run_release(&r);
	/* Another principal of the account is denied. */
	spec.resource_policy = other;
	CHECK(decide(&spec) == EVAL_EXPLICITLY_DENIED);
	/* With Allow, everyone but the named principals is granted. */
	spec.resource_policy = allow_not;
	CHECK(decide(&spec) == EVAL_ALLOWED);
	spec.principal = "arn:aws:iam::111122223333:role/admin";
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
}

/* The four acceptance cases of `iamcross simulate`. */
static void test_acceptance(void)
{
	const char *const assume[] = {ALLOW("sts:AssumeRole", "arn:aws:iam::444455556666:role/data-writer"), NULL};
	const char *trust = "{\"Version\": \"2012-10-17\", \"Statement\": ["
			    "{\"Sid\": \"TrustAccount\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"sts:AssumeRole\"},"
			    "{\"Sid\": \"DenyApp\", \"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"" APP "\"}, \"Action\": \"sts:AssumeRole\"}]}";
	const char *const send[] = {ALLOW("sqs:SendMessage", "*"), NULL};
	const char *queue = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\","
			    " \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:eu-west-1:444455556666:jobs\","
			    " \"Condition\": {\"ArnNotEquals\": {\"aws:SourceArn\": \"arn:aws:sns:eu-west-1:444455556666:events\"}}}]}";
	const char *const s3_all[] = {ALLOW("s3:*", "*"), NULL};
	const char *bucket = GRANT("Allow", "{\"AWS\": \"" APP "\"}", "s3:GetObject", "arn:aws:s3:::reports/*");
	struct request_spec spec1 = {APP, "sts:AssumeRole", "arn:aws:iam::444455556666:role/data-writer", NULL,
				     assume, trust, NULL, false};
	struct request_spec spec2 = {APP, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:444455556666:jobs", NULL, send,
				     queue, NULL, false};
	struct request_spec spec3 = {APP, "s3:GetObject", BUCKET_OBJECT, OTHER_ACCOUNT, s3_all, NULL, NULL, false};
	struct request_spec spec4 = {APP, "s3:GetObject", BUCKET_OBJECT, OTHER_ACCOUNT, allow_nothing, bucket, NULL,
				     false};
	struct run r;

	CHECK(run_request(&r, &spec1) == EVAL_EXPLICITLY_DENIED);
	CHECK(resource_statement_decides(&r, 1, EFFECT_DENY));
	CHECK(strstr(r.result.reason, "DenyApp") != NULL);
	run_release(&r);
	CHECK(decide(&spec2) == EVAL_ALLOWED);
	CHECK(decide(&spec3) == EVAL_IMPLICITLY_DENIED);
	CHECK(decide(&spec4) == EVAL_IMPLICITLY_DENIED);
	spec4.resource_account = "111122223333";
	CHECK(decide(&spec4) == EVAL_ALLOWED);
}

static void test_undecided_dependencies(void)
{
	const char *const put[] = {ALLOW("s3:PutObject", "*"), NULL};
	const char *acl = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\":"
			  " {\"AWS\": \"" APP "\"}, \"Action\": \"s3:PutObject\", \"Resource\": \"*\","
			  " \"Condition\": {\"StringEquals\": {\"s3:x-amz-acl\": \"bucket-owner-full-control\"}}}]}";
	struct request_spec spec = {APP, "s3:PutObject", BUCKET_OBJECT, OTHER_ACCOUNT, put, acl, NULL, false};
	struct run r;

	CHECK(run_request(&r, &spec) == EVAL_UNDECIDED);
	CHECK(r.result.possible == ((1u << EVAL_ALLOWED) | (1u << EVAL_IMPLICITLY_DENIED)));
	CHECK(r.result.dependency_count == 1);
	CHECK_STR(r.result.dependency_count ? r.result.dependencies[0].name : NULL, "s3:x-amz-acl");
	CHECK(r.result.dependency_count && r.result.dependencies[0].condition != NULL);
	CHECK(strstr(r.result.reason, "s3:x-amz-acl") != NULL);
	run_release(&r);
	spec.keys = KEYS("s3:x-amz-acl=bucket-owner-full-control");
	CHECK(decide(&spec) == EVAL_ALLOWED);
	spec.keys = KEYS("s3:x-amz-acl=private");
	CHECK(decide(&spec) == EVAL_IMPLICITLY_DENIED);
}

static void test_callers(void)
{
	struct arena arena;
	struct eval_caller c;
	struct buf reason = BUF_INIT;

	arena_init(&arena);
	CHECK(eval_caller_parse(&c, APP_SESSION, &arena, &reason));
	CHECK(c.kind == EVAL_CALLER_ROLE_SESSION);
	CHECK_STR(c.role_arn, APP);
	CHECK(!c.role_path_known);
	CHECK_STR(c.account, "111122223333");
	CHECK(eval_caller_parse(&c, "arn:aws:iam::111122223333:role/team/app", &arena, &reason));
	CHECK(c.kind == EVAL_CALLER_ROLE);
	CHECK(c.role_path_known);
	CHECK(eval_caller_parse(&c, "s3.amazonaws.com", &arena, &reason));
	CHECK(c.kind == EVAL_CALLER_SERVICE);
	CHECK(c.account == NULL);
	CHECK(!eval_caller_parse(&c, "111122223333", &arena, &reason));
	CHECK(strstr(buf_str(&reason), "root") != NULL);
	buf_reset(&reason);
	CHECK(!eval_caller_parse(&c, "arn:aws:iam::111122223333:role/*", &arena, &reason));
	CHECK(!eval_caller_parse(&c, "*", &arena, &reason));
	buf_release(&reason);
	arena_release(&arena);
}

int main(void)
{
	test_principal_forms();
	test_policy_check();
	test_actions_and_resources();
	test_cross_account();
	test_account_level_grant();
	test_kms_key();
	test_role_trust();
	test_explicit_deny();
	test_not_principal();
	test_acceptance();
	test_undecided_dependencies();
	test_callers();
	return tap_done();
}
