/*
 * Unit tests of the audit model: what each role's policies allow, who may
 * assume it, where its policies come from, and the state of the edges
 * that leave the account, on folders each test writes to a temporary
 * folder.
 */
#include "iamcross/audit.h"
#include "iamcross/load.h"
#include "iamcross/terraform.h"
#include "iamcross/tf_model.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch[] = "/tmp/iamcross-audit-XXXXXX";
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

/* An audit of one folder, with the counterpart policies given as JSON texts. */
struct audited {
	struct context ctx;
	struct tf_config config;
	struct policy_set counterparts;
	struct audit audit;
	const struct audit_namespace *ns;
};

static void audit_folder(struct audited *a, const char *name, const char *const *counterparts, size_t count)
{
	struct tf_options options;
	struct buf error = BUF_INIT;
	char *dir = xasprintf("%s/%s", scratch, name);
	struct audit_counterpart *items = xcalloc(count + 1, sizeof(*items));
	const char *vars[] = {"eks_cluster_name=live"};

	memset(&options, 0, sizeof(options));
	options.models = &models;
	options.account = "111122223333";
	options.vars = vars;
	options.var_count = 1;
	context_init(&a->ctx);
	a->ctx.account = "111122223333";
	policy_set_init(&a->counterparts);
	for (size_t i = 0; i < count; i++) {
		uint32_t id = source_set_add(&a->ctx.sources, "counterpart.json", counterparts[i],
					     strlen(counterparts[i]));

		load_json_policy(&a->ctx, &a->counterparts, id, POLICY_RESOURCE);
		items[i].policy = a->counterparts.items[i];
		items[i].file = "counterpart.json";
		items[i].governs = a->counterparts.items[i]->role_arn;
	}
	CHECK(tf_load(&a->ctx, &a->config, dir, NULL, 0, &options, &error));
	audit_analyze(&a->ctx, &a->config, &a->counterparts);
	diag_finish(&a->ctx.diags);
	audit_init(&a->audit, "111122223333", NULL);
	audit_add_namespace(&a->audit, &a->ctx, &a->config, items, count);
	a->ns = &a->audit.namespaces[0];
	buf_release(&error);
	free(items);
	free(dir);
}

static void release(struct audited *a)
{
	audit_release(&a->audit);
	tf_config_release(&a->config);
	policy_set_release(&a->counterparts);
	context_release(&a->ctx);
}

static const struct audit_role *role(const struct audited *a, const char *address)
{
	for (size_t i = 0; i < a->ns->role_count; i++) {
		if (strcmp(a->ns->roles[i].address, address) == 0)
			return &a->ns->roles[i];
	}
	return NULL;
}

static const struct audit_grant *grant(const struct audit_role *r, const char *prefix, const char *resource)
{
	for (size_t s = 0; r && s < r->service_count; s++) {
		if (strcmp(r->services[s].prefix, prefix) != 0)
			continue;
		for (size_t k = 0; k < r->services[s].grant_count; k++) {
			if (strcmp(r->services[s].grants[k].resource, resource) == 0)
				return &r->services[s].grants[k];
		}
	}
	return NULL;
}

/* The decision for `action`, or -1 when the grant does not list it. */
static int decision(const struct audit_grant *g, const char *action)
{
	for (size_t i = 0; g && i < g->action_count; i++) {
		if (strcmp(catalog_action_name(g->actions[i].action), action) == 0)
			return (int)g->actions[i].decision;
	}
	return -1;
}

static const char role_with_policy[] =
	"resource \"aws_iam_role\" \"app\" {\n"
	"  name = \"app\"\n"
	"  assume_role_policy = jsonencode({\n"
	"    Version = \"2012-10-17\"\n"
	"    Statement = [{\n"
	"      Effect = \"Allow\"\n"
	"      Principal = { AWS = \"arn:aws:iam::444455556666:root\" }\n"
	"      Action = \"sts:AssumeRole\"\n"
	"      Condition = { StringEquals = { \"sts:ExternalId\" = \"x\" } }\n"
	"    }]\n"
	"  })\n"
	"}\n"
	"resource \"aws_iam_role_policy\" \"app\" {\n"
	"  role = aws_iam_role.app.id\n"
	"  policy = jsonencode({\n"
	"    Version = \"2012-10-17\"\n"
	"    Statement = [\n"
	"      { Effect = \"Allow\", Action = \"s3:*\", Resource = \"arn:aws:s3:::data/*\" },\n"
	"      { Effect = \"Deny\", Action = \"s3:DeleteObject\", Resource = \"arn:aws:s3:::data/*\" },\n"
	"      { Effect = \"Deny\", Action = \"s3:PutObject\", Resource = \"arn:aws:s3:::data/locked/*\" },\n"
	"      { Effect = \"Allow\", Action = \"sqs:*\", Resource = \"arn:aws:sqs:eu-west-2:111122223333:jobs\" },\n"
	"      { Effect = \"Allow\", Action = \"sns:Publish\", Resource = \"*\",\n"
	"        Condition = { IpAddress = { \"aws:SourceIp\" = \"10.0.0.0/8\" } } }\n"
	"    ]\n"
	"  })\n"
	"}\n";

