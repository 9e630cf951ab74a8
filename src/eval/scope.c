/*
 * Three-valued logic and the bookkeeping of one statement's evaluation:
 * the dependencies a MAYBE records and the rendering of values for
 * explanations.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum tri tri_join(enum tri a, enum tri b)
{
	return a == b ? a : TRI_MAYBE;
}

const char *tri_word(enum tri t, const char *yes, const char *no, const char *maybe)
{
	if (t == TRI_MAYBE)
		return maybe;
	return t == TRI_YES ? yes : no;
}

bool eval_policy_has_variables(const struct policy *policy)
{
	if (!policy->has_version || !policy->version.text)
		return false;
	return strcmp(policy->version.text, "2012-10-17") == 0 || text_has_hole(policy->version.text);
}

static bool same_dependency(const struct eval_dependency *d, enum eval_dependency_kind kind,
			    const char *name, const struct condition *condition)
{
	if (d->kind != kind || d->condition != condition)
		return false;
	if (!d->name || !name)
		return d->name == name;
	return strcasecmp(d->name, name) == 0;
}

void eval_scope_depend(struct eval_scope *s, enum eval_dependency_kind kind, const char *name,
		       const struct condition *condition, const char *note)
{
	struct eval_dependencies *deps = s->deps;
	struct eval_dependency *d;

	if (!deps)
		return;
	for (size_t i = 0; i < deps->count; i++) {
		if (same_dependency(&deps->items[i], kind, name, condition))
			return;
	}
	deps->items = xgrow(deps->items, &deps->cap, deps->count + 1, sizeof(*deps->items));
	d = &deps->items[deps->count++];
	d->kind = kind;
	d->name = name;
	d->condition = condition;
	d->note = note;
}

size_t eval_scope_mark(const struct eval_scope *s)
{
	return s->deps ? s->deps->count : 0;
}

void eval_scope_forget(struct eval_scope *s, size_t count)
{
	if (s->deps && s->deps->count > count)
		s->deps->count = count;
}

void eval_dependencies_release(struct eval_dependencies *deps)
{
	free(deps->items);
	memset(deps, 0, sizeof(*deps));
}

void eval_render(struct buf *out, const struct eval_scope *s, const char *text)
{
	if (!text_has_hole(text)) {
		buf_puts(out, text);
		return;
	}
	text_render(out, text, s->symbols);
}
