/*
 * Who may assume a role, and who may reach a resource: irsa-trust-wildcard,
 * irsa-trust-mismatch, trust-without-condition and negated-condition-only.
 *
 * An IRSA trust statement lets pods of an EKS cluster assume the role with
 * the token of their Kubernetes service account: Principal Federated is the
 * cluster's OIDC provider, the action is sts:AssumeRoleWithWebIdentity, and
 * conditions on the token's claims `<issuer>:sub` (the service account, as
 * system:serviceaccount:<namespace>:<name>) and `<issuer>:aud` (the
 * audience, sts.amazonaws.com) select the pods.  A claim that is too broad
 * lets other pods in (irsa-trust-wildcard); a claim that is wrong, missing
 * or keyed on another issuer breaks the role or loosens it by mistake
 * (irsa-trust-mismatch).  A missing `sub` is a wildcard, because every
 * service account then passes; a service account written under `aud` is a
 * mismatch, because no token carries it there and nobody gets in.
 *
 * Values with holes are judged on their known parts only.  A condition key
 * whose claim is unknown could be `sub` or `aud`, so a statement with one is
 * never called incomplete.
 */
#include "lint_internal.h"

#include "iamcross/arn.h"
#include "iamcross/glob.h"
#include "iamcross/symbol.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SERVICE_ACCOUNT_PREFIX "system:serviceaccount:"
#define IRSA_AUDIENCE "sts.amazonaws.com"

/* How many conditions a negated-condition-only message lists before "and N more". */
enum { LISTED_CONDITIONS = 3 };

/* --- actions ------------------------------------------------------------- */

/* Could the statement's Action element name `action`?  Holes and patterns count. */
static bool statement_may_allow(const struct statement *st, const char *action)
{
	if (st->effect != EFFECT_ALLOW)
		return false;
	if (st->actions_negated || st->actions.unknown)
		return true;
	for (size_t i = 0; i < st->actions.count; i++) {
		struct glob *pattern = glob_compile(st->actions.items[i].text, GLOB_ACTION, false);
		enum tri matched = glob_match(pattern, action);

		glob_free(pattern);
		if (matched != TRI_NO)
			return true;
	}
	return false;
}

/* --- IRSA statements ----------------------------------------------------- */

/* The OIDC providers a statement's Federated principal names. */
struct providers {
	const char **names;     /* host and path of each known provider, e.g. oidc.eks.../id/ID */
	size_t count;
	bool unknown;           /* a value with a hole: the issuer could be anything */
	bool any_eks;           /* a provider of an EKS cluster */
	const struct pvalue **wildcards; /* values that name many providers */
	size_t wildcard_count;
};

static void providers_release(struct providers *p)
{
	free(p->names);
	free(p->wildcards);
}

/* Is `name` (a provider's host and path, or the start of a condition key) an EKS cluster's issuer? */
static bool is_eks_issuer(const char *name)
{
	return str_istarts_with(name, "oidc.eks.");
}

static void read_providers(struct context *ctx, const struct statement *st, struct providers *out)
{
	const struct pvalue_list *federated = &st->principal.by_type[PRINCIPAL_FEDERATED];

	memset(out, 0, sizeof(*out));
	out->names = xcalloc(federated->count + 1, sizeof(*out->names));
	out->wildcards = xcalloc(federated->count + 1, sizeof(*out->wildcards));
	out->unknown = federated->unknown;
	for (size_t i = 0; i < federated->count; i++) {
		const struct pvalue *value = &federated->items[i];
		struct arn_principal parsed;
		struct buf reason = BUF_INIT;
		bool ok = arn_principal_parse(value->text, &parsed, &reason);

		buf_release(&reason);
		if (strcmp(value->text, "*") == 0) {
			out->wildcards[out->wildcard_count++] = value;
			continue;
		}
		if (!ok || parsed.kind != ARN_PRINCIPAL_OIDC_PROVIDER) {
			if (text_has_hole(value->text))
				out->unknown = true;
			continue;
		}
		if (is_eks_issuer(parsed.name.data))
			out->any_eks = true;
		if (parsed.has_wildcard) {
			out->wildcards[out->wildcard_count++] = value;
			continue;
		}
		if (parsed.has_unknown || memchr(parsed.name.data, HOLE_START, parsed.name.length)) {
			out->unknown = true;
			continue;
		}
		out->names[out->count++] = arena_strndup(&ctx->arena, parsed.name.data, parsed.name.length);
	}
}

