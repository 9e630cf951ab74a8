/*
 * The trust and size rules: IRSA trust statements with unresolved values,
 * the expected service account the Terraform layer passes in, the loader's
 * reading of a plain trust policy, and the exact size at which each quota
 * starts to be reported.
 */
#include "iamcross/lint.h"
#include "iamcross/load.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ISSUER "oidc.eks.eu-west-2.amazonaws.com/id/D1A2B3C4E5F60718293A4B5C6D7E8F90"
#define PROVIDER "arn:aws:iam::111122223333:oidc-provider/" ISSUER

struct linted {
	struct context ctx;
	struct policy_set set;
	const struct policy *policy;
};

static void load_text(struct linted *l, const char *text, enum policy_kind kind)
{
	uint32_t id;

	id = source_set_add(&l->ctx.sources, "policy.json", text, strlen(text));
	l->policy = load_json_policy(&l->ctx, &l->set, id, kind) ? l->set.items[l->set.count - 1] : NULL;
}

static void lint_text(struct linted *l, const char *text, enum policy_kind kind)
{
	context_init(&l->ctx);
	policy_set_init(&l->set);
	load_text(l, text, kind);
	if (l->policy)
		lint_policy(&l->ctx, l->policy);
	diag_finish(&l->ctx.diags);
}

static void linted_release(struct linted *l)
{
	policy_set_release(&l->set);
	context_release(&l->ctx);
}

static size_t count_rule(const struct linted *l, enum rule_id rule)
{
	size_t n = 0;

	for (size_t i = 0; i < l->ctx.diags.count; i++)
		n += l->ctx.diags.items[i].rule == rule;
	return n;
}

static const struct finding *first_of(const struct linted *l, enum rule_id rule)
{
	for (size_t i = 0; i < l->ctx.diags.count; i++) {
		if (l->ctx.diags.items[i].rule == rule)
			return &l->ctx.diags.items[i];
	}
	return NULL;
}

/*
 * A trust statement of the IRSA module, with the sub and aud values given.
 * When the sub operator is StringEquals, both keys share one object,
 * because only the last of two members with the same name counts.
 */
static char *irsa_trust(const char *sub_operator, const char *sub, const char *aud)
{
	if (strcmp(sub_operator, "StringEquals") == 0)
		return xasprintf("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
				 " \"Principal\": {\"Federated\": \"" PROVIDER "\"},"
				 " \"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {"
				 "\"StringEquals\": {\"" ISSUER ":sub\": \"%s\", \"" ISSUER ":aud\": \"%s\"}}}]}",
				 sub, aud);
	return xasprintf("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
			 " \"Principal\": {\"Federated\": \"" PROVIDER "\"},"
			 " \"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {"
			 "\"%s\": {\"" ISSUER ":sub\": \"%s\"},"
			 " \"StringEquals\": {\"" ISSUER ":aud\": \"%s\"}}}]}",
			 sub_operator, sub, aud);
}

static void test_plain_trust_detected(void)
{
	static const char trust[] =
		"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
		" \"Principal\": {\"AWS\": \"arn:aws:iam::444455556666:root\"},"
		" \"Action\": [\"sts:AssumeRole\", \"sts:TagSession\"]}]}";
	static const char queue[] =
		"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
		" \"Principal\": {\"AWS\": \"arn:aws:iam::444455556666:root\"},"
		" \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:eu-west-2:111122223333:q\"}]}";
	static const char assume_on_resource[] =
		"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
		" \"Principal\": {\"AWS\": \"arn:aws:iam::444455556666:root\"},"
		" \"Action\": \"sts:AssumeRole\", \"Resource\": \"*\"}]}";
	struct linted l;

	lint_text(&l, trust, POLICY_RESOURCE);
	CHECK(l.policy && l.policy->kind == POLICY_TRUST);
	CHECK(count_rule(&l, RULE_MISSING_ELEMENT) == 0);
	CHECK(count_rule(&l, RULE_TRUST_WITHOUT_CONDITION) == 1);
	linted_release(&l);

	lint_text(&l, queue, POLICY_RESOURCE);
	CHECK(l.policy && l.policy->kind == POLICY_RESOURCE);
	linted_release(&l);

	lint_text(&l, assume_on_resource, POLICY_RESOURCE);
	CHECK(l.policy && l.policy->kind == POLICY_RESOURCE);
	linted_release(&l);

	lint_text(&l, trust, POLICY_IDENTITY);
	CHECK(l.policy && l.policy->kind == POLICY_IDENTITY);
	linted_release(&l);
}

