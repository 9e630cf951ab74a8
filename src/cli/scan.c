/*
 * `iamcross scan PATH...`: find every Terraform root module under the
 * paths, check each one, and report all findings together.
 *
 * The run has three steps.  The walk lists the folders that hold .tf files.
 * An index pass loads every folder without extracting policies, to learn
 * which folders are local modules of others (they are checked as part of
 * their caller, not on their own) and which SSM parameters each root
 * writes.  The check pass then loads each root module with that index,
 * lints its policies and pairs its roles with the resource policies they
 * depend on, including the --counterpart files.  With --changed-since REV
 * only the roots holding a file that `git diff` lists, or calling a local
 * module that does, are checked (src/cli/changes.c), while the index still
 * covers every root.
 *
 * Both passes run on all cores, one folder at a time per thread, each
 * folder in a context of its own.  The contexts are merged at the end.
 * Sources are renumbered in path order, and a file read by several folders
 * is kept once.  Holes in finding texts are rendered with the symbols of
 * the context that made them.  So the merged output is the same whatever
 * order the threads finished in.  IAMCROSS_JOBS sets the number of threads.
 * The configuration file (suppressions, custom rules, exclusions, vars)
 * applies to the merged result; the workers share it read-only.
 */
#include "cli_internal.h"
#include "iamcross/config.h"
#include "iamcross/lint.h"
#include "iamcross/plan.h"
#include "iamcross/terraform.h"
#include "iamcross/tf_model.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The Sid and span of a statement, kept for suppressions by Sid after its policy is freed. */
struct sid_span {
	char *sid;
	struct span span;
};

struct sid_list {
	struct sid_span *items;
	size_t count;
	size_t cap;
};

struct job {
	const char *folder;      /* a folder, or the file of a plan */
	const char *root;
	bool is_plan;
	struct sid_list sids;
	struct context ctx;
	size_t files;
	bool is_module;
	char **module_folders;   /* real paths of the local modules it calls */
	size_t module_folder_count;
	struct tf_ssm_index index;
};

struct scan {
	const struct cli_options *o;
	struct config *config;       /* the run's configuration, shared read-only by the workers */
	const char *account;         /* --account, else the configuration's */
	struct string_list vars;     /* the configuration's vars, then --var, which wins */
	struct tf_models models;
	struct tf_ssm_index index;
	struct job *jobs;
	size_t job_count;
	size_t next;
	pthread_mutex_t lock;
	void (*work)(struct scan *scan, struct job *job);
};

/* Threads ---------------------------------------------------------------------------- */

static void *worker(void *arg)
{
	struct scan *s = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&s->lock);
		i = s->next++;
		pthread_mutex_unlock(&s->lock);
		if (i >= s->job_count)
			break;
		s->work(s, &s->jobs[i]);
	}
	return NULL;
}

static size_t thread_count(size_t jobs)
{
	const char *env = getenv("IAMCROSS_JOBS");
	long n = env && env[0] ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > 256)
		n = 256;
	return (size_t)n < jobs ? (size_t)n : jobs;
}

static void run_jobs(struct scan *s, void (*work)(struct scan *scan, struct job *job))
{
	size_t n = thread_count(s->job_count);
	pthread_t *threads;
	size_t started = 0;

	s->work = work;
	s->next = 0;
	if (n <= 1) {
		worker(s);
		return;
	}
	threads = xcalloc(n, sizeof(*threads));
	for (size_t i = 0; i < n; i++) {
		if (pthread_create(&threads[i], NULL, worker, s) == 0)
			started++;
		else
			break;
	}
	if (started == 0)
		worker(s);
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
}

/* Options of one load ------------------------------------------------------------ */

static struct tf_options load_options(struct scan *s, const struct job *job)
{
	struct tf_options options;

	memset(&options, 0, sizeof(options));
	options.account = s->account;
	options.vars = s->vars.items;
	options.var_count = s->vars.count;
	options.models = &s->models;
	options.root = job->root;
	options.links_reported = true;
	return options;
}

/* The index pass --------------------------------------------------------------------- */