/* A condition key split into the issuer and the claim: "oidc.eks.../id/ID:sub". */
struct claim_key {
	const char *issuer;  /* arena copy; NULL when the key is not a provider's claim */
	const char *claim;   /* points into the key */
	bool issuer_unknown; /* the issuer part has a hole */
	bool claim_unknown;  /* the claim part has a hole */
};

/* Is `prefix` the host (and path) of an identity provider rather than a service prefix? */
static bool looks_like_issuer(const char *prefix)
{
	return strchr(prefix, '.') != NULL || strchr(prefix, '/') != NULL;
}

static void split_claim_key(struct context *ctx, const char *key, struct claim_key *out)
{
	const char *colon = strrchr(key, ':');

	memset(out, 0, sizeof(*out));
	if (!colon) {
		out->claim_unknown = text_has_hole(key);
		return;
	}
	out->claim = colon + 1;
	out->claim_unknown = text_has_hole(out->claim);
	out->issuer = arena_strndup(&ctx->arena, key, (size_t)(colon - key));
	out->issuer_unknown = text_has_hole(out->issuer);
	if (!out->issuer_unknown && !looks_like_issuer(out->issuer))
		out->issuer = NULL;
}

static bool issuer_is_provider(const struct providers *p, const char *issuer)
{
	if (p->unknown || p->wildcard_count > 0 || p->count == 0)
		return true;
	for (size_t i = 0; i < p->count; i++) {
		if (str_iequal(p->names[i], issuer))
			return true;
	}
	return false;
}

/* Is the statement one that IRSA pods use: web identity from an EKS cluster? */
static bool is_irsa_statement(const struct statement *st, const struct providers *providers)
{
	if (!st->principal.present || st->principal.negated ||
	    !statement_may_allow(st, "sts:AssumeRoleWithWebIdentity"))
		return false;
	if (providers->any_eks)
		return true;
	for (size_t i = 0; i < st->condition_count; i++) {
		const char *key = st->conditions[i].key.text;

		if (key && is_eks_issuer(key))
			return true;
	}
	return false;
}

/* Operators that are true for every value but the listed ones, and for a missing key. */
static bool is_negated_base(enum condition_base base)
{
	switch (base) {
	case COND_STRING_NOT_EQUALS:
	case COND_STRING_NOT_EQUALS_IGNORE_CASE:
	case COND_STRING_NOT_LIKE:
	case COND_NUMERIC_NOT_EQUALS:
	case COND_DATE_NOT_EQUALS:
	case COND_NOT_IP_ADDRESS:
	case COND_ARN_NOT_EQUALS:
	case COND_ARN_NOT_LIKE:
		return true;
	default:
		return false;
	}
}

/* Is a condition with `op` certainly false for a request without its key? */
static bool absent_key_fails(const struct condition_operator *op)
{
	if (op->base == COND_NULL || op->base == COND_UNKNOWN_OPERATOR)
		return false;
	if (op->set == COND_SET_FOR_ANY_VALUE)
		return true;
	return !op->if_exists && op->set != COND_SET_FOR_ALL_VALUES && !is_negated_base(op->base);
}

/* Operators that restrict the claim to what they list. */
static bool is_positive_string(const struct condition_operator *op)
{
	switch (op->base) {
	case COND_STRING_EQUALS:
	case COND_STRING_EQUALS_IGNORE_CASE:
	case COND_STRING_LIKE:
		return true;
	default:
		return false;
	}
}

/* The first `*` or `?` outside holes and the escapes ${*} and ${?}, or NULL. */
static const char *find_wildcard(const char *value)
{
	for (const char *p = value; *p; p++) {
		if (*p == HOLE_START) {
			const char *end = strchr(p, HOLE_END);

			if (!end)
				return NULL;
			p = end;
			continue;
		}
		if (p[0] == '$' && p[1] == '{' && (p[2] == '*' || p[2] == '?') && p[3] == '}') {
			p += 3;
			continue;
		}
		if (*p == '*' || *p == '?')
			return p;
	}
	return NULL;
}

/* The parts of a `sub` value: system:serviceaccount:<namespace>:<name>. */
struct sub_parts {
	bool prefixed;       /* starts with system:serviceaccount: */
	const char *ns;      /* after the prefix */
	size_t ns_length;
	const char *name;    /* after the namespace's colon; NULL when there is none */
};

