/*
 * Internal interfaces of the evaluator: wildcard matching, the expansion of
 * policy variables, and the state of one statement's evaluation.
 */
#ifndef IAMCROSS_EVAL_INTERNAL_H
#define IAMCROSS_EVAL_INTERNAL_H

#include "iamcross/eval.h"

/* Flags of eval_wildcard_match(). */
enum {
	WILDCARD_IGNORE_CASE = 1u << 0, /* compare ASCII letters ignoring case */
	WILDCARD_ESCAPES = 1u << 1,     /* a backslash makes the next byte literal */
	WILDCARD_LITERAL = 1u << 2,     /* '*' and '?' are ordinary bytes */
};

/*
 * Match `text` against `pattern`, where '*' matches any run of bytes and
 * '?' exactly one, over the whole string.
 */
bool eval_wildcard_match(const char *pattern, size_t pattern_length, const char *text,
			 size_t text_length, unsigned flags);

/*
 * Match the ARN `arn` against the ARN pattern `pattern`, a Resource value or
 * an ArnLike value.  The partition, service, region and account are
 * matched one by one, so a wildcard there never crosses a colon.  The
 * resource, everything after the fifth colon, is matched as a whole.  A
 * pattern of fewer fields matches only when its last field ends with '*',
 * which then runs over the remaining fields.  Returns false when `arn` has
 * fewer than six fields, and sets `*invalid` when either side is not an ARN.
 */
bool eval_arn_match(const char *pattern, const char *arn, unsigned flags, bool *invalid);

/* Outcome of expanding the policy variables of a value. */
enum expand_status {
	EXPAND_OK,
	EXPAND_NO_VALUE, /* a variable's key is absent or multivalued and has no default */
	EXPAND_UNKNOWN,  /* a variable's key is unknown */
};

enum expand_mode {
	EXPAND_LITERAL, /* the result is compared exactly: values are copied as they are */
	EXPAND_PATTERN, /* the result is a wildcard pattern with WILDCARD_ESCAPES */
};

struct expansion {
	struct buf text;
	enum expand_status status;
	const char *variable; /* the key of the first variable that was not expanded */
	size_t variable_length;
};

/* True when `text` contains "${", so that eval_expand() may change it. */
bool eval_has_variable(const char *text);

/*
 * Expand the policy variables of `text` from `ctx` into `out->text`
 * (which the caller releases).  In EXPAND_PATTERN mode the pattern's own
 * wildcards stay wildcards and everything else is escaped, so a value that
 * contains '*' matches only a literal '*'.  `${*}`, `${?}` and `${$}`
 * always stand for the literal character.
 */
void eval_expand(const char *text, enum expand_mode mode, const struct eval_context *ctx,
		 struct expansion *out);

/* The state of one statement's evaluation. */
struct eval_scope {
	const struct eval_context *ctx;
	bool variables; /* the policy's Version expands policy variables */
	const struct symbol_table *symbols;
	struct eval_dependencies *deps; /* may be NULL */
	struct buf *trace;              /* may be NULL */
	/* A variable had no value: a YES of the statement is only a MAYBE. */
	bool variable_without_value;
	const char *variable_name; /* the first such variable's key */
};

/* True when the request may carry several values of `key`. */
bool eval_key_is_multivalued(const struct eval_key *key);

/* True when `policy` expands policy variables (Version 2012-10-17). */
bool eval_policy_has_variables(const struct policy *policy);

void eval_scope_depend(struct eval_scope *scope, enum eval_dependency_kind kind, const char *name,
		       const struct condition *condition, const char *note);
/* Drop the dependencies added after `count`, when what they explained did not matter. */
void eval_scope_forget(struct eval_scope *scope, size_t count);
size_t eval_scope_mark(const struct eval_scope *scope);

/* `text` for a reader: holes become ${expression}.  Appends to `out`. */
void eval_render(struct buf *out, const struct eval_scope *scope, const char *text);

enum tri eval_condition_block(struct eval_scope *scope, const struct statement *st);

/* Match of a statement's Principal against the caller, at each level. */
struct principal_match {
	enum tri direct;  /* the caller itself, its role, or everyone */
	enum tri account; /* the caller's account */
};

enum tri eval_statement_action(struct eval_scope *scope, const struct statement *st,
			       const char *action);
enum tri eval_statement_resource(struct eval_scope *scope, const struct policy *policy,
				 const struct statement *st, const char *resource);
struct principal_match eval_statement_principal(struct eval_scope *scope, const struct statement *st,
						const struct eval_caller *caller);

/* Tri-valued logic beyond base.h's tri_and(), tri_or() and tri_not(). */
/* a when a == b, else MAYBE: the result when either may hold. */
enum tri tri_join(enum tri a, enum tri b);
const char *tri_word(enum tri t, const char *yes, const char *no, const char *maybe);

#endif
