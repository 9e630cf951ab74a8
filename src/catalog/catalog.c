/*
 * Lookups of services, actions and resource types in the compiled catalog.
 *
 * Everything here is a binary search or an index into the constant tables
 * of data.c, so nothing is allocated, initialised or locked.  The tables
 * are sorted by lower-case name (see scripts/gen-catalog.py), and every
 * comparison lowers ASCII letters the same way, which makes lookups
 * case-insensitive.  Condition keys, action sets and suggestions live in
 * their own files.
 */
#include "internal.h"

#include <string.h>

static const char *const access_level_names[CATALOG_ACCESS_LEVEL_COUNT] = {
	[CATALOG_ACCESS_LIST] = "List",
	[CATALOG_ACCESS_READ] = "Read",
	[CATALOG_ACCESS_WRITE] = "Write",
	[CATALOG_ACCESS_PERMISSIONS_MANAGEMENT] = "Permissions management",
	[CATALOG_ACCESS_TAGGING] = "Tagging",
};

int catalog_compare_nocase(const char *a, const char *b, size_t b_length)
{
	for (size_t i = 0; i < b_length; i++) {
		int ca = catalog_lower((unsigned char)a[i]);
		int cb = catalog_lower((unsigned char)b[i]);

		if (ca != cb)
			return ca - cb;
	}
	return a[b_length] ? 1 : 0;
}

bool catalog_starts_with_nocase(const char *s, const char *prefix, size_t length)
{
	for (size_t i = 0; i < length; i++) {
		if (!s[i] || catalog_lower((unsigned char)s[i]) != catalog_lower((unsigned char)prefix[i]))
			return false;
	}
	return true;
}

const char *catalog_package(void)
{
	return catalog_string(catalog_source.package);
}

const char *catalog_version(void)
{
	return catalog_string(catalog_source.version);
}

const char *catalog_updated(void)
{
	return catalog_string(catalog_source.updated);
}

size_t catalog_service_count(void)
{
	return CATALOG_SERVICE_COUNT;
}

const struct catalog_service *catalog_service_at(size_t index)
{
	return index < CATALOG_SERVICE_COUNT ? &catalog_services[index] : NULL;
}