static void test_irsa_cases(void)
{
	static const struct {
		const char *sub_operator;
		const char *sub;
		const char *aud;
		size_t wildcards;
		size_t mismatches;
	} cases[] = {
		{"StringEquals", "system:serviceaccount:reports:exporter", "sts.amazonaws.com", 0, 0},
		{"StringEqualsIgnoreCase", "system:serviceaccount:reports:exporter", "sts.amazonaws.com", 0, 0},
		{"StringLike", "system:serviceaccount:reports:exporter", "sts.amazonaws.com", 0, 0},
		{"StringLike", "system:serviceaccount:*:*", "sts.amazonaws.com", 1, 0},
		{"StringLike", "system:serviceaccount:reports:*", "sts.amazonaws.com", 1, 0},
		{"StringLike", "system:serviceaccount:reports-?:exporter", "sts.amazonaws.com", 1, 0},
		{"StringLike", "*", "sts.amazonaws.com", 1, 0},
		{"StringLike", "system:serviceaccount:reports:exporter-${*}", "sts.amazonaws.com", 0, 0},
		{"StringEquals", "system:serviceaccount:reports:*", "sts.amazonaws.com", 0, 0},
		{"StringEquals", "system:serviceaccount:reports", "sts.amazonaws.com", 0, 1},
		{"StringEquals", "serviceaccount:reports:exporter", "sts.amazonaws.com", 0, 1},
		{"StringEquals", "system:serviceaccount:reports:exporter:extra", "sts.amazonaws.com", 0, 1},
		{"StringEquals", "system:serviceaccount:reports:exporter", "sts", 0, 1},
		{"StringNotEquals", "system:serviceaccount:reports:exporter", "sts.amazonaws.com", 1, 0},
		{"StringEquals", "system:serviceaccount:reports:exporter", "system:serviceaccount:reports:exporter", 0, 1},
	};

	for (size_t i = 0; i < IX_COUNT(cases); i++) {
		char *trust = irsa_trust(cases[i].sub_operator, cases[i].sub, cases[i].aud);
		struct linted l;

		lint_text(&l, trust, POLICY_TRUST);
		if (!CHECK(count_rule(&l, RULE_IRSA_TRUST_WILDCARD) == cases[i].wildcards) ||
		    !CHECK(count_rule(&l, RULE_IRSA_TRUST_MISMATCH) == cases[i].mismatches))
			printf("#   %s '%s', aud '%s'\n", cases[i].sub_operator, cases[i].sub, cases[i].aud);
		linted_release(&l);
		free(trust);
	}
}

/*
 * JSON text can carry a hole: "\u0001<id>\u0002" decodes to the bytes
 * symbol.h uses.  The Terraform layer makes such values from expressions.
 */
