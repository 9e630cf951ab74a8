/*
 * `iamcross audit PATH...`: the map of what each namespace's workloads can
 * reach (audit.h), rendered as text, Markdown, JSON or DOT.
 *
 * Each root module under the paths is audited on its own context, one
 * after the other.  A folder that another folder calls as a local module
 * is audited through its caller.  Before that an index pass reads
 * every root under the paths and under each --index folder, without
 * extracting policies, so SSM parameters another namespace publishes
 * resolve.  The configuration file is read once per namespace, so its
 * inline suppressions and unused-suppression findings stay with that
 * namespace.
 *
 * Findings are part of the map, so the exit status is 0 whenever the
 * audit ran, and 2 for a usage error or input that cannot be read.
 */
#include "cli_internal.h"
#include "iamcross/audit.h"
#include "iamcross/config.h"
#include "iamcross/terraform.h"
#include "iamcross/tf_model.h"

#include <stdlib.h>
#include <string.h>

struct audit_run {
	struct cli_options *o;
	struct string_list vars;      /* the configuration's vars, then --var, which wins */
	const char *account;          /* --account, else the configuration's */
	const char *account_name;
	struct tf_models models;
	struct tf_ssm_index index;
	struct arena arena;           /* copies of the configuration's vars and account */
	char **module_folders;        /* real paths of every local module the indexed roots call */
	size_t module_folder_count;
	size_t module_folder_cap;
};

static struct tf_options load_options(const struct audit_run *run, const char *root)
{
	struct tf_options options;

	memset(&options, 0, sizeof(options));
	options.account = run->account;
	options.vars = run->vars.items;
	options.var_count = run->vars.count;
	options.models = &run->models;
	options.root = root;
	return options;
}

/* The index pass --------------------------------------------------------------------------------- */

/* Read one root without extracting policies: its SSM parameters and the local modules it calls. */
static void index_root(struct audit_run *run, const char *folder, const char *root)
{
	struct context ctx;
	struct tf_config config;
	struct tf_options options = load_options(run, root);
	struct buf error = BUF_INIT;
	const char **folders;

	options.quiet = true;
	options.index_only = true;
	context_init(&ctx);
	if (tf_load(&ctx, &config, folder, NULL, 0, &options, &error)) {
		size_t count = tf_config_module_folders(&config, &folders);

		for (size_t i = 0; i < count; i++) {
			char *real = realpath(folders[i], NULL);

			if (!real)
				continue;
			run->module_folders = xgrow(run->module_folders, &run->module_folder_cap,
						    run->module_folder_count + 1, sizeof(*run->module_folders));
			run->module_folders[run->module_folder_count++] = real;
		}
		tf_ssm_index_collect(&run->index, &config);
	}
	buf_release(&error);
	tf_config_release(&config);
	context_release(&ctx);
}

static bool index_paths(struct audit_run *run, const struct string_list *paths)
{
	struct walk_result walk;

	memset(&walk, 0, sizeof(walk));
	context_init(&walk.ctx);
	if (!walk_paths(paths, &walk)) {
		walk_result_release(&walk);
		return false;
	}
	for (size_t i = 0; i < walk.folder_count; i++)
		index_root(run, walk.folders[i], walk.roots[i]);
	walk_result_release(&walk);
	return true;
}

static bool is_module_folder(const struct audit_run *run, const char *folder)
{
	char *real = realpath(folder, NULL);
	bool found = false;

	for (size_t i = 0; real && i < run->module_folder_count && !found; i++)
		found = strcmp(real, run->module_folders[i]) == 0;
	free(real);
	return found;
}

/* Counterparts ------------------------------------------------------------------------------------ */

struct counterpart_set {
	struct policy_set json;
	struct tf_config *configs;
	size_t config_count;
	struct policy_set view;       /* every counterpart policy, owned by the two above */
	struct audit_counterpart *items;
	size_t count;
	size_t cap;
};

static void counterpart_add(struct counterpart_set *c, const struct policy *policy, const char *file,
			    const char *governs)
{
	c->items = xgrow(c->items, &c->cap, c->count + 1, sizeof(*c->items));
	c->items[c->count].policy = policy;
	c->items[c->count].file = file;
	c->items[c->count++].governs = governs;
	policy_set_add(&c->view, (struct policy *)policy);
}

