/*
 * The policy model: Policy -> Statements -> Sid, Effect, Principal or
 * NotPrincipal, Action or NotAction, Resource or NotResource, Condition.
 *
 * Every value keeps the span of the text it came from, so a finding about
 * one action points at that action.  A value may be partly or wholly
 * unknown: strings carry holes (symbol.h) for unresolved Terraform values,
 * and a whole element that could not be resolved (`actions = var.actions`)
 * is marked `unknown` with the expression it came from.  Analyses must treat
 * unknowns as "could be anything" and never report what they cannot prove.
 *
 * The builder (policy_from_json) reads a JSON tree with its position index
 * and reports grammar problems as it goes: unknown or misspelt elements,
 * missing required ones, values of the wrong type, an invalid Version or
 * Effect.  It keeps building after a problem, so one mistake does not hide
 * the rest of the policy.
 *
 * Ownership: a policy and everything in it live in the arena given to the
 * builder; the json_doc it was built from must outlive it.
 */
#ifndef IAMCROSS_POLICY_H
#define IAMCROSS_POLICY_H

#include "iamcross/base.h"
#include "iamcross/diag.h"
#include "iamcross/json.h"
#include "iamcross/source.h"

/* Which side of an access decision a policy is. */
enum policy_kind {
	POLICY_IDENTITY, /* attached to a role or user: no Principal */
	POLICY_RESOURCE, /* bucket, key, queue, topic or secret policy */
	POLICY_TRUST,    /* a role's trust policy: the resource policy of sts:AssumeRole* */
};

enum effect {
	EFFECT_ALLOW,
	EFFECT_DENY,
	EFFECT_UNKNOWN, /* an unresolved expression: could be either */
	EFFECT_INVALID, /* missing or misspelt: never treated as Allow */
};

/*
 * Where an identity policy is kept.  IAM's size quota depends on it, and a
 * plain JSON file does not say; the AWS CLI's wrappers and Terraform
 * resource types do.
 */
enum identity_policy_type {
	IDENTITY_POLICY_UNKNOWN,
	IDENTITY_POLICY_MANAGED,      /* a customer managed policy */
	IDENTITY_POLICY_INLINE_ROLE,  /* embedded in a role */
	IDENTITY_POLICY_INLINE_USER,  /* embedded in a user */
	IDENTITY_POLICY_INLINE_GROUP, /* embedded in a group */
};

struct pvalue {
	const char *text; /* decoded; may contain holes */
	struct span span;
};

/* The values of Action, Resource, a principal type or a condition key. */
struct pvalue_list {
	struct pvalue *items;
	size_t count;
	bool present;       /* the element was written */
	bool unknown;       /* the whole list is an unresolved expression */
	const char *unknown_text;
	struct span key_span;   /* the element name, e.g. "Action" */
	struct span value_span; /* the whole value */
};

enum principal_type {
	PRINCIPAL_AWS,
	PRINCIPAL_SERVICE,
	PRINCIPAL_FEDERATED,
	PRINCIPAL_CANONICAL_USER,
	PRINCIPAL_TYPE_COUNT,
};

struct principal {
	bool present;
	bool negated;   /* NotPrincipal */
	bool wildcard;  /* "Principal": "*", which means every principal */
	bool unknown;   /* an unresolved expression */
	const char *unknown_text;
	struct pvalue_list by_type[PRINCIPAL_TYPE_COUNT];
	struct span key_span;
	struct span value_span;
};

enum condition_base {
	COND_STRING_EQUALS,
	COND_STRING_NOT_EQUALS,
	COND_STRING_EQUALS_IGNORE_CASE,
	COND_STRING_NOT_EQUALS_IGNORE_CASE,
	COND_STRING_LIKE,
	COND_STRING_NOT_LIKE,
	COND_NUMERIC_EQUALS,
	COND_NUMERIC_NOT_EQUALS,
	COND_NUMERIC_LESS_THAN,
	COND_NUMERIC_LESS_THAN_EQUALS,
	COND_NUMERIC_GREATER_THAN,
	COND_NUMERIC_GREATER_THAN_EQUALS,
	COND_DATE_EQUALS,
	COND_DATE_NOT_EQUALS,
	COND_DATE_LESS_THAN,
	COND_DATE_LESS_THAN_EQUALS,
	COND_DATE_GREATER_THAN,
	COND_DATE_GREATER_THAN_EQUALS,
	COND_BOOL,
	COND_BINARY_EQUALS,
	COND_IP_ADDRESS,
	COND_NOT_IP_ADDRESS,
	COND_ARN_EQUALS,
	COND_ARN_LIKE,
	COND_ARN_NOT_EQUALS,
	COND_ARN_NOT_LIKE,
	COND_NULL,
	COND_UNKNOWN_OPERATOR,
};

