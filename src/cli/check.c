/*
 * `iamcross check`: lint the given identity and resource policies, then
 * check each resource policy against the caller's identity policies.
 *
 * The caller is -p; without it, the resource policies decide: when they name
 * exactly one AWS principal that is the caller (and a note says so), when
 * they name several the choice is the user's and the command stops with the
 * list.  Without -i no caller is needed: the policies are only linted.
 */
#include "cli_internal.h"
#include "iamcross/config.h"
#include "iamcross/eval.h"
#include "iamcross/lint.h"
#include "iamcross/load.h"
#include "iamcross/pair.h"
#include "iamcross/plan.h"
#include "iamcross/terraform.h"
#include "iamcross/tf_model.h"

#include <stdlib.h>
#include <string.h>

static bool is_terraform_path(const char *path)
{
	return str_ends_with(path, ".tf");
}

/* The Terraform files given with -i or -r, each read as a root module of its own folder. */
struct terraform_inputs {
	struct tf_models models;
	struct string_list vars;   /* the configuration's vars, then --var, which wins */
	struct tf_config *configs;
	size_t count;
	size_t cap;
	size_t files;
};

static bool load_terraform(struct context *ctx, struct terraform_inputs *tf, const char *path,
			   const struct cli_options *o)
{
	struct tf_options options;
	struct buf error = BUF_INIT;
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	struct tf_config *config;
	bool ok;

	if (tf->count == 0 && tf->vars.count == 0) {
		for (size_t i = 0; ctx->config && i < ctx->config->var_count; i++)
			string_list_push(&tf->vars, ctx->config->vars[i]);
		for (size_t i = 0; i < o->vars.count; i++)
			string_list_push(&tf->vars, o->vars.items[i]);
	}
	if (tf->count == 0 && !tf_models_load_default(&tf->models, &error)) {
		cli_error("%s", buf_str(&error));
		buf_release(&error);
		free(dir);
		return false;
	}
	memset(&options, 0, sizeof(options));
	options.account = ctx->account;
	options.vars = tf->vars.items;
	options.var_count = tf->vars.count;
	options.models = &tf->models;
	tf->configs = xgrow(tf->configs, &tf->cap, tf->count + 1, sizeof(*tf->configs));
	config = &tf->configs[tf->count++];
	ok = tf_load(ctx, config, arena_strdup(&ctx->arena, dir), &path, 1, &options, &error);
	if (!ok)
		cli_error("%s", buf_str(&error));
	tf->files += config->file_count;
	buf_release(&error);
	free(dir);
	return ok;
}

static void release_terraform(struct terraform_inputs *tf)
{
	for (size_t i = 0; i < tf->count; i++)
		tf_config_release(&tf->configs[i]);
	free(tf->configs);
	string_list_release(&tf->vars);
	tf_models_release(&tf->models);
}

/* A `terraform show -json` file: its policies join `set` like those of a .tf file. */
static void add_plan(struct context *ctx, struct policy_set *set, struct terraform_inputs *tf, uint32_t id,
		     enum policy_kind kind)
{
	struct tf_config *config;

	tf->configs = xgrow(tf->configs, &tf->cap, tf->count + 1, sizeof(*tf->configs));
	config = &tf->configs[tf->count++];
	plan_load(ctx, config, id);
	tf->files += config->file_count;
	for (size_t p = 0; p < config->policy_count; p++) {
		const struct tf_policy *tp = config->policies[p];

		if (tp->policy && (kind == POLICY_IDENTITY) == (tp->kind == POLICY_IDENTITY))
			policy_set_add(set, tp->policy);
	}
}

/*
 * Read and parse every file of `paths`; false (after a message) when one
 * cannot be read.  The policies of Terraform files join `set` by kind:
 * identity policies for -i, resource and trust policies for -r.
 */
