/*
 * Lookups in the generated rule table.
 */
#include "iamcross/rules.h"

#include <string.h>

const struct rule_info *rule_get(enum rule_id id)
{
	return &rule_table[id];
}

bool rule_find(const char *name, enum rule_id *id)
{
	for (size_t i = 0; i < RULE_COUNT; i++) {
		if (strcmp(rule_table[i].name, name) == 0) {
			*id = (enum rule_id)i;
			return true;
		}
	}
	return false;
}

static const char *const severity_names[SEVERITY_COUNT] = {"info", "warning", "error"};

const char *severity_name(enum severity severity)
{
	return severity_names[severity];
}

bool severity_parse(const char *name, enum severity *severity)
{
	for (size_t i = 0; i < SEVERITY_COUNT; i++) {
		if (strcmp(severity_names[i], name) == 0) {
			*severity = (enum severity)i;
			return true;
		}
	}
	return false;
}