static void index_folder(struct scan *s, struct job *job)
{
	struct context ctx;
	struct tf_config config;
	struct tf_options options = load_options(s, job);
	struct buf error = BUF_INIT;
	const char **folders;
	size_t count;

	context_init(&ctx);
	options.quiet = true;
	options.index_only = true;
	tf_ssm_index_init(&job->index);
	if (job->is_plan) {
		context_release(&ctx);
		return;
	}
	if (tf_load(&ctx, &config, job->folder, NULL, 0, &options, &error)) {
		count = tf_config_module_folders(&config, &folders);
		job->module_folders = xcalloc(count + 1, sizeof(*job->module_folders));
		for (size_t i = 0; i < count; i++) {
			char *real = realpath(folders[i], NULL);

			if (real)
				job->module_folders[job->module_folder_count++] = real;
		}
		tf_ssm_index_collect(&job->index, &config);
	}
	buf_release(&error);
	tf_config_release(&config);
	context_release(&ctx);
}

static void release_module_folders(struct job *job);

/* Mark the folders that another folder calls as a local module. */
static void mark_modules(struct scan *s)
{
	char **real = xcalloc(s->job_count + 1, sizeof(*real));

	for (size_t i = 0; i < s->job_count; i++)
		real[i] = realpath(s->jobs[i].folder, NULL);
	for (size_t i = 0; i < s->job_count; i++) {
		for (size_t m = 0; m < s->jobs[i].module_folder_count; m++) {
			for (size_t k = 0; k < s->job_count; k++) {
				if (k != i && real[k] && strcmp(real[k], s->jobs[i].module_folders[m]) == 0)
					s->jobs[k].is_module = true;
			}
		}
	}
	for (size_t i = 0; i < s->job_count; i++) {
		free(real[i]);
		/* A root keeps the folders of its modules: a change there is a change to the root. */
		if (s->jobs[i].is_module)
			release_module_folders(&s->jobs[i]);
		if (!s->jobs[i].is_module)
			tf_ssm_index_merge(&s->index, &s->jobs[i].index);
		else
			tf_ssm_index_release(&s->jobs[i].index);
	}
	free(real);
	tf_ssm_index_finish(&s->index);
}

/* Counterparts ----------------------------------------------------------------------- */

struct counterparts {
	struct policy_set json;      /* JSON files */
	struct tf_config *configs;   /* .tf files */
	size_t config_count;
	struct policy_set view;      /* every counterpart policy, owned by the two above */
	size_t files;
};

/* A JSON policy without Resource whose statements name principals is a trust policy. */
static enum policy_kind json_kind(const struct source *src)
{
	struct diag_store scratch;
	struct json_doc doc;
	bool parsed;
	const cJSON *root;
	bool is_trust = false;
	const cJSON *policy;
	const cJSON *statements;
	const cJSON *st;
	bool any_resource = false;
	bool any = false;

	/* The front end's parser, so that its limits apply; findings come when the file is loaded. */
	diag_init(&scratch);
	parsed = json_doc_parse(&doc, 0, src->text, src->length, 0, NULL, &scratch);
	diag_release(&scratch);
	root = parsed ? doc.root : NULL;
	policy = root ? policy_unwrap_cli(root, &is_trust) : NULL;
	if (cJSON_IsObject(policy) && !is_trust) {
		statements = cJSON_GetObjectItemCaseSensitive(policy, "Statement");
		for (st = cJSON_IsArray(statements) ? statements->child : statements; st;
		     st = cJSON_IsArray(statements) ? st->next : NULL) {
			any = true;
			any_resource = any_resource || cJSON_GetObjectItemCaseSensitive(st, "Resource") ||
				       cJSON_GetObjectItemCaseSensitive(st, "NotResource");
		}
		is_trust = any && !any_resource;
	}
	if (parsed)
		json_doc_release(&doc);
	return is_trust ? POLICY_TRUST : POLICY_RESOURCE;
}