static void split_sub(const char *value, struct sub_parts *out)
{
	const char *colon;

	memset(out, 0, sizeof(*out));
	if (!str_starts_with(value, SERVICE_ACCOUNT_PREFIX))
		return;
	out->prefixed = true;
	out->ns = value + strlen(SERVICE_ACCOUNT_PREFIX);
	colon = strchr(out->ns, ':');
	out->ns_length = colon ? (size_t)(colon - out->ns) : strlen(out->ns);
	out->name = colon ? colon + 1 : NULL;
}

static bool range_has_wildcard(const char *start, size_t length)
{
	for (size_t i = 0; i < length; i++) {
		if (start[i] == '*' || start[i] == '?')
			return true;
	}
	return false;
}

static void report_sub_wildcard(struct context *ctx, const struct condition *c, const struct pvalue *value)
{
	struct sub_parts parts;
	const char *rendered = context_render(ctx, value->text);
	bool ns_wild;
	struct finding *f;

	split_sub(value->text, &parts);
	ns_wild = !parts.prefixed || range_has_wildcard(parts.ns, parts.ns_length) || !parts.name;
	if (ns_wild)
		f = diag_add(&ctx->diags, RULE_IRSA_TRUST_WILDCARD, value->span,
			     "'%s' matches service accounts in more than one namespace, so pods of other namespaces can assume this role",
			     rendered);
	else
		f = diag_add(&ctx->diags, RULE_IRSA_TRUST_WILDCARD, value->span,
			     "'%s' matches more than one service account of namespace '%.*s', so other workloads there can assume this role",
			     rendered, (int)parts.ns_length, parts.ns);
	diag_add_related(f, c->key.span, "the service account is tested here");
	diag_set_hint(f, "name the one service account with StringEquals: \"system:serviceaccount:<namespace>:<name>\"");
}

/* Could the known parts of `value` be system:serviceaccount:<namespace>:<name>? */
static bool sub_has_form(const char *value)
{
	struct sub_parts parts;
	const char *hole = strchr(value, HOLE_START);

	if (hole) {
		size_t known = (size_t)(hole - value);

		return strncmp(value, SERVICE_ACCOUNT_PREFIX, known < strlen(SERVICE_ACCOUNT_PREFIX) ? known : strlen(SERVICE_ACCOUNT_PREFIX)) == 0;
	}
	split_sub(value, &parts);
	return parts.prefixed && parts.ns_length > 0 && parts.name && parts.name[0] != '\0' &&
	       !strchr(parts.name, ':');
}

static void report_sub_form(struct context *ctx, const struct pvalue *value)
{
	struct finding *f = diag_add(&ctx->diags, RULE_IRSA_TRUST_MISMATCH, value->span,
				     "'%s' is not a service account: EKS puts 'system:serviceaccount:<namespace>:<name>' in the token's sub claim, so no pod's token matches it",
				     context_render(ctx, value->text));

	diag_set_hint(f, "write the service account as \"system:serviceaccount:<namespace>:<name>\"");
}

/* Could `value`, compared with `op`, be the audience IRSA tokens carry? */
static bool audience_may_match(const struct condition_operator *op, const char *value)
{
	struct glob *pattern;
	enum tri matched;

	if (text_has_hole(value))
		return true;
	if (op->base == COND_STRING_EQUALS_IGNORE_CASE)
		return str_iequal(value, IRSA_AUDIENCE);
	if (op->base != COND_STRING_LIKE)
		return strcmp(value, IRSA_AUDIENCE) == 0;
	pattern = glob_compile(value, GLOB_STRING, true);
	matched = glob_match(pattern, IRSA_AUDIENCE);
	glob_free(pattern);
	return matched != TRI_NO;
}

/* What the conditions of one IRSA statement test of the token's claims. */
struct claims {
	const struct condition *sub;       /* the first positive condition on sub */
	const struct condition *aud;       /* the first positive condition on aud */
	const char *issuer;                /* as the keys spell it, for messages */
	bool claims_unknown;               /* a key whose claim could be sub or aud */
	bool misplaced;                    /* a service account written under aud */
	bool other_issuer;                 /* a positive condition on a key no token of the provider has */
	bool audience_ok;                  /* some aud value could be sts.amazonaws.com */
	const struct pvalue *bad_audience; /* the first aud value that cannot be */
};