static void test_irsa_holes(void)
{
	struct linted l;
	char *trust;
	uint32_t issuer;
	uint32_t name;

	context_init(&l.ctx);
	policy_set_init(&l.set);
	issuer = symbol_intern(&l.ctx.symbols, "module.eks.oidc_issuer", NULL, span_make(0, 0, 0));
	name = symbol_intern(&l.ctx.symbols, "var.service_account", NULL, span_make(0, 0, 0));
	trust = xasprintf("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
			  " \"Principal\": {\"Federated\": \"" PROVIDER "\"},"
			  " \"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {\"StringEquals\": {"
			  "\"\\u0001%u\\u0002:sub\": \"system:serviceaccount:reports:\\u0001%u\\u0002\","
			  " \"\\u0001%u\\u0002:aud\": \"sts.amazonaws.com\"}}}]}",
			  issuer, name, issuer);
	load_text(&l, trust, POLICY_TRUST);
	CHECK(l.policy != NULL);
	if (l.policy)
		lint_policy(&l.ctx, l.policy);
	diag_finish(&l.ctx.diags);
	CHECK(count_rule(&l, RULE_IRSA_TRUST_WILDCARD) == 0);
	CHECK(count_rule(&l, RULE_IRSA_TRUST_MISMATCH) == 0);

	/* An unknown service account name matches any expected one. */
	if (l.policy)
		lint_irsa_expect_service_account(&l.ctx, l.policy, "reports", "exporter", span_make(0, 0, 0));
	CHECK(count_rule(&l, RULE_IRSA_TRUST_MISMATCH) == 0);
	if (l.policy)
		lint_irsa_expect_service_account(&l.ctx, l.policy, "billing", "exporter", span_make(0, 0, 0));
	CHECK(count_rule(&l, RULE_IRSA_TRUST_MISMATCH) == 1);
	linted_release(&l);
	free(trust);
}

static void test_expected_service_account(void)
{
	char *exact = irsa_trust("StringEquals", "system:serviceaccount:reports:exporter", "sts.amazonaws.com");
	char *pattern = irsa_trust("StringLike", "system:serviceaccount:reports:export*", "sts.amazonaws.com");
	uint32_t namespace_symbol;
	const struct finding *f;
	struct linted l;

	lint_text(&l, exact, POLICY_TRUST);
	lint_irsa_expect_service_account(&l.ctx, l.policy, "reports", "exporter", span_make(0, 0, 0));
	CHECK(count_rule(&l, RULE_IRSA_TRUST_MISMATCH) == 0);
	lint_irsa_expect_service_account(&l.ctx, l.policy, "reports", "importer", span_make(1, 0, 4));
	CHECK(count_rule(&l, RULE_IRSA_TRUST_MISMATCH) == 1);
	f = first_of(&l, RULE_IRSA_TRUST_MISMATCH);
	CHECK(f && strstr(f->message, "'system:serviceaccount:reports:importer'"));
	CHECK(f && f->related_count == 1);
	namespace_symbol = symbol_intern(&l.ctx.symbols, "var.namespace", NULL, span_make(0, 0, 0));
	{
		struct buf ns = BUF_INIT;

		hole_append(&ns, namespace_symbol);
		lint_irsa_expect_service_account(&l.ctx, l.policy, buf_str(&ns), "exporter", span_make(0, 0, 0));
		buf_release(&ns);
	}
	CHECK(count_rule(&l, RULE_IRSA_TRUST_MISMATCH) == 1);
	linted_release(&l);

	lint_text(&l, pattern, POLICY_TRUST);
	lint_irsa_expect_service_account(&l.ctx, l.policy, "reports", "exporter", span_make(0, 0, 0));
	CHECK(count_rule(&l, RULE_IRSA_TRUST_MISMATCH) == 0);
	lint_irsa_expect_service_account(&l.ctx, l.policy, "billing", "exporter", span_make(0, 0, 0));
	CHECK(count_rule(&l, RULE_IRSA_TRUST_MISMATCH) == 1);
	linted_release(&l);
	free(exact);
	free(pattern);
}

static void test_trust_without_condition_holes(void)
{
	struct linted l;
	char *trust;
	uint32_t account;

	context_init(&l.ctx);
	policy_set_init(&l.set);
	account = symbol_intern(&l.ctx.symbols, "var.vendor_account", NULL, span_make(0, 0, 0));
	trust = xasprintf("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
			  " \"Principal\": {\"AWS\": [\"arn:aws:iam::\\u0001%u\\u0002:root\", \"*\"]},"
			  " \"Action\": \"sts:AssumeRole\"}]}",
			  account);
	load_text(&l, trust, POLICY_TRUST);
	if (l.policy)
		lint_policy(&l.ctx, l.policy);
	diag_finish(&l.ctx.diags);
	CHECK(count_rule(&l, RULE_TRUST_WITHOUT_CONDITION) == 0);
	linted_release(&l);
	free(trust);
}

