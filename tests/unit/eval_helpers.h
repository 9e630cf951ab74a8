/*
 * Helpers for the evaluator's tests: policies from JSON text, request
 * contexts from "KEY=VALUE" strings, and one-call evaluations.
 *
 * A context entry is "KEY=VALUE" (a value; give a key twice for two),
 * "KEY" (the key is absent) or "KEY[]" (present with no value).
 */
#ifndef IAMCROSS_EVAL_HELPERS_H
#define IAMCROSS_EVAL_HELPERS_H

#include "iamcross/eval.h"
#include "iamcross/load.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

struct fixture {
	struct context ctx;
	struct policy_set set;
	struct arena arena;
	struct eval_context context;
	struct eval_dependencies deps;
};

static inline void fixture_init(struct fixture *f)
{
	context_init(&f->ctx);
	policy_set_init(&f->set);
	arena_init(&f->arena);
	eval_context_init(&f->context, &f->arena);
	memset(&f->deps, 0, sizeof(f->deps));
}

static inline void fixture_release(struct fixture *f)
{
	eval_dependencies_release(&f->deps);
	arena_release(&f->arena);
	policy_set_release(&f->set);
	context_release(&f->ctx);
}

/* Load `json` as a policy named `name`; NULL (and a failed check) when it does not load. */
static inline const struct policy *fixture_policy(struct fixture *f, const char *name, const char *json,
					   enum policy_kind kind)
{
	uint32_t id = source_set_add(&f->ctx.sources, name, json, strlen(json));

	if (!load_json_policy(&f->ctx, &f->set, id, kind)) {
		CHECK(!"the test policy loads");
		return NULL;
	}
	return f->set.items[f->set.count - 1];
}

static inline void fixture_context(struct fixture *f, const char *const *entries)
{
	for (; entries && *entries; entries++) {
		const char *e = *entries;
		const char *equals = strchr(e, '=');
		size_t n = strlen(e);

		if (equals) {
			char *key = xstrndup(e, (size_t)(equals - e));

			eval_context_add(&f->context, key, equals + 1);
			free(key);
		} else if (n > 2 && strcmp(e + n - 2, "[]") == 0) {
			char *key = xstrndup(e, n - 2);

			eval_context_add_empty(&f->context, key);
			free(key);
		} else {
			eval_context_set_absent(&f->context, e);
		}
	}
}

/* True when one dependency is on `name`. */
static inline bool depends_on(const struct eval_dependencies *deps, enum eval_dependency_kind kind,
		       const char *name)
{
	for (size_t i = 0; i < deps->count; i++) {
		if (deps->items[i].kind != kind)
			continue;
		if (!name || (deps->items[i].name && strcmp(deps->items[i].name, name) == 0))
			return true;
	}
	return false;
}

#define NO_KEYS ((const char *const[]){NULL})
#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

#endif
