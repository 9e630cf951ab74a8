/*
 * Helpers shared by the files of src/suggest: string arrays, and the
 * questions about actions and resources that both directions ask.
 */
#ifndef IAMCROSS_SUGGEST_INTERNAL_H
#define IAMCROSS_SUGGEST_INTERNAL_H

#include "iamcross/catalog.h"
#include "iamcross/suggest.h"

void string_array_push(struct string_array *array, const char *s);
bool string_array_contains(const struct string_array *array, const char *s);
/* Sort ignoring case, then by bytes, so the order never depends on the input's. */
void string_array_sort(struct string_array *array);
void string_array_release(struct string_array *array);

/* Can `action` be requested on a resource the ARN pattern `pattern` names? */
bool suggest_action_applies(const struct catalog_action *action, const char *pattern);

/*
 * The name of a target for Sids and labels: a bucket's, queue's, topic's or
 * role's name, "key-" and the first part of a key ID, a secret's name
 * without its random suffix.  Malloc'ed.
 */
char *suggest_short_name(const char *arn_text, enum suggest_policy_type type);

/* Is every ARN `resource` names also named by one of `by`? */
bool suggest_resource_covered(const char *resource, const struct pvalue_list *by);

#endif
