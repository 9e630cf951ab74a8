/*
 * Unit tests of the Terraform layer: module sources and versions, model
 * loading and lookup, and loading folders that each test writes to a
 * temporary folder.
 */
#include "iamcross/terraform.h"
#include "iamcross/tf_model.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch[] = "/tmp/iamcross-tf-XXXXXX";
static struct tf_models models;

static void write_file(const char *name, const char *text)
{
	char path[512];
	char *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	for (slash = strchr(path + strlen(scratch) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static char *folder(const char *name)
{
	return xasprintf("%s/%s", scratch, name);
}

/* A loaded folder and its context, released together. */
struct loaded {
	struct context ctx;
	struct tf_config config;
	bool ok;
};

static void load(struct loaded *l, const char *name, const char *const *vars, size_t var_count)
{
	struct tf_options options;
	struct buf error = BUF_INIT;
	char *dir = folder(name);

	memset(&options, 0, sizeof(options));
	options.models = &models;
	options.vars = vars;
	options.var_count = var_count;
	context_init(&l->ctx);
	l->ok = tf_load(&l->ctx, &l->config, dir, NULL, 0, &options, &error);
	buf_release(&error);
	free(dir);
}

static void unload(struct loaded *l)
{
	tf_config_release(&l->config);
	context_release(&l->ctx);
}

static const struct tf_policy *find_policy(const struct loaded *l, const char *address)
{
	for (size_t i = 0; i < l->config.policy_count; i++) {
		if (strcmp(l->config.policies[i]->address, address) == 0)
			return l->config.policies[i];
	}
	return NULL;
}

/* The first resource of the first statement, rendered. */
static const char *first_resource(struct loaded *l, const char *address)
{
	const struct tf_policy *tp = find_policy(l, address);

	if (!tp || !tp->policy || tp->policy->statement_count == 0 || tp->policy->statements[0].resources.count == 0)
		return NULL;
	return context_render(&l->ctx, tp->policy->statements[0].resources.items[0].text);
}

static bool has_rule(const struct loaded *l, const char *rule)
{
	for (size_t i = 0; i < l->ctx.diags.count; i++) {
		if (strcmp(rule_get(l->ctx.diags.items[i].rule)->name, rule) == 0)
			return true;
	}
	return false;
}

static void test_source_normalize(void)
{
	char *version;
	char *s;

	s = tf_module_source_normalize("github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0", &version);
	CHECK_STR(s, "github.com/ministryofjustice/cloud-platform-terraform-irsa");
	CHECK_STR(version, "2.1.0");
	free(s);
	free(version);
	s = tf_module_source_normalize("git::https://GitHub.com/org/mod.git?ref=v1.2", &version);
	CHECK_STR(s, "github.com/org/mod");
	CHECK_STR(version, "1.2");
	free(s);
	free(version);
	s = tf_module_source_normalize("git@github.com:org/mod.git", &version);
	CHECK_STR(s, "github.com/org/mod");
	CHECK(version == NULL);
	free(s);
}

static void test_version_compare(void)
{
	CHECK(tf_version_compare("1.0.3", "1.0.10") < 0);
	CHECK(tf_version_compare("2.1.0", "2.1.0") == 0);
	CHECK(tf_version_compare("2.0", "1.9.9") > 0);
	CHECK(tf_version_compare("0.0.1", "1.0.3") < 0);
}

static void test_model_variants(void)
{
	struct tf_model_ref ref;

	CHECK(tf_models_match(&models, "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0", NULL, &ref));
	CHECK(ref.variant == NULL);
	free((char *)ref.version);
	CHECK(tf_models_match(&models, "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=1.1.0", NULL, &ref));
	CHECK(ref.variant != NULL);
	CHECK(cJSON_GetObjectItemCaseSensitive(tf_model_section(&ref, "inputs"), "service_account") != NULL);
	free((char *)ref.version);
	CHECK(tf_models_match(&models, "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=0.0.1", NULL, &ref));
	CHECK(ref.variant != NULL);
	CHECK(cJSON_GetObjectItemCaseSensitive(tf_model_section(&ref, "inputs"), "eks_cluster_name") == NULL);
	free((char *)ref.version);
	/* A branch is no version: the model's own sections apply. */
	CHECK(tf_models_match(&models, "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=main", NULL, &ref));
	CHECK(ref.variant == NULL);
	free((char *)ref.version);
	CHECK(!tf_models_match(&models, "github.com/someone/else", NULL, &ref));
}

static void test_invalid_model(void)
{
	struct tf_models m;
	struct buf error = BUF_INIT;

	tf_models_init(&m);
	CHECK(!tf_models_add_text(&m, "bad.json", "{\"name\": \"x\"}", &error));
	CHECK(strstr(buf_str(&error), "'sources'") != NULL);
	buf_reset(&error);
	CHECK(!tf_models_add_text(&m, "bad.json", "{\"name\": \"x\", \"sources\": [\"a\"], \"locals\": {\"y\": \"${var.\"}}",
				  &error));
	CHECK(strstr(buf_str(&error), "not valid HCL") != NULL);
	buf_release(&error);
	tf_models_release(&m);
}

/* A user's model folder comes first in the lookup, so it replaces a shipped model. */
static void test_user_models(void)
{
	struct tf_models m;
	struct buf error = BUF_INIT;
	char *dir = folder("models");
	struct tf_model_ref ref;

	write_file("models/irsa.json",
		   "{\"name\": \"cloud-platform-terraform-irsa\", \"sources\": [\"example.com/mine/irsa\"]}");
	setenv(TF_MODELS_ENV, dir, 1);
	tf_models_init(&m);
	CHECK(tf_models_load_default(&m, &error));
	CHECK(tf_models_match(&m, "example.com/mine/irsa", NULL, &ref) != NULL);
	CHECK(tf_models_match(&m, "github.com/ministryofjustice/cloud-platform-terraform-irsa", NULL, &ref) == NULL);
	CHECK(tf_models_match(&m, "github.com/ministryofjustice/cloud-platform-terraform-sqs", NULL, &ref) != NULL);
	unsetenv(TF_MODELS_ENV);
	tf_models_release(&m);
	buf_release(&error);
	free(dir);
}

static void test_variables_and_locals(void)
{
	struct loaded l;
	const char *vars[] = {"bucket=from-the-command-line", "names=[\"x\", \"y\"]"};

	write_file("vars/main.tf",
		   "variable \"bucket\" { default = \"from-default\" }\n"
		   "variable \"names\" { type = list(string) }\n"
		   "variable \"missing\" {}\n"
		   "locals { arn = \"arn:aws:s3:::${var.bucket}\" }\n"
		   "resource \"aws_iam_policy\" \"a\" {\n"
		   "  name = \"a\"\n"
		   "  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\",\n"
		   "    Action = \"s3:GetObject\", Resource = [local.arn, \"arn:aws:s3:::${var.missing}\",\n"
		   "    \"arn:aws:s3:::${var.names[1]}\"] }] })\n"
		   "}\n");
	load(&l, "vars", NULL, 0);
	CHECK(l.ok);
	CHECK_STR(first_resource(&l, "aws_iam_policy.a"), "arn:aws:s3:::from-default");
	unload(&l);

	load(&l, "vars", vars, 2);
	CHECK_STR(first_resource(&l, "aws_iam_policy.a"), "arn:aws:s3:::from-the-command-line");
	CHECK_STR(context_render(&l.ctx, find_policy(&l, "aws_iam_policy.a")->policy->statements[0].resources.items[1].text),
		  "arn:aws:s3:::${var.missing}");
	CHECK_STR(context_render(&l.ctx, find_policy(&l, "aws_iam_policy.a")->policy->statements[0].resources.items[2].text),
		  "arn:aws:s3:::y");
	unload(&l);
}

static void test_count_and_for_each(void)
{
	struct loaded l;

	write_file("expand/main.tf",
		   "locals { buckets = { reports = \"r\", exports = \"e\" } }\n"
		   "resource \"aws_iam_policy\" \"each\" {\n"
		   "  for_each = local.buckets\n"
		   "  name     = each.key\n"
		   "  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\",\n"
		   "    Action = \"s3:GetObject\", Resource = \"arn:aws:s3:::${each.value}-${each.key}\" }] })\n"
		   "}\n"
		   "resource \"aws_iam_policy\" \"counted\" {\n"
		   "  count  = 2\n"
		   "  name   = \"c${count.index}\"\n"
		   "  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\",\n"
		   "    Action = \"s3:GetObject\", Resource = \"arn:aws:s3:::b${count.index}\" }] })\n"
		   "}\n");
	load(&l, "expand", NULL, 0);
	CHECK_STR(first_resource(&l, "aws_iam_policy.each[\"exports\"]"), "arn:aws:s3:::e-exports");
	CHECK_STR(first_resource(&l, "aws_iam_policy.each[\"reports\"]"), "arn:aws:s3:::r-reports");
	CHECK_STR(first_resource(&l, "aws_iam_policy.counted[1]"), "arn:aws:s3:::b1");
	CHECK_STR(find_policy(&l, "aws_iam_policy.counted[0]")->arn,
		  "arn:aws:iam::\x01" "1\x02:policy/c0");
	unload(&l);
}

/* A cycle is an unknown, not a hang or a crash. */
static void test_cycle(void)
{
	struct loaded l;

	write_file("cycle/main.tf",
		   "locals {\n  a = \"arn:aws:s3:::${local.b}\"\n  b = local.a\n}\n"
		   "resource \"aws_iam_policy\" \"c\" {\n"
		   "  name   = \"c\"\n"
		   "  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\",\n"
		   "    Action = \"s3:GetObject\", Resource = local.a }] })\n"
		   "}\n");
	load(&l, "cycle", NULL, 0);
	CHECK(l.ok);
	CHECK(first_resource(&l, "aws_iam_policy.c") != NULL);
	CHECK(strstr(first_resource(&l, "aws_iam_policy.c"), "${") != NULL);
	unload(&l);
}

static void test_local_module_and_attachment(void)
{
	struct loaded l;

	write_file("mod/main.tf",
		   "module \"q\" {\n  source = \"./modules/q\"\n  name = \"orders\"\n}\n"
		   "resource \"aws_iam_role\" \"app\" {\n  name = \"app\"\n"
		   "  assume_role_policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\",\n"
		   "    Action = \"sts:AssumeRole\", Principal = { Service = \"ec2.amazonaws.com\" } }] })\n}\n"
		   "resource \"aws_iam_role_policy_attachment\" \"app\" {\n"
		   "  role       = aws_iam_role.app.name\n  policy_arn = module.q.policy_arn\n}\n");
	write_file("mod/modules/q/main.tf",
		   "variable \"name\" {}\n"
		   "resource \"aws_iam_policy\" \"send\" {\n  name = \"${var.name}-send\"\n"
		   "  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\",\n"
		   "    Action = \"sqs:SendMessage\", Resource = \"arn:aws:sqs:eu-west-2:111122223333:${var.name}\" }] })\n}\n"
		   "output \"policy_arn\" { value = aws_iam_policy.send.arn }\n");
	load(&l, "mod", NULL, 0);
	CHECK(l.config.principal_count == 1);
	if (l.config.principal_count == 1) {
		CHECK(l.config.principals[0]->policy_count == 1);
		if (l.config.principals[0]->policy_count == 1)
			CHECK_STR(l.config.principals[0]->policies[0]->address, "module.q.aws_iam_policy.send");
	}
	CHECK_STR(first_resource(&l, "module.q.aws_iam_policy.send"), "arn:aws:sqs:eu-west-2:111122223333:orders");
	unload(&l);
}

static void test_outside_root(void)
{
	struct loaded l;

	write_file("escape/main.tf",
		   "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = file(\"../mod/main.tf\")\n}\n");
	load(&l, "escape", NULL, 0);
	CHECK(has_rule(&l, "unreadable-file"));
	CHECK(find_policy(&l, "aws_iam_policy.p") != NULL);
	if (find_policy(&l, "aws_iam_policy.p"))
		CHECK(find_policy(&l, "aws_iam_policy.p")->policy == NULL);
	unload(&l);
}

static void test_ssm_index(void)
{
	struct tf_ssm_index index;
	struct loaded l;

	write_file("ssm/main.tf",
		   "variable \"namespace\" { default = \"team-dev\" }\n"
		   "resource \"aws_ssm_parameter\" \"p\" {\n  for_each = { q1 = \"a\", q2 = \"b\" }\n"
		   "  name  = \"/${var.namespace}/sqs/${each.key}/irsa-policy-arn\"\n  value = each.value\n}\n");
	load(&l, "ssm", NULL, 0);
	tf_ssm_index_init(&index);
	tf_ssm_index_collect(&index, &l.config);
	tf_ssm_index_finish(&index);
	CHECK(index.count == 2);
	CHECK(tf_ssm_index_find(&index, "/team-dev/sqs/q2/irsa-policy-arn") != NULL);
	CHECK_STR(tf_ssm_index_find(&index, "/team-dev/sqs/q2/irsa-policy-arn")->address, "aws_ssm_parameter.p[\"q2\"]");
	CHECK(tf_ssm_index_find(&index, "/team-dev/sqs/q3/irsa-policy-arn") == NULL);
	tf_ssm_index_release(&index);
	unload(&l);
}

int main(void)
{
	struct buf error = BUF_INIT;
	char command[600];

	if (!mkdtemp(scratch)) {
		printf("Bail out! cannot create a temporary folder\n");
		return 1;
	}
	tf_models_init(&models);
	CHECK(tf_models_load_default(&models, &error));
	buf_release(&error);

	test_source_normalize();
	test_version_compare();
	test_model_variants();
	test_invalid_model();
	test_user_models();
	test_variables_and_locals();
	test_count_and_for_each();
	test_cycle();
	test_local_module_and_attachment();
	test_outside_root();
	test_ssm_index();

	tf_models_release(&models);
	snprintf(command, sizeof(command), "rm -rf '%s'", scratch);
	if (system(command) != 0)
		printf("# could not remove %s\n", scratch);
	return tap_done();
}
