/*
 * Finding the folders that hold Terraform files under the paths given to
 * `iamcross scan`.
 *
 * The walk visits folders in name order so its result never depends on the
 * file system's order.  It skips hidden folders (.git, .terraform) and
 * follows a symbolic link only when its target is inside the path being
 * walked.  A link that leaves it, a dangling link to a .tf file and a loop
 * of links are reported as unreadable-file findings.  It opens no file
 * inside a folder: a .tf name that is not a regular file is left to the
 * loader, which refuses it without blocking.  A path given by name is
 * opened and closed once, so that an unreadable one stops the command.
 */
#include "cli_internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * Deepest folder visited below a scanned path.  An environments repository
 * nests .tf files five levels down (namespaces/<cluster>/<namespace>/
 * resources/modules/<name>); 64 leaves room while bounding a hostile tree.
 */
enum { WALK_MAX_DEPTH = 64 };

struct visited {
	dev_t dev;
	ino_t ino;
};

struct walker {
	struct walk_result *out;
	const char *root;        /* the path given, as given */
	char *root_real;
	struct visited *seen;    /* every folder walked */
	size_t seen_count;
	size_t seen_cap;
	struct visited *stack;   /* the folders being walked, for loops */
	size_t stack_count;
	size_t stack_cap;
};

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *join(const char *dir, const char *name)
{
	if (strcmp(dir, ".") == 0)
		return xstrdup(name);
	return str_ends_with(dir, "/") ? xasprintf("%s%s", dir, name) : xasprintf("%s/%s", dir, name);
}

static const char loop_hint[] = "remove the link, or point it at a folder that does not contain it";
static const char outside_hint[] = "iamcross reads only files inside the folder it scans";

static void walk_finding(struct walker *w, const char *path, const char *fmt, const char *detail,
			 const char *hint)
{
	uint32_t id = source_set_add(&w->out->ctx.sources, path, "", 0);
	struct finding *f = diag_add(&w->out->ctx.diags, RULE_UNREADABLE_FILE, span_make(id, 0, 0), fmt, path, detail);

	if (hint)
		diag_set_hint(f, "%s", hint);
}

/* The reason for `err` from stat() or opendir(), in the words source_set_read() uses. */
static const char *describe_errno(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return "no such file or folder";
	case EACCES:
	case EPERM:
		return "permission denied";
	case ELOOP:
		return "too many levels of symbolic links";
	default:
		return "cannot be read";
	}
}

static void walk_limit_finding(struct walker *w, const char *dir)
{
	uint32_t id = source_set_add(&w->out->ctx.sources, dir, "", 0);
	struct finding *f = diag_add(&w->out->ctx.diags, RULE_LIMIT_EXCEEDED, span_make(id, 0, 0),
				     "the folder '%s' is more than %d folders below '%s', the limit; it was not scanned",
				     dir, WALK_MAX_DEPTH, w->root);

	diag_set_hint(f, "scan the folder itself, or move it up");
}

static void add_folder(struct walker *w, const char *dir)
{
	struct walk_result *r = w->out;

	r->folders = xgrow(r->folders, &r->folder_cap, r->folder_count + 1, sizeof(*r->folders));
	r->roots = xrealloc(r->roots, r->folder_cap * sizeof(*r->roots));
	r->folders[r->folder_count] = xstrdup(dir);
	r->roots[r->folder_count++] = xstrdup(w->root);
}

static bool in_list(const struct visited *list, size_t count, const struct stat *st)
{
	for (size_t i = 0; i < count; i++) {
		if (list[i].dev == st->st_dev && list[i].ino == st->st_ino)
			return true;
	}
	return false;
}

static bool inside_root(const struct walker *w, const char *real)
{
	size_t n = strlen(w->root_real);

	return strncmp(real, w->root_real, n) == 0 && (real[n] == '/' || real[n] == '\0' || n == 1);
}

static void walk_dir(struct walker *w, const char *dir, int depth);

/* A symbolic link: follow it to a folder or .tf file inside the root. */
static void walk_link(struct walker *w, const char *path, const char *name, int depth, bool *has_tf)
{
	char *real = realpath(path, NULL);
	struct stat st;
	bool is_tf = str_ends_with(name, ".tf");

	if (!real) {
		if (errno == ELOOP)
			walk_finding(w, path, "the symbolic link '%s' was not followed: %s", "it is part of a loop of links",
				     loop_hint);
		else if (is_tf)
			walk_finding(w, path, "the symbolic link '%s' was not followed: %s", "its target does not exist",
				     NULL);
		return;
	}
	if (stat(real, &st) != 0 || (!S_ISDIR(st.st_mode) && !is_tf)) {
		free(real);
		return;
	}
	if (!inside_root(w, real)) {
		walk_finding(w, path, "the symbolic link '%s' was not followed: %s", "its target is outside the scanned folder",
			     outside_hint);
		free(real);
		return;
	}
	free(real);
	if (S_ISREG(st.st_mode))
		w->out->tf_bytes += (uint64_t)st.st_size;
	if (S_ISDIR(st.st_mode))
		walk_dir(w, path, depth + 1);
	else
		*has_tf = true;
}

