/*
 * `iamcross suggest`: print what the other side must add.  With -i, the
 * resource and trust policy statements that grant the caller (-p) what its
 * identity policies allow; with -r, the identity statements the caller
 * needs to use what the resource policies grant it.  Inputs are JSON
 * policies, .tf files (each read as a root module of its folder) and
 * `terraform show -json` plans.  The library in src/suggest does the work;
 * this file reads the inputs and picks the writer.
 */
#include "cli_internal.h"
#include "iamcross/load.h"
#include "iamcross/plan.h"
#include "iamcross/suggest.h"
#include "iamcross/terraform.h"
#include "iamcross/tf_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The Terraform files and plans read, each as a root module of its own. */
struct terraform_inputs {
	struct tf_models models;
	bool models_loaded;
	struct tf_config *configs;
	size_t count;
	size_t cap;
};

static void release_terraform(struct terraform_inputs *tf)
{
	for (size_t i = 0; i < tf->count; i++)
		tf_config_release(&tf->configs[i]);
	free(tf->configs);
	if (tf->models_loaded)
		tf_models_release(&tf->models);
}

static struct tf_config *new_config(struct terraform_inputs *tf)
{
	tf->configs = xgrow(tf->configs, &tf->cap, tf->count + 1, sizeof(*tf->configs));
	return &tf->configs[tf->count++];
}

/*
 * Add the policies of `config` of the side `kind` to `set`.  An identity
 * policy that a known module writes for others to attach (the S3 module's
 * irsa_policy_arn) is the caller's only where the root attaches it.  A
 * trust policy gets the role that the Terraform gives it, which
 * suggest -r needs for the identity statement's Resource.
 */
static void add_config_policies(struct policy_set *set, const struct tf_config *config, enum policy_kind kind)
{
	for (size_t p = 0; p < config->policy_count; p++) {
		const struct tf_policy *tp = config->policies[p];

		if (!tp->policy || (kind == POLICY_IDENTITY) != (tp->kind == POLICY_IDENTITY))
			continue;
		if (tp->kind == POLICY_IDENTITY && tp->module_source && tp->attached_count == 0)
			continue;
		if (tp->kind == POLICY_TRUST && tp->governs && !tp->policy->role_arn)
			tp->policy->role_arn = tp->governs;
		policy_set_add(set, tp->policy);
	}
}

/* Read a .tf file as a root module of its folder; false after a message. */
static bool load_terraform(struct context *ctx, struct terraform_inputs *tf, const char *path,
			   const struct cli_options *o)
{
	struct tf_options options;
	struct buf error = BUF_INIT;
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	bool ok;

	if (!tf->models_loaded) {
		tf->models_loaded = tf_models_load_default(&tf->models, &error);
		if (!tf->models_loaded) {
			cli_error("%s", buf_str(&error));
			buf_release(&error);
			free(dir);
			return false;
		}
	}
	memset(&options, 0, sizeof(options));
	options.account = ctx->account;
	options.vars = o->vars.items;
	options.var_count = o->vars.count;
	options.models = &tf->models;
	ok = tf_load(ctx, new_config(tf), arena_strdup(&ctx->arena, dir), &path, 1, &options, &error);
	if (!ok)
		cli_error("%s", buf_str(&error));
	buf_release(&error);
	free(dir);
	return ok;
}

/*
 * Read every file of `paths`: JSON policies, .tf files and `terraform show
 * -json` plans.  False (after a message) when one cannot be used.
 */
static bool load_inputs(struct context *ctx, struct policy_set *set, struct terraform_inputs *tf,
			const struct cli_options *o, enum policy_kind kind)
{
	const struct string_list *paths = kind == POLICY_IDENTITY ? &o->identity : &o->resource;
	const char *option = kind == POLICY_IDENTITY ? "-i" : "-r";

	for (size_t i = 0; i < paths->count; i++) {
		const char *path = paths->items[i];
		const struct source *src;
		const char *reason;
		uint32_t id;

		if (str_ends_with(path, ".tf")) {
			if (!load_terraform(ctx, tf, path, o))
				return false;
			add_config_policies(set, &tf->configs[tf->count - 1], kind);
			continue;
		}
		if (source_set_read(&ctx->sources, path, &id, &reason) != SOURCE_OK) {
			cli_error("%s: %s", path, reason);
			return false;
		}
		src = source_get(&ctx->sources, id);
		if (plan_detect(src->text, src->length)) {
			struct tf_config *config = new_config(tf);

			plan_load(ctx, config, id);
			add_config_policies(set, config, kind);
			continue;
		}
		if (!load_json_policy(ctx, set, id, kind)) {
			cli_error("%s: no policy could be read from it; run 'iamcross check %s %s' to see why", path,
				  option, path);
			return false;
		}
	}
	return true;
}

static bool check_usage(const struct cli_options *o, bool *as_hcl)
{
	if (o->paths.count > 0) {
		cli_error("suggest takes its files through -i or -r, not as '%s'", o->paths.items[0]);
		return false;
	}
	if ((o->identity.count == 0) == (o->resource.count == 0)) {
		cli_error("suggest needs the policies of one side: -i IDENTITY_POLICY... for what the resource side must add, or -r RESOURCE_POLICY... for what the identity side must add");
		return false;
	}
	if (!o->principal) {
		cli_error("suggest needs the caller: -p PRINCIPAL_ARN, e.g. arn:aws:iam::111122223333:role/app");
		return false;
	}
	*as_hcl = o->format_name && strcmp(o->format_name, "hcl") == 0;
	if (o->format_name && !*as_hcl && strcmp(o->format_name, "json") != 0) {
		cli_error("invalid value '%s' for --format; use json or hcl", o->format_name);
		return false;
	}
	return true;
}

int cli_suggest(struct cli_options *o)
{
	struct context ctx;
	struct policy_set set;
	struct suggestion suggestion;
	struct terraform_inputs tf;
	struct buf reason = BUF_INIT;
	struct buf out = BUF_INIT;
	bool as_hcl = false;
	bool made;
	int status = 2;

	if (!check_usage(o, &as_hcl))
		return 2;
	context_init(&ctx);
	policy_set_init(&set);
	memset(&tf, 0, sizeof(tf));
	ctx.account = o->account;
	if (o->identity.count > 0) {
		if (!load_inputs(&ctx, &set, &tf, o, POLICY_IDENTITY))
			goto out;
		made = suggest_for_identity(&suggestion, (const struct policy *const *)set.items, set.count,
					    o->principal, o->account, &ctx.symbols, &reason);
	} else {
		if (!load_inputs(&ctx, &set, &tf, o, POLICY_RESOURCE))
			goto out;
		made = suggest_for_resource(&suggestion, (const struct policy *const *)set.items, set.count,
					    o->principal, &ctx.symbols, &reason);
	}
	if (!made) {
		cli_error("invalid value for -p: %s", buf_str(&reason));
		goto out;
	}
	if (as_hcl)
		suggest_write_hcl(&out, &suggestion, &ctx.symbols);
	else
		suggest_write_json(&out, &suggestion, &ctx.symbols);
	suggestion_release(&suggestion);
	fputs(buf_str(&out), stdout);
	status = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
	if (status != 0)
		cli_error("writing the suggestion failed");
out:
	buf_release(&out);
	buf_release(&reason);
	release_terraform(&tf);
	policy_set_release(&set);
	context_release(&ctx);
	return status;
}
