/*
 * The interface between the files of src/lint: the checks that
 * lint_policy() runs from other files, and the helpers they share.
 *
 * The checks here need the action catalog.  Like the rest of lint, they
 * judge only what is known: a value with a hole (an unresolved Terraform
 * expression, see symbol.h) is skipped or taken to match anything, never
 * reported for what its unknown part could make it.
 */
#ifndef IAMCROSS_LINT_INTERNAL_H
#define IAMCROSS_LINT_INTERNAL_H

#include "iamcross/catalog.h"
#include "iamcross/lint.h"

/* Action names (actions.c) */

/* unknown-service and unknown-action, for Action and NotAction values. */
void lint_check_action_names(struct context *ctx, const struct statement *st);

/*
 * True when the statement lists only actions, all known to the catalog,
 * that take no resource type, so "Resource": "*" is what they need.
 */
bool lint_statement_needs_no_resource(const struct statement *st);

/*
 * Add to `set` the actions an Action value names and return how many match.
 * A hole in the value is read as `*`, which gives every action the value
 * could name.
 */
size_t lint_action_value_expand(const char *text, struct action_set *set);

/* Resource ARNs and resource types (resource_types.c) */

/*
 * The invalid-arn check against the catalog's ARN formats: report `value`,
 * a Resource or NotResource ARN that has already parsed and validated, when
 * its service is in the catalog but no resource type of that service has
 * its form.  Returns true when it reported.
 */
bool lint_check_resource_type(struct context *ctx, const struct pvalue *value);

/* Does the resource pattern `pattern` possibly name a resource of `type`? */
bool lint_resource_may_be(const char *pattern, const struct catalog_resource_type *type);

/*
 * Would invalid-arn or invalid-account-id report the Resource value `text`?
 * False for "*" and for values whose unknown parts leave it open.
 */
bool lint_resource_is_invalid(const char *text);

#endif
