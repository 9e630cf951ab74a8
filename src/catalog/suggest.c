/*
 * "Did you mean" suggestions for service prefixes, action names and
 * condition keys that are not in the catalog.
 *
 * A suggestion is the catalog name at the smallest edit distance, ignoring
 * case, provided the distance is small enough for the name to be a likely
 * typo (see typo_limit()).  The search must stay cheap enough to run on
 * every unknown action.  So it keeps only the services whose prefix is
 * within that limit of the given prefix, and compares the action part only
 * with their actions.  str_edit_distance() gives up on a pair as soon as it
 * exceeds the best distance found so far.  Ties go to the earlier name in
 * catalog order, so the result is deterministic.  Nothing is allocated here
 * beyond what str_edit_distance() needs.
 */
#include "internal.h"

#include "iamcross/base.h"

#include <stdio.h>
#include <string.h>

/* Maximum length of a service prefix to correct, above the longest real one (35 characters). */
enum { PREFIX_MAX = 64 };

/*
 * The largest edit distance still taken for a typo in a name of `length`
 * characters: one edit in a one-letter name, two up to eight letters (a
 * swap of two letters costs two), three in a longer one.
 */
static size_t typo_limit(size_t length)
{
	if (length <= 1)
		return 1;
	if (length <= 8)
		return 2;
	return 3;
}

const struct catalog_service *catalog_service_suggest(const char *prefix)
{
	size_t limit = typo_limit(strlen(prefix));
	const struct catalog_service *best = NULL;
	size_t best_distance = limit + 1;

	for (size_t i = 0; i < CATALOG_SERVICE_COUNT && best_distance > 0; i++) {
		size_t distance = str_edit_distance(prefix, catalog_string(catalog_services[i].prefix), limit, true);

		if (distance < best_distance) {
			best = &catalog_services[i];
			best_distance = distance;
		}
	}
	return best;
}

struct suggestion {
	const struct catalog_action *action;
	size_t distance;        /* service prefix distance plus action distance */
};

/* Try the actions of `service`, whose prefix is `prefix_distance` edits away. */
static void suggest_in_service(const struct catalog_service *service, size_t prefix_distance,
			       const char *action, size_t limit, struct suggestion *best)
{
	for (size_t i = service->first_action; i < service->first_action + service->action_count; i++) {
		const char *name = catalog_string(catalog_actions[i].name) + service->prefix_length + 1;
		size_t budget;
		size_t distance;

		if (best->distance <= prefix_distance)
			return;
		budget = best->distance - prefix_distance - 1;
		if (budget > limit)
			budget = limit;
		distance = str_edit_distance(action, name, budget, true);
		if (distance <= budget) {
			best->action = &catalog_actions[i];
			best->distance = prefix_distance + distance;
			if (distance == 0)
				return;
		}
	}
}

/*
 * Services are tried in order of their prefix's distance, and a service
 * whose prefix alone costs as much as the best suggestion so far is
 * skipped.  So a typo in the action of a known service searches that
 * service only; the neighbours are searched when it has nothing close.
 */
const struct catalog_action *catalog_action_suggest(const char *name)
{
	const char *colon = strchr(name, ':');
	char prefix[PREFIX_MAX];
	uint8_t prefix_distance[CATALOG_SERVICE_COUNT];
	size_t prefix_length;
	size_t prefix_limit;
	size_t action_limit;
	struct suggestion best = {NULL, SIZE_MAX};

	if (!colon)
		return NULL;
	prefix_length = (size_t)(colon - name);
	if (prefix_length >= sizeof(prefix))
		return NULL;
	memcpy(prefix, name, prefix_length);
	prefix[prefix_length] = '\0';

	prefix_limit = typo_limit(prefix_length);
	action_limit = typo_limit(strlen(colon + 1));
	for (size_t i = 0; i < CATALOG_SERVICE_COUNT; i++) {
		prefix_distance[i] = (uint8_t)str_edit_distance(prefix, catalog_string(catalog_services[i].prefix),
								 prefix_limit, true);
	}
	for (size_t d = 0; d <= prefix_limit && d < best.distance; d++) {
		for (size_t i = 0; i < CATALOG_SERVICE_COUNT && d < best.distance; i++) {
			if (prefix_distance[i] == d)
				suggest_in_service(&catalog_services[i], d, colon + 1, action_limit, &best);
		}
	}
	return best.action;
}

