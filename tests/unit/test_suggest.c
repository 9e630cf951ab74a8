/*
 * The suggest library: unresolved values written as Terraform expressions,
 * Sids and block names made from the target, and the caller forms -p takes.
 */
#include "iamcross/load.h"
#include "iamcross/suggest.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
	struct context ctx;
	struct policy_set set;
	struct suggestion suggestion;
	bool made;
};

/* Load `text` (holes as \u0001<id>\u0002) and suggest for `principal`. */
static void suggest_text(struct fixture *f, const char *text, enum policy_kind kind, const char *principal)
{
	struct buf reason = BUF_INIT;
	uint32_t id;

	id = source_set_add(&f->ctx.sources, "policy.json", text, strlen(text));
	f->made = load_json_policy(&f->ctx, &f->set, id, kind);
	if (!f->made)
		return;
	if (kind == POLICY_IDENTITY)
		f->made = suggest_for_identity(&f->suggestion, (const struct policy *const *)f->set.items, f->set.count,
					       principal, NULL, &f->ctx.symbols, &reason);
	else
		f->made = suggest_for_resource(&f->suggestion, (const struct policy *const *)f->set.items, f->set.count,
					       principal, &f->ctx.symbols, &reason);
	buf_release(&reason);
}

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	context_init(&f->ctx);
	policy_set_init(&f->set);
}

static void fixture_release(struct fixture *f)
{
	if (f->made)
		suggestion_release(&f->suggestion);
	policy_set_release(&f->set);
	context_release(&f->ctx);
}

static void test_holes_in_hcl_and_json(void)
{
	struct fixture f;
	struct buf hcl = BUF_INIT;
	struct buf json = BUF_INIT;
	uint32_t bucket;
	uint32_t queue;
	char *policy;

	fixture_init(&f);
	bucket = symbol_intern(&f.ctx.symbols, "module.s3.bucket_arn", NULL, span_make(0, 0, 0));
	queue = symbol_intern(&f.ctx.symbols, "module.queue.sqs_arn", NULL, span_make(0, 0, 0));
	policy = xasprintf("{\"Version\": \"2012-10-17\", \"Statement\": ["
			   "{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"],"
			   " \"Resource\": [\"\\u0001%u\\u0002\", \"\\u0001%u\\u0002/*\"]},"
			   "{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"\\u0001%u\\u0002\"},"
			   "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\","
			   " \"Resource\": \"arn:aws:s3:::home/${aws:username}/*\"}]}",
			   bucket, bucket, queue);
	suggest_text(&f, policy, POLICY_IDENTITY, "arn:aws:iam::111122223333:role/app");
	CHECK(f.made);
	CHECK(f.made && f.suggestion.target_count == 3);
	suggest_write_hcl(&hcl, &f.suggestion, &f.ctx.symbols);
	suggest_write_json(&json, &f.suggestion, &f.ctx.symbols);

	CHECK(strstr(buf_str(&hcl), "\"${module.s3.bucket_arn}/*\"") != NULL);
	CHECK(strstr(buf_str(&hcl), "      module.s3.bucket_arn,\n") != NULL);
	CHECK(strstr(buf_str(&hcl), "resources = [module.queue.sqs_arn]") != NULL);
	CHECK(strstr(buf_str(&hcl), "# module.s3.bucket_arn is unresolved") != NULL);
	CHECK(strstr(buf_str(&hcl), "\"arn:aws:s3:::home/$${aws:username}/*\"") != NULL);
	CHECK(strstr(buf_str(&hcl), "\"bucket_module_s3_bucket_arn\"") != NULL);
	CHECK(strstr(buf_str(&json), "\"${module.s3.bucket_arn}/*\"") != NULL);
	CHECK(strstr(buf_str(&json), "\"unresolved\": [\n        \"module.queue.sqs_arn\"\n      ]") != NULL);
	CHECK(strstr(buf_str(&json), "\"arn:aws:s3:::home/${aws:username}/*\"") != NULL);
	CHECK(strstr(buf_str(&json), "\"Sid\": \"AllowAppModuleQueueSqsArn\"") != NULL);

	buf_release(&hcl);
	buf_release(&json);
	free(policy);
	fixture_release(&f);
}

static void test_callers(void)
{
	static const char identity[] =
		"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\","
		" \"Resource\": \"arn:aws:sqs:eu-west-2:222233334444:orders\"}]}";
	static const struct {
		const char *principal;
		bool valid;
		const char *named;
	} cases[] = {
		{"arn:aws:iam::111122223333:role/app", true, "arn:aws:iam::111122223333:role/app"},
		{"arn:aws:sts::111122223333:assumed-role/app/session-1", true, "arn:aws:iam::111122223333:role/app"},
		{"111122223333", true, "111122223333"},
		{"arn:aws:iam::111122223333:root", true, "arn:aws:iam::111122223333:root"},
		{"s3.amazonaws.com", false, NULL},
		{"app", false, NULL},
	};

	for (size_t i = 0; i < IX_COUNT(cases); i++) {
		struct fixture f;

		fixture_init(&f);
		suggest_text(&f, identity, POLICY_IDENTITY, cases[i].principal);
		if (!CHECK(f.made == cases[i].valid))
			printf("#   principal '%s'\n", cases[i].principal);
		if (f.made)
			CHECK_STR(f.suggestion.principal, cases[i].named);
		fixture_release(&f);
	}
}

static void test_same_account_targets(void)
{
	static const char identity[] =
		"{\"Version\": \"2012-10-17\", \"Statement\": ["
		"{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:eu-west-2:111122223333:own\"},"
		"{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"arn:aws:kms:eu-west-2:111122223333:key/abcd-1\"},"
		"{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Resource\": \"arn:aws:iam::111122223333:role/next\"}]}";
	struct fixture f;

	fixture_init(&f);
	suggest_text(&f, identity, POLICY_IDENTITY, "arn:aws:iam::111122223333:role/app");
	CHECK(f.made);
	CHECK(f.made && f.suggestion.target_count == 2);
	CHECK(f.made && f.suggestion.targets[0].type == SUGGEST_KMS_KEY_POLICY);
	CHECK(f.made && f.suggestion.targets[1].type == SUGGEST_TRUST_POLICY);
	CHECK(f.made && f.suggestion.skipped_count == 1);
	fixture_release(&f);
}

static void test_unknown_trust_role(void)
{
	static const char trust[] =
		"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
		" \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/app\"}, \"Action\": \"sts:AssumeRole\"}]}";
	struct fixture f;

	fixture_init(&f);
	suggest_text(&f, trust, POLICY_RESOURCE, "arn:aws:iam::111122223333:role/app");
	CHECK(f.made);
	CHECK(f.made && f.suggestion.target_count == 0);
	CHECK(f.made && f.suggestion.skipped_count == 1);
	fixture_release(&f);
}

int main(void)
{
	test_holes_in_hcl_and_json();
	test_callers();
	test_same_account_targets();
	test_unknown_trust_role();
	return tap_done();
}
