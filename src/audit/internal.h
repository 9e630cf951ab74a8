/*
 * Declarations shared by the files of the audit and by nothing else.
 */
#ifndef IAMCROSS_AUDIT_INTERNAL_H
#define IAMCROSS_AUDIT_INTERNAL_H

#include "iamcross/audit.h"
#include "iamcross/eval.h"

/* A growable array of strings, copied into the audit's arena when done. */
struct text_list {
	const char **items;
	size_t count;
	size_t cap;
};

void text_list_add(struct text_list *list, const char *text);
/* Add `text` unless the list has it already. */
void text_list_add_unique(struct text_list *list, const char *text);
/* Sort, copy into `arena` and free the list; returns the copy. */
const char **text_list_finish(struct text_list *list, struct arena *arena, size_t *count, bool sort);

/* `text` with holes rendered, copied into the audit's arena. */
const char *audit_render(struct audit *audit, struct context *ctx, const char *text);
/* "file:line" of a span, or NULL for a span without a source. */
const char *audit_where(struct audit *audit, const struct context *ctx, struct span span);
/* The name of `account` among the configuration's known accounts, copied into the audit, or NULL. */
const char *audit_account_name(struct audit *audit, const struct context *ctx, const char *account);

/* The state one role's map is built in. */
struct role_build {
	struct audit *audit;
	struct context *ctx;
	const struct tf_config *config;
	const struct tf_principal *principal;
	struct audit_role *role;
	const struct audit_counterpart *counterparts;
	size_t counterpart_count;
	/* The identity policies whose documents are known, as the evaluator takes them. */
	const struct policy **identity;
	const char **identity_names;   /* the address of each */
	size_t identity_count;
	struct eval_caller caller;
	bool caller_known;
	struct arena scratch;          /* evaluator results; released with the build */
	struct text_list notes;
};

/* Fill role->services: what the identity policies allow (grants.c). */
void audit_build_grants(struct role_build *b);

/*
 * Decide whether a grant's resource is in another account and, when it
 * is, what the counterpart makes of the requests (edges.c).  Returns NULL
 * for a resource in the deployment account or of unknown place.
 */
struct audit_edge *audit_build_edge(struct role_build *b, const char *resource, const struct audit_action *actions,
				    size_t action_count);

/* Text for what an evaluator result depends on, e.g. "the condition key 'aws:SourceIp'". */
const char *audit_dependency_text(struct role_build *b, const struct eval_dependency *dependency);

/* An evaluator context for a workload's request: what an AWS SDK sends, no MFA. */
void audit_request_context(struct eval_context *context, struct arena *arena);

/* Is there a string both patterns match?  Resource patterns, holes as unknowns. */
enum tri audit_resources_meet(const char *a, const char *b);

/* Expand a statement's Action or NotAction into catalog actions; false when it is unresolved. */
bool audit_statement_actions(const struct statement *st, struct action_set *set);

/* Output ------------------------------------------------------------------------------ */

void audit_write_text(FILE *out, const struct audit *audit, bool color);
void audit_write_markdown(FILE *out, const struct audit *audit);
void audit_write_json(FILE *out, const struct audit *audit);
void audit_write_dot(FILE *out, const struct audit *audit);
void audit_write_mermaid(struct buf *out, const struct audit_namespace *ns, const struct audit *audit);

/* "3 Read, 12 Write" style summaries and name lists, shared by text and Markdown. */
const char *audit_level_short_name(enum catalog_access_level level);
/* Append the names of the actions of `grant` at `level` and `decision`, at most `max`, with "and N more". */
size_t audit_put_action_names(struct buf *b, const struct audit_grant *grant, enum catalog_access_level level,
			      enum audit_decision decision, size_t max);
/* Append "List, Read, Write": the levels at which the grant allows something. */
void audit_put_levels(struct buf *b, const struct audit_grant *grant);

#endif
