/*
 * The request evaluator: AWS's policy evaluation logic for one request (a
 * caller, an action, a resource and its condition keys) against the
 * caller's identity policies and the resource policy of the target.
 *
 * The logic is the one AWS documents for identity and resource policies.
 * An explicit Deny in any policy wins.  Across two accounts both the
 * identity policies and the resource policy must allow.  Within one account
 * either suffices, except that a KMS key policy and a role's trust policy
 * must allow the request themselves.  There an Allow for the account
 * delegates to the identity policies, and an Allow for the caller suffices
 * on its own.
 * SCPs, RCPs, permissions boundaries and session policies are not
 * evaluated.
 *
 * Answers are three-valued.  Whatever the request does not settle (a
 * condition key nobody knows the value of, an unresolved Terraform value,
 * the account of a resource whose ARN does not name one) makes a match
 * TRI_MAYBE, and every MAYBE records what it depends on.  The decision is
 * then EVAL_UNDECIDED with the set of decisions the unknowns allow; it is
 * never EVAL_ALLOWED while a needed Allow or an applicable Deny is MAYBE.
 *
 * The request context (struct eval_context) holds the keys the request
 * supplies and decides what the others are: keys derived from the caller
 * (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username),
 * what an AWS SDK sends over HTTPS (aws:SecureTransport is true), keys a
 * call made directly by the principal does not carry (aws:SourceArn,
 * aws:CalledVia) and, for everything else, "unknown".  A closed context
 * says the request lists every key it carries, so the rest are absent.
 *
 * Ownership: contexts and results allocate from an arena the caller
 * passes in and owns; they borrow the policies, the request strings and the
 * symbol table, which must outlive them.  A dependency list owns its array
 * and is freed with eval_dependencies_release().  Nothing here keeps global
 * mutable state.
 */
#ifndef IAMCROSS_EVAL_H
#define IAMCROSS_EVAL_H

#include "iamcross/arn.h"
#include "iamcross/base.h"
#include "iamcross/policy.h"
#include "iamcross/symbol.h"

/* --- the caller ---------------------------------------------------------- */

enum eval_caller_kind {
	EVAL_CALLER_ROLE,           /* a role ARN: a session of that role */
	EVAL_CALLER_ROLE_SESSION,   /* an assumed-role session ARN */
	EVAL_CALLER_USER,           /* an IAM user */
	EVAL_CALLER_ROOT,           /* the account root user */
	EVAL_CALLER_FEDERATED_USER, /* an STS federated user session */
	EVAL_CALLER_SERVICE,        /* a service principal such as s3.amazonaws.com */
	EVAL_CALLER_IDENTITY_PROVIDER, /* an OIDC or SAML provider, for sts:AssumeRoleWith* */
	EVAL_CALLER_CANONICAL_USER, /* an S3 canonical user ID */
};

/* The principal that makes the request, as the evaluator needs it. */
struct eval_caller {
	const char *text;         /* as given */
	enum eval_caller_kind kind;
	struct arn_principal parsed;
	const char *account;      /* 12 digits, possibly with holes; NULL for kinds without one */
	const char *partition;    /* "aws", ...; NULL for kinds without one */
	/*
	 * Role callers: the role's ARN.  A session ARN does not carry the role's
	 * path, so for a session the ARN is written without one and
	 * role_path_known is false.
	 */
	const char *role_arn;
	bool role_path_known;
	const char *name;         /* role, user or federated user name; NULL otherwise */
};

/*
 * Parse the caller `principal` (an ARN, a service principal, an identity
 * provider or a canonical user ID).  On failure appends the reason to
 * `reason` and returns false.  Strings are allocated from `arena`.
 */
bool eval_caller_parse(struct eval_caller *caller, const char *principal, struct arena *arena,
		       struct buf *reason);

/* --- the request context ------------------------------------------------- */

/* Whether a request carries a condition key. */
enum eval_presence {
	EVAL_ABSENT,
	EVAL_PRESENT,
	EVAL_MAYBE_PRESENT, /* it may or may not */
};

