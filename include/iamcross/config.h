/*
 * The configuration file, `.iamcross.json`, and what it does to a run:
 * rule severities and disables, known accounts, the severity of findings
 * inside platform modules' own policies, path excludes, Terraform variable
 * defaults, custom rules written as PCRE2 patterns, and suppressions.
 * docs/configuration.md documents every key.
 *
 * The file is found by walking up from a starting folder (the scanned path,
 * or the folder of the first input) to the file system root, unless
 * --config names it.  An invalid file is a usage error: config_load() says
 * what is wrong at its line and column and the run stops with status 2.
 *
 * Ownership: a config owns every string and compiled pattern in it and frees
 * them in config_release().  Compiled patterns are only read during a run,
 * so one config may serve several threads, each with its own match data.
 */
#ifndef IAMCROSS_CONFIG_H
#define IAMCROSS_CONFIG_H

#include "iamcross/context.h"
#include "iamcross/policy.h"

#define CONFIG_FILE_NAME ".iamcross.json"

/*
 * PCRE2 limits for custom rule patterns: at most this many backtracking
 * steps and this much recursion depth per match.  Policy values are short
 * (an ARN is at most 2 KiB), so a sane pattern needs a few thousand steps;
 * a catastrophic one stops here with a finding instead of hanging CI.
 */
#define CONFIG_MATCH_LIMIT 100000
#define CONFIG_DEPTH_LIMIT 1000

enum rule_setting {
	RULE_DEFAULT,
	RULE_OFF,
	RULE_SEVERITY,
};

struct config_rule {
	enum rule_setting setting;
	enum severity severity;
	size_t affected;   /* findings config_apply() dropped or gave another severity */
};

struct known_account {
	char id[13];
	char *name;
	bool trusted;
};

enum custom_element {
	CUSTOM_ACTION,
	CUSTOM_RESOURCE,
	CUSTOM_PRINCIPAL,
	CUSTOM_CONDITION_KEY,
	CUSTOM_SID,
	CUSTOM_BUCKET,
};

struct custom_rule {
	char *id;
	enum severity severity;
	char *message;
	char *hint;
	int policy_kind;          /* an enum policy_kind, or -1 for any */
	int effect;               /* an enum effect, or -1 for any */
	enum custom_element element;
	void *forbid;             /* pcre2_code: a value matching it is reported */
	void *require;            /* pcre2_code: a value not matching it is reported */
	char *forbid_text;
	char *require_text;
	bool outside_known_accounts;   /* principal: an account not in `accounts` */
	bool outside_trusted_accounts; /* principal: an account not marked trusted */
};

struct suppression {
	char *rule;         /* a rule name, built-in or custom */
	char *path;         /* a pattern over the finding's path; `*` crosses '/' */
	char *sid;          /* NULL: any statement */
	char *reason;
	struct span span;   /* where it is written: config entry or inline comment */
	bool inline_comment;
	size_t uses;
};

/* One `iamcross:ignore` comment found in the text of a Terraform file. */
struct inline_comment {
	char *rule;         /* "" when the comment names none */
	char *reason;       /* NULL when it gives none */
	uint32_t offset;    /* of the marker `iamcross:ignore` */
	uint32_t length;    /* from the marker to the end of its line */
	char *covered;      /* the code it covers, white space collapsed; see config_find_inline_comments() */
};

struct config {
	char *path;          /* NULL when no file was found */
	char *dir;           /* the folder paths in the file are relative to */
	uint32_t source;     /* the file's text in the sources of the run, or 0 */
	struct config_rule rules[RULE_COUNT];
	struct known_account *accounts;
	size_t account_count;
	bool module_severity_set;
	enum severity module_severity;
	size_t module_affected;  /* findings config_apply() gave the module severity */
	char **module_sources;   /* patterns of module sources the severity applies to */
	size_t module_source_count;
	char **excludes;
	size_t exclude_count;
	char **vars;             /* "NAME=VALUE", below the command line's --var */
	size_t var_count;
	char *account;           /* the account Terraform deploys into */
	struct custom_rule *custom;
	size_t custom_count;
	struct suppression *suppressions;
	size_t suppression_count;
	size_t suppression_cap;
	/*
	 * Set when only part of the repository is checked (scan
	 * --changed-since): a suppression of the file that matches nothing may
	 * match in a folder that was not checked, so it is not reported unused.
	 */
	bool partial_run;
	/*
	 * Set when the run read the whole folder of the configuration file,
	 * by a scan of that folder or of one above it.  Otherwise a suppression
	 * whose path names no file of the run is not reported unused, because
	 * it could not match.  `check` of one file and the pre-commit hook's
	 * scan of the staged folders are such runs.
	 */
	bool whole_folder;
};

void config_init(struct config *config);
void config_release(struct config *config);

/*
 * Find the file: `explicit_path` when given, else the first
 * CONFIG_FILE_NAME in `start_dir` or a parent.  Returns a malloc'ed path or
 * NULL when there is none.
 */
