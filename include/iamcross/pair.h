/*
 * The cross-account pair check: does the resource policy of the target
 * allow every request that the caller's identity policies allow, and does it
 * grant anything the caller can never use?
 *
 * The caller is one principal (a role ARN, possibly with holes).  Its
 * identity policies are combined as AWS combines them: an explicit Deny in
 * any of them wins, and an Allow in any of them allows.  The resource policy
 * applies to the resources it names; identity statements about other
 * resources are not its business unless none of the caller's statements
 * touches its resources, which is itself a finding (resource-mismatch).
 */
#ifndef IAMCROSS_PAIR_H
#define IAMCROSS_PAIR_H

#include "iamcross/context.h"
#include "iamcross/policy.h"

struct pair_input {
	const char *principal;       /* the caller's ARN */
	struct span principal_span;  /* where it was written; unset for -p */
	const struct policy *const *identity;
	size_t identity_count;
	const struct policy *resource;
	/*
	 * Account that owns the resource; NULL when the policy does not say.
	 * The same text as the caller's account, holes included, means the
	 * same account even when its ID is unknown.
	 */
	const char *resource_account;
	/*
	 * How a module makes up the caller's name, for a caller whose name has
	 * generated parts (the IRSA module's cloud-platform-irsa-<random>-...),
	 * or NULL.  A resource policy that grants only a role the module can
	 * never have named is then reported as principal-mismatch with this
	 * explanation, and the rest of the check runs as if it named the caller.
	 */
	const char *principal_naming;
	/*
	 * The key policy of the KMS key that encrypts the resource (an SSE-KMS
	 * bucket, an encrypted queue, topic or secret), or NULL.  The requests
	 * the caller makes on the resource then also need the key, on both
	 * sides across accounts (kms-key-not-granted).
	 */
	const struct policy *key_policy;
	/* The key's ARN when known; else it is inferred or left unknown. */
	const char *key_arn;
};

void pair_check(struct context *ctx, const struct pair_input *input);

#endif