static bool load_files(struct context *ctx, struct policy_set *set, const struct string_list *paths,
		       enum policy_kind kind, struct terraform_inputs *tf, const struct cli_options *o)
{
	for (size_t i = 0; i < paths->count; i++) {
		const char *path = paths->items[i];
		const char *reason;
		uint32_t id;

		if (is_terraform_path(path)) {
			const struct tf_config *config;

			if (!load_terraform(ctx, tf, path, o))
				return false;
			config = &tf->configs[tf->count - 1];
			for (size_t p = 0; p < config->policy_count; p++) {
				const struct tf_policy *tp = config->policies[p];

				if (tp->policy && (kind == POLICY_IDENTITY) == (tp->kind == POLICY_IDENTITY))
					policy_set_add(set, tp->policy);
			}
			continue;
		}
		if (source_set_read(&ctx->sources, path, &id, &reason) != SOURCE_OK) {
			cli_error("%s: %s", path, reason);
			return false;
		}
		if (plan_detect(source_get(&ctx->sources, id)->text, source_get(&ctx->sources, id)->length)) {
			add_plan(ctx, set, tf, id, kind);
			continue;
		}
		load_json_policy(ctx, set, id, kind);
	}
	return true;
}

struct named_principal {
	const char *arn;
	struct span span;
};

struct principal_list {
	struct named_principal *items;
	size_t count;
	size_t cap;
};

/* Collect the distinct AWS principals that Allow statements of `set` name. */
static void collect_principals(const struct policy_set *set, struct principal_list *out)
{
	for (size_t p = 0; p < set->count; p++) {
		const struct policy *policy = set->items[p];

		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct statement *st = &policy->statements[s];
			const struct pvalue_list *aws = &st->principal.by_type[PRINCIPAL_AWS];

			if (st->effect != EFFECT_ALLOW || st->principal.negated)
				continue;
			for (size_t i = 0; i < aws->count; i++) {
				bool seen = false;

				if (strcmp(aws->items[i].text, "*") == 0)
					continue;
				for (size_t k = 0; k < out->count && !seen; k++)
					seen = strcmp(out->items[k].arn, aws->items[i].text) == 0;
				if (seen)
					continue;
				out->items = xgrow(out->items, &out->cap, out->count + 1, sizeof(*out->items));
				out->items[out->count].arn = aws->items[i].text;
				out->items[out->count].span = aws->items[i].span;
				out->count++;
			}
		}
	}
}

/* How many principals the message listing them shows. */
enum { MAX_LISTED_PRINCIPALS = 32 };

/* Decide the caller; false (after a message) when the user must choose. */
static bool choose_principal(struct context *ctx, const struct cli_options *o,
			     const struct policy_set *resources, struct named_principal *caller)
{
	struct principal_list found = {NULL, 0, 0};
	bool chosen = true;

	if (o->principal) {
		caller->arn = o->principal;
		caller->span = span_make(0, 0, 0);
		return true;
	}
	collect_principals(resources, &found);
	if (found.count == 0) {
		caller->arn = NULL;
	} else if (found.count == 1) {
		*caller = found.items[0];
		cli_note("checking as '%s', the only AWS principal the resource policy names; "
			 "give -p to choose another", context_render(ctx, caller->arn));
	} else {
		cli_error("the resource policies name %zu AWS principals; choose the caller with -p:",
			  found.count);
		for (size_t i = 0; i < found.count && i < MAX_LISTED_PRINCIPALS; i++)
			fprintf(stderr, "  %s\n", context_render(ctx, found.items[i].arn));
		if (found.count > MAX_LISTED_PRINCIPALS)
			fprintf(stderr, "  and %zu more\n", found.count - MAX_LISTED_PRINCIPALS);
		chosen = false;
	}
	free(found.items);
	return chosen;
}

/* True when every action the policy names is a KMS action: a key policy. */
static bool is_key_policy(const struct policy *policy)
{
	bool any = false;

	for (size_t s = 0; s < policy->statement_count; s++) {
		const struct pvalue_list *actions = &policy->statements[s].actions;

		for (size_t a = 0; a < actions->count; a++) {
			if (!str_istarts_with(actions->items[a].text, "kms:"))
				return false;
			any = true;
		}
	}
	return any;
}