static void check_sub(struct context *ctx, const struct condition *c)
{
	for (size_t v = 0; v < c->values.count; v++) {
		const struct pvalue *value = &c->values.items[v];

		if (c->op.base == COND_STRING_LIKE && find_wildcard(value->text))
			report_sub_wildcard(ctx, c, value);
		else if (!sub_has_form(value->text))
			report_sub_form(ctx, value);
	}
}

static void check_aud(struct context *ctx, const struct condition *c, struct claims *claims)
{
	for (size_t v = 0; v < c->values.count; v++) {
		const struct pvalue *value = &c->values.items[v];
		struct finding *f;

		if (str_starts_with(value->text, SERVICE_ACCOUNT_PREFIX)) {
			claims->misplaced = true;
			f = diag_add(&ctx->diags, RULE_IRSA_TRUST_MISMATCH, value->span,
				     "'%s' is a service account, but it is tested as '%s', the token's audience; EKS tokens carry '%s' there, so no pod can assume this role",
				     context_render(ctx, value->text), context_render(ctx, c->key.text), IRSA_AUDIENCE);
			diag_set_hint(f, "test the service account on '%s:sub', and '%s:aud' on \"%s\"",
				      context_render(ctx, claims->issuer), context_render(ctx, claims->issuer),
				      IRSA_AUDIENCE);
			continue;
		}
		if (audience_may_match(&c->op, value->text))
			claims->audience_ok = true;
		else if (!claims->bad_audience)
			claims->bad_audience = value;
	}
}

static void report_other_issuer(struct context *ctx, const struct condition *c, const struct claim_key *key,
				const struct providers *providers, const struct statement *st)
{
	struct finding *f = diag_add(&ctx->diags, RULE_IRSA_TRUST_MISMATCH, c->key.span,
				     "'%s' is a claim of issuer '%s', but the statement trusts the provider '%s'; tokens of that provider never carry this key, so the condition never holds",
				     context_render(ctx, c->key.text), context_render(ctx, key->issuer),
				     providers->names[0]);

	diag_add_related(f, st->principal.value_span, "the trusted provider is named here");
	diag_set_hint(f, "key the condition on '%s:%s'", providers->names[0], key->claim);
}

static void read_claims(struct context *ctx, const struct statement *st, const struct providers *providers,
			struct claims *out)
{
	memset(out, 0, sizeof(*out));
	out->issuer = providers->count ? providers->names[0] : NULL;
	for (size_t i = 0; i < st->condition_count; i++) {
		const struct condition *c = &st->conditions[i];
		struct claim_key key;

		if (!c->key.text || !c->operator_name.text || text_has_hole(c->operator_name.text)) {
			out->claims_unknown = true;
			continue;
		}
		split_claim_key(ctx, c->key.text, &key);
		if (key.claim_unknown) {
			out->claims_unknown = true;
			continue;
		}
		if (!key.issuer || (!str_iequal(key.claim, "sub") && !str_iequal(key.claim, "aud")))
			continue;
		if (!key.issuer_unknown && !issuer_is_provider(providers, key.issuer)) {
			report_other_issuer(ctx, c, &key, providers, st);
			out->other_issuer = out->other_issuer || absent_key_fails(&c->op);
			continue;
		}
		if (!out->issuer)
			out->issuer = key.issuer;
		if (!is_positive_string(&c->op) || c->op.set == COND_SET_FOR_ALL_VALUES)
			continue;
		if (str_iequal(key.claim, "sub")) {
			out->sub = out->sub ? out->sub : c;
			check_sub(ctx, c);
		} else {
			out->aud = out->aud ? out->aud : c;
			check_aud(ctx, c, out);
		}
	}
}

/*
 * Report what the statement lacks.  A statement that no token can meet (a
 * service account under aud, a wrong audience, a key of another issuer)
 * lets nobody in, so a missing sub or aud is not reported on it: that
 * finding is already there.
 */