/* Load the --counterpart files; findings go to ctx unless `quiet`.  False when one cannot be read. */
static bool load_counterparts(struct scan *s, struct context *ctx, struct counterparts *c, bool quiet)
{
	struct diag_store saved = ctx->diags;
	const struct string_list *paths = &s->o->counterparts;
	bool ok = true;

	memset(c, 0, sizeof(*c));
	policy_set_init(&c->json);
	policy_set_init(&c->view);
	c->configs = xcalloc(paths->count + 1, sizeof(*c->configs));
	if (quiet)
		diag_init(&ctx->diags);
	for (size_t i = 0; i < paths->count && ok; i++) {
		const char *path = paths->items[i];
		const char *reason;
		uint32_t id;

		if (str_ends_with(path, ".tf")) {
			struct tf_options options;
			struct buf error = BUF_INIT;
			const char *slash = strrchr(path, '/');
			char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
			struct tf_config *config = &c->configs[c->config_count++];

			memset(&options, 0, sizeof(options));
			options.account = s->account;
			options.models = &s->models;
			if (!tf_load(ctx, config, arena_strdup(&ctx->arena, dir), &path, 1, &options, &error)) {
				if (!quiet)
					cli_error("%s", buf_str(&error));
				ok = false;
			}
			c->files += config->file_count;
			buf_release(&error);
			free(dir);
			continue;
		}
		if (source_set_read(&ctx->sources, path, &id, &reason) != SOURCE_OK) {
			if (!quiet)
				cli_error("%s: %s", path, reason);
			ok = false;
			continue;
		}
		c->files++;
		load_json_policy(ctx, &c->json, id, json_kind(source_get(&ctx->sources, id)));
	}
	if (quiet) {
		diag_release(&ctx->diags);
		ctx->diags = saved;
	}
	for (size_t i = 0; i < c->json.count; i++)
		policy_set_add(&c->view, c->json.items[i]);
	for (size_t k = 0; k < c->config_count; k++) {
		for (size_t i = 0; i < c->configs[k].policy_count; i++) {
			const struct tf_policy *tp = c->configs[k].policies[i];

			if (tp->policy && tp->kind != POLICY_IDENTITY)
				policy_set_add(&c->view, tp->policy);
		}
	}
	return ok;
}

static void release_counterparts(struct counterparts *c)
{
	for (size_t k = 0; k < c->config_count; k++)
		tf_config_release(&c->configs[k]);
	free(c->configs);
	policy_set_release(&c->json);
	policy_set_release(&c->view);
}

/* The check pass ----------------------------------------------------------------------- */

/* Keep the Sids of every statement linted in `ctx`, copied, for suppressions by Sid. */
static void collect_sids(const struct context *ctx, struct sid_list *out)
{
	for (size_t p = 0; p < ctx->policy_count; p++) {
		const struct policy *policy = ctx->policies[p];

		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct statement *st = &policy->statements[s];

			if (!st->has_sid || !st->sid.text)
				continue;
			out->items = xgrow(out->items, &out->cap, out->count + 1, sizeof(*out->items));
			out->items[out->count].sid = xstrdup(st->sid.text);
			out->items[out->count++].span = st->span;
		}
	}
}

static void release_sids(struct sid_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i].sid);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* Read a plan file; false (after a finding) when it is not one. */
static bool load_plan(struct context *ctx, struct tf_config *config, const char *path)
{
	enum source_error error;
	const char *reason;
	uint32_t id;

	error = source_set_read(&ctx->sources, path, &id, &reason);
	if (error != SOURCE_OK) {
		uint32_t named = source_set_add(&ctx->sources, path, "", 0);
		/* As for a .tf file: a plan too large to read is a limit, and its policies are unchecked. */
		enum rule_id rule = error == SOURCE_TOO_LARGE ? RULE_LIMIT_EXCEEDED : RULE_UNREADABLE_FILE;

		diag_add(&ctx->diags, rule, span_make(named, 0, 0), "the file '%s' was not read: %s", path, reason);
		return false;
	}
	if (!plan_detect(source_get(&ctx->sources, id)->text, source_get(&ctx->sources, id)->length)) {
		struct finding *f = diag_add(&ctx->diags, RULE_UNREADABLE_FILE, span_make(id, 0, 0),
					     "the file '%s' was not read: it is neither Terraform nor `terraform show -json` output",
					     path);

		/*
		 * An error, because the user named this file and none of it was
		 * checked.  Most often `terraform show -json` failed and left it empty.
		 */
		f->severity = SEVERITY_ERROR;
		diag_set_hint(f, "give a folder of .tf files, or the output of `terraform show -json PLAN`");
		return false;
	}
	plan_load(ctx, config, id);
	return true;
}

