/*
 * What the commands of the command line share: the parsed options and the
 * helpers that turn them into a run and an exit status.
 */
#ifndef IAMCROSS_CLI_INTERNAL_H
#define IAMCROSS_CLI_INTERNAL_H

#include "iamcross/context.h"
#include "iamcross/report.h"

enum color_mode {
	COLOR_AUTO,
	COLOR_ALWAYS,
	COLOR_NEVER,
};

struct string_list {
	const char **items;
	size_t count;
	size_t cap;
};

enum command {
	COMMAND_CHECK,
	COMMAND_SCAN,
	COMMAND_SIMULATE,
	COMMAND_SUGGEST,
	COMMAND_AUDIT,
	COMMAND_RULES,
	COMMAND_EXPLAIN,
	COMMAND_COUNT,
};

struct cli_options {
	enum command command;
	const char *command_name;
	struct string_list identity;   /* -i */
	struct string_list resource;   /* -r */
	struct string_list paths;      /* positional arguments */
	struct string_list vars;       /* --var NAME=VALUE */
	struct string_list contexts;   /* --context KEY=VALUE */
	struct string_list counterparts;
	struct string_list indexes;    /* audit --index DIR */
	const char *principal;         /* -p */
	const char *account;           /* --account */
	const char *config;
	const char *baseline;
	const char *write_baseline;
	const char *changed_since;     /* scan --changed-since REV */
	const char *resource_account;  /* simulate --resource-account */
	const char *format_name;       /* --format as given; NULL for the default */
	const char *action;            /* simulate --action */
	const char *resource_arn;      /* simulate --resource */
	const char *requests;          /* simulate --requests */
	enum report_format format;      /* --format parsed for commands that report findings */
	enum severity fail_on;
	bool fail_never;
	enum color_mode color;
};

void string_list_push(struct string_list *list, const char *s);
void string_list_release(struct string_list *list);

/*
 * Parse argv[first...] into `options` for `options->command`; on a usage
 * error prints it and returns false.
 */
bool cli_parse_options(int argc, char **argv, int first, struct cli_options *options);
/* Parse --format for a command that reports findings; false after a message. */
bool cli_report_format(struct cli_options *options);
void cli_options_release(struct cli_options *options);

/* Should output be coloured: always, never, or on a terminal unless NO_COLOR is set. */
bool cli_use_color(enum color_mode mode);

/* Print `iamcross: ` and the message to stderr. */
void cli_error(const char *fmt, ...) IX_PRINTF(1, 2);
void cli_note(const char *fmt, ...) IX_PRINTF(1, 2);

/*
 * Find and load the configuration (--config, else the first .iamcross.json
 * in `start_dir` or above) into ctx->config; sets ctx->account from
 * --account or the file.  False after a message when the file is invalid.
 */
bool cli_load_config(struct context *ctx, const struct cli_options *options,
		     const char *start_dir);
void cli_release_config(struct context *ctx);

/*
 * Apply the configuration and the baseline, render the findings, and
 * compute the exit status.
 */
int cli_finish(struct context *ctx, const struct cli_options *options, size_t file_count);

/* --changed-since --------------------------------------------------------------- */

/* A file that `git diff` lists. */
struct changed_file {
	char status;     /* git's letter: A added, D deleted, M modified, T type changed, ... */
	char *path;      /* as git prints it: relative to the working folder */
	char *absolute;  /* the working folder's real path joined with `path` */
	char *real;      /* the file's real path, or NULL when it does not exist */
};

/* The files a change touches under the working folder, since the revision. */
struct change_set {
	const char *rev;
	char *cwd;       /* real path of the working folder */
	struct changed_file *files;
	size_t count;
	size_t cap;
};

struct added_list;

/* Ask git for the files changed since `rev`; false after a message. */
bool change_set_load(struct change_set *set, const char *rev);
void change_set_release(struct change_set *set);
/* True when a changed file lies in the folder `real_dir` (a real path) or below it. */
bool change_set_touches(const struct change_set *set, const char *real_dir);
/*
 * List in `out` the suppressions and weaker settings the change adds to the
 * Terraform files and the configuration of `ctx`; call after config_apply().
 * False after a message when git cannot read a file's old content.
 */
bool change_set_list_added(const struct change_set *set, const struct context *ctx, struct added_list *out);
/* Is `path` the folder `dir` or inside it?  Both absolute and normalised. */
bool path_is_under(const char *path, const char *dir);

/*
 * cli_finish() for scan --changed-since: only inline suppressions are
 * reported unused, and the report lists what the change adds.
 */
int cli_finish_changes(struct context *ctx, const struct cli_options *options, size_t file_count,
		       const struct change_set *changes);

/* The folders with .tf files under the paths given to scan, and walk findings. */
/*
 * Most bytes of .tf files one `scan` reads.  scan keeps every file's text
 * until the report is written, and it parses several folders at once.  The
 * 18 MB of a 1,459-namespace environments repository peak at about 40 MB of
 * memory.  At that ratio 256 MiB, 14 times that repository, would peak at
 * an estimated 600 MB.  A larger input is rejected before any file is read
 * (exit 2).
 */
#define SCAN_MAX_INPUT_SIZE ((uint64_t)256 * 1024 * 1024)

struct walk_result {
	struct context ctx;   /* unreadable-file and limit-exceeded findings of the walk */
	uint64_t tf_bytes;    /* size of the .tf files found, for SCAN_MAX_INPUT_SIZE */
	char **folders;       /* in walk order: name order under each path */
	char **roots;         /* per folder: the path given that it was found under */
	size_t folder_count;
	size_t folder_cap;
	char **plans;         /* files given that are not .tf: `terraform show -json` output */
	size_t plan_count;
	size_t plan_cap;
};

/* Walk `paths`; false (after a message) when one of them cannot be read. */
bool walk_paths(const struct string_list *paths, struct walk_result *out);
void walk_result_release(struct walk_result *result);

int cli_check(struct cli_options *options);
int cli_scan(struct cli_options *options);
int cli_simulate(struct cli_options *options);
int cli_suggest(struct cli_options *options);
int cli_audit(struct cli_options *options);
int cli_rules(struct cli_options *options);
int cli_explain(struct cli_options *options);

#endif
