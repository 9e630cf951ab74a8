/*
 * The state of one run: the files read, the findings, the symbols of
 * unknown values, and the options every stage may consult.
 *
 * Ownership: the context owns everything in it; context_release() frees it
 * all.  Stages receive a context pointer instead of reaching for globals, so
 * tests and fuzz harnesses can run many independent contexts in one process.
 */
#ifndef IAMCROSS_CONTEXT_H
#define IAMCROSS_CONTEXT_H

#include "iamcross/base.h"
#include "iamcross/diag.h"
#include "iamcross/source.h"
#include "iamcross/symbol.h"

struct config;
struct policy;

struct context {
	struct source_set sources;
	struct diag_store diags;
	struct symbol_table symbols;
	struct arena arena; /* long-lived allocations of the run */
	/* The AWS account the scanned Terraform deploys into; NULL when unknown. */
	const char *account;
	/* The configuration of the run; NULL when there is none. */
	struct config *config;
	/* Every policy linted in the run, for suppressions by Sid; not owned. */
	const struct policy **policies;
	size_t policy_count;
	size_t policy_cap;
};

void context_init(struct context *ctx);
void context_release(struct context *ctx);

/* Remember a policy of the run; lint_policy() does this for every policy. */
void context_add_policy(struct context *ctx, const struct policy *policy);

/* `text` rendered for a message: holes become ${expression}.  Arena-owned. */
const char *context_render(struct context *ctx, const char *text);

#endif