static bool load_tf_counterpart(struct audit_run *run, struct context *ctx, struct counterpart_set *c,
				const char *path)
{
	struct tf_options options = load_options(run, NULL);
	struct buf error = BUF_INIT;
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	struct tf_config *config = &c->configs[c->config_count++];
	bool ok = tf_load(ctx, config, arena_strdup(&ctx->arena, dir), &path, 1, &options, &error);

	if (!ok)
		cli_error("%s", buf_str(&error));
	for (size_t i = 0; ok && i < config->policy_count; i++) {
		const struct tf_policy *tp = config->policies[i];

		if (tp->policy && tp->kind != POLICY_IDENTITY)
			counterpart_add(c, tp->policy, path, tp->governs);
	}
	buf_release(&error);
	free(dir);
	return ok;
}

/* Load every --counterpart into `ctx`; false after a message when one cannot be read. */
static bool load_counterparts(struct audit_run *run, struct context *ctx, struct counterpart_set *c)
{
	const struct string_list *paths = &run->o->counterparts;

	memset(c, 0, sizeof(*c));
	policy_set_init(&c->json);
	policy_set_init(&c->view);
	c->configs = xcalloc(paths->count + 1, sizeof(*c->configs));
	for (size_t i = 0; i < paths->count; i++) {
		const char *path = paths->items[i];
		const char *reason;
		size_t before = c->json.count;
		uint32_t id;

		if (str_ends_with(path, ".tf")) {
			if (!load_tf_counterpart(run, ctx, c, path))
				return false;
			continue;
		}
		if (source_set_read(&ctx->sources, path, &id, &reason) != SOURCE_OK) {
			cli_error("%s: %s", path, reason);
			return false;
		}
		load_json_policy(ctx, &c->json, id, POLICY_RESOURCE);
		for (size_t k = before; k < c->json.count; k++)
			counterpart_add(c, c->json.items[k], path, c->json.items[k]->role_arn);
	}
	return true;
}

static void release_counterparts(struct counterpart_set *c)
{
	for (size_t k = 0; k < c->config_count; k++)
		tf_config_release(&c->configs[k]);
	free(c->configs);
	free(c->items);
	policy_set_release(&c->json);
	policy_set_release(&c->view);
}

/* One namespace --------------------------------------------------------------------------------------- */

/* Apply the configuration to the findings as scan does: inline suppressions, severities, sorting. */
static void apply_config(struct context *ctx)
{
	if (!ctx->config) {
		ctx->config = xmalloc(sizeof(*ctx->config));
		config_init(ctx->config);
	}
	config_collect_inline_suppressions(ctx->config, ctx);
	config_apply(ctx->config, ctx, ctx->policies, ctx->policy_count);
}

static bool audit_folder(struct audit_run *run, struct audit *audit, const char *folder, const char *root)
{
	struct context ctx;
	struct tf_config config;
	struct tf_options options = load_options(run, root);
	struct counterpart_set c;
	struct buf error = BUF_INIT;
	bool ok;

	context_init(&ctx);
	options.ssm = &run->index;
	ok = cli_load_config(&ctx, run->o, folder);
	if (ok) {
		ctx.account = run->account;
		ok = load_counterparts(run, &ctx, &c);
		if (ok && !tf_load(&ctx, &config, folder, NULL, 0, &options, &error)) {
			cli_error("%s", buf_str(&error));
			tf_config_release(&config);
			ok = false;
		} else if (ok) {
			audit_analyze(&ctx, &config, &c.view);
			apply_config(&ctx);
			audit_add_namespace(audit, &ctx, &config, c.items, c.count);
			tf_config_release(&config);
		}
		release_counterparts(&c);
	}
	buf_release(&error);
	cli_release_config(&ctx);
	context_release(&ctx);
	return ok;
}

/* The command ------------------------------------------------------------------------------------------ */

static bool parse_format(const struct cli_options *o, enum audit_format *format)
{
	*format = AUDIT_TEXT;
	if (!o->format_name || audit_format_parse(o->format_name, format))
		return true;
	cli_error("invalid value '%s' for --format; audit prints text, markdown, json or dot", o->format_name);
	return false;
}