static void report_missing_claims(struct context *ctx, const struct statement *st, const struct claims *claims)
{
	const char *issuer = claims->issuer ? context_render(ctx, claims->issuer) : "<issuer>";
	struct span where = st->principal.value_span;
	bool wrong_audience = claims->aud && !claims->audience_ok && !claims->misplaced && claims->bad_audience;
	struct finding *f;

	if (wrong_audience) {
		f = diag_add(&ctx->diags, RULE_IRSA_TRUST_MISMATCH, claims->bad_audience->span,
			     "'%s' is not the audience of EKS service account tokens, which is '%s', so no pod can assume this role",
			     context_render(ctx, claims->bad_audience->text), IRSA_AUDIENCE);
		diag_set_hint(f, "test '%s:aud' on \"%s\"", issuer, IRSA_AUDIENCE);
	}
	if (wrong_audience || claims->misplaced || claims->other_issuer)
		return;
	if (!claims->sub) {
		f = diag_add(&ctx->diags, RULE_IRSA_TRUST_WILDCARD, where,
			     "no condition restricts '%s:sub', so every service account in every namespace of the cluster can assume this role",
			     issuer);
		diag_set_hint(f, "add \"StringEquals\": {\"%s:sub\": \"system:serviceaccount:<namespace>:<name>\"}", issuer);
	}
	if (!claims->aud) {
		f = diag_add(&ctx->diags, RULE_IRSA_TRUST_MISMATCH, where,
			     "no condition tests '%s:aud', so tokens the cluster issues for any audience are accepted, not only those EKS requests for AWS",
			     issuer);
		diag_set_hint(f, "add \"StringEquals\": {\"%s:aud\": \"%s\"}", issuer, IRSA_AUDIENCE);
	}
}

static void report_provider_wildcards(struct context *ctx, const struct providers *providers)
{
	for (size_t i = 0; i < providers->wildcard_count; i++) {
		const struct pvalue *value = providers->wildcards[i];
		struct finding *f = diag_add(&ctx->diags, RULE_IRSA_TRUST_WILDCARD, value->span,
					     "'%s' names more than one identity provider, so pods of other clusters can assume this role",
					     context_render(ctx, value->text));

		diag_set_hint(f, "name the OIDC provider of the one cluster: arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>");
	}
}

static void check_irsa_statement(struct context *ctx, const struct statement *st)
{
	struct providers providers;
	struct claims claims;

	read_providers(ctx, st, &providers);
	if (!is_irsa_statement(st, &providers)) {
		providers_release(&providers);
		return;
	}
	report_provider_wildcards(ctx, &providers);
	if (!st->condition_unknown) {
		read_claims(ctx, st, &providers, &claims);
		if (!claims.claims_unknown)
			report_missing_claims(ctx, st, &claims);
	}
	providers_release(&providers);
}

/* --- the service account a module call or manifest expects ---------------- */