static void check_folder(struct scan *s, struct job *job)
{
	struct tf_config config;
	struct tf_options options = load_options(s, job);
	struct buf error = BUF_INIT;
	struct counterparts c;
	bool have_counterparts = s->o->counterparts.count > 0;

	context_init(&job->ctx);
	job->ctx.account = s->account;
	job->ctx.config = s->config;
	options.ssm = &s->index;
	if (job->is_plan && !load_plan(&job->ctx, &config, job->folder)) {
		memset(&config, 0, sizeof(config));
	} else if (!job->is_plan && !tf_load(&job->ctx, &config, job->folder, NULL, 0, &options, &error)) {
		uint32_t id = source_set_add(&job->ctx.sources, job->folder, "", 0);

		diag_add(&job->ctx.diags, RULE_UNREADABLE_FILE, span_make(id, 0, 0), "the folder '%s' was not read: %s",
			 job->folder, buf_str(&error));
	} else {
		if (have_counterparts)
			load_counterparts(s, &job->ctx, &c, true);
		tf_analyze(&job->ctx, &config, have_counterparts ? &c.view : NULL);
		if (have_counterparts)
			release_counterparts(&c);
	}
	collect_sids(&job->ctx, &job->sids);
	job->ctx.config = NULL;
	job->files = config.file_count;
	buf_release(&error);
	tf_config_release(&config);
}

/* Merging ------------------------------------------------------------------------------- */

struct merged_source {
	struct source *src;
	size_t order;
};

struct merger {
	struct context *into;
	struct sid_list sids;            /* spans refer to global indexes until merge_finish() */
	struct merged_source *sources;   /* global index -> source */
	size_t count;
	size_t cap;
	size_t *table;                   /* open addressing by path: global index + 1, or 0 */
	size_t table_cap;
};

static uint64_t hash_path(const char *s)
{
	uint64_t h = 1469598103934665603u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	}
	return h;
}

static void merger_grow(struct merger *m)
{
	size_t cap = m->table_cap ? m->table_cap * 2 : 1024;
	size_t *table = xcalloc(cap, sizeof(*table));

	for (size_t i = 0; i < m->count; i++) {
		size_t at = hash_path(m->sources[i].src->path) & (cap - 1);

		while (table[at])
			at = (at + 1) & (cap - 1);
		table[at] = i + 1;
	}
	free(m->table);
	m->table = table;
	m->table_cap = cap;
}

/* The global index (plus one) of `src`, which the merger now owns; a duplicate file is freed. */
static uint32_t merge_source(struct merger *m, struct source *src)
{
	size_t at;

	if ((m->count + 1) * 2 > m->table_cap)
		merger_grow(m);
	at = hash_path(src->path) & (m->table_cap - 1);
	for (; m->table[at]; at = (at + 1) & (m->table_cap - 1)) {
		struct source *have = m->sources[m->table[at] - 1].src;

		if (have->length == src->length && strcmp(have->path, src->path) == 0 &&
		    memcmp(have->text, src->text, src->length) == 0) {
			source_free(src);
			return (uint32_t)m->table[at];
		}
	}
	m->sources = xgrow(m->sources, &m->cap, m->count + 1, sizeof(*m->sources));
	m->sources[m->count].src = src;
	m->sources[m->count].order = m->count;
	m->table[at] = ++m->count;
	return (uint32_t)m->count;
}

static char *render_holes(const struct context *from, char *text)
{
	struct buf b = BUF_INIT;

	if (!text || !text_has_hole(text))
		return text;
	text_render(&b, text, &from->symbols);
	free(text);
	return buf_detach(&b);
}

static struct span remap(struct span span, const uint32_t *ids)
{
	if (span.source)
		span.source = ids[span.source];
	return span;
}

/*
 * Move the findings and sources of `from` into the merger; spans then refer
 * to global indexes (plus one) until merge_finish() renumbers them.
 */
