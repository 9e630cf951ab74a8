/*
 * Baselines: a file of the fingerprints of accepted findings.  With
 * --baseline, findings whose fingerprint is in the file are counted apart
 * and do not count toward --fail-on, so a team can adopt iamcross on an
 * existing repository and fail only on what a change adds.  Fingerprints
 * ignore line numbers (diag_compute_fingerprints), so moving code does not
 * turn old findings into new ones.
 */
#ifndef IAMCROSS_BASELINE_H
#define IAMCROSS_BASELINE_H

#include "iamcross/context.h"

/*
 * Mark the findings of ctx that `path` lists as baselined.  Prints a
 * one-line reason and returns false when the file cannot be read or is not
 * a baseline.
 */
bool baseline_apply(struct context *ctx, const char *path);

/*
 * Write the fingerprints of ctx's unsuppressed findings to `path` and store
 * how many in `written`.
 */
bool baseline_write(const struct context *ctx, const char *path, size_t *written);

#endif
