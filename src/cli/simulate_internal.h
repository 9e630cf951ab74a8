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

/*
 * Evaluate the request of one batch line, `length` bytes of `text`, and
 * append its output line to `out`.  `line` is its line number.  The text is
 * parsed in place, so the call changes it.
 */
void simulate_line(char *text, size_t length, size_t line, struct buf *out);

/* Run the batch in `path` ("-" for standard input); returns the exit status. */
int simulate_batch(const char *path);

#endif
