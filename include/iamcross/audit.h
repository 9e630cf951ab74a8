/*
 * The audit of a namespace: a map of what its workloads can reach, in
 * which accounts, and what is wrong with it.
 *
 * audit_add_namespace() reads one loaded Terraform root module (a
 * namespace's resources/ folder) whose findings have been computed and
 * builds, for each role and user it declares:
 *
 *   - who may assume it: the Kubernetes service account `namespace:name`
 *     of an IRSA trust, and every other principal of its trust policy,
 *     each with the conditions that guard it;
 *   - the identity policies attached to it and where each comes from.  A
 *     policy is written in the namespace, is a platform module's own, is
 *     published by another namespace through an SSM parameter, or is an ARN
 *     whose document is not in the input;
 *   - what those policies allow: per service and resource pattern, every
 *     catalog action the Allow statements name that applies to the
 *     resource, decided one request at a time by the evaluator (eval.h)
 *     on the role's identity policies alone, so Deny statements, NotAction
 *     and conditions count as AWS counts them;
 *   - every edge that leaves the deployment account, with the other
 *     account and whether the counterpart policy given in the input
 *     confirms it, denies it, or is missing;
 *   - the findings whose location, or one of whose related locations, lies
 *     in the role's declaration, trust policy or attached policies.
 *
 * Renderers turn the audit into text, Markdown with a Mermaid flowchart,
 * Graphviz DOT and JSON (docs/audit.md documents them).  Every list is
 * sorted, so the output does not depend on the order of the input.
 *
 * Ownership: an audit owns everything in it, in its own arena.  Strings are
 * copied and rendered for readers (holes become `${expression}`) while the
 * audit is built, so it outlives the contexts and configurations it was
 * built from.  Catalog pointers point into constant tables.
 */
#ifndef IAMCROSS_AUDIT_H
#define IAMCROSS_AUDIT_H

#include "iamcross/base.h"
#include "iamcross/catalog.h"
#include "iamcross/context.h"
#include "iamcross/terraform.h"

#include <stdio.h>

/* --- input ----------------------------------------------------------------------- */

/* A policy given with --counterpart: the resource or trust policy of a target in another account. */
struct audit_counterpart {
	const struct policy *policy;
	const char *file;    /* as given on the command line */
	/* The ARN it governs when the input names it (a get-role wrapper's role, a .tf resource), else NULL. */
	const char *governs;
};

/*
 * Run the checks of a namespace: everything scan runs (tf_analyze()),
 * plus irsa-trust-mismatch for each IRSA trust that names a service
 * account of another namespace than the root module's `namespace`
 * variable.  Findings go to ctx.
 */
void audit_analyze(struct context *ctx, struct tf_config *config, const struct policy_set *counterparts);

/* --- the model ------------------------------------------------------------------- */

/* The kind of principal a trust policy statement lets assume the role. */
enum audit_assumer_kind {
	AUDIT_ASSUMER_SERVICE_ACCOUNT, /* a Kubernetes service account through the cluster's OIDC provider */
	AUDIT_ASSUMER_AWS,             /* an IAM principal or an account */
	AUDIT_ASSUMER_SERVICE,         /* an AWS service such as ec2.amazonaws.com */
	AUDIT_ASSUMER_FEDERATED,       /* another identity provider, such as GitHub Actions */
	AUDIT_ASSUMER_ANYONE,          /* Principal "*" */
	AUDIT_ASSUMER_UNKNOWN,         /* an unresolved principal */
};

struct audit_assumer {
	enum audit_assumer_kind kind;
	/* "payments-prod:payments-api", an ARN, a service, a provider, "*" */
	const char *name;
	const char *action;          /* sts:AssumeRoleWithWebIdentity, sts:AssumeRole, ... */
	/* AWS principals: the 12-digit account, or NULL. */
	const char *account;
	const char *account_name;    /* from the configuration's known accounts, or NULL */
	bool other_account;          /* the account is not the deployment account */
	/* "StringEquals oidc.eks...:aud = sts.amazonaws.com", one a condition entry */
	const char **conditions;
	size_t condition_count;
};

/* Where an attached policy comes from. */
enum audit_origin {
	AUDIT_ORIGIN_INLINE,     /* written in the namespace */
	AUDIT_ORIGIN_MODULE,     /* a platform module's own policy */
	AUDIT_ORIGIN_SSM,        /* published by another namespace through an SSM parameter */
	AUDIT_ORIGIN_UNRESOLVED, /* an ARN whose document is not in the input */
};

struct audit_policy {
	enum audit_origin origin;
	/* The policy's address (aws_iam_policy.app), or the ARN or expression of an unresolved one. */
	const char *name;
	const char *arn;             /* NULL for an inline policy */
	const char *module_source;   /* AUDIT_ORIGIN_MODULE */
	const char *publisher;       /* AUDIT_ORIGIN_SSM: the folder of the namespace that writes it */
	const char *location;        /* file:line where it is written or attached */
};

/* How the role's identity policies decide requests for one action on one resource. */
enum audit_decision {
	AUDIT_ALLOWED,     /* allowed whatever the unknowns are */
	AUDIT_CONDITIONAL, /* allowed or denied depending on a condition or an unresolved value */
	AUDIT_DENIED,      /* an Allow names it but a Deny takes it away */
};

struct audit_action {
	const struct catalog_action *action;
	enum audit_decision decision;
};

/* What the state of a cross-account edge is. */
enum audit_edge_state {
	AUDIT_EDGE_CONFIRMED, /* the counterpart allows every request the role's policies allow */
	AUDIT_EDGE_PARTIAL,   /* it allows some of them and denies others */
	AUDIT_EDGE_DENIED,    /* it allows none of them */
	AUDIT_EDGE_UNDECIDED, /* the answer depends on values the input does not give */
	AUDIT_EDGE_MISSING,   /* no counterpart in the input governs the target */
	AUDIT_EDGE_STATE_COUNT,
};

