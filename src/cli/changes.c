/*
 * `scan --changed-since REV`: the files a change touches, and the
 * suppressions and weaker settings it adds.
 *
 * git is the only program iamcross starts, and only here.  It runs without
 * a shell, with a fixed argument list, its standard input and error
 * redirected to /dev/null, in one of two forms:
 *
 *   git diff --no-ext-diff --name-status --no-renames -z --relative REV --
 *   git show REV:./PATH
 *
 * The first lists the changed files under the working folder with their
 * status; --no-renames lists a moved file at both its old and new path, so
 * both folders are checked.  The second reads a file as it was at REV, for
 * each changed Terraform file that contains an inline suppression and for a
 * changed configuration file.  What the old and new texts differ in is
 * decided in src/config/added.c.
 */
#include "cli_internal.h"
#include "iamcross/config.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Most output of one git command read: 16 MiB, the size limit of any input file. */
enum { GIT_OUTPUT_MAX = 16 * 1024 * 1024 };

/*
 * Run git with `argv` and collect its output in `out`.  Stores its exit
 * status, or -1 when it did not exit normally.  False (after a message) when
 * git cannot be started or prints more than GIT_OUTPUT_MAX.
 */
static bool run_git(char *const argv[], struct buf *out, int *exit_status)
{
	posix_spawn_file_actions_t actions;
	int fds[2];
	pid_t pid;
	int status;
	char chunk[8192];
	ssize_t n;
	bool too_long = false;

	if (pipe(fds) != 0) {
		cli_error("--changed-since: cannot create a pipe: %s", strerror(errno));
		return false;
	}
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&actions, fds[0]);
	posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	status = posix_spawnp(&pid, "git", &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(fds[1]);
	if (status != 0) {
		close(fds[0]);
		cli_error("--changed-since: cannot run git: %s", strerror(status));
		return false;
	}
	/* Read to the end even past the limit, so git never blocks on a full pipe. */
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		if (out->len + (size_t)n <= GIT_OUTPUT_MAX)
			buf_append(out, chunk, (size_t)n);
		else
			too_long = true;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}
	*exit_status = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (too_long) {
		cli_error("--changed-since: 'git %s' printed more than %d MiB", argv[1], GIT_OUTPUT_MAX / (1024 * 1024));
		return false;
	}
	return true;
}

static void add_changed_file(struct change_set *set, char status, const char *path)
{
	struct changed_file *f;

	set->files = xgrow(set->files, &set->cap, set->count + 1, sizeof(*set->files));
	f = &set->files[set->count++];
	f->status = status;
	f->path = xstrdup(path);
	f->absolute = xasprintf("%s/%s", strcmp(set->cwd, "/") == 0 ? "" : set->cwd, path);
	/* A deleted file has no real path; a symbolic link has one elsewhere. */
	f->real = realpath(f->absolute, NULL);
}

/* Parse `git diff --name-status -z` output: a status, a NUL, a path, a NUL, and so on. */
static void parse_listing(struct change_set *set, const char *data, size_t length)
{
	const char *p = data;
	const char *end = data + length;

	while (p < end) {
		const char *status = p;
		const char *path = memchr(p, '\0', (size_t)(end - p));
		const char *path_end;

		if (!path)
			break;
		path++;
		path_end = memchr(path, '\0', (size_t)(end - path));
		if (!path_end)
			break;
		add_changed_file(set, status[0], path);
		p = path_end + 1;
	}
}

bool change_set_load(struct change_set *set, const char *rev)
{
	char *argv[] = {"git", "diff", "--no-ext-diff", "--name-status", "--no-renames", "-z", "--relative",
			(char *)rev, "--", NULL};
	struct buf listing = BUF_INIT;
	int status;

	memset(set, 0, sizeof(*set));
	set->rev = rev;
	if (rev[0] == '-' || rev[0] == '\0') {
		cli_error("invalid value '%s' for --changed-since; give a git revision such as origin/main", rev);
		return false;
	}
	set->cwd = realpath(".", NULL);
	if (!set->cwd) {
		cli_error("--changed-since: cannot resolve the working folder: %s", strerror(errno));
		return false;
	}
	if (!run_git(argv, &listing, &status)) {
		buf_release(&listing);
		return false;
	}
	if (status != 0) {
		cli_error("--changed-since: 'git diff --name-status --relative %s' failed; is the working folder in a git repository that has that revision?",
			  rev);
		buf_release(&listing);
		return false;
	}
	parse_listing(set, listing.data ? listing.data : "", listing.len);
	buf_release(&listing);
	return true;
}