char *config_find(const char *explicit_path, const char *start_dir);

/*
 * Read and validate the file at `path` into `config`.  On failure prints
 * `iamcross: FILE:LINE:COLUMN: reason` to stderr and returns false.  The
 * file's text is added to ctx's sources so suppressions can point at it.
 */
bool config_load(struct config *config, struct context *ctx, const char *path);
/* The same for a file already in ctx's sources (for tests and fuzzing). */
bool config_load_source(struct config *config, struct context *ctx, uint32_t source);

/* True when `path` matches an exclude pattern of the config. */
bool config_excluded(const struct config *config, const char *path);

/* Run the custom rules on one policy, adding their findings to ctx. */
void config_check_policy(const struct config *config, struct context *ctx,
			 const struct policy *policy);

/*
 * Collect inline suppressions (`# iamcross:ignore RULE REASON` or `//` on
 * the finding's line or the line before) from the Terraform sources of ctx.
 */
void config_collect_inline_suppressions(struct config *config, struct context *ctx);

/*
 * Find the `iamcross:ignore` comments in `text`, which must end with a NUL
 * byte, in file order.  A comment alone on its line covers the next line,
 * one after code covers its own line, and `covered` is that line's code.
 * Returns the count and stores a malloc'ed array in `*out`.
 */
size_t config_find_inline_comments(const char *text, size_t length, struct inline_comment **out);
void config_inline_comments_free(struct inline_comment *comments, size_t count);

/* True when `name` is a built-in rule or a custom rule of the config. */
bool config_rule_known(const struct config *config, const char *name);

void config_add_suppression(struct config *config, const char *rule, const char *path,
			    const char *sid, const char *reason, struct span span, bool inline_comment);

/*
 * Apply the config to the findings: drop disabled rules, set severities,
 * name known accounts in messages, mark suppressed findings with their
 * reason (a suppression with a Sid covers findings inside that statement of
 * one of `policies`), add unused-suppression findings, and sort.  With
 * `partial_run` set, only inline suppressions are reported unused; without
 * `whole_folder`, only those whose path names a file the run read.
 */
void config_apply(struct config *config, struct context *ctx, const struct policy *const *policies,
		  size_t policy_count);

/* --- what a change adds ------------------------------------------------------ */

/*
 * A suppression or a weaker setting that the change under review adds, so
 * findings it silences stay visible to the reviewer (scan --changed-since).
 */
enum added_kind {
	ADDED_INLINE,           /* an `iamcross:ignore` comment in a Terraform file */
	ADDED_SUPPRESSION,      /* an entry of `suppressions` in the configuration */
	ADDED_RULE_SETTING,     /* a rule turned off or lowered under `rules` */
	ADDED_MODULE_SEVERITY,  /* `modules.severity` set, lowered, or given other `sources` */
	ADDED_EXCLUDE,          /* a pattern of `exclude` */
};

/*
 * One addition.  The strings point into the config or are static; an
 * added_list owns only its array and must not outlive the config.
 */
struct added_suppression {
	enum added_kind kind;
	const char *rule;       /* the rule; NULL for module severities and excludes */
	const char *pattern;    /* a suppression's path or an exclude pattern; else NULL */
	const char *sid;        /* a suppression's Sid; else NULL */
	const char *reason;     /* a suppression's reason; else NULL */
	const char *from;       /* a setting's level before: a severity, "off", or NULL for each rule's own */
	const char *to;         /* a setting's level now: a severity or "off" */
	struct span span;       /* where the change is written */
	size_t suppression;     /* index + 1 in config->suppressions, or 0 */
	size_t findings;        /* findings of this run it silenced or lowered */
	bool counted;           /* false for excludes: iamcross never reads what they skip */
};

struct added_list {
	struct added_suppression *items;
	size_t count;
	size_t cap;
};

void added_list_release(struct added_list *list);
/* Sort by file and position, so every report lists them in one order. */
void added_list_sort(struct added_list *list, const struct context *ctx);
/* The addition whose suppression is config->suppressions[index - 1], or NULL. */
const struct added_suppression *added_list_find_suppression(const struct added_list *list, size_t index);

/*
 * Add to `out` the inline suppressions of `source` that `old_text` lacks.
 * `old_text` is the file before the change, NUL-terminated, and "" for a
 * new file.  A comment is old when the old text has one with the same
 * rule, reason and covered code.  So moving code keeps it old, and moving
 * the comment onto other code makes it new.  Call after config_apply(),
 * which counts the uses.
 */
void config_list_added_inline(const struct config *config, const struct context *ctx, uint32_t source,
			      const char *old_text, struct added_list *out);

/*
 * Add to `out` what the configuration file adds compared with `old_text`,
 * its content before the change (NULL when it did not exist): suppressions,
 * rules turned off or lowered, a lower module severity and exclude
 * patterns.  An old file that is not valid JSON counts as empty.  Call
 * after config_apply().
 */
void config_list_added_settings(const struct config *config, const struct context *ctx, const char *old_text,
				struct added_list *out);

#endif
