/*
 * "Did you mean" suggestions for service prefixes and action names that
 * are not in the catalog.
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
