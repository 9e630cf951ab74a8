/*
 * Functions the single-request and the batch forms of `iamcross simulate`
 * share: the checks of a request before it is evaluated and the JSON
 * output line.
 */
#ifndef IAMCROSS_SIMULATE_INTERNAL_H
#define IAMCROSS_SIMULATE_INTERNAL_H

#include "iamcross/eval.h"

/* Check that `action` is one catalog action; false with the reason appended. */
bool simulate_check_action(const char *action, struct buf *reason);
/* Check what AWS refuses in the policies; false with the reason appended. */
bool simulate_check_policies(const struct policy *const *identity, size_t identity_count,
			     const struct policy *resource, struct buf *reason);

/*
 * Append the JSON line of a decision.  `id` is the request's "id" as JSON
 * text, or NULL for null.  `line` is the batch line number, 0 for none.
 */
void simulate_write_result(struct buf *out, const char *id, size_t line,
			   const struct eval_result *result, const struct eval_policies *policies);
void simulate_write_error(struct buf *out, const char *id, size_t line, const char *reason);

/* A built policy of a batch, or why it cannot be used. */
struct cached_policy {
	const struct policy *policy;
	const char *error; /* the first problem AWS would reject it for, or NULL */
	bool invalid_json; /* the text is not JSON; the line is read without the cache */
};

/* One thread's cache of built policies; see simulate_cache.c. */
struct policy_cache;

struct policy_cache *policy_cache_new(void);
void policy_cache_free(struct policy_cache *cache);
/*
 * Prepare the cache for the next line and return whether the line should
 * use it: false while too few lookups hit.  Empties the cache when it is
 * full, so call it only between lines.
 */
bool policy_cache_wanted(struct policy_cache *cache);
/*
 * Return the policy whose JSON text is the `length` bytes at `text`, from
 * request field `slot` (-1 for resourcePolicy, else the index in
 * identityPolicies), read as a policy of `kind`: from the cache, or read,
 * built and added.  Returns NULL when the cache has no room left.
 */
const struct cached_policy *policy_cache_get(struct policy_cache *cache, const char *text, size_t length,
					     int slot, enum policy_kind kind);

/*
 * Evaluate the request of one batch line, `length` bytes of `text`, and
 * append its output line to `out`.  `line` is its line number.  The text is
 * parsed in place, so the call changes it.  `cache` may be NULL.
 */
void simulate_line(char *text, size_t length, size_t line, struct policy_cache *cache,
		   struct buf *out);

/* Run the batch in `path` ("-" for standard input); returns the exit status. */
int simulate_batch(const char *path);

#endif