void change_set_release(struct change_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		free(set->files[i].path);
		free(set->files[i].absolute);
		free(set->files[i].real);
	}
	free(set->files);
	free(set->cwd);
	memset(set, 0, sizeof(*set));
}

/* Is `path` the folder `dir` or inside it?  Both are absolute and normalised. */
bool path_is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

bool change_set_touches(const struct change_set *set, const char *real_dir)
{
	for (size_t i = 0; i < set->count; i++) {
		const struct changed_file *f = &set->files[i];

		if (path_is_under(f->absolute, real_dir) || (f->real && path_is_under(f->real, real_dir)))
			return true;
	}
	return false;
}

/* The changed file whose real path is `real`, or NULL when the change leaves it alone. */
static const struct changed_file *find_changed(const struct change_set *set, const char *real)
{
	for (size_t i = 0; i < set->count; i++) {
		const struct changed_file *f = &set->files[i];

		if (f->status != 'D' && ((f->real && strcmp(f->real, real) == 0) || strcmp(f->absolute, real) == 0))
			return &set->files[i];
	}
	return NULL;
}

/*
 * Read the content `f` had at the revision into `out`: empty for a file the
 * change adds.  False after a message when git cannot read it.
 */
static bool read_old(const struct change_set *set, const struct changed_file *f, struct buf *out)
{
	char *object;
	char *argv[] = {"git", "show", NULL, NULL};
	int status;
	bool ok;

	if (f->status == 'A')
		return true;
	/* `./` makes git read the path from the working folder, as --relative printed it. */
	object = xasprintf("%s:./%s", set->rev, f->path);
	argv[2] = object;
	ok = run_git(argv, out, &status);
	if (ok && status != 0) {
		cli_error("--changed-since: 'git show %s' failed, so what the change adds to '%s' is unknown", object,
			  f->path);
		ok = false;
	}
	free(object);
	return ok;
}

static bool has_inline_suppression(const struct config *config, uint32_t source)
{
	for (size_t k = 0; k < config->suppression_count; k++) {
		if (config->suppressions[k].inline_comment && config->suppressions[k].span.source == source)
			return true;
	}
	return false;
}

/* List the inline suppressions that changed Terraform files add. */
static bool list_inline(const struct change_set *set, const struct context *ctx, struct added_list *out)
{
	for (uint32_t id = 1; id < ctx->sources.count; id++) {
		const struct source *src = source_get(&ctx->sources, id);
		const struct changed_file *f;
		struct buf old = BUF_INIT;
		char *real;

		if (!has_inline_suppression(ctx->config, id) || !(real = realpath(src->path, NULL)))
			continue;
		f = find_changed(set, real);
		free(real);
		if (!f)
			continue;
		if (!read_old(set, f, &old)) {
			buf_release(&old);
			return false;
		}
		config_list_added_inline(ctx->config, ctx, id, buf_str(&old), out);
		buf_release(&old);
	}
	return true;
}

/* List what a changed configuration file adds. */
static bool list_settings(const struct change_set *set, const struct context *ctx, struct added_list *out)
{
	const struct config *config = ctx->config;
	const struct changed_file *f;
	struct buf old = BUF_INIT;
	char *real;

	if (!config->path || !config->source || !(real = realpath(config->path, NULL)))
		return true;
	if (!path_is_under(real, set->cwd)) {
		/* git diff --relative lists only files under the working folder. */
		cli_note("the configuration file '%s' is outside the working folder, so what the change adds to it is not listed; run iamcross from the repository's root",
			 config->path);
		free(real);
		return true;
	}
	f = find_changed(set, real);
	free(real);
	if (!f)
		return true;
	if (!read_old(set, f, &old)) {
		buf_release(&old);
		return false;
	}
	config_list_added_settings(config, ctx, f->status == 'A' ? NULL : buf_str(&old), out);
	buf_release(&old);
	return true;
}

bool change_set_list_added(const struct change_set *set, const struct context *ctx, struct added_list *out)
{
	if (!ctx->config)
		return true;
	if (!list_inline(set, ctx, out) || !list_settings(set, ctx, out))
		return false;
	added_list_sort(out, ctx);
	return true;
}
