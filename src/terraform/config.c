/*
 * Loading a root module into a configuration, and releasing it.
 *
 * tf_load() sets up the evaluator with the Terraform resolve and file
 * callbacks, reads the folder, and runs the extraction.  Roots loaded to
 * resolve an SSM parameter another namespace writes ("foreign" roots) go
 * through tf_load_root() with a tag that prefixes their unknowns and with
 * their findings dropped: their own scan reports them.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Report where the evaluator stopped, if it did: values after that point are unknown. */
static void report_eval_limit(struct tf_state *st)
{
	struct span where;
	struct finding *f;

	if (!hcl_eval_limit_reached(st->eval, &where))
		return;
	f = diag_add(st->diags, RULE_LIMIT_EXCEEDED, where,
		     "evaluation stopped here, at the limit of %d steps or %d nested evaluations for one folder; every value computed after this point is unknown, so the policies that use them were not fully checked",
		     HCL_EVAL_DEFAULT_STEPS, HCL_EVAL_MAX_DEPTH);
	diag_set_hint(f, "compute smaller values: a `for` over a large range or a string that doubles in length again and again needs millions of steps");
}

bool tf_load_root(struct context *ctx, struct tf_config *config, const char *folder,
		  const char *const *files, size_t file_count, const struct tf_options *options,
		  const char *tag, struct tf_state *parent, struct buf *error)
{
	struct tf_state *st = xcalloc(1, sizeof(*st));
	struct hcl_eval_options eval;
	struct tf_module *module;

	memset(config, 0, sizeof(*config));
	policy_set_init(&config->store);
	arena_init(&st->arena);
	folder = arena_strdup(&st->arena, folder);
	config->folder = folder;
	config->state = st;
	st->ctx = ctx;
	st->config = config;
	st->options = *options;
	st->tag = tag ? tag : "";
	diag_init(&st->scratch);
	st->diags = options->quiet ? &st->scratch : &ctx->diags;
	st->foreign_depth = parent ? parent->foreign_depth + 1 : 0;
	st->policies_only = parent != NULL;
	if (parent) {
		st->loading = xcalloc(parent->loading_count + 1, sizeof(*st->loading));
		memcpy(st->loading, parent->loading, parent->loading_count * sizeof(*st->loading));
		st->loading_count = parent->loading_count;
	} else {
		st->loading = xcalloc(1, sizeof(*st->loading));
	}
	st->loading[st->loading_count++] = folder;

	st->cwd_real = realpath(".", NULL);
	st->root_real = realpath(options->root ? options->root : folder, NULL);
	if (!st->root_real) {
		buf_printf(error, "%s: cannot open the folder", options->root ? options->root : folder);
		return false;
	}
	memset(&eval, 0, sizeof(eval));
	eval.sources = &ctx->sources;
	eval.symbols = &ctx->symbols;
	eval.resolve = tf_resolve;
	eval.resolve_context = st;
	eval.read_file = tf_read_file;
	eval.read_file_context = st;
	eval.diags = st->diags;
	st->eval = hcl_eval_new(&eval);

	module = tf_module_load(st, folder, ".", files, file_count, span_make(0, 0, 0));
	if (!module) {
		buf_printf(error, "%s: cannot list the folder", folder);
		return false;
	}
	st->root = ARENA_NEW(&st->arena, struct tf_instance);
	st->root->module = module;
	st->root->address = "";
	st->root->call_name = "";
	st->instances = xgrow(st->instances, &st->instance_cap, st->instance_count + 1, sizeof(*st->instances));
	st->instances[st->instance_count++] = st->root;
	if (options->index_only)
		tf_index_modules(st, st->root);
	else
		tf_extract(st);
	report_eval_limit(st);
	return true;
}

bool tf_load(struct context *ctx, struct tf_config *config, const char *folder,
	     const char *const *files, size_t file_count, const struct tf_options *options,
	     struct buf *error)
{
	/* A file the user named is an input: one that cannot be read stops the command. */
	for (size_t i = 0; i < file_count; i++) {
		const char *reason;

		if (source_check_readable(files[i], &reason) != SOURCE_OK) {
			memset(config, 0, sizeof(*config));
			policy_set_init(&config->store);
			buf_printf(error, "%s: %s", files[i], reason);
			return false;
		}
	}
	return tf_load_root(ctx, config, folder, files, file_count, options, NULL, NULL, error);
}

size_t tf_config_module_folders(const struct tf_config *config, const char ***folders)
{
	if (!config->state) {
		*folders = NULL;
		return 0;
	}
	*folders = config->state->module_folders;
	return config->state->module_folder_count;
}

static void release_state(struct tf_state *st)
{
	for (size_t i = 0; i < st->foreign_count; i++) {
		tf_config_release(st->foreign[i]);
		free(st->foreign[i]);
	}
	free(st->foreign);
	for (size_t i = 0; i < st->module_count; i++) {
		struct tf_module *m = st->modules[i];

		for (size_t f = 0; f < m->file_count; f++) {
			hcl_file_release(&m->files[f]->hcl);
			free(m->files[f]->path);
			free(m->files[f]);
		}
		free(m->files);
		free(m->decls);
		free(m->dir);
		free(m->rel);
		free(m);
	}
	free(st->modules);
	for (size_t i = 0; i < st->scratch_count; i++) {
		hcl_file_release(st->scratch_files[i]);
		free(st->scratch_files[i]);
	}
	free(st->scratch_files);
	free(st->instances);
	free(st->cache);
	free(st->templates.items);
	free(st->policy_by_arn.items);
	free(st->principal_by_name.items);
	free(st->principal_by_arn.items);
	free(st->documents_used.items);
	free(st->children.items);
	free(st->pending);
	free(st->loading);
	free(st->module_folders);
	free(st->root_real);
	free(st->cwd_real);
	hcl_eval_free(st->eval);
	diag_release(&st->scratch);
	arena_release(&st->arena);
	free(st);
}

void tf_config_release(struct tf_config *config)
{
	for (size_t i = 0; i < config->principal_count; i++) {
		free(config->principals[i]->policies);
		free(config->principals[i]->unresolved);
		free(config->principals[i]->unresolved_spans);
	}
	free(config->principals);
	for (size_t i = 0; i < config->policy_count; i++)
		free(config->policies[i]->attached_to);
	free(config->policies);
	free(config->resources);
	if (config->state)
		release_state(config->state);
	policy_set_release(&config->store);
	memset(config, 0, sizeof(*config));
}