static void merge_context(struct merger *m, struct context *from, struct sid_list *sids)
{
	uint32_t *ids = xcalloc(from->sources.count + 1, sizeof(*ids));
	struct diag_store *into = &m->into->diags;

	for (size_t i = 1; i < from->sources.count; i++)
		ids[i] = merge_source(m, from->sources.items[i]);
	from->sources.count = 1;
	for (size_t i = 0; sids && i < sids->count; i++) {
		m->sids.items = xgrow(m->sids.items, &m->sids.cap, m->sids.count + 1, sizeof(*m->sids.items));
		m->sids.items[m->sids.count].sid = sids->items[i].sid;
		m->sids.items[m->sids.count++].span = remap(sids->items[i].span, ids);
		sids->items[i].sid = NULL;
	}
	for (size_t i = 0; i < from->diags.count; i++) {
		struct finding f = from->diags.items[i];

		f.span = remap(f.span, ids);
		f.message = render_holes(from, f.message);
		f.hint = render_holes(from, f.hint);
		for (size_t r = 0; r < f.related_count; r++) {
			f.related[r].span = remap(f.related[r].span, ids);
			f.related[r].message = render_holes(from, f.related[r].message);
		}
		f.sequence = into->count;
		into->items = xgrow(into->items, &into->cap, into->count + 1, sizeof(*into->items));
		into->items[into->count++] = f;
	}
	from->diags.count = 0;
	free(ids);
}

static int compare_sources(const void *pa, const void *pb)
{
	const struct merged_source *a = pa;
	const struct merged_source *b = pb;
	int c = strcmp(a->src->path, b->src->path);

	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

/*
 * A policy of the merged context with one statement per Sid kept, so a
 * suppression by Sid finds the statement a finding lies in.
 */
static void merge_sid_policy(struct merger *m, const uint32_t *ids)
{
	struct arena *arena = &m->into->arena;
	struct policy *policy;

	if (m->sids.count == 0) {
		release_sids(&m->sids);
		return;
	}
	policy = ARENA_NEW(arena, struct policy);
	policy->statements = ARENA_ARRAY(arena, struct statement, m->sids.count);
	for (size_t i = 0; i < m->sids.count; i++) {
		struct statement *st = &policy->statements[policy->statement_count++];

		st->has_sid = true;
		st->sid.text = arena_strdup(arena, m->sids.items[i].sid);
		st->span = remap(m->sids.items[i].span, ids);
	}
	context_add_policy(m->into, policy);
	release_sids(&m->sids);
}

/* Number the sources in path order and point every span at its new id. */
static void merge_finish(struct merger *m)
{
	uint32_t *ids = xcalloc(m->count + 2, sizeof(*ids));
	struct source_set *set = &m->into->sources;

	/* A change that touches no folder leaves nothing to sort, and qsort() takes no NULL array. */
	if (m->count > 1)
		qsort(m->sources, m->count, sizeof(*m->sources), compare_sources);
	for (size_t i = 0; i < m->count; i++) {
		set->items = xgrow(set->items, &set->cap, set->count + 1, sizeof(*set->items));
		ids[m->sources[i].order + 1] = (uint32_t)set->count;
		set->items[set->count++] = m->sources[i].src;
	}
	for (size_t i = 0; i < m->into->diags.count; i++) {
		struct finding *f = &m->into->diags.items[i];

		f->span = remap(f->span, ids);
		for (size_t r = 0; r < f->related_count; r++)
			f->related[r].span = remap(f->related[r].span, ids);
	}
	merge_sid_policy(m, ids);
	free(ids);
	free(m->sources);
	free(m->table);
}

/* --changed-since ---------------------------------------------------------------------- */

/* Does the change touch the job's folder (or plan), or a local module folder it calls? */
static bool job_touched(const struct change_set *changes, const struct job *job)
{
	char *real = realpath(job->folder, NULL);
	bool touched = false;

	if (!real)
		return false;
	if (job->is_plan) {
		for (size_t k = 0; k < changes->count && !touched; k++) {
			const struct changed_file *f = &changes->files[k];

			touched = strcmp(f->absolute, real) == 0 || (f->real && strcmp(f->real, real) == 0);
		}
	} else {
		touched = change_set_touches(changes, real);
	}
	for (size_t m = 0; m < job->module_folder_count && !touched; m++)
		touched = change_set_touches(changes, job->module_folders[m]);
	free(real);
	return touched;
}

static void release_module_folders(struct job *job)
{
	for (size_t m = 0; m < job->module_folder_count; m++)
		free(job->module_folders[m]);
	free(job->module_folders);
	job->module_folders = NULL;
	job->module_folder_count = 0;
}

/* Keep the jobs the change touches; the others are not checked. */
static void select_changed(struct scan *s, const struct change_set *changes)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->job_count; i++) {
		if (job_touched(changes, &s->jobs[i])) {
			s->jobs[kept++] = s->jobs[i];
			continue;
		}
		release_module_folders(&s->jobs[i]);
		tf_ssm_index_release(&s->jobs[i].index);
	}
	s->job_count = kept;
}

