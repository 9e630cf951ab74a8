/*
 * Reading module folders: the .tf files of a folder, their declarations,
 * and the files file() and templatefile() name.
 *
 * Every path is checked against the confinement root before a byte is
 * read.  An absolute path, a `..` that climbs out of the root and a
 * symbolic link whose target lies outside it are rejected with an
 * unreadable-file finding.  So a pull request cannot make iamcross read
 * /etc/passwd or a file of the CI runner.  Files that are not regular (FIFOs, sockets,
 * devices) are refused by source_set_read() without blocking.
 *
 * Terraform reads the *.tf files of a folder in name order and ignores
 * names that start with '.' or '#' or end with '~' (editor files); so does
 * this loader.  Override files (override.tf, *_override.tf) are read as
 * ordinary files; their merge semantics are not applied.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_tf_name(const char *name)
{
	return str_ends_with(name, ".tf") && name[0] != '.' && name[0] != '#' && !str_ends_with(name, "~");
}

static const char too_many_files[] = "it has more than " IX_STRING(TF_MAX_FILES) " .tf files, the limit for one module";

static void free_names(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/*
 * The .tf file names of `dir`, sorted; false when the folder cannot be
 * listed or has more than TF_MAX_FILES of them.  Reading the first
 * TF_MAX_FILES would depend on the order the file system lists them in.
 */
static bool list_tf_files(const char *dir, char ***names, size_t *count, const char **reason)
{
	DIR *d = opendir(dir);
	struct dirent *entry;
	size_t cap = 0;

	*names = NULL;
	*count = 0;
	if (!d) {
		if (errno == ENOENT)
			*reason = "no such folder";
		else if (errno == ENOTDIR)
			*reason = "not a folder";
		else
			*reason = "cannot be listed";
		return false;
	}
	while ((entry = readdir(d)) != NULL) {
		if (!is_tf_name(entry->d_name))
			continue;
		if (*count >= TF_MAX_FILES) {
			closedir(d);
			free_names(*names, *count);
			*names = NULL;
			*count = 0;
			*reason = too_many_files;
			return false;
		}
		*names = xgrow(*names, &cap, *count + 1, sizeof(**names));
		(*names)[(*count)++] = xstrdup(entry->d_name);
	}
	closedir(d);
	if (*count > 1)
		qsort(*names, *count, sizeof(**names), compare_names);
	return true;
}

/*
 * `dir` joined with the relative `name`, with "." segments removed and
 * ".." segments folded into the folder before them where there is one.
 * Only for reading and display: confinement is checked on the real path.
 */