static void test_deny_subtracts(void)
{
	struct audited a;
	const struct audit_grant *g;

	write_file("deny/main.tf", role_with_policy);
	audit_folder(&a, "deny", NULL, 0);
	g = grant(role(&a, "aws_iam_role.app"), "s3", "arn:aws:s3:::data/*");
	CHECK(g != NULL);
	CHECK(decision(g, "s3:GetObject") == AUDIT_ALLOWED);
	CHECK(decision(g, "s3:DeleteObject") == AUDIT_DENIED);
	/* A Deny on part of the pattern leaves the action allowed and names the exception. */
	CHECK(decision(g, "s3:PutObject") == AUDIT_ALLOWED);
	CHECK(g && g->except_count == 1);
	CHECK(g && g->except_count == 1 && strstr(g->except[0], "arn:aws:s3:::data/locked/*") != NULL);
	/* Bucket-level actions do not apply to objects. */
	CHECK(decision(g, "s3:ListBucket") == -1);
	release(&a);
}

static void test_actions_apply_to_resource(void)
{
	struct audited a;
	const struct audit_grant *g;

	write_file("apply/main.tf", role_with_policy);
	audit_folder(&a, "apply", NULL, 0);
	g = grant(role(&a, "aws_iam_role.app"), "sqs", "arn:aws:sqs:eu-west-2:111122223333:jobs");
	CHECK(decision(g, "sqs:SendMessage") == AUDIT_ALLOWED);
	/* sqs:ListQueues takes only Resource "*". */
	CHECK(decision(g, "sqs:ListQueues") == -1);
	CHECK(g && g->edge == NULL);
	release(&a);
}

static void test_condition_makes_conditional(void)
{
	struct audited a;
	const struct audit_grant *g;

	write_file("condition/main.tf", role_with_policy);
	audit_folder(&a, "condition", NULL, 0);
	g = grant(role(&a, "aws_iam_role.app"), "sns", "*");
	CHECK(decision(g, "sns:Publish") == AUDIT_CONDITIONAL);
	CHECK(g && g->depend_count == 1);
	CHECK(g && g->depend_count == 1 && strcmp(g->depends[0], "the condition key 'aws:SourceIp'") == 0);
	release(&a);
}

static void test_assumers(void)
{
	struct audited a;
	const struct audit_role *r;

	write_file("assumers/main.tf", role_with_policy);
	write_file("assumers/irsa.tf",
		   "variable \"namespace\" { default = \"team-prod\" }\n"
		   "variable \"eks_cluster_name\" {}\n"
		   "module \"irsa\" {\n"
		   "  source = \"github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0\"\n"
		   "  eks_cluster_name = var.eks_cluster_name\n"
		   "  namespace = var.namespace\n"
		   "  service_account_name = \"api\"\n"
		   "  role_policy_arns = { managed = \"arn:aws:iam::aws:policy/ReadOnlyAccess\" }\n"
		   "}\n");
	audit_folder(&a, "assumers", NULL, 0);
	r = role(&a, "module.irsa");
	CHECK(r && r->assumer_count == 1);
	CHECK(r && r->assumer_count == 1 && r->assumers[0].kind == AUDIT_ASSUMER_SERVICE_ACCOUNT);
	CHECK_STR(r && r->assumer_count ? r->assumers[0].name : NULL, "team-prod:api");
	CHECK(r && r->policy_count == 1 && r->policies[0].origin == AUDIT_ORIGIN_UNRESOLVED);
	r = role(&a, "aws_iam_role.app");
	CHECK(r && r->assumer_count == 1);
	CHECK(r && r->assumer_count == 1 && r->assumers[0].kind == AUDIT_ASSUMER_AWS);
	CHECK_STR(r && r->assumer_count ? r->assumers[0].account : NULL, "444455556666");
	CHECK(r && r->assumer_count == 1 && r->assumers[0].other_account);
	CHECK(r && r->assumer_count == 1 && r->assumers[0].condition_count == 1);
	release(&a);
}

