/*
 * Layout of the generated catalog tables, shared by the files of
 * src/catalog and by no one else.
 *
 * scripts/gen-catalog.py writes the records as macro calls (SERVICE(...),
 * ACTION(...)) that data.c expands with designated initializers, so the
 * field order below can change without touching the generator.  Strings are
 * offsets into catalog_strings; other records are referred to by index.
 * The field widths are checked by the generator, which fails the build
 * before a larger catalog could overflow one.
 */
#ifndef IAMCROSS_CATALOG_INTERNAL_H
#define IAMCROSS_CATALOG_INTERNAL_H

#include "iamcross/catalog.h"

#include <stddef.h>
#include <stdint.h>

struct catalog_source {
	uint32_t package;
	uint32_t version;
	uint32_t updated;       /* ISO 8601 time stamp of the data */
};

struct catalog_service {
	uint32_t prefix;
	uint32_t name;
	uint32_t first_action;
	uint32_t action_count;
	uint16_t first_resource_type;
	uint16_t resource_type_count;
	uint8_t prefix_length;
};

struct catalog_action {
	uint32_t name;          /* "service:Action" */
	uint32_t first_resource;
	uint32_t first_key;
	uint16_t service;
	uint16_t resource_count;
	uint16_t key_count;
	uint8_t access;         /* bits of enum catalog_access_level */
};

/* One resource type an action applies to. */
struct catalog_action_resource {
	uint32_t first_key;
	uint16_t resource_type;
	uint16_t key_count;
	uint8_t required;
};

struct catalog_resource_type {
	uint32_t name;
	uint32_t first_arn;
	uint32_t first_key;
	uint16_t service;
	uint16_t arn_count;
	uint16_t key_count;
};

enum catalog_key_flag {
	CATALOG_KEY_FLAG_MULTIVALUED = 1 << 0,
	CATALOG_KEY_FLAG_GLOBAL = 1 << 1,
	CATALOG_KEY_FLAG_SUPPLEMENT = 1 << 2,
	/* The name has variable parts, such as `aws:PrincipalTag/${TagKey}`. */
	CATALOG_KEY_FLAG_TEMPLATE = 1 << 3,
};

struct catalog_condition_key {
	uint32_t name;
	uint8_t type;           /* enum catalog_key_type */
	uint8_t flags;          /* bits of enum catalog_key_flag */
};

/*
 * Maximum length of an action's full name; the longest in the data has 71
 * characters.  scripts/gen-catalog.py rejects a longer name, so pattern
 * expansion can size its buffers by this.
 */
#define CATALOG_ACTION_NAME_MAX 255

extern const char catalog_strings[];
extern const struct catalog_source catalog_source;
extern const struct catalog_service catalog_services[CATALOG_SERVICE_COUNT];
extern const struct catalog_action catalog_actions[CATALOG_ACTION_COUNT];
extern const struct catalog_action_resource catalog_action_resources[];
extern const struct catalog_resource_type catalog_resource_types[CATALOG_RESOURCE_TYPE_COUNT];
extern const struct catalog_condition_key catalog_condition_keys[CATALOG_CONDITION_KEY_COUNT];

/* Lists of condition key indexes, sliced by first_key and key_count. */
extern const uint16_t catalog_key_refs[];
extern const size_t catalog_key_refs_count;
/* ARN formats as string offsets, sliced by first_arn and arn_count. */
extern const uint32_t catalog_arns[];
extern const size_t catalog_arns_count;
extern const uint32_t catalog_arns_by_service[];
extern const size_t catalog_arns_by_service_count;
extern const uint16_t catalog_arn_types[];
/* Per action, bit (c & 63) set for each byte c of its lower-cased name. */
extern const uint64_t catalog_action_masks[];
extern const size_t catalog_action_masks_count;
extern const size_t catalog_arn_types_count;
/*
 * Indexes of the keys with variable parts, in key order.  catalog_templates
 * contains those whose text up to the first colon is literal, so a lookup
 * can narrow them by that prefix.  The others, identity provider keys such
 * as `token.actions.${Domain}.ghe.com:actor`, are always tried.
 */
extern const uint16_t catalog_templates[];
extern const size_t catalog_templates_count;
extern const uint16_t catalog_templates_unprefixed[];
extern const size_t catalog_templates_unprefixed_count;

static inline const char *catalog_string(uint32_t offset)
{
	return catalog_strings + offset;
}

/* ASCII lower case without the locale, matching the generator's sort order. */
static inline int catalog_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/*
 * Compare the table string `a` with the first `b_length` bytes of `b`,
 * ignoring ASCII case, in the order the tables are sorted in.
 */
int catalog_compare_nocase(const char *a, const char *b, size_t b_length);
/* Do the first `length` bytes of `prefix` start `s`, ignoring ASCII case? */
bool catalog_starts_with_nocase(const char *s, const char *prefix, size_t length);

/*
 * Does the IAM wildcard pattern match the whole of `text`?  `*` matches any
 * run of characters and `?` one; letters compare without case.  Time is at
 * most proportional to the product of the two lengths.
 */
bool catalog_wildcard_match(const char *pattern, size_t pattern_length, const char *text,
			    size_t text_length);

#endif
