/*
 * The lint rules that rest on the action catalog, run on policies written
 * as JSON text.  Every catalog action is accepted in any case, and mutated
 * names are rejected with a real action as the suggestion.  Tables of real
 * cases pin action-resource-mismatch, the condition rules and the forms of
 * condition values.
 */
#include "iamcross/lint.h"
#include "iamcross/load.h"
#include "../../src/lint/lint_internal.h"
#include "tap.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct linted {
	struct context ctx;
	struct policy_set set;
};

static void lint_text(struct linted *l, const char *text, enum policy_kind kind)
{
	uint32_t id;

	context_init(&l->ctx);
	policy_set_init(&l->set);
	id = source_set_add(&l->ctx.sources, "policy.json", text, strlen(text));
	if (load_json_policy(&l->ctx, &l->set, id, kind))
		lint_policy(&l->ctx, l->set.items[0]);
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

/* The text a finding points at, without quotes, in `out`. */
static void finding_text(const struct linted *l, const struct finding *f, char *out, size_t size)
{
	const struct source *src = source_get(&l->ctx.sources, f->span.source);
	size_t start = f->span.offset;
	size_t length = f->span.length;

	if (length >= 2 && src->text[start] == '"') {
		start++;
		length -= 2;
	}
	snprintf(out, size, "%.*s", (int)length, src->text + start);
}

static void print_findings(const struct linted *l, enum rule_id rule, size_t limit)
{
	size_t shown = 0;

	for (size_t i = 0; i < l->ctx.diags.count && shown < limit; i++) {
		const struct finding *f = &l->ctx.diags.items[i];
		char text[256];

		if (f->rule != rule)
			continue;
		finding_text(l, f, text, sizeof(text));
		printf("#   %s at '%s': %s\n", rule_get(rule)->name, text, f->message);
		shown++;
	}
}

static void copy_case(char *out, const char *s, int (*convert)(int))
{
	for (; *s; s++)
		*out++ = (char)convert((unsigned char)*s);
	*out = '\0';
}

static int keep_case(int c)
{
	return c;
}

/*
 * One policy that lists every catalog action, spelt through `convert`, on
 * "*": not one unknown-action or unknown-service finding may come back.
 */
static void check_every_action_in_case(int (*convert)(int), const char *what)
{
	struct buf text = BUF_INIT;
	struct linted l;
	char name[256];

	buf_puts(&text, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Resource\": \"*\", \"Action\": [");
	for (size_t i = 0; i < catalog_action_count(); i++) {
		copy_case(name, catalog_action_name(catalog_action_at(i)), convert);
		buf_printf(&text, "%s\"%s\"", i ? ", " : "", name);
	}
	buf_puts(&text, "]}]}");

	lint_text(&l, buf_str(&text), POLICY_IDENTITY);
	if (!tap_check(count_rule(&l, RULE_UNKNOWN_ACTION) == 0, what, __FILE__, __LINE__))
		print_findings(&l, RULE_UNKNOWN_ACTION, 10);
	if (!tap_check(count_rule(&l, RULE_UNKNOWN_SERVICE) == 0, what, __FILE__, __LINE__))
		print_findings(&l, RULE_UNKNOWN_SERVICE, 10);
	CHECK(count_rule(&l, RULE_JSON_SYNTAX) == 0);
	linted_release(&l);
	buf_release(&text);
}

static void test_every_action_accepted(void)
{
	check_every_action_in_case(keep_case, "every catalog action is accepted as spelt");
	check_every_action_in_case(tolower, "every catalog action is accepted in lower case");
	check_every_action_in_case(toupper, "every catalog action is accepted in upper case");
}

/* xorshift64*: a fixed seed makes every run test the same names. */
static uint64_t prng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t prng_next(void)
{
	prng_state ^= prng_state >> 12;
	prng_state ^= prng_state << 25;
	prng_state ^= prng_state >> 27;
	return prng_state * UINT64_C(2685821657736338717);
}

static size_t prng_below(size_t n)
{
	return (size_t)(prng_next() % n);
}

enum mutation { MUTATE_DELETE, MUTATE_INSERT, MUTATE_SWAP, MUTATION_COUNT };

static const char *const mutation_names[MUTATION_COUNT] = {"deletion", "insertion", "swap"};

/* Mutate `name` into `out`; false when the result would not be a typo to test. */
static bool mutate(const char *name, enum mutation kind, char *out, size_t size)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	size_t length = strlen(name);
	size_t at = prng_below(length);

	if (length + 2 > size)
		return false;
	switch (kind) {
	case MUTATE_DELETE:
		memcpy(out, name, at);
		memcpy(out + at, name + at + 1, length - at);
		break;
	case MUTATE_INSERT:
		memcpy(out, name, at);
		out[at] = letters[prng_below(sizeof(letters) - 1)];
		memcpy(out + at + 1, name + at, length - at + 1);
		break;
	default:
		if (at + 1 >= length || name[at] == name[at + 1])
			return false;
		memcpy(out, name, length + 1);
		out[at] = name[at + 1];
		out[at + 1] = name[at];
		break;
	}
	/* A mutation that lands on another real action, or on nothing at all, is no typo. */
	return out[0] != '\0' && out[0] != ':' && !catalog_action_find(out);
}