static void test_negated_only_cases(void)
{
	static const struct {
		const char *condition;
		size_t reported;
	} cases[] = {
		{"{\"ArnNotEquals\": {\"aws:SourceArn\": \"arn:aws:sns:eu-west-2:111122223333:t\"}}", 1},
		{"{\"ArnNotLikeIfExists\": {\"aws:SourceArn\": \"arn:aws:sns:*:111122223333:t\"}}", 1},
		{"{\"StringNotEquals\": {\"aws:SourceAccount\": \"999988887777\"}}", 1},
		{"{\"NotIpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}", 1},
		{"{\"Null\": {\"aws:SourceArn\": \"true\"}}", 1},
		{"{\"Null\": {\"aws:SourceArn\": \"false\"}}", 0},
		{"{\"ForAllValues:StringEquals\": {\"aws:TagKeys\": \"team\"}}", 1},
		{"{\"ForAnyValue:StringNotEquals\": {\"aws:TagKeys\": \"team\"}}", 0},
		{"{\"ArnEquals\": {\"aws:SourceArn\": \"arn:aws:sns:eu-west-2:111122223333:t\"}}", 0},
		{"{\"ArnEquals\": {\"aws:SourceArn\": \"arn:aws:sns:eu-west-2:111122223333:t\"},"
		 " \"StringNotEquals\": {\"aws:SourceAccount\": \"999988887777\"}}", 0},
		{"{\"Frobnicate\": {\"aws:SourceArn\": \"x\"}}", 0},
	};

	for (size_t i = 0; i < IX_COUNT(cases); i++) {
		char *policy = xasprintf("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
					 " \"Principal\": \"*\", \"Action\": \"sqs:SendMessage\","
					 " \"Resource\": \"arn:aws:sqs:eu-west-2:111122223333:q\", \"Condition\": %s}]}",
					 cases[i].condition);
		struct linted l;

		lint_text(&l, policy, POLICY_RESOURCE);
		if (!CHECK(count_rule(&l, RULE_NEGATED_CONDITION_ONLY) == cases[i].reported))
			printf("#   condition %s\n", cases[i].condition);
		CHECK(count_rule(&l, RULE_WILDCARD_PRINCIPAL) == 0);
		linted_release(&l);
		free(policy);
	}
}

/*
 * A minified policy of exactly `size` characters: one statement whose Sid
 * is padded to reach it.  `wrapper` holds a %s for the policy.
 */
static char *policy_of_size(size_t size, const char *statement_rest, const char *wrapper)
{
	const char *head = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"";
	size_t fixed = strlen(head) + strlen("\",") + strlen(statement_rest) + strlen("}]}");
	struct buf policy = BUF_INIT;
	char *wrapped;

	buf_puts(&policy, head);
	for (size_t i = fixed; i < size; i++)
		buf_putc(&policy, 'S');
	buf_puts(&policy, "\",");
	buf_puts(&policy, statement_rest);
	buf_puts(&policy, "}]}");
	wrapped = xasprintf(wrapper, buf_str(&policy));
	buf_release(&policy);
	return wrapped;
}