/*
 * The key policy that encrypts the other resources: with exactly one key
 * policy among several resource policies (a bucket's and its key's), the
 * bucket, queue, topic or secret is taken to be encrypted with that key.
 */
static const struct policy *encryption_key_policy(const struct policy_set *resources)
{
	const struct policy *key = NULL;

	if (resources->count < 2)
		return NULL;
	for (size_t r = 0; r < resources->count; r++) {
		if (!is_key_policy(resources->items[r]))
			continue;
		if (key)
			return NULL;
		key = resources->items[r];
	}
	return key;
}

static void run_pair_checks(struct context *ctx, const struct policy *const *identities, size_t identity_count,
			    const struct policy_set *resources, const struct named_principal *caller,
			    const char *naming)
{
	const struct policy *key = encryption_key_policy(resources);

	for (size_t r = 0; r < resources->count; r++) {
		struct pair_input input;

		/* The key's own requests are judged with each resource it encrypts. */
		if (resources->items[r] == key)
			continue;
		memset(&input, 0, sizeof(input));
		if (resources->items[r]->kind == POLICY_RESOURCE)
			input.key_policy = key;
		input.principal = caller->arn;
		input.principal_span = caller->span;
		input.principal_naming = naming;
		input.identity = identities;
		input.identity_count = identity_count;
		input.resource = resources->items[r];
		if (input.resource->kind == POLICY_TRUST && !input.resource->role_arn)
			cli_note("'%s' does not name its role, so the check assumes it is the trust policy of each role "
				 "the identity policy names; give the output of 'aws iam get-role' to compare the role's ARN too",
				 input.resource->name);
		pair_check(ctx, &input);
	}
}

/* The folder of the first input, where the search for a configuration starts. */
static char *first_input_dir(const struct cli_options *o)
{
	const char *first = o->identity.count ? o->identity.items[0] : o->resource.items[0];
	const char *slash = strrchr(first, '/');

	if (!slash)
		return xstrdup(".");
	return xstrndup(first, slash == first ? 1 : (size_t)(slash - first));
}

/*
 * Without -p, the roles and users the -i Terraform files define are the
 * callers, each with the policies attached to it and the JSON identity
 * policies.  Returns false when the files define none.
 */
static bool check_terraform_callers(struct context *ctx, const struct terraform_inputs *tf,
				    const struct policy_set *json_identities, const struct policy_set *resources,
				    size_t identity_configs)
{
	bool any = false;

	for (size_t k = 0; k < identity_configs; k++) {
		const struct tf_config *config = &tf->configs[k];

		for (size_t i = 0; i < config->principal_count; i++) {
			const struct tf_principal *p = config->principals[i];
			const struct policy **identity;
			size_t n = 0;
			struct named_principal caller = {p->arn, p->span};

			if (!p->arn)
				continue;
			identity = xcalloc(p->policy_count + json_identities->count + 1, sizeof(*identity));
			for (size_t a = 0; a < p->policy_count; a++) {
				if (p->policies[a]->policy)
					identity[n++] = p->policies[a]->policy;
			}
			for (size_t a = 0; a < json_identities->count; a++)
				identity[n++] = json_identities->items[a];
			if (resources->count > 0)
				cli_note("checking as %s '%s', which %s defines; give -p to choose another caller",
					 p->is_user ? "the user" : "the role", context_render(ctx, p->arn), p->address);
			if (n > 0)
				run_pair_checks(ctx, identity, n, resources, &caller, p->naming);
			free(identity);
			any = true;
		}
	}
	return any;
}

/* Is -p a caller simulate would accept?  Says why not. */
static bool valid_caller(const char *principal)
{
	struct eval_caller caller;
	struct arena arena;
	struct buf reason = BUF_INIT;
	bool ok;

	arena_init(&arena);
	ok = eval_caller_parse(&caller, principal, &arena, &reason);
	if (!ok)
		cli_error("invalid value '%s' for -p: %s", principal, buf_str(&reason));
	buf_release(&reason);
	arena_release(&arena);
	return ok;
}