static const char assume_other[] =
	"resource \"aws_iam_role\" \"job\" {\n"
	"  name = \"job\"\n"
	"  assume_role_policy = jsonencode({\n"
	"    Version = \"2012-10-17\"\n"
	"    Statement = [{ Effect = \"Allow\", Principal = { Service = \"ec2.amazonaws.com\" }, Action = \"sts:AssumeRole\" }]\n"
	"  })\n"
	"}\n"
	"resource \"aws_iam_role_policy\" \"job\" {\n"
	"  role = aws_iam_role.job.id\n"
	"  policy = jsonencode({\n"
	"    Version = \"2012-10-17\"\n"
	"    Statement = [\n"
	"      { Effect = \"Allow\", Action = \"sts:AssumeRole\", Resource = \"arn:aws:iam::444455556666:role/reader\" },\n"
	"      { Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"arn:aws:s3:::partner/*\" }\n"
	"    ]\n"
	"  })\n"
	"}\n";

static const char trust_confirms[] =
	"{\"Role\": {\"Arn\": \"arn:aws:iam::444455556666:role/reader\", \"AssumeRolePolicyDocument\": "
	"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
	"\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/job\"}, \"Action\": \"sts:AssumeRole\"}]}}}";

static const char trust_other[] =
	"{\"Role\": {\"Arn\": \"arn:aws:iam::444455556666:role/reader\", \"AssumeRolePolicyDocument\": "
	"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
	"\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/other\"}, \"Action\": \"sts:AssumeRole\"}]}}}";

/* The bucket grants a narrower prefix than the role's policy names. */
static const char bucket_narrow[] =
	"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
	"\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/job\"}, \"Action\": \"s3:GetObject\", "
	"\"Resource\": \"arn:aws:s3:::partner/shared/*\"}]}";

static const char bucket_whole[] =
	"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
	"\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"s3:Get*\", "
	"\"Resource\": \"arn:aws:s3:::partner/*\"}]}";

static const struct audit_edge *edge_of(const struct audited *a, const char *prefix, const char *resource)
{
	const struct audit_grant *g = grant(role(a, "aws_iam_role.job"), prefix, resource);

	return g ? g->edge : NULL;
}

static void test_edges(void)
{
	struct audited a;
	const struct audit_edge *e;
	const char *confirms[] = {trust_confirms, bucket_whole};
	const char *denies[] = {trust_other, bucket_narrow};

	write_file("edges/main.tf", assume_other);
	audit_folder(&a, "edges", NULL, 0);
	e = edge_of(&a, "sts", "arn:aws:iam::444455556666:role/reader");
	CHECK(e && e->state == AUDIT_EDGE_MISSING);
	CHECK_STR(e ? e->account : NULL, "444455556666");
	e = edge_of(&a, "s3", "arn:aws:s3:::partner/*");
	CHECK(e && e->state == AUDIT_EDGE_MISSING && e->account == NULL);
	release(&a);

	audit_folder(&a, "edges", confirms, 2);
	e = edge_of(&a, "sts", "arn:aws:iam::444455556666:role/reader");
	CHECK(e && e->state == AUDIT_EDGE_CONFIRMED);
	e = edge_of(&a, "s3", "arn:aws:s3:::partner/*");
	CHECK(e && e->state == AUDIT_EDGE_CONFIRMED);
	release(&a);

	audit_folder(&a, "edges", denies, 2);
	e = edge_of(&a, "sts", "arn:aws:iam::444455556666:role/reader");
	CHECK(e && e->state == AUDIT_EDGE_DENIED);
	CHECK(e && e->grantee_count == 1);
	CHECK_STR(e && e->grantee_count ? e->grantees[0] : NULL, "arn:aws:iam::111122223333:role/other");
	/* A grant on part of the objects never confirms the whole pattern. */
	e = edge_of(&a, "s3", "arn:aws:s3:::partner/*");
	CHECK(e && e->state != AUDIT_EDGE_CONFIRMED);
	CHECK(e && e->denied == 1);
	release(&a);
}

static void test_namespace_of_irsa_trust(void)
{
	struct audited a;
	const struct audit_role *r;
	bool found = false;

	write_file("copied/main.tf",
		   "variable \"namespace\" { default = \"ledger-prod\" }\n"
		   "module \"irsa\" {\n"
		   "  source = \"github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0\"\n"
		   "  eks_cluster_name = \"live\"\n"
		   "  namespace = \"payments-prod\"\n"
		   "  service_account_name = \"reader\"\n"
		   "  role_policy_arns = {}\n"
		   "}\n");
	audit_folder(&a, "copied", NULL, 0);
	r = role(&a, "module.irsa");
	for (size_t i = 0; r && i < r->finding_count; i++)
		found = found || strcmp(r->findings[i].rule, "irsa-trust-mismatch") == 0;
	CHECK(found);
	release(&a);
}

static void test_names(void)
{
	enum audit_format format;

	CHECK(audit_format_parse("markdown", &format) && format == AUDIT_MARKDOWN);
	CHECK(audit_format_parse("dot", &format) && format == AUDIT_DOT);
	CHECK(!audit_format_parse("sarif", &format));
	CHECK_STR(audit_edge_state_name(AUDIT_EDGE_UNDECIDED), "undecided");
	CHECK_STR(audit_origin_name(AUDIT_ORIGIN_SSM), "ssm");
	CHECK_STR(audit_assumer_kind_name(AUDIT_ASSUMER_SERVICE_ACCOUNT), "service-account");
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

	test_deny_subtracts();
	test_actions_apply_to_resource();
	test_condition_makes_conditional();
	test_assumers();
	test_edges();
	test_namespace_of_irsa_trust();
	test_names();

	tf_models_release(&models);
	snprintf(command, sizeof(command), "rm -rf '%s'", scratch);
	if (system(command) != 0)
		printf("# could not remove %s\n", scratch);
	return tap_done();
}