/* The name inside "did you mean 'NAME'?", or NULL. */
static bool suggested_name(const char *hint, char *out, size_t size)
{
	const char *start;
	const char *end;

	if (!hint || !(start = strstr(hint, "did you mean '")))
		return false;
	start += strlen("did you mean '");
	end = strchr(start, '\'');
	if (!end || (size_t)(end - start) >= size)
		return false;
	memcpy(out, start, (size_t)(end - start));
	out[end - start] = '\0';
	return true;
}

enum { MUTATED_NAMES = 300 };

static void test_mutated_names_rejected(void)
{
	size_t tested[MUTATION_COUNT] = {0, 0, 0};
	size_t not_reported = 0;
	size_t without_real_suggestion = 0;
	size_t total = 0;

	while (total < MUTATED_NAMES) {
		const char *name = catalog_action_name(catalog_action_at(prng_below(catalog_action_count())));
		enum mutation kind = (enum mutation)(total % MUTATION_COUNT);
		const struct finding *f;
		char mutated[300];
		char suggestion[300];
		char policy[600];
		struct linted l;

		if (!mutate(name, kind, mutated, sizeof(mutated)))
			continue;
		snprintf(policy, sizeof(policy),
			 "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"%s\", \"Resource\": \"*\"}]}",
			 mutated);
		lint_text(&l, policy, POLICY_IDENTITY);
		f = first_of(&l, RULE_UNKNOWN_ACTION);
		if (!f)
			f = first_of(&l, RULE_UNKNOWN_SERVICE);
		if (!f) {
			not_reported++;
			printf("# %s of '%s' gives '%s', which is not reported\n", mutation_names[kind], name, mutated);
		} else if (!suggested_name(f->hint, suggestion, sizeof(suggestion)) || !catalog_action_find(suggestion)) {
			without_real_suggestion++;
			printf("# '%s' (%s of '%s'): %s; hint: %s\n", mutated, mutation_names[kind], name, f->message,
			       f->hint ? f->hint : "(none)");
		}
		linted_release(&l);
		tested[kind]++;
		total++;
	}
	CHECK(tested[MUTATE_DELETE] == MUTATED_NAMES / MUTATION_COUNT);
	CHECK(tested[MUTATE_INSERT] == MUTATED_NAMES / MUTATION_COUNT);
	CHECK(tested[MUTATE_SWAP] == MUTATED_NAMES / MUTATION_COUNT);
	CHECK(not_reported == 0);
	CHECK(without_real_suggestion == 0);
}