int cli_check(struct cli_options *o)
{
	struct context ctx;
	struct policy_set identities;
	struct policy_set json_identities;
	struct policy_set resources;
	struct terraform_inputs tf;
	struct named_principal caller = {NULL, {0, 0, 0}};
	size_t identity_configs;
	char *config_dir;
	bool loaded;
	int status = 2;

	if (!cli_report_format(o))
		return 2;
	if (o->paths.count > 0) {
		cli_error("check takes its files through -i and -r, not as '%s'", o->paths.items[0]);
		return 2;
	}
	if (o->identity.count == 0 && o->resource.count == 0) {
		cli_error("check needs at least one policy: -i IDENTITY_POLICY and/or -r RESOURCE_POLICY");
		return 2;
	}
	if (o->principal && !valid_caller(o->principal))
		return 2;

	context_init(&ctx);
	policy_set_init(&identities);
	policy_set_init(&json_identities);
	policy_set_init(&resources);
	memset(&tf, 0, sizeof(tf));
	tf_models_init(&tf.models);

	config_dir = first_input_dir(o);
	loaded = cli_load_config(&ctx, o, config_dir);
	free(config_dir);
	if (!loaded)
		goto out;
	if (!load_files(&ctx, &identities, &o->identity, POLICY_IDENTITY, &tf, o))
		goto out;
	identity_configs = tf.count;
	if (!load_files(&ctx, &resources, &o->resource, POLICY_RESOURCE, &tf, o))
		goto out;

	for (size_t i = 0; i < identities.count; i++) {
		bool from_terraform = false;

		for (size_t k = 0; k < tf.count && !from_terraform; k++) {
			for (size_t p = 0; p < tf.configs[k].policy_count; p++)
				from_terraform = from_terraform || tf.configs[k].policies[p]->policy == identities.items[i];
		}
		if (!from_terraform) {
			lint_policy(&ctx, identities.items[i]);
			policy_set_add(&json_identities, identities.items[i]);
		}
	}
	for (size_t i = 0; i < resources.count; i++) {
		bool from_terraform = false;

		for (size_t k = 0; k < tf.count && !from_terraform; k++) {
			for (size_t p = 0; p < tf.configs[k].policy_count; p++)
				from_terraform = from_terraform || tf.configs[k].policies[p]->policy == resources.items[i];
		}
		if (!from_terraform)
			lint_policy(&ctx, resources.items[i]);
	}
	for (size_t k = 0; k < tf.count; k++)
		tf_lint(&ctx, &tf.configs[k]);

	if (!o->principal && check_terraform_callers(&ctx, &tf, &json_identities, &resources, identity_configs)) {
		status = cli_finish(&ctx, o, o->identity.count + o->resource.count - tf.count + tf.files);
		goto out;
	}
	/* Without -i there is nothing to pair, so the resource policies are only linted. */
	if (o->identity.count > 0 && !choose_principal(&ctx, o, &resources, &caller))
		goto out;
	if (caller.arn && identities.count > 0)
		run_pair_checks(&ctx, (const struct policy *const *)identities.items, identities.count, &resources,
				&caller, NULL);
	else if (o->identity.count > 0 && o->resource.count > 0 && !caller.arn)
		cli_note("the resource policy names no AWS principal, so the pair check was skipped; give -p");

	status = cli_finish(&ctx, o, o->identity.count + o->resource.count - tf.count + tf.files);
out:
	cli_release_config(&ctx);
	release_terraform(&tf);
	/* The policies of Terraform files belong to their configurations; only the JSON ones to the sets. */
	policy_set_release(&identities);
	policy_set_release(&json_identities);
	policy_set_release(&resources);
	context_release(&ctx);
	return status;
}
