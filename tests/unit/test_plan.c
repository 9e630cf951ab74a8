/*
 * Unit tests of the plan front end: detection by content, extraction of
 * policies with positions in the plan file, and attachments matched
 * through configuration references.
 */
#include "iamcross/plan.h"
#include "tap.h"

#include <string.h>

static const char plan_text[] =
	"{\"format_version\": \"1.2\",\n"
	" \"planned_values\": {\"root_module\": {\"resources\": [\n"
	"  {\"address\": \"aws_iam_policy.p\", \"mode\": \"managed\", \"type\": \"aws_iam_policy\", \"name\": \"p\",\n"
	"   \"values\": {\"name\": \"p\", \"policy\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}},\n"
	"  {\"address\": \"aws_iam_role.r\", \"mode\": \"managed\", \"type\": \"aws_iam_role\", \"name\": \"r\",\n"
	"   \"values\": {\"name\": \"app\", \"path\": \"/\"}},\n"
	"  {\"address\": \"aws_iam_role_policy_attachment.a\", \"mode\": \"managed\",\n"
	"   \"type\": \"aws_iam_role_policy_attachment\", \"name\": \"a\", \"values\": {\"role\": \"app\"}}\n"
	" ]}},\n"
	" \"configuration\": {\"root_module\": {\"resources\": [\n"
	"  {\"address\": \"aws_iam_role_policy_attachment.a\", \"type\": \"aws_iam_role_policy_attachment\", \"name\": \"a\",\n"
	"   \"expressions\": {\"policy_arn\": {\"references\": [\"aws_iam_policy.p.arn\", \"aws_iam_policy.p\"]}}}\n"
	" ]}}}\n";

static void test_detect(void)
{
	CHECK(plan_detect(plan_text, strlen(plan_text)));
	CHECK(!plan_detect("{\"Version\": \"2012-10-17\", \"Statement\": []}", 41));
	CHECK(!plan_detect("not json", 8));
	CHECK(plan_detect("{\"format_version\": \"1.0\", \"values\": {\"root_module\": {}}}", 56));
}

static void test_load(void)
{
	struct context ctx;
	struct tf_config config;
	uint32_t id;
	const struct tf_policy *tp;
	struct position p;

	context_init(&ctx);
	id = source_set_add(&ctx.sources, "plan.json", plan_text, strlen(plan_text));
	CHECK(plan_load(&ctx, &config, id));
	CHECK(config.policy_count == 2);
	tp = config.policy_count ? config.policies[0] : NULL;
	CHECK(tp != NULL);
	CHECK(tp && tp->policy != NULL);
	CHECK(tp && tp->policy && tp->policy->statement_count == 1);
	if (tp && tp->policy && tp->policy->statement_count == 1) {
		/* The action's position is inside the JSON string of the plan, on line 4. */
		p = source_position(source_get(&ctx.sources, id), tp->policy->statements[0].actions.items[0].span.offset);
		CHECK(p.line == 4);
		CHECK_STR(tp->policy->statements[0].actions.items[0].text, "s3:GetObject");
	}
	CHECK(config.principal_count == 1);
	if (config.principal_count == 1) {
		CHECK(config.principals[0]->policy_count == 1);
		if (config.principals[0]->policy_count == 1)
			CHECK(config.principals[0]->policies[0] == config.policies[0]);
	}
	tf_config_release(&config);
	context_release(&ctx);
}

int main(void)
{
	test_detect();
	test_load();
	return tap_done();
}
