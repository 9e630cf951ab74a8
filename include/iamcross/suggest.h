/*
 * `iamcross suggest`: the statements the other side of a cross-account
 * access must add so that every request the given side allows succeeds.
 *
 * From the caller's identity policies, suggest_for_identity() groups the
 * Allow statements by the resource they reach (one S3 bucket, KMS key, SQS
 * queue, SNS topic, Secrets Manager secret, or role to assume) and writes,
 * per target, the resource policy or trust statements that grant the
 * caller exactly the actions its policies allow there, on exactly the
 * resources they name.  suggest_for_resource() goes the other way: from
 * resource and trust policies, the identity statements the caller needs to
 * use what they grant it.  What cannot be turned into a grant (a resource
 * of "*", a wildcard that names many buckets, a service without resource
 * policies, a target in the caller's own account) is listed as skipped,
 * with the reason.
 *
 * Strings may contain holes (symbol.h); the writers print them as the
 * Terraform expression they came from, and Sids are made from those
 * expressions, which `symbols` gives.
 *
 * Ownership: a suggestion owns every string and array in it;
 * suggestion_release() frees them.  The policies it was made from may be
 * released first.
 */
#ifndef IAMCROSS_SUGGEST_H
#define IAMCROSS_SUGGEST_H

#include "iamcross/policy.h"
#include "iamcross/symbol.h"

/* The policy the suggested statements belong in. */
enum suggest_policy_type {
	SUGGEST_S3_BUCKET_POLICY,
	SUGGEST_KMS_KEY_POLICY,
	SUGGEST_SQS_QUEUE_POLICY,
	SUGGEST_SNS_TOPIC_POLICY,
	SUGGEST_SECRET_POLICY,   /* a Secrets Manager secret's resource policy */
	SUGGEST_TRUST_POLICY,    /* the trust policy of the role to assume */
	SUGGEST_IDENTITY_POLICY, /* the caller's own identity policy */
};

struct string_array {
	char **items;
	size_t count;
	size_t cap;
};

struct suggest_statement {
	char *sid;
	struct string_array actions;
	struct string_array resources; /* empty for a trust statement */
};

struct suggest_target {
	enum suggest_policy_type type;
	char *resource; /* the bucket, key, queue, topic, secret or role */
	char *account;  /* its account when the ARN names one, else NULL */
	struct suggest_statement *statements;
	size_t statement_count;
	size_t statement_cap;
};

struct suggest_skip {
	char *resource; /* as written in the policy */
	char *reason;
};

struct suggestion {
	char *principal; /* the caller as the statements name it */
	bool for_identity; /* statements for the caller's identity policy (suggest -r) */
	struct suggest_target *targets;
	size_t target_count;
	size_t target_cap;
	struct suggest_skip *skipped;
	size_t skipped_count;
	size_t skipped_cap;
};

/*
 * Fill `out` with what resource and trust policies must add for
 * `principal`, the caller whose identity policies are `identity`.  An
 * assumed-role session ARN is named by its role, which is what resource
 * policies grant.  `caller_account`, when not NULL, is used where the
 * principal's ARN does not give the account.  Returns false, with `out`
 * empty, when `principal` is not a principal ARN or account ID, and
 * appends the cause to `reason`.
 */
bool suggest_for_identity(struct suggestion *out, const struct policy *const *identity, size_t count,
			  const char *principal, const char *caller_account, const struct symbol_table *symbols,
			  struct buf *reason);

/*
 * Fill `out` with the identity statements `principal` needs to use what
 * `resources` (resource and trust policies) grant it.  Only statements that
 * name the principal itself, its role, or its account are used; a grant to
 * "*" is not taken as meant for it.
 */
bool suggest_for_resource(struct suggestion *out, const struct policy *const *resources, size_t count,
			  const char *principal, const struct symbol_table *symbols, struct buf *reason);

void suggestion_release(struct suggestion *suggestion);

/* The type's name in the JSON output, e.g. "s3-bucket-policy". */
const char *suggest_policy_type_name(enum suggest_policy_type type);

/* Append the suggestion as the JSON document docs/suggest.md describes. */
void suggest_write_json(struct buf *out, const struct suggestion *suggestion, const struct symbol_table *symbols);

/*
 * Append the suggestion as Terraform `data "aws_iam_policy_document"`
 * blocks, formatted as `terraform fmt` formats them.
 */
void suggest_write_hcl(struct buf *out, const struct suggestion *suggestion, const struct symbol_table *symbols);

#endif