/* The real path of `path`, resolving its folder only, so a dangling link has one. */
static char *real_path_of_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	char *real_dir = realpath(dir, NULL);
	char *out = NULL;

	if (real_dir)
		out = xasprintf("%s/%s", strcmp(real_dir, "/") == 0 ? "" : real_dir, slash ? slash + 1 : path);
	free(real_dir);
	free(dir);
	return out;
}

/*
 * Drop the findings of the walk outside the folders checked, so a broken
 * link in a namespace the change leaves alone does not reach its report.
 */
static void keep_walk_findings_of_jobs(struct context *walk_ctx, const struct scan *s)
{
	char **folders = xcalloc(s->job_count + 1, sizeof(*folders));
	size_t kept = 0;

	for (size_t i = 0; i < s->job_count; i++)
		folders[i] = realpath(s->jobs[i].folder, NULL);
	for (size_t i = 0; i < walk_ctx->diags.count; i++) {
		struct finding *f = &walk_ctx->diags.items[i];
		const struct source *src = source_get(&walk_ctx->sources, f->span.source);
		char *real = src ? real_path_of_name(src->path) : NULL;
		bool inside = false;

		for (size_t k = 0; real && k < s->job_count && !inside; k++)
			inside = folders[k] && path_is_under(real, folders[k]);
		free(real);
		if (inside)
			walk_ctx->diags.items[kept++] = *f;
		else
			finding_release(f);
	}
	walk_ctx->diags.count = kept;
	for (size_t i = 0; i < s->job_count; i++)
		free(folders[i]);
	free(folders);
}

/* The command ---------------------------------------------------------------------------- */

static bool setup(struct scan *s, struct walk_result *walk)
{
	struct buf error = BUF_INIT;
	bool ok = tf_models_load_default(&s->models, &error);
	size_t n = 0;

	if (!ok)
		cli_error("%s", buf_str(&error));
	buf_release(&error);
	if (!ok)
		return false;
	if (!walk_paths(&s->o->paths, walk))
		return false;
	if (walk->tf_bytes > SCAN_MAX_INPUT_SIZE) {
		cli_error("%s%s: the .tf files to scan have %llu MiB, over the limit of %llu MiB for one scan; scan fewer folders at a time",
			  s->o->paths.items[0], s->o->paths.count > 1 ? " and the other paths" : "",
			  (unsigned long long)((walk->tf_bytes + (1 << 20) - 1) >> 20),
			  (unsigned long long)(SCAN_MAX_INPUT_SIZE >> 20));
		return false;
	}
	s->jobs = xcalloc(walk->folder_count + walk->plan_count + 1, sizeof(*s->jobs));
	/* Paths the configuration excludes are not checked. */
	for (size_t i = 0; i < walk->folder_count; i++) {
		if (s->config && config_excluded(s->config, walk->folders[i]))
			continue;
		s->jobs[n].folder = walk->folders[i];
		s->jobs[n++].root = walk->roots[i];
	}
	for (size_t i = 0; i < walk->plan_count; i++) {
		if (s->config && config_excluded(s->config, walk->plans[i]))
			continue;
		s->jobs[n].folder = walk->plans[i];
		s->jobs[n++].is_plan = true;
	}
	s->job_count = n;
	return true;
}

/* The folder the configuration file is looked for from: that of the first path. */
static char *first_path_dir(const struct cli_options *o)
{
	const char *first = o->paths.items[0];
	const char *slash = strrchr(first, '/');
	size_t length = strlen(first);

	if (length > 0 && first[length - 1] != '/' && (str_ends_with(first, ".tf") || str_ends_with(first, ".json")))
		return slash ? xstrndup(first, slash == first ? 1 : (size_t)(slash - first)) : xstrdup(".");
	return xstrdup(first);
}

