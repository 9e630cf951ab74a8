#include "iamcross/load.h"
#include "tap.h"

#include <string.h>

struct loaded {
	struct context ctx;
	struct policy_set set;
	const struct policy *policy;
};

static void load(struct loaded *l, const char *text, enum policy_kind kind)
{
	uint32_t id;

	context_init(&l->ctx);
	policy_set_init(&l->set);
	id = source_set_add(&l->ctx.sources, "p.json", text, strlen(text));
	l->policy = load_json_policy(&l->ctx, &l->set, id, kind) ? l->set.items[0] : NULL;
	diag_finish(&l->ctx.diags);
}

static void release(struct loaded *l)
{
	policy_set_release(&l->set);
	context_release(&l->ctx);
}

static bool has_rule(const struct loaded *l, enum rule_id rule)
{
	for (size_t i = 0; i < l->ctx.diags.count; i++) {
		if (l->ctx.diags.items[i].rule == rule)
			return true;
	}
	return false;
}

static void test_model(void)
{
	struct loaded l;
	const struct statement *st;

	load(&l,
	     "{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"A\", \"Effect\": \"Deny\","
	     " \"Principal\": {\"AWS\": [\"111122223333\", \"*\"], \"Service\": \"s3.amazonaws.com\"},"
	     " \"NotAction\": \"s3:*\", \"Resource\": [\"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\"],"
	     " \"Condition\": {\"ForAnyValue:StringLikeIfExists\": {\"aws:TagKeys\": [\"a*\", 3]},"
	     " \"Bool\": {\"aws:SecureTransport\": false}}}}",
	     POLICY_RESOURCE);
	CHECK(l.policy != NULL);
	CHECK(l.ctx.diags.count == 0);
	CHECK(l.policy->statement_count == 1);
	st = &l.policy->statements[0];
	CHECK_STR(st->sid.text, "A");
	CHECK(st->effect == EFFECT_DENY);
	CHECK(st->principal.present && !st->principal.negated && st->principal.wildcard);
	CHECK(st->principal.by_type[PRINCIPAL_AWS].count == 2);
	CHECK(st->principal.by_type[PRINCIPAL_SERVICE].count == 1);
	CHECK(st->actions_negated && st->actions.count == 1);
	CHECK(st->resources.count == 2);
	CHECK(st->condition_count == 2);
	CHECK(st->conditions[0].op.base == COND_STRING_LIKE);
	CHECK(st->conditions[0].op.set == COND_SET_FOR_ANY_VALUE && st->conditions[0].op.if_exists);
	CHECK_STR(st->conditions[0].values.items[1].text, "3");
	CHECK_STR(st->conditions[1].values.items[0].text, "false");
	release(&l);
}

static void test_grammar_findings(void)
{
	static const struct {
		const char *text;
		enum rule_id rule;
	} cases[] = {
		{"{\"Version\": \"2012-10-17\", \"Statement\": [{\"effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}",
		 RULE_UNKNOWN_ELEMENT},
		{"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Actions\": \"s3:GetObject\", \"Resource\": \"*\"}]}",
		 RULE_UNKNOWN_ELEMENT},
		{"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Resource\": \"*\"}]}",
		 RULE_MISSING_ELEMENT},
		{"{\"Version\": \"2012-10-17\"}", RULE_MISSING_ELEMENT},
		{"{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}",
		 RULE_INVALID_VERSION},
		{"{\"Version\": \"2012-10-18\", \"Statement\": []}", RULE_INVALID_VERSION},
		{"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}",
		 RULE_INVALID_EFFECT},
		{"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": 5, \"Resource\": \"*\"}]}",
		 RULE_INVALID_ELEMENT},
		{"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"a:b\", \"NotAction\": \"a:c\", \"Resource\": \"*\"}]}",
		 RULE_INVALID_ELEMENT},
		{"[]", RULE_INVALID_ELEMENT},
	};

	for (size_t i = 0; i < IX_COUNT(cases); i++) {
		struct loaded l;

		load(&l, cases[i].text, POLICY_IDENTITY);
		if (!CHECK(has_rule(&l, cases[i].rule)))
			printf("#   case %zu expected %s\n", i, rule_get(cases[i].rule)->name);
		release(&l);
	}
}

static void test_cli_wrapper(void)
{
	struct loaded l;
	const struct source *src;
	struct position pos;

	load(&l, "{\n  \"Policy\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Alow\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"*\\\"}]}\"\n}\n",
	     POLICY_RESOURCE);
	CHECK(l.policy != NULL);
	CHECK(l.ctx.diags.count == 1 && l.ctx.diags.items[0].rule == RULE_INVALID_EFFECT);
	src = source_get(&l.ctx.sources, 1);
	pos = source_position(src, l.ctx.diags.items[0].span.offset);
	/* The escaped quote before Alow, in the file the user sees. */
	CHECK(pos.line == 2 && pos.column == 69);
	release(&l);
}

static void test_trust_wrapper(void)
{
	struct loaded l;

	load(&l, "{\"Role\": {\"AssumeRolePolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"sts:AssumeRole\"}]}}}",
	     POLICY_RESOURCE);
	CHECK(l.policy && l.policy->kind == POLICY_TRUST);
	CHECK(l.ctx.diags.count == 0);
	release(&l);
}

int main(void)
{
	test_model();
	test_grammar_findings();
	test_cli_wrapper();
	test_trust_wrapper();
	return tap_done();
}