/* Source of what the evaluator assumes about a key, for explanations. */
enum eval_key_source {
	EVAL_SOURCE_REQUEST,     /* the request supplied it */
	EVAL_SOURCE_PRINCIPAL,   /* derived from the caller */
	EVAL_SOURCE_SDK,         /* what an AWS SDK sends over HTTPS */
	EVAL_SOURCE_DIRECT_CALL, /* absent or fixed in a call the principal makes itself */
	EVAL_SOURCE_RESOURCE,    /* derived from the resource */
	EVAL_SOURCE_CLOSED,      /* absent: the request lists every key it carries */
	EVAL_SOURCE_UNKNOWN,     /* nothing is known of it */
};

/* The presence and values of one condition key in one request. */
struct eval_key {
	const char *name;
	enum eval_presence presence;
	/*
	 * False when the key is or may be present with a value that is not
	 * given, such as aws:CurrentTime.  When true, `values` are all the values it
	 * has if present; a multivalued key may have none.
	 */
	bool values_known;
	const char *const *values;
	size_t value_count;
	enum eval_key_source source;
	/* EVAL_SOURCE_UNKNOWN and maybe-present keys: why, for messages. */
	const char *note;
};

struct eval_context {
	struct arena *arena;
	struct eval_key *keys;
	size_t *name_lengths; /* of keys[i].name, compared before the names */
	size_t count;
	size_t cap;
	/* Every key the request carries is listed; keys not listed are absent. */
	bool closed;
	/*
	 * The caller is a workload (a pod's or service's role session), which
	 * never authenticates with MFA: aws:MultiFactorAuthPresent is false.
	 */
	bool workload;
};

void eval_context_init(struct eval_context *ctx, struct arena *arena);
/*
 * Add `value` to `key` as the request supplies it.  A key added twice has
 * both values.  Names compare ignoring ASCII case, as AWS compares
 * condition keys.  `key` and `value` are copied.
 */
void eval_context_add(struct eval_context *ctx, const char *key, const char *value);
/* Record that the request carries `key` with no value at all (an empty list). */
void eval_context_add_empty(struct eval_context *ctx, const char *key);
/* Record that the request does not carry `key`. */
void eval_context_set_absent(struct eval_context *ctx, const char *key);
/*
 * Add the keys that `caller` and the resource's account imply, unless the
 * request supplied them: aws:PrincipalArn, aws:PrincipalAccount,
 * aws:PrincipalType, aws:username, aws:PrincipalIsAWSService,
 * aws:PrincipalServiceName and, when `resource_account` is not NULL and the
 * context is open, aws:ResourceAccount.
 */
void eval_context_derive(struct eval_context *ctx, const struct eval_caller *caller,
			 const char *resource_account);
/* Return the presence and values of `key`, from the request or from the rules above. */
struct eval_key eval_context_lookup(const struct eval_context *ctx, const char *key);

/* --- what a MAYBE depends on --------------------------------------------- */

enum eval_dependency_kind {
	/* The presence or value of a condition key. */
	EVAL_DEPENDS_ON_KEY,
	/*
	 * A policy variable whose key has no single value.  AWS documents that
	 * such a variable may make the whole statement invalid, so whether the
	 * statement applies is not settled.
	 */
	EVAL_DEPENDS_ON_VARIABLE,
	/*
	 * A condition operator without ForAnyValue: or ForAllValues: on a
	 * multivalued key.  AWS requires a set operator there and does not
	 * document the result without one.
	 */
	EVAL_DEPENDS_ON_SET_OPERATOR,
	/*
	 * A policy value whose meaning AWS does not document, such as an ArnLike
	 * value with fewer than the six fields AWS compares one by one.
	 */
	EVAL_DEPENDS_ON_UNDOCUMENTED,
	/* A value in the policy that is unresolved (a Terraform expression). */
	EVAL_DEPENDS_ON_UNRESOLVED,
	/* Whether the resource is in the caller's account. */
	EVAL_DEPENDS_ON_RESOURCE_ACCOUNT,
	/* A fact about the caller that its ARN does not show, such as a role's path. */
	EVAL_DEPENDS_ON_PRINCIPAL,
};

struct eval_dependency {
	enum eval_dependency_kind kind;
	/* The key, the variable, the unresolved text (holes kept) or NULL. */
	const char *name;
	/* The condition entry that needs it, whose values would make it match; or NULL. */
	const struct condition *condition;
	const char *note; /* a short reason for messages; may be NULL */
};