static bool sub_value_may_be(const struct condition *c, const char *value, const char *expected)
{
	enum glob_kind kind = c->op.base == COND_STRING_LIKE ? GLOB_STRING : GLOB_LITERAL;
	char *folded_value = NULL;
	char *folded_expected = NULL;
	struct glob *pattern;
	enum tri matched;

	if (c->op.base == COND_STRING_EQUALS_IGNORE_CASE) {
		folded_value = xstrdup(value);
		folded_expected = xstrdup(expected);
		for (char *p = folded_value; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		for (char *p = folded_expected; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		value = folded_value;
		expected = folded_expected;
	}
	pattern = glob_compile(value, kind, kind == GLOB_STRING);
	matched = glob_match(pattern, expected);
	glob_free(pattern);
	free(folded_value);
	free(folded_expected);
	return matched != TRI_NO;
}

static void expect_in_statement(struct context *ctx, const struct statement *st, const char *expected,
				struct span origin)
{
	struct providers providers;

	read_providers(ctx, st, &providers);
	if (!st->principal.present || st->principal.negated || st->condition_unknown ||
	    !statement_may_allow(st, "sts:AssumeRoleWithWebIdentity") ||
	    (!providers.count && !providers.unknown && !providers.any_eks)) {
		providers_release(&providers);
		return;
	}
	for (size_t i = 0; i < st->condition_count; i++) {
		const struct condition *c = &st->conditions[i];
		struct claim_key key;
		bool may = false;
		struct finding *f;

		split_claim_key(ctx, c->key.text, &key);
		if (!key.issuer || key.claim_unknown || !str_iequal(key.claim, "sub") ||
		    !is_positive_string(&c->op) || c->op.set == COND_SET_FOR_ALL_VALUES ||
		    (!key.issuer_unknown && !issuer_is_provider(&providers, key.issuer)))
			continue;
		for (size_t v = 0; v < c->values.count && !may; v++)
			may = sub_value_may_be(c, c->values.items[v].text, expected);
		if (may || c->values.unknown)
			continue;
		f = diag_add(&ctx->diags, RULE_IRSA_TRUST_MISMATCH, c->key.span,
			     "the trust policy lets only %s'%s' assume this role, but the workload runs as '%s'",
			     c->values.count > 1 ? "service accounts such as " : "",
			     context_render(ctx, c->values.count ? c->values.items[0].text : ""),
			     context_render(ctx, expected));
		if (span_is_set(origin))
			diag_add_related(f, origin, "the service account is given here");
		diag_set_hint(f, "test '%s' on \"%s\"", context_render(ctx, c->key.text), context_render(ctx, expected));
	}
	providers_release(&providers);
}

void lint_irsa_expect_service_account(struct context *ctx, const struct policy *trust, const char *namespace_name,
				      const char *service_account, struct span origin)
{
	char *expected;

	if (trust->kind != POLICY_TRUST)
		return;
	expected = xasprintf(SERVICE_ACCOUNT_PREFIX "%s:%s", namespace_name, service_account);
	for (size_t i = 0; i < trust->statement_count; i++)
		expect_in_statement(ctx, &trust->statements[i], expected, origin);
	free(expected);
}

/* --- trust-without-condition ---------------------------------------------- */

static const char *account_of(struct context *ctx, const char *text)
{
	struct arn_principal parsed;
	struct buf reason = BUF_INIT;
	bool ok = arn_principal_parse(text, &parsed, &reason);

	buf_release(&reason);
	if (!ok || parsed.account.length != ARN_ACCOUNT_ID_LENGTH ||
	    strspn(parsed.account.data, "0123456789") < ARN_ACCOUNT_ID_LENGTH)
		return NULL;
	return arena_strndup(&ctx->arena, parsed.account.data, parsed.account.length);
}

/*
 * The account the role belongs to: from its ARN in the input, from
 * --account, or from an identity provider the policy trusts, since IAM
 * only lets a trust policy name providers of its own account.
 */
static const char *own_account(struct context *ctx, const struct policy *policy)
{
	const char *account;

	if (policy->role_arn && (account = account_of(ctx, policy->role_arn)))
		return account;
	if (ctx->account)
		return ctx->account;
	for (size_t s = 0; s < policy->statement_count; s++) {
		const struct pvalue_list *federated = &policy->statements[s].principal.by_type[PRINCIPAL_FEDERATED];

		for (size_t i = 0; i < federated->count; i++) {
			if ((account = account_of(ctx, federated->items[i].text)))
				return account;
		}
	}
	return NULL;
}

static bool names_account_principal(enum arn_principal_kind kind)
{
	switch (kind) {
	case ARN_PRINCIPAL_ACCOUNT:
	case ARN_PRINCIPAL_ROOT:
	case ARN_PRINCIPAL_ROLE:
	case ARN_PRINCIPAL_USER:
	case ARN_PRINCIPAL_ASSUMED_ROLE:
	case ARN_PRINCIPAL_FEDERATED_USER:
		return true;
	default:
		return false;
	}
}

static void report_unconditioned_trust(struct context *ctx, const struct pvalue *value, const char *account,
				       enum arn_principal_kind kind, const char *own)
{
	const char *rendered = context_render(ctx, value->text);
	struct finding *f;

	if (kind == ARN_PRINCIPAL_ACCOUNT || kind == ARN_PRINCIPAL_ROOT)
		f = diag_add(&ctx->diags, RULE_TRUST_WITHOUT_CONDITION, value->span,
			     "'%s' lets every principal of account %s that its own policies allow sts:AssumeRole assume this role, with no condition",
			     rendered, account);
	else
		f = diag_add(&ctx->diags, RULE_TRUST_WITHOUT_CONDITION, value->span,
			     "'%s' of account %s may assume this role with no condition",
			     rendered, account);
	if (own)
		diag_set_hint(f, "add a condition: sts:ExternalId for a third party, or aws:PrincipalArn or aws:PrincipalOrgID for your own accounts");
	else
		diag_set_hint(f, "add a condition such as sts:ExternalId, aws:PrincipalArn or aws:PrincipalOrgID; if %s is this role's own account, give --account %s",
			      account, account);
}

static void check_trust_conditions(struct context *ctx, const struct statement *st, const char *own)
{
	const struct pvalue_list *aws = &st->principal.by_type[PRINCIPAL_AWS];

	if (st->effect != EFFECT_ALLOW || st->has_condition || !st->principal.present || st->principal.negated)
		return;
	for (size_t i = 0; i < aws->count; i++) {
		const struct pvalue *value = &aws->items[i];
		struct arn_principal parsed;
		struct buf reason = BUF_INIT;
		bool ok = arn_principal_parse(value->text, &parsed, &reason);
		const char *account;

		buf_release(&reason);
		if (!ok || !names_account_principal(parsed.kind) || parsed.has_wildcard)
			continue;
		account = account_of(ctx, value->text);
		if (!account || (own && strcmp(account, own) == 0))
			continue;
		report_unconditioned_trust(ctx, value, account, parsed.kind, own);
	}
}

/* --- negated-condition-only ------------------------------------------------ */

enum absent_result {
	ABSENT_FAILS,   /* a request without the key does not meet the condition */
	ABSENT_PASSES,  /* it does */
	ABSENT_UNKNOWN, /* the condition cannot be judged */
};

/*
 * Does a request that lacks the key meet the condition?  Negated operators
 * and IfExists forms are true without the key, ForAllValues is true for an
 * empty set of values, and Null with "true" requires the key to be absent.
 * ForAnyValue is false for an empty set, whatever its operator.
 */
static enum absent_result absent_key_passes(const struct condition *c)
{
	if (!c->operator_name.text || text_has_hole(c->operator_name.text) || !c->key.text ||
	    c->op.base == COND_UNKNOWN_OPERATOR)
		return ABSENT_UNKNOWN;
	if (c->op.base == COND_NULL) {
		for (size_t v = 0; v < c->values.count; v++) {
			if (text_has_hole(c->values.items[v].text))
				return ABSENT_UNKNOWN;
			if (!str_iequal(c->values.items[v].text, "true"))
				return ABSENT_FAILS;
		}
		return c->values.count > 0 ? ABSENT_PASSES : ABSENT_UNKNOWN;
	}
	if (c->op.set == COND_SET_FOR_ANY_VALUE)
		return ABSENT_FAILS;
	return absent_key_fails(&c->op) ? ABSENT_FAILS : ABSENT_PASSES;
}

static void check_negated_only(struct context *ctx, const struct policy *policy, const struct statement *st)
{
	struct buf list = BUF_INIT;
	struct finding *f;

	if (policy->kind == POLICY_IDENTITY || st->effect != EFFECT_ALLOW || !st->principal.present ||
	    st->principal.negated || !st->principal.wildcard || !st->has_condition || st->condition_unknown ||
	    st->condition_count == 0)
		return;
	for (size_t i = 0; i < st->condition_count; i++) {
		if (absent_key_passes(&st->conditions[i]) != ABSENT_PASSES)
			return;
	}
	for (size_t i = 0; i < st->condition_count && i < LISTED_CONDITIONS; i++)
		buf_printf(&list, "%s'%s' on '%s'", i ? ", " : "", st->conditions[i].operator_name.text,
			   context_render(ctx, st->conditions[i].key.text));
	if (st->condition_count > LISTED_CONDITIONS)
		buf_printf(&list, " and %zu more", st->condition_count - LISTED_CONDITIONS);
	f = diag_add(&ctx->diags, RULE_NEGATED_CONDITION_ONLY, st->principal.value_span,
		     "this statement allows any principal, and each of its conditions (%s) is met by a request that does not carry the key, so anyone who calls directly without it is allowed",
		     buf_str(&list));
	diag_add_related(f, st->condition_span, "the conditions are here");
	diag_set_hint(f, "add a condition every request must meet, such as ArnEquals on aws:SourceArn or StringEquals on aws:SourceAccount, or name the principal");
	buf_release(&list);
}

void lint_check_trust(struct context *ctx, const struct policy *policy)
{
	const char *own = policy->kind == POLICY_TRUST ? own_account(ctx, policy) : NULL;

	for (size_t i = 0; i < policy->statement_count; i++) {
		const struct statement *st = &policy->statements[i];

		check_negated_only(ctx, policy, st);
		if (policy->kind != POLICY_TRUST)
			continue;
		check_irsa_statement(ctx, st);
		check_trust_conditions(ctx, st, own);
	}
}