char *tf_join_path(const char *dir, const char *name)
{
	char *joined = strcmp(dir, ".") == 0 ? xstrdup(name) :
		       str_ends_with(dir, "/") ? xasprintf("%s%s", dir, name) : xasprintf("%s/%s", dir, name);
	struct buf out = BUF_INIT;
	size_t *starts = NULL;
	size_t depth = 0;
	size_t cap = 0;
	char *save = NULL;
	bool absolute = joined[0] == '/';

	for (char *part = strtok_r(joined, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
		if (strcmp(part, ".") == 0)
			continue;
		/* Fold ".." into the segment before it, unless that is a ".." too. */
		if (strcmp(part, "..") == 0 && depth > 0 && strcmp(out.data + starts[depth - 1] + (starts[depth - 1] > 0 || absolute), "..") != 0) {
			out.len = starts[--depth];
			out.data[out.len] = '\0';
			continue;
		}
		starts = xgrow(starts, &cap, depth + 1, sizeof(*starts));
		starts[depth++] = out.len;
		if (out.len > 0 || absolute)
			buf_putc(&out, '/');
		buf_puts(&out, part);
	}
	free(starts);
	free(joined);
	if (out.len == 0)
		buf_puts(&out, absolute ? "/" : ".");
	return buf_detach(&out);
}

static bool under_root(const struct tf_state *st, const char *path)
{
	size_t n = strlen(st->root_real);

	return strncmp(path, st->root_real, n) == 0 &&
	       (path[n] == '/' || path[n] == '\0' || strcmp(st->root_real, "/") == 0);
}

/* Does `path` stay under the root when its ".." are followed as written? */
static bool lexically_inside(const struct tf_state *st, const char *path)
{
	char *absolute;
	bool inside;

	if (path[0] == '/')
		return under_root(st, path);
	if (!st->cwd_real)
		return true;
	absolute = tf_join_path(st->cwd_real, path);
	inside = under_root(st, absolute);
	free(absolute);
	return inside;
}

bool tf_path_inside_root(struct tf_state *st, const char *path, char **real, const char **reason)
{
	char *resolved;

	*real = NULL;
	if (!lexically_inside(st, path)) {
		*reason = "outside the scanned folder";
		return false;
	}
	resolved = realpath(path, NULL);
	if (!resolved) {
		*reason = errno == ENOENT || errno == ENOTDIR ? "not found" :
			  errno == ELOOP ? "a loop of symbolic links" : "cannot be resolved";
		return false;
	}
	if (!under_root(st, resolved)) {
		free(resolved);
		*reason = "outside the scanned folder";
		return false;
	}
	*real = resolved;
	return true;
}

static void report_unreadable(struct tf_state *st, struct span span, const char *what, const char *path,
			      const char *reason)
{
	enum rule_id rule;
	struct finding *f;

	if (!reason)
		reason = "cannot be read";
	/* A file too large to read is a limit: the policy in it is unchecked, as for any limit. */
	rule = strcmp(reason, SOURCE_TOO_LARGE_REASON) == 0 ? RULE_LIMIT_EXCEEDED : RULE_UNREADABLE_FILE;
	f = diag_add(st->diags, rule, span, "%s '%s' was not read: %s", what, path, reason);

	if (strcmp(reason, "outside the scanned folder") == 0 || strcmp(reason, "an absolute path") == 0)
		diag_set_hint(f, "keep the files a configuration reads inside its folder; iamcross never reads outside the folder it scans");
}

/* The folder is read as if empty: at the module call, or at the folder's name for a root. */
static void report_too_many_files(struct tf_state *st, const char *dir, struct span call)
{
	struct span at = span_is_set(call) ? call : span_make(source_set_add(&st->ctx->sources, dir, "", 0), 0, 0);
	struct finding *f = diag_add(st->diags, RULE_LIMIT_EXCEEDED, at, "the folder '%s' was not read: %s", dir,
				     too_many_files);

	diag_set_hint(f, "split the files across several folders; Terraform reads each folder as one module");
}

/*
 * Is `path` a regular file (not a link) directly in the module's folder?
 * The folder is the root or was checked to be inside it, so such a file is
 * inside too.  Resolving its path again costs a readlink for each part of
 * the path, which was a third of a scan's system call time.
 */
static bool plain_file_of_module(const struct tf_module *module, const char *path)
{
	const char *slash = strrchr(path, '/');
	struct stat sb;

	if (slash ? strlen(module->dir) != (size_t)(slash - path) ||
			    strncmp(module->dir, path, (size_t)(slash - path)) != 0 :
		    strcmp(module->dir, ".") != 0)
		return false;
	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Read one .tf file, checked against the root, and parse it into `module`. */
static void add_file(struct tf_state *st, struct tf_module *module, const char *path, struct span call)
{
	struct tf_file *file;
	const char *reason;
	char *real = NULL;
	uint32_t id;

	if (!plain_file_of_module(module, path) && !tf_path_inside_root(st, path, &real, &reason)) {
		struct stat link;

		if (!(st->options.links_reported && lstat(path, &link) == 0 && S_ISLNK(link.st_mode)))
			report_unreadable(st, call, "the file", path, reason);
		return;
	}
	free(real);
	if (source_set_read(&st->ctx->sources, path, &id, &reason) != SOURCE_OK) {
		uint32_t named = source_set_add(&st->ctx->sources, path, "", 0);

		report_unreadable(st, span_make(named, 0, 0), "the file", path, reason);
		return;
	}
	file = xcalloc(1, sizeof(*file));
	file->path = xstrdup(path);
	file->source = id;
	hcl_parse(&file->hcl, &st->ctx->sources, id, st->diags);
	module->files = xgrow(module->files, &module->file_cap, module->file_count + 1, sizeof(*module->files));
	module->files[module->file_count++] = file;
	st->config->file_count++;
}

static void add_decl(struct tf_module *module, enum tf_decl_kind kind, const char *type, const char *name,
		     const struct hcl_block *block, const struct hcl_attribute *attr)
{
	struct tf_decl *d;

	module->decls = xgrow(module->decls, &module->decl_cap, module->decl_count + 1, sizeof(*module->decls));
	d = &module->decls[module->decl_count];
	d->kind = kind;
	d->type = type;
	d->name = name;
	d->block = block;
	d->attr = attr;
	d->module = module;
	d->index = module->decl_count++;
}

static void index_block(struct tf_module *module, const struct hcl_block *block)
{
	const char *type = block->type;

	if (strcmp(type, "locals") == 0) {
		for (size_t i = 0; i < block->body->attribute_count; i++)
			add_decl(module, DECL_LOCAL, NULL, block->body->attributes[i].name, NULL,
				 &block->body->attributes[i]);
	} else if (strcmp(type, "variable") == 0 && block->label_count == 1) {
		add_decl(module, DECL_VARIABLE, NULL, block->labels[0], block, NULL);
	} else if (strcmp(type, "output") == 0 && block->label_count == 1) {
		add_decl(module, DECL_OUTPUT, NULL, block->labels[0], block, NULL);
	} else if (strcmp(type, "module") == 0 && block->label_count == 1) {
		add_decl(module, DECL_MODULE, NULL, block->labels[0], block, NULL);
	} else if (strcmp(type, "resource") == 0 && block->label_count == 2) {
		add_decl(module, DECL_RESOURCE, block->labels[0], block->labels[1], block, NULL);
	} else if (strcmp(type, "data") == 0 && block->label_count == 2) {
		add_decl(module, DECL_DATA, block->labels[0], block->labels[1], block, NULL);
	} else if (strcmp(type, "provider") == 0 && block->label_count == 1) {
		add_decl(module, DECL_PROVIDER, block->labels[0], block->labels[0], block, NULL);
	}
}

const struct tf_decl *tf_module_find(const struct tf_module *module, enum tf_decl_kind kind,
				     const char *type, const char *name)
{
	if (!module)
		return NULL;
	for (size_t i = 0; i < module->decl_count; i++) {
		const struct tf_decl *d = &module->decls[i];

		if (d->kind != kind || strcmp(d->name, name) != 0)
			continue;
		if (type && (!d->type || strcmp(d->type, type) != 0))
			continue;
		return d;
	}
	return NULL;
}

static struct tf_module *find_loaded(struct tf_state *st, const char *dir)
{
	for (size_t i = 0; i < st->module_count; i++) {
		if (strcmp(st->modules[i]->dir, dir) == 0)
			return st->modules[i];
	}
	return NULL;
}

struct tf_module *tf_module_load(struct tf_state *st, const char *dir, const char *rel,
				 const char *const *files, size_t file_count, struct span call)
{
	struct tf_module *module = find_loaded(st, dir);
	char **names = NULL;
	size_t count = 0;
	const char *reason = NULL;

	if (module)
		return module;
	if (file_count == 0 && !list_tf_files(dir, &names, &count, &reason)) {
		if (reason != too_many_files) {
			if (span_is_set(call))
				report_unreadable(st, call, "the module folder", dir, reason);
			return NULL;
		}
		report_too_many_files(st, dir, call);
	}

	module = xcalloc(1, sizeof(*module));
	module->dir = xstrdup(dir);
	module->rel = xstrdup(rel);
	st->modules = xgrow(st->modules, &st->module_cap, st->module_count + 1, sizeof(*st->modules));
	st->modules[st->module_count++] = module;

	if (file_count > 0) {
		for (size_t i = 0; i < file_count && i < TF_MAX_FILES; i++)
			add_file(st, module, files[i], call);
	} else {
		for (size_t i = 0; i < count; i++) {
			char *path = tf_join_path(dir, names[i]);

			add_file(st, module, path, call);
			free(path);
			free(names[i]);
		}
		free(names);
	}
	for (size_t f = 0; f < module->file_count; f++) {
		const struct hcl_body *body = module->files[f]->hcl.body;

		for (size_t b = 0; body && b < body->block_count; b++)
			index_block(module, &body->blocks[b]);
	}
	return module;
}

/* Cached reads of file() and templatefile(), by the path as resolved. */
static bool cached_read(struct tf_state *st, const char *real, const char *path, uint32_t *id,
			const char **reason)
{
	char *key = xasprintf("file|%s", real);
	bool created;
	struct tf_cache_entry *e = tf_cache_get(st, key, &created);
	enum source_error error;

	free(key);
	if (!created) {
		if (!e->value) {
			*reason = "cannot be read";
			return false;
		}
		*id = (uint32_t)e->value->as.number.value;
		return true;
	}
	error = source_set_read(&st->ctx->sources, path, id, reason);
	if (error != SOURCE_OK)
		return false;
	e->value = hcl_value_number(st->eval, (double)*id, span_make(0, 0, 0));
	st->config->file_count++;
	return true;
}

bool tf_read_file(void *context, const char *path, struct span call, uint32_t *source_id,
		  const char **reason)
{
	struct tf_state *st = context;
	const char *base = st->root && st->root->module ? st->root->module->dir : ".";
	const char *why;
	char *joined;
	char *real;
	bool ok;

	if (path[0] == '/') {
		*reason = "an absolute path; iamcross reads only files inside the scanned folder";
		report_unreadable(st, call, "the file", path, "an absolute path");
		return false;
	}
	/* Terraform resolves relative paths from the root module's folder. */
	joined = tf_join_path(base, path);
	if (!tf_path_inside_root(st, joined, &real, &why)) {
		*reason = why;
		report_unreadable(st, call, "the file", path, why);
		free(joined);
		return false;
	}
	ok = cached_read(st, real, joined, source_id, &why);
	free(joined);
	if (!ok) {
		*reason = why;
		report_unreadable(st, call, "the file", path, why);
	}
	free(real);
	return ok;
}
