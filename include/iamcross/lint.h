/*
 * Checks of one policy on its own: grammar the builder cannot see alone
 * (Sids, principals for the policy's kind), ARNs and account IDs, and
 * wildcards.  The checks that need the action catalog live beside them.
 */
#ifndef IAMCROSS_LINT_H
#define IAMCROSS_LINT_H

#include "iamcross/context.h"
#include "iamcross/policy.h"

void lint_policy(struct context *ctx, const struct policy *policy);

#endif