static void test_action_names(void)
{
	static const struct {
		const char *action;
		enum rule_id rule; /* RULE_COUNT: nothing reported */
		const char *suggestion;
	} cases[] = {
		{"s3:PutObjects", RULE_UNKNOWN_ACTION, "s3:PutObject"},
		{"sqs:DeleteMesssage", RULE_UNKNOWN_ACTION, "sqs:DeleteMessage"},
		{"SQS:SendMessage", RULE_COUNT, NULL},
		{"s3:getobject", RULE_COUNT, NULL},
		{"s3:Get*", RULE_COUNT, NULL},
		{"s3:Gett*", RULE_UNKNOWN_ACTION, "s3:Get*"},
		{"s3:*Objekt", RULE_UNKNOWN_ACTION, NULL},
		{"s3*:GetObject", RULE_COUNT, NULL},
		{"sss:PutObject", RULE_UNKNOWN_SERVICE, "s3:PutObject"},
		{"s3GetObject", RULE_UNKNOWN_ACTION, "s3:GetObject"},
		{"*", RULE_COUNT, NULL},
		{"\\u00011\\u0002", RULE_COUNT, NULL},
		{"s3:\\u00011\\u0002", RULE_COUNT, NULL},
	};

	for (size_t i = 0; i < IX_COUNT(cases); i++) {
		char policy[512];
		char suggestion[256];
		const struct finding *f;
		struct linted l;

		snprintf(policy, sizeof(policy),
			 "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"NotAction\": \"%s\", \"Resource\": \"*\"}]}",
			 cases[i].action);
		lint_text(&l, policy, POLICY_IDENTITY);
		if (cases[i].rule == RULE_COUNT) {
			if (!tap_check(count_rule(&l, RULE_UNKNOWN_ACTION) + count_rule(&l, RULE_UNKNOWN_SERVICE) == 0,
				       cases[i].action, __FILE__, __LINE__))
				print_findings(&l, RULE_UNKNOWN_ACTION, 3);
			linted_release(&l);
			continue;
		}
		f = first_of(&l, cases[i].rule);
		tap_check(f != NULL, cases[i].action, __FILE__, __LINE__);
		if (f && cases[i].suggestion) {
			if (!suggested_name(f->hint, suggestion, sizeof(suggestion)))
				suggestion[0] = '\0';
			CHECK_STR(suggestion, cases[i].suggestion);
		}
		linted_release(&l);
	}
}

/* One action-resource-mismatch case: statements as JSON and the expected count of findings. */
struct resource_case {
	const char *statements;
	size_t reported;
};