const struct catalog_service *catalog_service_find_n(const char *prefix, size_t length)
{
	size_t low = 0;
	size_t high = CATALOG_SERVICE_COUNT;

	while (low < high) {
		size_t mid = low + (high - low) / 2;
		int cmp = catalog_compare_nocase(catalog_string(catalog_services[mid].prefix), prefix, length);

		if (cmp == 0)
			return &catalog_services[mid];
		if (cmp < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return NULL;
}

const struct catalog_service *catalog_service_find(const char *prefix)
{
	return catalog_service_find_n(prefix, strlen(prefix));
}

const char *catalog_service_prefix(const struct catalog_service *service)
{
	return catalog_string(service->prefix);
}

const char *catalog_service_name(const struct catalog_service *service)
{
	return catalog_string(service->name);
}

size_t catalog_service_action_count(const struct catalog_service *service)
{
	return service->action_count;
}

const struct catalog_action *catalog_service_action(const struct catalog_service *service, size_t i)
{
	return i < service->action_count ? &catalog_actions[service->first_action + i] : NULL;
}

size_t catalog_service_resource_type_count(const struct catalog_service *service)
{
	return service->resource_type_count;
}

const struct catalog_resource_type *catalog_service_resource_type(const struct catalog_service *service,
								   size_t i)
{
	if (i >= service->resource_type_count)
		return NULL;
	return &catalog_resource_types[service->first_resource_type + i];
}

size_t catalog_action_count(void)
{
	return CATALOG_ACTION_COUNT;
}

const struct catalog_action *catalog_action_at(size_t index)
{
	return index < CATALOG_ACTION_COUNT ? &catalog_actions[index] : NULL;
}

size_t catalog_action_index(const struct catalog_action *action)
{
	return (size_t)(action - catalog_actions);
}

/* The action's name without its service prefix and colon. */
static const char *action_short_name(const struct catalog_action *action)
{
	const struct catalog_service *service = &catalog_services[action->service];

	return catalog_string(action->name) + service->prefix_length + 1;
}

const struct catalog_action *catalog_action_find(const char *name)
{
	const char *colon = strchr(name, ':');
	const struct catalog_service *service;
	const char *action;
	size_t length;
	size_t low;
	size_t high;

	if (!colon)
		return NULL;
	service = catalog_service_find_n(name, (size_t)(colon - name));
	if (!service)
		return NULL;

	action = colon + 1;
	length = strlen(action);
	low = service->first_action;
	high = service->first_action + service->action_count;
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		int cmp = catalog_compare_nocase(action_short_name(&catalog_actions[mid]), action, length);

		if (cmp == 0)
			return &catalog_actions[mid];
		if (cmp < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return NULL;
}

const char *catalog_action_name(const struct catalog_action *action)
{
	return catalog_string(action->name);
}

const struct catalog_service *catalog_action_service(const struct catalog_action *action)
{
	return &catalog_services[action->service];
}

enum catalog_access_level catalog_action_access_level(const struct catalog_action *action)
{
	static const enum catalog_access_level narrowest_first[] = {
		CATALOG_ACCESS_PERMISSIONS_MANAGEMENT,
		CATALOG_ACCESS_TAGGING,
		CATALOG_ACCESS_WRITE,
		CATALOG_ACCESS_READ,
		CATALOG_ACCESS_LIST,
	};

	for (size_t i = 0; i < sizeof(narrowest_first) / sizeof(narrowest_first[0]); i++) {
		if (action->access & (1u << narrowest_first[i]))
			return narrowest_first[i];
	}
	/* Not reached: the generator rejects an action without a level. */
	return CATALOG_ACCESS_WRITE;
}

bool catalog_action_has_access(const struct catalog_action *action, enum catalog_access_level level)
{
	return level < CATALOG_ACCESS_LEVEL_COUNT && (action->access & (1u << level));
}

const char *catalog_access_level_name(enum catalog_access_level level)
{
	return level < CATALOG_ACCESS_LEVEL_COUNT ? access_level_names[level] : "unknown";
}

size_t catalog_action_resource_count(const struct catalog_action *action)
{
	return action->resource_count;
}

static const struct catalog_action_resource *action_resource(const struct catalog_action *action, size_t i)
{
	return i < action->resource_count ? &catalog_action_resources[action->first_resource + i] : NULL;
}

const struct catalog_resource_type *catalog_action_resource_type(const struct catalog_action *action,
								  size_t i)
{
	const struct catalog_action_resource *resource = action_resource(action, i);

	return resource ? &catalog_resource_types[resource->resource_type] : NULL;
}

bool catalog_action_resource_required(const struct catalog_action *action, size_t i)
{
	const struct catalog_action_resource *resource = action_resource(action, i);

	return resource && resource->required;
}

static struct catalog_key_list key_list(uint32_t first, uint16_t count)
{
	struct catalog_key_list list = {catalog_key_refs + first, count};

	return list;
}

struct catalog_key_list catalog_action_resource_keys(const struct catalog_action *action, size_t i)
{
	const struct catalog_action_resource *resource = action_resource(action, i);

	return resource ? key_list(resource->first_key, resource->key_count) : key_list(0, 0);
}

struct catalog_key_list catalog_action_keys(const struct catalog_action *action)
{
	return key_list(action->first_key, action->key_count);
}

const struct catalog_condition_key *catalog_key_list_get(struct catalog_key_list list, size_t i)
{
	return i < list.count ? &catalog_condition_keys[list.indexes[i]] : NULL;
}

static bool key_list_contains(struct catalog_key_list list, size_t index)
{
	for (size_t i = 0; i < list.count; i++) {
		if (list.indexes[i] == index)
			return true;
	}
	return false;
}

bool catalog_action_supports_key(const struct catalog_action *action,
				 const struct catalog_condition_key *key)
{
	size_t index = catalog_condition_key_index(key);

	if (catalog_condition_key_is_global(key))
		return true;
	if (key_list_contains(catalog_action_keys(action), index))
		return true;
	for (size_t i = 0; i < action->resource_count; i++) {
		const struct catalog_resource_type *type = catalog_action_resource_type(action, i);

		if (key_list_contains(catalog_action_resource_keys(action, i), index) ||
		    key_list_contains(catalog_resource_type_keys(type), index))
			return true;
	}
	return false;
}

size_t catalog_resource_type_count(void)
{
	return CATALOG_RESOURCE_TYPE_COUNT;
}

const struct catalog_resource_type *catalog_resource_type_at(size_t index)
{
	return index < CATALOG_RESOURCE_TYPE_COUNT ? &catalog_resource_types[index] : NULL;
}

size_t catalog_resource_type_index(const struct catalog_resource_type *type)
{
	return (size_t)(type - catalog_resource_types);
}

const char *catalog_resource_type_name(const struct catalog_resource_type *type)
{
	return catalog_string(type->name);
}

const struct catalog_service *catalog_resource_type_service(const struct catalog_resource_type *type)
{
	return &catalog_services[type->service];
}

const struct catalog_resource_type *catalog_resource_type_find(const struct catalog_service *service,
								const char *name)
{
	size_t length = strlen(name);
	size_t low = service->first_resource_type;
	size_t high = service->first_resource_type + service->resource_type_count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;
		int cmp = catalog_compare_nocase(catalog_string(catalog_resource_types[mid].name), name, length);

		if (cmp == 0)
			return &catalog_resource_types[mid];
		if (cmp < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return NULL;
}

size_t catalog_resource_type_arn_count(const struct catalog_resource_type *type)
{
	return type->arn_count;
}

const char *catalog_resource_type_arn(const struct catalog_resource_type *type, size_t i)
{
	return i < type->arn_count ? catalog_string(catalog_arns[type->first_arn + i]) : NULL;
}

struct catalog_key_list catalog_resource_type_keys(const struct catalog_resource_type *type)
{
	return key_list(type->first_key, type->key_count);
}

size_t catalog_arn_format_count(void)
{
	return catalog_arns_by_service_count;
}

const char *catalog_arn_format_by_service(size_t i, const struct catalog_resource_type **type)
{
	uint32_t arn = catalog_arns_by_service[i];

	*type = &catalog_resource_types[catalog_arn_types[arn]];
	return catalog_string(catalog_arns[arn]);
}
