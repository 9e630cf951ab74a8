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

/*
 * irsa-trust-mismatch against the service account a role is meant for.
 * Reports each condition on `<issuer>:sub` in the IRSA statements of
 * `trust` (a POLICY_TRUST policy; others are ignored) that no value of can
 * match system:serviceaccount:<namespace_name>:<service_account>, the
 * service account that a Terraform module call or a Kubernetes manifest at
 * `origin` gives the workload.  The names may contain holes (symbol.h); an
 * unknown part is taken to match, so nothing is reported on it.  A finding
 * gets `origin` as a related location when the span is set.  lint_policy()
 * does not call this: only the caller knows the expected service account.
 */
void lint_irsa_expect_service_account(struct context *ctx, const struct policy *trust, const char *namespace_name,
				      const char *service_account, struct span origin);

#endif