static void test_size_boundaries(void)
{
	static const char sqs[] =
		"\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},"
		"\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:eu-west-2:111122223333:q\"";
	static const char kms[] =
		"\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},"
		"\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"";
	static const char sns[] =
		"\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},"
		"\"Action\":\"SNS:Publish\",\"Resource\":\"arn:aws:sns:eu-west-2:111122223333:t\"";
	static const char secret[] =
		"\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},"
		"\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"";
	static const char s3[] =
		"\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},"
		"\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::reports/*\"";
	static const char identity[] =
		"\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::reports/*\"";
	static const char trust[] =
		"\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"";
	static const struct {
		const char *name;
		const char *statement;
		const char *wrapper;
		enum policy_kind kind;
		size_t limit;
		enum severity severity;
	} cases[] = {
		{"queue policy", sqs, "%s", POLICY_RESOURCE, 8192, SEVERITY_ERROR},
		{"key policy", kms, "%s", POLICY_RESOURCE, 32768, SEVERITY_ERROR},
		{"topic policy", sns, "%s", POLICY_RESOURCE, 30720, SEVERITY_ERROR},
		{"secret policy", secret, "%s", POLICY_RESOURCE, 20480, SEVERITY_ERROR},
		{"bucket policy", s3, "%s", POLICY_RESOURCE, 20480, SEVERITY_ERROR},
		{"managed policy", identity, "{\"PolicyVersion\": {\"Document\": %s}}", POLICY_IDENTITY, 6144, SEVERITY_ERROR},
		{"inline role policy", identity, "{\"RoleName\": \"r\", \"PolicyName\": \"p\", \"PolicyDocument\": %s}",
		 POLICY_IDENTITY, 10240, SEVERITY_ERROR},
		{"inline user policy", identity, "{\"UserName\": \"u\", \"PolicyName\": \"p\", \"PolicyDocument\": %s}",
		 POLICY_IDENTITY, 2048, SEVERITY_ERROR},
		{"inline group policy", identity, "{\"GroupName\": \"g\", \"PolicyName\": \"p\", \"PolicyDocument\": %s}",
		 POLICY_IDENTITY, 5120, SEVERITY_ERROR},
		{"identity policy, managed size", identity, "%s", POLICY_IDENTITY, 6144, SEVERITY_WARNING},
		{"identity policy, inline size", identity, "%s", POLICY_IDENTITY, 10240, SEVERITY_ERROR},
		{"trust policy, default quota", trust, "%s", POLICY_TRUST, 2048, SEVERITY_WARNING},
		{"trust policy, maximum quota", trust, "%s", POLICY_TRUST, 4096, SEVERITY_ERROR},
	};

	for (size_t i = 0; i < IX_COUNT(cases); i++) {
		for (size_t extra = 0; extra <= 1; extra++) {
			char *text = policy_of_size(cases[i].limit + extra, cases[i].statement, cases[i].wrapper);
			const struct finding *f;
			struct linted l;
			size_t found = 0;

			lint_text(&l, text, cases[i].kind);
			for (size_t k = 0; k < l.ctx.diags.count; k++) {
				f = &l.ctx.diags.items[k];
				found += f->rule == RULE_POLICY_TOO_LARGE && f->severity == cases[i].severity;
			}
			if (!CHECK(found == extra))
				printf("#   %s of %zu\n", cases[i].name, cases[i].limit + extra);
			linted_release(&l);
			free(text);
		}
	}
}

static void test_size_ignores_white_space(void)
{
	char *text = policy_of_size(6144, "\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::r/*\"",
				    "{\"PolicyVersion\": {\"Document\": %s}}");
	struct buf spaced = BUF_INIT;
	struct linted l;

	for (const char *p = text; *p; p++) {
		buf_putc(&spaced, *p);
		if (*p == ',' || *p == ':')
			buf_puts(&spaced, "\n    ");
	}
	lint_text(&l, buf_str(&spaced), POLICY_IDENTITY);
	CHECK(count_rule(&l, RULE_POLICY_TOO_LARGE) == 0);
	linted_release(&l);
	buf_release(&spaced);
	free(text);
}

int main(void)
{
	test_plain_trust_detected();
	test_irsa_cases();
	test_irsa_holes();
	test_expected_service_account();
	test_trust_without_condition_holes();
	test_negated_only_cases();
	test_size_boundaries();
	test_size_ignores_white_space();
	return tap_done();
}