static const struct resource_case resource_cases[] = {
	/* S3: buckets and objects */
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::reports/*\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::reports\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::reports\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::reports/*\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::reports*\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": [\"s3:ListBucket\", \"s3:GetObject\"], \"Resource\": \"arn:aws:s3:::reports/*\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": [\"s3:ListBucket\", \"s3:GetObject\"], \"Resource\": \"arn:aws:s3:::reports/*\"},"
	 " {\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::reports\"}", 0},
	/* The other statement must have the same Effect. */
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::reports/*\"},"
	 " {\"Effect\": \"Deny\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::reports\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::reports/*\"},"
	 " {\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"arn:aws:s3:::reports\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:Get*\", \"Resource\": \"arn:aws:s3:::reports\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:Get*\", \"Resource\": \"arn:aws:iam::111122223333:role/app\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"arn:aws:s3:::reports\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"*\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"arn:aws:s3:::*\"}", 0},
	{"{\"Effect\": \"Deny\", \"Action\": \"s3:PutObject\", \"Resource\": \"arn:aws:s3:::reports\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"NotResource\": \"arn:aws:s3:::reports/*\"}", 0},
	/* SQS */
	{"{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:eu-west-1:111122223333:jobs\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sns:eu-west-1:111122223333:events\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"sqs:ListQueues\", \"Resource\": \"arn:aws:sqs:eu-west-1:111122223333:jobs\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"sqs:ListQueues\", \"Resource\": \"arn:aws:sqs:eu-west-1:111122223333:*\"}", 0},
	/* KMS */
	{"{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"arn:aws:kms:eu-west-1:111122223333:alias/app\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"kms:CreateAlias\", \"Resource\": \"arn:aws:kms:eu-west-1:111122223333:alias/app\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"kms:CreateKey\", \"Resource\": \"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"kms:CreateKey\", \"Resource\": \"*\"}", 0},
	/* DynamoDB */
	{"{\"Effect\": \"Allow\", \"Action\": \"dynamodb:GetItem\", \"Resource\": \"arn:aws:dynamodb:eu-west-1:111122223333:table/orders\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"dynamodb:GetItem\", \"Resource\": \"arn:aws:dynamodb:eu-west-1:111122223333:table/orders/index/by-date\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"dynamodb:Query\", \"Resource\": \"arn:aws:dynamodb:eu-west-1:111122223333:table/orders/index/*\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"dynamodb:ListTables\", \"Resource\": \"arn:aws:dynamodb:eu-west-1:111122223333:table/orders\"}", 1},
	/* IAM */
	{"{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"arn:aws:iam::111122223333:role/service/app\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"arn:aws:iam::111122223333:user/deploy\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"iam:ListRoles\", \"Resource\": \"arn:aws:iam::111122223333:role/app\"}", 1},
	/* STS */
	{"{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Resource\": \"arn:aws:iam::444455556666:role/reader\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Resource\": \"arn:aws:s3:::reports\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"sts:GetCallerIdentity\", \"Resource\": \"arn:aws:iam::111122223333:role/app\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"sts:GetCallerIdentity\", \"Resource\": \"*\"}", 0},
	/* Secrets Manager */
	{"{\"Effect\": \"Allow\", \"Action\": \"secretsmanager:GetSecretValue\", \"Resource\": \"arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"secretsmanager:GetSecretValue\", \"Resource\": \"arn:aws:ssm:eu-west-1:111122223333:parameter/db\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"secretsmanager:GetRandomPassword\", \"Resource\": \"arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf\"}", 1},
	/* SSM */
	{"{\"Effect\": \"Allow\", \"Action\": \"ssm:GetParameter\", \"Resource\": \"arn:aws:ssm:eu-west-1:111122223333:parameter/app/db\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"ssm:GetParameter\", \"Resource\": \"arn:aws:ssm:eu-west-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"ssm:GetParameter\", \"Resource\": \"arn:aws:ssm:eu-west-1:111122223333:document/deploy\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"ssm:DescribeParameters\", \"Resource\": \"arn:aws:ssm:eu-west-1:111122223333:parameter/app/db\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"ssm:SendCommand\", \"Resource\": \"arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0\"}", 0},
	/*
	 * Unknowns: a hole is any text, but the '/' written after it is not,
	 * and no queue ARN has a '/'.  A bucket's objects are no such case,
	 * since the hole could be an access point, whose ARN has one.
	 */
	{"{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"\\u00011\\u0002/*\"}", 1},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"\\u00011\\u0002/*\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"\\u00011\\u0002\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"\\u00012\\u0002\", \"Resource\": \"arn:aws:s3:::reports/*\"}", 0},
	/* A service whose ARNs the catalog does not describe may have any resource. */
	{"{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"arn:aws:nosuchservice:eu-west-1:111122223333:thing/x\"}", 0},
	{"{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:nosuchservice:eu-west-1:111122223333:thing/x\"}", 0},
	/* A Resource that invalid-arn reports is left to it. */
	{"{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:eu-west-2:111122223333:queue/x\"}", 0},
};

static void test_action_resource_cases(void)
{
	for (size_t i = 0; i < IX_COUNT(resource_cases); i++) {
		struct buf text = BUF_INIT;
		struct linted l;
		size_t got;

		buf_printf(&text, "{\"Version\": \"2012-10-17\", \"Statement\": [%s]}", resource_cases[i].statements);
		lint_text(&l, buf_str(&text), POLICY_IDENTITY);
		got = count_rule(&l, RULE_ACTION_RESOURCE_MISMATCH);
		if (!tap_check(got == resource_cases[i].reported, "action-resource-mismatch case", __FILE__, __LINE__)) {
			printf("#   %s\n#   expected %zu findings, got %zu\n", resource_cases[i].statements,
			       resource_cases[i].reported, got);
			print_findings(&l, RULE_ACTION_RESOURCE_MISMATCH, 3);
		}
		CHECK(count_rule(&l, RULE_JSON_SYNTAX) == 0);
		linted_release(&l);
		buf_release(&text);
	}
}

static void test_resource_mismatch_hint(void)
{
	struct linted l;
	const struct finding *f;

	lint_text(&l,
		  "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\","
		  " \"Resource\": \"arn:aws:s3:::reports\"}]}",
		  POLICY_IDENTITY);
	f = first_of(&l, RULE_ACTION_RESOURCE_MISMATCH);
	CHECK(f != NULL);
	if (f) {
		CHECK(f->hint != NULL);
		CHECK(f->hint && strstr(f->hint, "such as arn:aws:s3:::reports/*,"));
	}
	linted_release(&l);
}

static void test_wildcard_resource_for_typeless_actions(void)
{
	struct linted l;

	lint_text(&l,
		  "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
		  " \"Action\": [\"sts:GetCallerIdentity\", \"s3:ListAllMyBuckets\"], \"Resource\": \"*\"}]}",
		  POLICY_IDENTITY);
	CHECK(count_rule(&l, RULE_WILDCARD_RESOURCE) == 0);
	linted_release(&l);

	lint_text(&l,
		  "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
		  " \"Action\": [\"sts:GetCallerIdentity\", \"s3:GetObject\"], \"Resource\": \"*\"}]}",
		  POLICY_IDENTITY);
	CHECK(count_rule(&l, RULE_WILDCARD_RESOURCE) == 1);
	linted_release(&l);
}

static void test_resource_types(void)
{
	static const struct {
		const char *resource;
		bool reported;
	} cases[] = {
		{"arn:aws:s3:::reports/2026/*", false},
		{"arn:aws:s3:eu-west-1:111122223333:reports", true},
		{"arn:aws:sqs:eu-west-2:111122223333:queue/x", true},
		{"arn:aws:sqs:eu-west-2:111122223333:jobs", false},
		{"arn:aws:secretsmanager:eu-west-1:111122223333:db-password", true},
		{"arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-password-*", false},
		{"arn:aws:dms:eu-west-1:111122223333:endpoint:ABCDEFGHIJKLMNOP", false},
		{"arn:aws:ssm:eu-west-1::document/AWS-RunShellScript", false},
		{"arn:aws:backup:eu-west-1:111122223333:recovery-point:*", false},
		{"arn:aws:logs:eu-west-1:111122223333:/aws/lambda/app", true},
		{"arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/app:*", false},
		{"arn:aws:nosuchservice:eu-west-1:111122223333:thing/x", false},
		{"arn:aws:*:eu-west-1:111122223333:thing/x", false},
	};

	for (size_t i = 0; i < IX_COUNT(cases); i++) {
		char policy[512];
		struct linted l;
		bool reported;

		snprintf(policy, sizeof(policy),
			 "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"%s\"}]}",
			 cases[i].resource);
		lint_text(&l, policy, POLICY_IDENTITY);
		reported = count_rule(&l, RULE_INVALID_ARN) > 0;
		tap_check(reported == cases[i].reported, cases[i].resource, __FILE__, __LINE__);
		linted_release(&l);
	}
}

/* One condition, the rule it should raise (RULE_COUNT for none) and the severity. */
struct condition_case {
	const char *condition;
	enum rule_id rule;
	enum severity severity;
};

static const struct condition_case condition_cases[] = {
	{"\"StringEqual\": {\"aws:SourceVpce\": \"vpce-1\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"stringEquals\": {\"aws:SourceVpce\": \"vpce-1\"}", RULE_INVALID_CONDITION, SEVERITY_WARNING},
	{"\"NullIfExists\": {\"aws:TokenIssueTime\": \"true\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"Null\": {\"aws:TokenIssueTime\": \"true\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"Null\": {\"aws:TokenIssueTime\": \"yes\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"ForAllValues:Null\": {\"aws:TagKeys\": \"true\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"Bool\": {\"aws:SecureTransport\": \"false\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"Bool\": {\"aws:SecureTransport\": false}", RULE_COUNT, SEVERITY_ERROR},
	{"\"Bool\": {\"aws:SecureTransport\": \"no\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"Bool\": {\"aws:SecureTransport\": [\"true\", \"false\"]}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": 3600}", RULE_COUNT, SEVERITY_ERROR},
	{"\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": \"an hour\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"NumericLessThan\": {\"aws:SecureTransport\": \"1\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"NumericLessThan\": {\"aws:EpochTime\": \"1767225600\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"DateLessThan\": {\"aws:CurrentTime\": \"2026-12-31T23:59:59Z\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"DateLessThan\": {\"aws:CurrentTime\": \"31/12/2026\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"DateLessThan\": {\"aws:CurrentTime\": \"${aws:TokenIssueTime}\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"IpAddress\": {\"aws:SourceIp\": [\"203.0.113.0/24\", \"2001:db8::/32\", \"198.51.100.7\"]}", RULE_COUNT, SEVERITY_ERROR},
	{"\"NotIpAddress\": {\"aws:SourceIp\": \"203.0.113.0/40\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:sns:*:111122223333:events\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"ArnLike\": {\"aws:SourceArn\": \"111122223333\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"ArnLike\": {\"aws:SourceAccount\": \"arn:aws:iam::111122223333:root\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"ArnEquals\": {\"aws:SecureTransport\": \"arn:aws:iam::111122223333:root\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"BinaryEquals\": {\"s3:x-amz-content-sha256\": \"QmluYXJ5VmFsdWVJbkJhc2U2NA==\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"BinaryEquals\": {\"s3:x-amz-content-sha256\": \"not base64!\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"StringEquals\": {\"aws:SourceVpce\": \"${aws:username}\"}", RULE_COUNT, SEVERITY_ERROR},
	/* Set operators on single-valued keys */
	{"\"ForAllValues:StringEquals\": {\"aws:SourceVpce\": \"vpce-1\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"ForAnyValue:StringNotEquals\": {\"aws:SourceVpce\": \"vpce-1\"}", RULE_INVALID_CONDITION, SEVERITY_ERROR},
	{"\"ForAnyValue:StringEquals\": {\"aws:SourceVpce\": \"vpce-1\"}", RULE_INVALID_CONDITION, SEVERITY_WARNING},
	{"\"ForAllValues:StringNotEquals\": {\"aws:SourceVpce\": \"vpce-1\"}", RULE_INVALID_CONDITION, SEVERITY_WARNING},
	{"\"ForAllValues:StringEqualsIfExists\": {\"aws:SourceVpce\": \"vpce-1\"}", RULE_INVALID_CONDITION, SEVERITY_WARNING},
	{"\"ForAnyValue:StringEquals\": {\"aws:TagKeys\": \"team\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"ForAllValues:StringEquals\": {\"aws:TagKeys\": [\"team\", \"env\"]}", RULE_COUNT, SEVERITY_ERROR},
	{"\"ForAnyValue:StringLike\": {\"cognito-identity.amazonaws.com:amr\": \"authenticated\"}", RULE_COUNT, SEVERITY_ERROR},
	/* wildcard-in-exact-condition */
	{"\"StringEquals\": {\"aws:PrincipalTag/team\": \"plat*\"}", RULE_WILDCARD_IN_EXACT_CONDITION, SEVERITY_ERROR},
	{"\"ForAnyValue:StringNotEqualsIgnoreCase\": {\"aws:TagKeys\": \"tmp-?\"}", RULE_WILDCARD_IN_EXACT_CONDITION, SEVERITY_ERROR},
	{"\"StringLike\": {\"aws:PrincipalTag/team\": \"plat*\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"StringEquals\": {\"aws:PrincipalTag/team\": \"plat${*}\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"StringEquals\": {\"aws:Referer\": \"https://example.com/?page=1\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"ArnEquals\": {\"aws:SourceArn\": \"arn:aws:sns:*:111122223333:events\"}", RULE_COUNT, SEVERITY_ERROR},
	{"\"StringEquals\": {\"aws:PrincipalTag/team\": \"\\u00013\\u0002-*\"}", RULE_WILDCARD_IN_EXACT_CONDITION, SEVERITY_ERROR},
	/* unknown-condition-key */
	{"\"StringEquals\": {\"aws:PrincipleOrgID\": \"o-1234567890\"}", RULE_UNKNOWN_CONDITION_KEY, SEVERITY_WARNING},
	{"\"StringEquals\": {\"AWS:principalorgid\": \"o-1234567890\"}", RULE_COUNT, SEVERITY_WARNING},
	{"\"StringEquals\": {\"aws:PrincipalTag/team\": \"platform\"}", RULE_COUNT, SEVERITY_WARNING},
	{"\"StringEquals\": {\"aws:PrincipalTag/\": \"platform\"}", RULE_UNKNOWN_CONDITION_KEY, SEVERITY_WARNING},
	{"\"StringLike\": {\"s3:prefix\": \"home/*\"}", RULE_COUNT, SEVERITY_WARNING},
	{"\"StringEquals\": {\"s3:ExistingObjectTag/classification\": \"public\"}", RULE_COUNT, SEVERITY_WARNING},
	{"\"StringEquals\": {\"kms:ViaService\": \"s3.eu-west-1.amazonaws.com\"}", RULE_UNKNOWN_CONDITION_KEY, SEVERITY_WARNING},
	{"\"StringEquals\": {\"secretsmanager:ResourceTag/owner\": \"platform\"}", RULE_UNKNOWN_CONDITION_KEY, SEVERITY_WARNING},
	{"\"StringEquals\": {\"token.actions.githubusercontent.com:sub\": \"repo:org/app:ref:refs/heads/main\"}", RULE_COUNT, SEVERITY_WARNING},
	{"\"StringEquals\": {\"token.actions.githubusercontent.com:repo\": \"org/app\"}", RULE_UNKNOWN_CONDITION_KEY, SEVERITY_WARNING},
	{"\"StringEquals\": {\"oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\": \"system:serviceaccount:app:web\"}", RULE_COUNT, SEVERITY_WARNING},
	{"\"StringEquals\": {\"oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:amr\": \"x\"}", RULE_COUNT, SEVERITY_WARNING},
	{"\"StringEquals\": {\"accounts.google.com:aud\": \"client-id\"}", RULE_COUNT, SEVERITY_WARNING},
	{"\"StringEquals\": {\"gitlab.example.com:project_path\": \"group/app\"}", RULE_COUNT, SEVERITY_WARNING},
	{"\"StringEquals\": {\"\\u00014\\u0002\": \"x\"}", RULE_COUNT, SEVERITY_WARNING},
};

static void test_condition_cases(void)
{
	for (size_t i = 0; i < IX_COUNT(condition_cases); i++) {
		const struct condition_case *c = &condition_cases[i];
		enum rule_id rules[] = {RULE_INVALID_CONDITION, RULE_WILDCARD_IN_EXACT_CONDITION, RULE_UNKNOWN_CONDITION_KEY};
		struct buf text = BUF_INIT;
		const struct finding *f = NULL;
		struct linted l;
		size_t others = 0;

		buf_printf(&text,
			   "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:ListBucket\", \"s3:GetObject\"],"
			   " \"Resource\": [\"arn:aws:s3:::reports\", \"arn:aws:s3:::reports/*\"], \"Condition\": {%s}}]}",
			   c->condition);
		lint_text(&l, buf_str(&text), POLICY_IDENTITY);
		for (size_t r = 0; r < IX_COUNT(rules); r++) {
			if (rules[r] == c->rule)
				f = first_of(&l, rules[r]);
			else
				others += count_rule(&l, rules[r]);
		}
		if (c->rule == RULE_COUNT) {
			if (!tap_check(others == 0, c->condition, __FILE__, __LINE__)) {
				for (size_t r = 0; r < IX_COUNT(rules); r++)
					print_findings(&l, rules[r], 3);
			}
		} else {
			tap_check(f != NULL && others == 0, c->condition, __FILE__, __LINE__);
			CHECK(f == NULL || f->severity == c->severity);
			if (f == NULL || others)
				for (size_t r = 0; r < IX_COUNT(rules); r++)
					print_findings(&l, rules[r], 3);
		}
		CHECK(count_rule(&l, RULE_JSON_SYNTAX) == 0);
		linted_release(&l);
		buf_release(&text);
	}
}

/* The IRSA acceptance case: a wildcard service account under StringEquals. */
static void test_irsa_trust_wildcard(void)
{
	static const char trust[] =
		"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
		" \"Principal\": {\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\"},"
		" \"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {\"StringEquals\": {"
		" \"oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\": \"system:serviceaccount:crossplane-system:provider-aws-*\","
		" \"oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud\": \"sts.amazonaws.com\"}}}]}";
	const struct finding *f;
	char text[256];
	struct linted l;

	lint_text(&l, trust, POLICY_TRUST);
	CHECK(count_rule(&l, RULE_WILDCARD_IN_EXACT_CONDITION) == 1);
	f = first_of(&l, RULE_WILDCARD_IN_EXACT_CONDITION);
	if (f) {
		finding_text(&l, f, text, sizeof(text));
		CHECK_STR(text, "system:serviceaccount:crossplane-system:provider-aws-*");
		CHECK(f->hint != NULL);
		CHECK(f->hint && strstr(f->hint, "'StringLike'"));
	}
	CHECK(count_rule(&l, RULE_UNKNOWN_CONDITION_KEY) == 0);
	CHECK(count_rule(&l, RULE_INVALID_CONDITION) == 0);
	linted_release(&l);
}

static void test_value_forms(void)
{
	static const char *const numbers[] = {"0", "3600", "-1", "2.5", "1e3", "+7"};
	static const char *const not_numbers[] = {"", "ten", "1.2.3", "0x10", "1e", "--1"};
	static const char *const dates[] = {"2026", "2026-01", "2026-01-31", "2026-01-31T23:59Z",
					    "2026-01-31T23:59:59Z", "2026-01-31T23:59:59.123+01:00",
					    "2026-01-31T23:59:59", "20260131T235959Z", "1767225600"};
	static const char *const not_dates[] = {"", "2026-13-01", "2026-01-32", "31/12/2026", "2026-1-5",
						"2026-01-31T25:00:00Z", "tomorrow", "2026-01-31X"};
	static const char *const ips[] = {"203.0.113.7", "203.0.113.0/24", "0.0.0.0/0", "2001:db8::/32", "::1", "2001:db8::1/128"};
	static const char *const not_ips[] = {"", "1.2.3", "203.0.113.0/33", "2001:db8::/129", "10.0.0.0/", "example.com", "256.1.1.1"};
	static const char *const base64[] = {"", "QmluYXJ5", "QmluYXJ5VmFsdWVJbkJhc2U2NA==", "ab+/"};
	static const char *const not_base64[] = {"abc", "ab=c", "QmluYXJ5!", "a==="};

	for (size_t i = 0; i < IX_COUNT(numbers); i++)
		tap_check(lint_value_is_number(numbers[i]), numbers[i], __FILE__, __LINE__);
	for (size_t i = 0; i < IX_COUNT(not_numbers); i++)
		tap_check(!lint_value_is_number(not_numbers[i]), not_numbers[i], __FILE__, __LINE__);
	for (size_t i = 0; i < IX_COUNT(dates); i++)
		tap_check(lint_value_is_date(dates[i]), dates[i], __FILE__, __LINE__);
	for (size_t i = 0; i < IX_COUNT(not_dates); i++)
		tap_check(!lint_value_is_date(not_dates[i]), not_dates[i], __FILE__, __LINE__);
	for (size_t i = 0; i < IX_COUNT(ips); i++)
		tap_check(lint_value_is_ip(ips[i]), ips[i], __FILE__, __LINE__);
	for (size_t i = 0; i < IX_COUNT(not_ips); i++)
		tap_check(!lint_value_is_ip(not_ips[i]), not_ips[i], __FILE__, __LINE__);
	for (size_t i = 0; i < IX_COUNT(base64); i++)
		tap_check(lint_value_is_base64(base64[i]), base64[i], __FILE__, __LINE__);
	for (size_t i = 0; i < IX_COUNT(not_base64); i++)
		tap_check(!lint_value_is_base64(not_base64[i]), not_base64[i], __FILE__, __LINE__);
	CHECK(lint_value_is_bool("TRUE"));
	CHECK(!lint_value_is_bool("yes"));
	CHECK(lint_value_has_variable("${aws:username}"));
	CHECK(!lint_value_has_variable("a${*}b${?}"));
	CHECK(!lint_value_has_variable("${unclosed"));
}

int main(void)
{
	test_every_action_accepted();
	test_mutated_names_rejected();
	test_action_names();
	test_action_resource_cases();
	test_resource_mismatch_hint();
	test_wildcard_resource_for_typeless_actions();
	test_resource_types();
	test_condition_cases();
	test_irsa_trust_wildcard();
	test_value_forms();
	return tap_done();
}