static void walk_dir(struct walker *w, const char *dir, int depth)
{
	struct stat st;
	DIR *d;
	struct dirent *entry;
	char **names = NULL;
	size_t count = 0;
	size_t cap = 0;
	bool has_tf = false;

	if (stat(dir, &st) != 0)
		return;
	if (in_list(w->stack, w->stack_count, &st)) {
		walk_finding(w, dir, "the folder '%s' was not walked again: %s", "symbolic links lead back into it (a loop)",
			     loop_hint);
		return;
	}
	if (in_list(w->seen, w->seen_count, &st))
		return;
	if (depth > WALK_MAX_DEPTH) {
		walk_limit_finding(w, dir);
		return;
	}
	w->seen = xgrow(w->seen, &w->seen_cap, w->seen_count + 1, sizeof(*w->seen));
	w->seen[w->seen_count].dev = st.st_dev;
	w->seen[w->seen_count++].ino = st.st_ino;
	d = opendir(dir);
	if (!d) {
		walk_finding(w, dir, "the folder '%s' was not listed: %s", describe_errno(errno), NULL);
		return;
	}
	while ((entry = readdir(d)) != NULL) {
		if (entry->d_name[0] == '.')
			continue;
		names = xgrow(names, &cap, count + 1, sizeof(*names));
		names[count++] = xstrdup(entry->d_name);
	}
	closedir(d);
	if (count > 1)
		qsort(names, count, sizeof(*names), compare_names);

	w->stack = xgrow(w->stack, &w->stack_cap, w->stack_count + 1, sizeof(*w->stack));
	w->stack[w->stack_count].dev = st.st_dev;
	w->stack[w->stack_count++].ino = st.st_ino;
	for (size_t i = 0; i < count; i++) {
		char *path = join(dir, names[i]);
		struct stat entry_st;

		if (lstat(path, &entry_st) == 0) {
			if (S_ISLNK(entry_st.st_mode))
				walk_link(w, path, names[i], depth, &has_tf);
			else if (S_ISDIR(entry_st.st_mode))
				walk_dir(w, path, depth + 1);
			else if (str_ends_with(names[i], ".tf") && names[i][0] != '#' && !str_ends_with(names[i], "~")) {
				has_tf = true;
				if (S_ISREG(entry_st.st_mode))
					w->out->tf_bytes += (uint64_t)entry_st.st_size;
			}
		}
		free(path);
		free(names[i]);
	}
	free(names);
	w->stack_count--;
	if (has_tf)
		add_folder(w, dir);
}

/*
 * Check that a path given on the command line can be opened.  Returns
 * false after a message when it cannot, because an unreadable input is
 * exit status 2.  A file over SOURCE_MAX_SIZE passes, and the loader
 * reports it as limit-exceeded, as for a large file inside a folder.
 */
static bool check_named_path(const char *path, const struct stat *st)
{
	const char *reason;
	DIR *d;

	if (S_ISREG(st->st_mode)) {
		enum source_error error = source_check_readable(path, &reason);

		if (error == SOURCE_OK || error == SOURCE_TOO_LARGE)
			return true;
		cli_error("%s: %s", path, reason);
		return false;
	}
	if (!S_ISDIR(st->st_mode)) {
		cli_error("%s: is neither a folder nor a regular file (a FIFO, socket or device)", path);
		return false;
	}
	d = opendir(path);
	if (!d) {
		cli_error("%s: the folder cannot be listed: %s", path, describe_errno(errno));
		return false;
	}
	closedir(d);
	return true;
}

bool walk_paths(const struct string_list *paths, struct walk_result *out)
{
	for (size_t i = 0; i < paths->count; i++) {
		const char *path = paths->items[i];
		struct walker w;
		struct stat st;

		if (stat(path, &st) != 0) {
			cli_error("%s: %s", path, describe_errno(errno));
			return false;
		}
		if (!check_named_path(path, &st))
			return false;
		memset(&w, 0, sizeof(w));
		w.out = out;
		if (S_ISREG(st.st_mode) && str_ends_with(path, ".tf")) {
			/* A file stands for its folder, which Terraform reads whole; only the file is counted. */
			out->tf_bytes += (uint64_t)st.st_size;
			const char *slash = strrchr(path, '/');
			char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");

			w.root = dir;
			w.root_real = realpath(dir, NULL);
			add_folder(&w, dir);
			free(w.root_real);
			free(dir);
			continue;
		}
		if (S_ISREG(st.st_mode)) {
			/* Any other file is taken for a plan; scan checks that it is one. */
			out->plans = xgrow(out->plans, &out->plan_cap, out->plan_count + 1, sizeof(*out->plans));
			out->plans[out->plan_count++] = xstrdup(path);
			continue;
		}
		w.root = path;
		w.root_real = realpath(path, NULL);
		if (!w.root_real) {
			cli_error("%s: cannot be resolved", path);
			return false;
		}
		walk_dir(&w, path, 0);
		free(w.root_real);
		free(w.seen);
		free(w.stack);
	}
	return true;
}

void walk_result_release(struct walk_result *r)
{
	for (size_t i = 0; i < r->folder_count; i++) {
		free(r->folders[i]);
		free(r->roots[i]);
	}
	free(r->folders);
	free(r->roots);
	for (size_t i = 0; i < r->plan_count; i++)
		free(r->plans[i]);
	free(r->plans);
	context_release(&r->ctx);
}
