/*
 * Condition key lookups, including keys with variable parts.
 *
 * The catalog spells a key with a variable part the way AWS documents it:
 * `aws:PrincipalTag/${TagKey}`, `s3:ExistingObjectTag/<key>`, or with the
 * variable in the provider name, `token.actions.${Domain}.ghe.com:actor`.
 * A policy names a concrete key (`aws:PrincipalTag/team`), so a lookup
 * first tries the exact name and then matches it against the keys with
 * variables, each variable standing for one or more characters.  Nothing
 * here checks what a variable part may contain (tag key syntax, domain
 * names); that is left to the checks that use the key.
 */
#include "internal.h"

#include <string.h>

/*
 * Maximum length of a key with variable parts, plus one; the longest in the
 * data has 74 characters.  scripts/gen-catalog.py rejects a longer key, so
 * no key is silently skipped.
 */
enum { CATALOG_TEMPLATE_MAX = 256 };

static const char *const key_type_names[CATALOG_KEY_TYPE_COUNT] = {
	[CATALOG_KEY_STRING] = "String",
	[CATALOG_KEY_ARN] = "ARN",
	[CATALOG_KEY_BOOL] = "Bool",
	[CATALOG_KEY_NUMERIC] = "Numeric",
	[CATALOG_KEY_DATE] = "Date",
	[CATALOG_KEY_IP_ADDRESS] = "IPAddress",
	[CATALOG_KEY_BINARY] = "Binary",
};

size_t catalog_condition_key_count(void)
{
	return CATALOG_CONDITION_KEY_COUNT;
}

const struct catalog_condition_key *catalog_condition_key_at(size_t index)
{
	return index < CATALOG_CONDITION_KEY_COUNT ? &catalog_condition_keys[index] : NULL;
}

size_t catalog_condition_key_index(const struct catalog_condition_key *key)
{
	return (size_t)(key - catalog_condition_keys);
}

const char *catalog_condition_key_name(const struct catalog_condition_key *key)
{
	return catalog_string(key->name);
}

enum catalog_key_type catalog_condition_key_type(const struct catalog_condition_key *key)
{
	return (enum catalog_key_type)key->type;
}

bool catalog_condition_key_is_multivalued(const struct catalog_condition_key *key)
{
	return key->flags & CATALOG_KEY_FLAG_MULTIVALUED;
}

bool catalog_condition_key_is_global(const struct catalog_condition_key *key)
{
	return key->flags & CATALOG_KEY_FLAG_GLOBAL;
}

bool catalog_condition_key_has_variable(const struct catalog_condition_key *key)
{
	return key->flags & CATALOG_KEY_FLAG_TEMPLATE;
}

const char *catalog_key_type_name(enum catalog_key_type type)
{
	return type < CATALOG_KEY_TYPE_COUNT ? key_type_names[type] : "unknown";
}

/* Length of the variable (`${Name}` or `<name>`) that starts at `s`, or 0. */
static size_t variable_length(const char *s)
{
	const char *end;

	if (s[0] == '$' && s[1] == '{')
		end = strchr(s + 2, '}');
	else if (s[0] == '<')
		end = strchr(s + 1, '>');
	else
		return 0;
	return end ? (size_t)(end - s) + 1 : 0;
}

/*
 * Rewrite a key with variables as a wildcard pattern, each variable as
 * `?*` (at least one character).  Key names contain no `*` or `?` of their
 * own.  Returns the pattern's length, or 0 when it does not fit.
 */
static size_t template_to_pattern(const char *key, char *pattern, size_t size)
{
	size_t n = 0;

	while (*key) {
		size_t variable = variable_length(key);

		if (n + 2 >= size)
			return 0;
		if (variable) {
			pattern[n++] = '?';
			pattern[n++] = '*';
			key += variable;
		} else {
			pattern[n++] = *key++;
		}
	}
	return n;
}

static bool template_matches(const struct catalog_condition_key *key, const char *name, size_t length)
{
	char pattern[CATALOG_TEMPLATE_MAX];
	size_t pattern_length = template_to_pattern(catalog_string(key->name), pattern, sizeof(pattern));

	return pattern_length && catalog_wildcard_match(pattern, pattern_length, name, length);
}

static const struct catalog_condition_key *find_exact(const char *name, size_t length)
{
	size_t low = 0;
	size_t high = CATALOG_CONDITION_KEY_COUNT;

	while (low < high) {
		size_t mid = low + (high - low) / 2;
		int cmp = catalog_compare_nocase(catalog_string(catalog_condition_keys[mid].name), name, length);

		if (cmp == 0)
			return &catalog_condition_keys[mid];
		if (cmp < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return NULL;
}

/* The first index in catalog_templates whose key sorts at or after `prefix`. */
static size_t templates_lower_bound(const char *prefix, size_t length)
{
	size_t low = 0;
	size_t high = catalog_templates_count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;
		const char *key = catalog_string(catalog_condition_keys[catalog_templates[mid]].name);

		if (catalog_compare_nocase(key, prefix, length) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

/*
 * Keys with a literal service prefix are searched only among those that
 * share the name's prefix up to its colon: `aws:PrincipalTag/team` is tried
 * against the few `aws:` templates, not all of them.
 */
static const struct catalog_condition_key *find_template(const char *name, size_t length)
{
	const char *colon = memchr(name, ':', length);
	size_t prefix_length;

	if (!colon)
		return NULL;

	prefix_length = (size_t)(colon - name) + 1;
	for (size_t i = templates_lower_bound(name, prefix_length); i < catalog_templates_count; i++) {
		const struct catalog_condition_key *key = &catalog_condition_keys[catalog_templates[i]];

		if (!catalog_starts_with_nocase(catalog_string(key->name), name, prefix_length))
			break;
		if (template_matches(key, name, length))
			return key;
	}

	for (size_t i = 0; i < catalog_templates_unprefixed_count; i++) {
		const struct catalog_condition_key *key = &catalog_condition_keys[catalog_templates_unprefixed[i]];

		if (template_matches(key, name, length))
			return key;
	}
	return NULL;
}

const struct catalog_condition_key *catalog_condition_key_find(const char *name)
{
	size_t length = strlen(name);
	const struct catalog_condition_key *key = find_exact(name, length);

	return key ? key : find_template(name, length);
}
