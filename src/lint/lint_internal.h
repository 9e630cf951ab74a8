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

/*
 * Does the catalog describe the ARNs of the service of the Resource value
 * `text`?  True also when the service is not spelt out (a wildcard or a
 * hole), since it may be any service, and for values that are not ARNs.
 */
bool lint_resource_service_described(const char *text);

/* Conditions (conditions.c, condition_keys.c, condition_values.c) */

/* unknown-condition-key, invalid-condition and wildcard-in-exact-condition. */
void lint_check_conditions(struct context *ctx, const struct statement *st);

/*
 * unknown-condition-key for one condition of `st`; `key` is what
 * lint_condition_key_find() returned for its key.
 */
void lint_check_condition_key(struct context *ctx, const struct statement *st, const struct condition *c,
			      const struct catalog_condition_key *key);

/* The catalog key `name` is, or NULL; NULL also for a name with a hole. */
const struct catalog_condition_key *lint_condition_key_find(const char *name);

/*
 * Is `key` the claim of a web identity provider, PROVIDER:CLAIM with a host
 * name as the provider, such as accounts.google.com:aud?
 */
bool lint_key_is_provider_claim(const char *key);

/*
 * The forms of condition values.  Each test is true for every form AWS
 * documents for the operator family, and for near forms it may also
 * accept, so false means the value cannot be compared.
 */
bool lint_value_is_number(const char *s);
/* ISO 8601 dates and times, basic or extended, or epoch seconds. */
bool lint_value_is_date(const char *s);
/* An IPv4 or IPv6 address with an optional prefix length. */
bool lint_value_is_ip(const char *s);
/* "true" or "false" in any case. */
bool lint_value_is_bool(const char *s);
bool lint_value_is_base64(const char *s);
/* A policy variable such as ${aws:username}; the escapes ${*}, ${?} and ${$} are not variables. */
bool lint_value_has_variable(const char *s);

/*
 * irsa-trust-wildcard, irsa-trust-mismatch, trust-without-condition and
 * negated-condition-only (trust.c), judged statement by statement.
 */
void lint_check_trust(struct context *ctx, const struct policy *policy);

/* policy-too-large (size.c). */
void lint_check_policy_size(struct context *ctx, const struct policy *policy);

/* action-resource-mismatch (action_resources.c), judged over the whole policy. */
void lint_check_action_resources(struct context *ctx, const struct policy *policy);

#endif