/*
 * Length of the literal text that comes before a key's variable part when
 * that part ends the key, as in `aws:PrincipalTag/${TagKey}`; 0 for a key
 * without variables or with one elsewhere.
 */
static size_t trailing_variable_start(const char *key)
{
	const char *dollar = strstr(key, "${");
	const char *angle = strchr(key, '<');
	const char *start = dollar && (!angle || dollar < angle) ? dollar : angle;
	const char *end;

	if (!start)
		return 0;
	end = strchr(start, *start == '$' ? '}' : '>');
	if (!end || end[1] != '\0')
		return 0;
	return (size_t)(start - key);
}

/*
 * The length of the part of `name` that corresponds to `literal`, the text
 * before a key's variable part: up to and including as many of the literal's
 * last character (its separator, '/' or ':') as the literal has.  0 when
 * `name` has fewer or nothing after them.
 */
static size_t name_head_length(const char *name, const char *literal, size_t literal_length)
{
	char separator = literal[literal_length - 1];
	size_t wanted = 0;
	size_t seen = 0;

	for (size_t i = 0; i < literal_length; i++)
		wanted += literal[i] == separator;
	for (size_t i = 0; name[i]; i++) {
		if (name[i] == separator && ++seen == wanted)
			return name[i + 1] ? i + 1 : 0;
	}
	return 0;
}

/* Maximum length of a key name compared, plus one; the longest in the data has 74 characters. */
enum { KEY_NAME_MAX = 256 };

struct key_suggestion {
	const char *literal;     /* the key, or the text before its variable part */
	size_t literal_length;
	const char *tail;        /* what the name puts in the variable part, or "" */
	size_t distance;
};

/*
 * A key with a variable part at its end is compared by its literal part
 * with the same part of `name`, so "aws:PrincipalTags/team" is one edit
 * from "aws:PrincipalTag/${TagKey}".
 */
static void suggest_key(const char *name, const struct catalog_condition_key *key,
			struct key_suggestion *best)
{
	const char *key_name = catalog_string(key->name);
	char head[KEY_NAME_MAX];
	char literal[KEY_NAME_MAX];
	size_t literal_length;
	size_t head_length;
	size_t distance;

	if (!(key->flags & CATALOG_KEY_FLAG_TEMPLATE)) {
		distance = str_edit_distance(name, key_name, best->distance - 1, true);
		if (distance < best->distance)
			*best = (struct key_suggestion){key_name, strlen(key_name), "", distance};
		return;
	}

	literal_length = trailing_variable_start(key_name);
	if (literal_length == 0 || literal_length >= sizeof(literal))
		return;
	head_length = name_head_length(name, key_name, literal_length);
	if (head_length == 0 || head_length >= sizeof(head))
		return;
	memcpy(head, name, head_length);
	head[head_length] = '\0';
	memcpy(literal, key_name, literal_length);
	literal[literal_length] = '\0';
	distance = str_edit_distance(head, literal, best->distance - 1, true);
	if (distance < best->distance)
		*best = (struct key_suggestion){key_name, literal_length, name + head_length, distance};
}

bool catalog_condition_key_suggest(const char *name, char *out, size_t size)
{
	struct key_suggestion best = {NULL, 0, "", typo_limit(strlen(name)) + 1};
	int written;

	for (size_t i = 0; i < CATALOG_CONDITION_KEY_COUNT; i++)
		suggest_key(name, &catalog_condition_keys[i], &best);
	if (!best.literal)
		return false;
	written = snprintf(out, size, "%.*s%s", (int)best.literal_length, best.literal, best.tail);
	return written > 0 && (size_t)written < size;
}
