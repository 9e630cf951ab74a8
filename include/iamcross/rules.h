/*
 * The rule table: every rule's stable name, default severity and
 * documentation.  It is generated at build time from the folders of rules/checks, the one
 * source that `iamcross rules`, `iamcross explain`, SARIF rule descriptors
 * and docs/rules/ are all made from.
 */
#ifndef IAMCROSS_RULES_H
#define IAMCROSS_RULES_H

#include <stdbool.h>
#include <stddef.h>

enum severity {
	SEVERITY_INFO,
	SEVERITY_WARNING,
	SEVERITY_ERROR,
	SEVERITY_COUNT,
};

#include "rules_table.h" /* generated: enum rule_id */

struct rule_example_file {
	const char *name;
	const char *text;
};

struct rule_example {
	const char *command;               /* arguments after `iamcross`, e.g. "check -i identity.json" */
	const struct rule_example_file *files;
	size_t file_count;
};

struct rule_info {
	const char *name;
	enum severity severity;
	const char *group;       /* "policy", "pair" or "terraform" */
	const char *summary;     /* one line, no full stop */
	const char *explanation; /* paragraphs separated by blank lines */
	const char *fix;         /* how to make the finding go away */
	const char *const *references;
	size_t reference_count;
	struct rule_example failing;
	struct rule_example passing;
};

extern const struct rule_info rule_table[RULE_COUNT];

const struct rule_info *rule_get(enum rule_id id);
/* Look a rule up by its name; false when no rule has it. */
bool rule_find(const char *name, enum rule_id *id);
const char *severity_name(enum severity severity);
bool severity_parse(const char *name, enum severity *severity);

#endif