struct eval_dependencies {
	struct eval_dependency *items;
	size_t count;
	size_t cap;
};

void eval_dependencies_release(struct eval_dependencies *deps);

/* --- conditions ------------------------------------------------------------ */

/*
 * Evaluate the Condition block of `st` (from `policy`, whose Version decides
 * whether policy variables are expanded) against `ctx`: YES when every
 * condition holds, NO when one cannot hold, MAYBE otherwise.  A statement
 * without a Condition block gives YES.  What a MAYBE depends on is appended
 * to `deps` (which may be NULL).  With `trace`, one line a condition
 * explains the outcome.
 */
enum tri eval_conditions(const struct policy *policy, const struct statement *st,
			 const struct eval_context *ctx, struct eval_dependencies *deps,
			 struct buf *trace);

/* --- requests ---------------------------------------------------------------- */

struct eval_request {
	const struct eval_caller *caller;
	const char *action;           /* "service:Action" */
	const char *resource;         /* an ARN, or "*" for actions that take no resource */
	/* Account that owns the resource; NULL: the account in its ARN, if it names one. */
	const char *resource_account;
	struct eval_context *context; /* derived keys are added by eval_request_evaluate() */
};

struct eval_policies {
	const struct policy *const *identity;
	size_t identity_count;
	const struct policy *resource; /* NULL: the resource has no resource policy */
	/* Names unresolved values in explanations; may be NULL. */
	const struct symbol_table *symbols;
};

enum eval_decision {
	EVAL_ALLOWED,
	EVAL_IMPLICITLY_DENIED,
	EVAL_EXPLICITLY_DENIED,
	/* The unknowns leave more than one of the three decisions above possible. */
	EVAL_UNDECIDED,
	EVAL_DECISION_COUNT,
};

/* "Allowed", "ImplicitlyDenied", "ExplicitlyDenied" or "Undecided". */
const char *eval_decision_name(enum eval_decision decision);

/* Level at which a resource policy statement's principal names the caller. */
enum eval_principal_level {
	EVAL_LEVEL_NONE,
	EVAL_LEVEL_DIRECT,  /* the caller itself, its role, or "*" */
	EVAL_LEVEL_ACCOUNT, /* the caller's account, which delegates to its identity policies */
};

/* A statement that matches the request or may match it. */
struct eval_statement {
	const struct policy *policy;
	/* 0 to identity_count - 1 for identity policies, identity_count for the resource policy. */
	size_t policy_index;
	const struct statement *statement;
	enum tri matches;
	enum eval_principal_level level;
	/* dependencies[first_dependency ...] of the result are this statement's. */
	size_t first_dependency;
	size_t dependency_count;
};

struct eval_result {
	enum eval_decision decision;
	/* Bit (1u << d) for each decision d the unknowns leave possible. */
	unsigned possible;
	enum tri same_account;
	const char *caller_account;   /* NULL for callers without an account */
	const char *resource_account; /* NULL when unknown */
	/* The resource is a KMS key or a role, whose policy must allow even in one account. */
	bool resource_policy_required;
	/* Statements whose match is YES or MAYBE, identity policies first. */
	struct eval_statement *statements;
	size_t statement_count;
	struct eval_dependency *dependencies;
	size_t dependency_count;
	/* Why: one sentence naming the deciding statements, or what the decision depends on. */
	const char *reason;
};

/*
 * Evaluate `request` against `policies`.  Results are allocated from
 * `arena`.  With `trace`, appends an explanation: for each statement of
 * each policy whether it matched and why, the account rule that applies
 * and the decision.
 */
void eval_request_evaluate(const struct eval_request *request, const struct eval_policies *policies,
			   struct arena *arena, struct eval_result *out, struct buf *trace);

/*
 * Check what AWS would refuse in a policy before any request reaches it: a
 * wildcard inside a principal ARN.  Returns false with the reason appended
 * to `reason`.
 */
bool eval_policy_check(const struct policy *policy, struct buf *reason);

/* True when requests for `action` on `resource` need the resource policy's own Allow. */
bool eval_resource_policy_required(const char *action, const char *resource);

#endif