/* A request on a resource in another account, and what its counterpart makes of it. */
struct audit_edge {
	const char *account;         /* the 12-digit account, or NULL for a bucket of unknown account */
	const char *account_name;    /* from the configuration's known accounts, or NULL */
	enum audit_edge_state state;
	const char *counterpart;     /* the file of the counterpart policy; NULL when missing */
	/* Counts of the actions by the cross-account decision. */
	size_t allowed;
	size_t denied;
	size_t undecided;
	/* Actions denied, or denied for part of the resource; at most AUDIT_LISTED_NAMES. */
	const char **denied_actions;
	size_t denied_action_count;
	const char *reason;          /* why the first denied action is denied; NULL when none is */
	const char **depends;        /* what undecided actions depend on */
	size_t depend_count;
	/* Principals the counterpart grants, when it grants the role nothing. */
	const char **grantees;
	size_t grantee_count;
};

/* What a role's policies allow on one resource pattern of one service. */
struct audit_grant {
	const char *resource;        /* the pattern as written, holes rendered */
	/* For a resource the namespace creates: "the queue of module.events"; else NULL. */
	const char *label;
	struct audit_action *actions; /* sorted by access level, then name */
	size_t action_count;
	size_t counts[CATALOG_ACCESS_LEVEL_COUNT]; /* allowed and conditional actions per level */
	const char **depends;        /* what the conditional actions depend on */
	size_t depend_count;
	/* Deny patterns that take away part of the resource, with the policy that holds each. */
	const char **except;
	size_t except_count;
	const char **sources;        /* addresses of the policies whose Allow statements name it */
	size_t source_count;
	struct audit_edge *edge;     /* set when the resource is in another account */
};

struct audit_service {
	const char *prefix;          /* "s3" */
	const char *name;            /* "Amazon S3" */
	struct audit_grant *grants;  /* sorted by resource */
	size_t grant_count;
};

struct audit_finding {
	const char *rule;
	const char *severity;        /* "error", "warning", "info" */
	const char *message;
	const char *file;            /* NULL for a finding without a location */
	uint32_t line;
	uint32_t column;
	const char *hint;            /* NULL when there is none */
};

struct audit_role {
	const char *address;         /* module.irsa, aws_iam_role.app */
	const char *arn;             /* holes rendered */
	const char *naming;          /* how a module makes up its name, or NULL */
	bool is_user;
	const char *location;        /* file:line of the declaration */
	bool trust_known;            /* false when the trust policy is not in the input */
	struct audit_assumer *assumers;
	size_t assumer_count;
	struct audit_policy *policies;
	size_t policy_count;
	struct audit_service *services;
	size_t service_count;
	/* What the map leaves out: Allow statements with unresolved actions, and the like. */
	const char **notes;
	size_t note_count;
	struct audit_finding *findings;
	size_t finding_count;
};

struct audit_namespace {
	const char *folder;
	const char *name;            /* the root module's `namespace` variable, or NULL */
	size_t file_count;
	struct audit_role *roles;    /* sorted by address */
	size_t role_count;
	/* Findings that concern no role: resource policies, files that failed to parse. */
	struct audit_finding *findings;
	size_t finding_count;
};

struct audit {
	struct arena arena;
	const char *account;         /* the deployment account, or NULL when unknown */
	const char *account_name;
	struct audit_namespace *namespaces;
	size_t namespace_count;
	size_t namespace_cap;
};

void audit_init(struct audit *audit, const char *account, const char *account_name);
void audit_release(struct audit *audit);

/*
 * Add the map of `config`, loaded and analysed in `ctx`, whose findings
 * have been sorted and had the configuration applied (suppressed findings
 * are left out).  `ctx->config` supplies the known accounts' names.
 */
void audit_add_namespace(struct audit *audit, struct context *ctx, const struct tf_config *config,
			 const struct audit_counterpart *counterparts, size_t counterpart_count);

/* --- output ---------------------------------------------------------------------- */

enum audit_format {
	AUDIT_TEXT,
	AUDIT_MARKDOWN,
	AUDIT_JSON,
	AUDIT_DOT,
};

bool audit_format_parse(const char *name, enum audit_format *format);

/*
 * How much a reader is shown before the rest is folded into "and N more".
 * Text and Markdown list at most AUDIT_LISTED_NAMES action names per
 * access level, AUDIT_LISTED_RESOURCES resources per service and
 * AUDIT_LISTED_SERVICES services per role; JSON lists
 * every resource and at most AUDIT_JSON_NAMES action names per level.
 * Diagrams draw at most AUDIT_DIAGRAM_RESOURCES resources per service and
 * account, the rest as one "more" node, and at most AUDIT_DIAGRAM_ROLES
 * roles.  The numbers keep a 50-role namespace's Mermaid text well under
 * the 50,000 characters GitHub's renderer accepts.
 */
#define AUDIT_LISTED_NAMES 8
#define AUDIT_LISTED_RESOURCES 12
#define AUDIT_LISTED_SERVICES 20
#define AUDIT_JSON_NAMES 256
#define AUDIT_DIAGRAM_RESOURCES 6
#define AUDIT_DIAGRAM_ROLES 30

/* Write the audit in `format`; `color` adds terminal colours to text. */
void audit_write(FILE *out, const struct audit *audit, enum audit_format format, bool color);

/* The state's name as the outputs spell it: "confirmed", "partial", ... */
const char *audit_edge_state_name(enum audit_edge_state state);
const char *audit_origin_name(enum audit_origin origin);
const char *audit_assumer_kind_name(enum audit_assumer_kind kind);

#endif