enum condition_set {
	COND_SET_NONE,
	COND_SET_FOR_ALL_VALUES,
	COND_SET_FOR_ANY_VALUE,
};

struct condition_operator {
	enum condition_base base;
	enum condition_set set;
	bool if_exists;
};

/* One operator-key pair of a Condition block, with its values. */
struct condition {
	struct pvalue operator_name; /* as written, e.g. "ForAnyValue:StringLike" */
	struct condition_operator op;
	struct pvalue key;
	struct pvalue_list values;
};

struct statement {
	size_t index; /* 0-based position in the Statement list */
	struct span span;
	bool has_sid;
	struct pvalue sid;
	enum effect effect;
	struct pvalue effect_value;
	struct principal principal;
	struct pvalue_list actions; /* Action, or NotAction when actions_negated */
	bool actions_negated;
	struct pvalue_list resources; /* Resource, or NotResource when resources_negated */
	bool resources_negated;
	struct condition *conditions;
	size_t condition_count;
	bool has_condition;
	bool condition_unknown; /* the Condition block is an unresolved expression */
	struct span condition_span;
};

struct policy {
	enum policy_kind kind;
	const char *name; /* for messages: a file name or a Terraform address */
	uint32_t source;
	struct span span;
	bool has_version;
	struct pvalue version;
	struct statement *statements;
	size_t statement_count;
	bool statements_unknown;
	struct span statement_key_span;
	/* Set when the policy comes from a known module's own code (see modules). */
	const char *module_source;
	/* The JSON tree the policy was built from; NULL when it had none. */
	const cJSON *json;
	enum identity_policy_type identity_type;
	/*
	 * For a trust policy, the ARN of the role it belongs to when the input
	 * names it (the AWS CLI's get-role output does); NULL otherwise.
	 */
	const char *role_arn;
};

/*
 * Limits on one policy document.  The largest policy AWS accepts is a KMS
 * key policy of 32 KiB.  That is room for about 700 statements of the
 * shortest form ({"Effect":"Allow","Action":"*","Resource":"*"} has 46
 * bytes), about 8,000 values ("*", has 4) and no string as long as the
 * whole policy.  A policy AWS accepts stays below all three limits, and
 * together they bound what checking one document costs.  A document past
 * one gets a limit-exceeded finding and is not analysed.
 */
#define POLICY_MAX_STATEMENTS 1000
#define POLICY_MAX_VALUES 10000
#define POLICY_MAX_STRING_LENGTH 32768

/*
 * Build a policy from `root` (a JSON object) in `doc`.  Grammar findings go
 * to `diags`.  Returns false when there is nothing to analyse: the root is
 * not an object, or the document is past one of the limits above.
 */
bool policy_from_json(struct policy *out, const struct json_doc *doc, const cJSON *root,
		      enum policy_kind kind, const char *name, struct arena *arena,
		      struct diag_store *diags);

/*
 * Find the policy inside the shapes the AWS CLI prints: {"Policy": "<policy
 * as a string>"} (s3api get-bucket-policy, kms get-key-policy, lambda),
 * {"Attributes": {"Policy": "..."}} (sqs and sns get-*-attributes),
 * {"ResourcePolicy": "..."} (secretsmanager), {"PolicyVersion": {"Document":
 * ...}} (iam get-policy-version), {"PolicyDocument": ...} (iam
 * get-role-policy) and {"Role": {"AssumeRolePolicyDocument": ...}} (iam
 * get-role).  Returns the wrapped value (an object, or a string holding the
 * policy) and sets `*is_trust` for the role shape; returns `root` itself when
 * it is not a wrapper.
 */
const cJSON *policy_unwrap_cli(const cJSON *root, bool *is_trust);

/*
 * Is `root` a role trust policy written without its wrapper?  True when it
 * has at least one statement, no statement names a Resource or NotResource,
 * and every action of every statement is one a trust policy grants:
 * sts:AssumeRole and its variants, sts:TagSession, sts:SetSourceIdentity
 * or sts:SetContext, in any case.  A resource policy always names its
 * resources, so this tells the two apart for a file given with -r.
 */
bool policy_json_is_trust(const cJSON *root);

bool condition_operator_parse(const char *name, struct condition_operator *op);
/* The operator's name without set operator or IfExists, e.g. "StringEquals"; NULL for COND_UNKNOWN_OPERATOR. */
const char *condition_base_name(enum condition_base base);
const char *effect_name(enum effect effect);
const char *principal_type_name(enum principal_type type);

#endif