int cli_scan(struct cli_options *o)
{
	struct scan s;
	struct walk_result walk;
	struct context ctx;
	struct context counterpart_ctx;
	struct counterparts c;
	struct sid_list counterpart_sids;
	struct change_set changes;
	struct merger m;
	char *config_dir;
	size_t files = 0;
	size_t kept;
	int status = 2;

	if (!cli_report_format(o))
		return 2;
	if (o->paths.count == 0)
		string_list_push(&o->paths, ".");
	memset(&s, 0, sizeof(s));
	memset(&walk, 0, sizeof(walk));
	memset(&counterpart_sids, 0, sizeof(counterpart_sids));
	memset(&changes, 0, sizeof(changes));
	s.o = o;
	tf_models_init(&s.models);
	tf_ssm_index_init(&s.index);
	pthread_mutex_init(&s.lock, NULL);
	context_init(&ctx);
	context_init(&counterpart_ctx);
	context_init(&walk.ctx);

	config_dir = first_path_dir(o);
	if (!cli_load_config(&ctx, o, config_dir)) {
		free(config_dir);
		goto out;
	}
	free(config_dir);
	s.config = ctx.config;
	s.account = ctx.account;
	counterpart_ctx.config = ctx.config;
	for (size_t i = 0; ctx.config && i < ctx.config->var_count; i++)
		string_list_push(&s.vars, ctx.config->vars[i]);
	for (size_t i = 0; i < o->vars.count; i++)
		string_list_push(&s.vars, o->vars.items[i]);

	if (!setup(&s, &walk))
		goto out;
	/*
	 * A path with nothing to check is most often a wrong path in a CI job,
	 * which would otherwise pass having checked nothing.
	 */
	if (!o->changed_since && s.job_count == 0 && walk.ctx.diags.count == 0) {
		cli_error("found no .tf file and no plan under %s%s; check the path", o->paths.items[0],
			  o->paths.count > 1 ? " and the other paths" : "");
		goto out;
	}
	if (!load_counterparts(&s, &counterpart_ctx, &c, false)) {
		release_counterparts(&c);
		goto out;
	}
	for (size_t i = 0; i < c.view.count; i++)
		lint_policy(&counterpart_ctx, c.view.items[i]);
	collect_sids(&counterpart_ctx, &counterpart_sids);
	files += c.files;
	release_counterparts(&c);

	run_jobs(&s, index_folder);
	mark_modules(&s);
	/* Local modules are checked through the roots that call them. */
	kept = 0;
	for (size_t i = 0; i < s.job_count; i++) {
		if (!s.jobs[i].is_module)
			s.jobs[kept++] = s.jobs[i];
	}
	s.job_count = kept;
	if (o->changed_since) {
		if (!change_set_load(&changes, o->changed_since))
			goto out;
		select_changed(&s, &changes);
		keep_walk_findings_of_jobs(&walk.ctx, &s);
	}
	for (size_t i = 0; i < s.job_count; i++)
		release_module_folders(&s.jobs[i]);
	run_jobs(&s, check_folder);

	memset(&m, 0, sizeof(m));
	m.into = &ctx;
	merge_context(&m, &walk.ctx, NULL);
	merge_context(&m, &counterpart_ctx, &counterpart_sids);
	for (size_t i = 0; i < s.job_count; i++) {
		files += s.jobs[i].files;
		merge_context(&m, &s.jobs[i].ctx, &s.jobs[i].sids);
		context_release(&s.jobs[i].ctx);
		release_sids(&s.jobs[i].sids);
	}
	merge_finish(&m);
	status = cli_finish_changes(&ctx, o, files, o->changed_since ? &changes : NULL);
out:
	for (size_t i = 0; s.jobs && i < s.job_count; i++) {
		release_module_folders(&s.jobs[i]);
		tf_ssm_index_release(&s.jobs[i].index);
	}
	change_set_release(&changes);
	free(s.jobs);
	walk_result_release(&walk);
	tf_ssm_index_release(&s.index);
	tf_models_release(&s.models);
	pthread_mutex_destroy(&s.lock);
	string_list_release(&s.vars);
	release_sids(&counterpart_sids);
	counterpart_ctx.config = NULL;
	context_release(&counterpart_ctx);
	cli_release_config(&ctx);
	context_release(&ctx);
	return status;
}