/* Read the configuration found from the first path for the account and vars of the whole run. */
static bool setup(struct audit_run *run)
{
	struct context ctx;
	struct buf error = BUF_INIT;
	bool ok;

	context_init(&ctx);
	ok = cli_load_config(&ctx, run->o, run->o->paths.items[0]);
	if (ok) {
		run->account = run->o->account;
		if (!run->account && ctx.config)
			run->account = ctx.config->account;
		for (size_t i = 0; ctx.config && i < ctx.config->var_count; i++)
			string_list_push(&run->vars, ctx.config->vars[i]);
		for (size_t i = 0; ctx.config && run->account && i < ctx.config->account_count; i++) {
			if (strcmp(ctx.config->accounts[i].id, run->account) == 0)
				run->account_name = ctx.config->accounts[i].name;
		}
	}
	/* The vars and account point into the options or into a config loaded again per namespace. */
	for (size_t i = 0; ok && i < run->vars.count; i++)
		run->vars.items[i] = arena_strdup(&run->arena, run->vars.items[i]);
	if (ok && run->account)
		run->account = arena_strdup(&run->arena, run->account);
	if (ok && run->account_name)
		run->account_name = arena_strdup(&run->arena, run->account_name);
	for (size_t i = 0; ok && i < run->o->vars.count; i++)
		string_list_push(&run->vars, run->o->vars.items[i]);
	cli_release_config(&ctx);
	context_release(&ctx);
	if (ok && !(ok = tf_models_load_default(&run->models, &error)))
		cli_error("%s", buf_str(&error));
	buf_release(&error);
	return ok;
}

/* Cut the real path `path` to the deepest folder that also contains the real path `other`. */
static void cut_to_common_folder(char *path, const char *other)
{
	size_t n = 0;
	size_t cut = 0;

	while (path[n] && path[n] == other[n])
		n++;
	if ((path[n] == '\0' || path[n] == '/') && (other[n] == '\0' || other[n] == '/')) {
		cut = n;
	} else {
		for (size_t k = 0; k < n; k++) {
			if (path[k] == '/')
				cut = k;
		}
	}
	/* Both are absolute, so at worst the common folder is "/". */
	path[cut ? cut : 1] = '\0';
}

/*
 * The folder that a namespace found under `root` may read from: `root`, or
 * with --index the deepest folder that contains `root` and every --index
 * folder, so that the roots publishing SSM parameters can be loaded.
 * Returns a malloc'ed real path, or NULL to keep `root`.
 */
static char *confinement_root(const struct audit_run *run, const char *root)
{
	char *common = run->o->indexes.count ? realpath(root, NULL) : NULL;

	for (size_t i = 0; common && i < run->o->indexes.count; i++) {
		char *other = realpath(run->o->indexes.items[i], NULL);

		if (other)
			cut_to_common_folder(common, other);
		free(other);
	}
	return common;
}

static bool audit_paths(struct audit_run *run, struct audit *audit)
{
	struct walk_result walk;
	bool ok;

	memset(&walk, 0, sizeof(walk));
	context_init(&walk.ctx);
	ok = walk_paths(&run->o->paths, &walk);
	if (ok && walk.plan_count) {
		cli_error("audit reads folders of .tf files, not '%s'", walk.plans[0]);
		ok = false;
	}
	if (ok && walk.folder_count == 0) {
		cli_error("no .tf files under '%s'", run->o->paths.items[0]);
		ok = false;
	}
	for (size_t i = 0; ok && i < walk.folder_count; i++) {
		char *root;

		if (is_module_folder(run, walk.folders[i]))
			continue;
		root = confinement_root(run, walk.roots[i]);
		ok = audit_folder(run, audit, walk.folders[i], root ? root : walk.roots[i]);
		free(root);
	}
	walk_result_release(&walk);
	return ok;
}

int cli_audit(struct cli_options *o)
{
	struct audit_run run;
	struct audit audit;
	enum audit_format format;
	int status = 2;

	if (!parse_format(o, &format))
		return 2;
	if (o->paths.count == 0)
		string_list_push(&o->paths, ".");
	memset(&run, 0, sizeof(run));
	run.o = o;
	arena_init(&run.arena);
	tf_models_init(&run.models);
	tf_ssm_index_init(&run.index);
	memset(&audit, 0, sizeof(audit));
	if (!setup(&run) || !index_paths(&run, &o->paths) || !index_paths(&run, &o->indexes))
		goto out;
	tf_ssm_index_finish(&run.index);
	audit_init(&audit, run.account, run.account_name);
	if (!audit_paths(&run, &audit))
		goto out;
	audit_write(stdout, &audit, format, cli_use_color(o->color));
	status = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("writing the audit failed");
		status = 2;
	}
out:
	audit_release(&audit);
	for (size_t i = 0; i < run.module_folder_count; i++)
		free(run.module_folders[i]);
	free(run.module_folders);
	tf_ssm_index_release(&run.index);
	tf_models_release(&run.models);
	string_list_release(&run.vars);
	arena_release(&run.arena);
	return status;
}
