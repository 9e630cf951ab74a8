/*
 * The cross-account pair check.
 *
 * Across accounts a request succeeds only when the caller's identity
 * policies allow it and the target's resource policy allows it for that
 * caller, with no explicit Deny in either.  This file asks, for every
 * request the identity side allows on the resources the resource policy
 * governs, whether the resource side grants it too, and for every grant of
 * the resource side whether the identity side can ever use it.
 *
 * Requests are compared exactly.  Action patterns are expanded against the
 * action catalog, so `s3:Get*` is the set of real actions it names; each
 * action is only considered on resources its resource types can match (the
 * catalog's ARN formats), so `s3:ListBucket` is never asked of objects.
 * Resources are compared with glob_subset() over the resource patterns of
 * the statements that grant the action, which decides containment of
 * wildcard patterns by construction.
 *
 * What it deliberately does not do: conditions of the identity side are not
 * used to narrow the requests to check (requiring the resource side to cover
 * a superset can only add findings, never hide one); a grant whose
 * principal, actions or resources depend on an unknown value is reported as
 * depending on it, never as granted.
 */
#include "pair_internal.h"
#include "iamcross/arn.h"
#include "iamcross/catalog.h"
#include "iamcross/eval.h"
#include "iamcross/glob.h"
#include "iamcross/symbol.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How many action names one finding lists before it says "and N more". */
enum { LISTED_ACTIONS = 6 };

/* The actions a statement's Action or NotAction element stands for. */
struct statement_actions {
	struct action_set set;  /* catalog actions named, before negation */
	bool negated;
	bool unknown;           /* an unresolved expression: could be any action */
	struct glob **others;   /* values that name no catalog action */
	size_t other_count;
};

struct resource_statement {
	const struct statement *st;
	enum tri applies;       /* does the statement apply to the caller? */
	bool near_miss;         /* names a role the caller's module never names; taken as meant for it */
	struct statement_actions actions;
	struct glob **resources;
	size_t resource_count;
	/* Can the caller's requests meet the Condition block?  YES without one. */
	enum tri condition_met;
	struct eval_dependencies condition_deps; /* what a MAYBE depends on */
};

struct pair {
	struct context *ctx;
	const struct pair_input *in;
	struct arn_principal caller;
	bool caller_parsed;
	char *caller_role;      /* the role ARN of an assumed-role caller */
	struct glob *caller_pattern;      /* the caller's ARN; unknowns as unknowns */
	struct glob *caller_role_pattern; /* the same for caller_role */
	const char *noun;       /* "bucket policy", "key policy", ... */
	/* Service prefixes the resource policy governs, lower case. */
	char **services;
	size_t service_count;
	size_t service_cap;
	struct glob **scope;    /* resource patterns the resource policy governs */
	size_t scope_count;
	size_t scope_cap;
	bool scope_everything;
	bool same_account;      /* identity alone decides, as in one account */
	struct resource_statement *statements;
	size_t statement_count;
	bool any_grant;         /* some Allow statement may apply to the caller */
	bool any_relevant;      /* some identity request falls under the policy */
	bool resource_mismatch_reported;
	struct glob *everything; /* "*" */
	/*
	 * The resource of statements without Resource: the role of a trust
	 * policy read from get-role output, else "*" (any role the caller's
	 * policy names).
	 */
	struct glob *subject;
	struct action_set used;  /* actions the caller's policy allows on what the policy governs */
	/* The condition keys of the caller's requests, for the resource statements' conditions. */
	struct eval_context eval_context;
};

static const char *render(struct pair *pair, const char *text)
{
	return context_render(pair->ctx, text);
}

static void free_globs(struct glob **globs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		glob_free(globs[i]);
	free(globs);
}

/* --- principals ------------------------------------------------------- */

static bool slice_is(struct arn_slice slice, struct arn_slice other)
{
	return slice.length == other.length && memcmp(slice.data, other.data, slice.length) == 0;
}

static char *role_of_session(const struct arn_principal *session)
{
	return xasprintf("arn:%.*s:iam::%.*s:role/%.*s", (int)session->arn.partition.length,
			 session->arn.partition.data, (int)session->account.length, session->account.data,
			 (int)session->name.length, session->name.data);
}

/*
 * Does one AWS principal value of a policy name the caller?  A role ARN
 * names the role and its sessions; an account ID or root ARN names every
 * principal of the account, whose own policies then decide, and sets
 * `*whole_account`.  Unknown parts on either side (a generated role name,
 * an account given by a variable) make the result MAYBE unless the known
 * parts already differ.
 */
static enum tri principal_value_matches(const struct pair *pair, const char *value, bool *whole_account)
{
	struct arn_principal named;
	struct buf reason = BUF_INIT;
	bool parsed;
	enum tri same;

	*whole_account = false;
	if (strcmp(value, "*") == 0 || strcmp(value, pair->in->principal) == 0)
		return TRI_YES;
	if (pair->caller_role && strcmp(value, pair->caller_role) == 0)
		return TRI_YES;
	parsed = arn_principal_parse(value, &named, &reason);
	buf_release(&reason);
	if (parsed && pair->caller_parsed &&
	    (named.kind == ARN_PRINCIPAL_ACCOUNT || named.kind == ARN_PRINCIPAL_ROOT)) {
		struct glob *caller = glob_compile(
			arena_strndup(&pair->ctx->arena, pair->caller.account.data, pair->caller.account.length),
			GLOB_LITERAL, false);
		char *account = xstrndup(named.account.data, named.account.length);

		*whole_account = true;
		same = glob_match(caller, account);
		glob_free(caller);
		free(account);
		return same;
	}
	same = glob_match(pair->caller_pattern, value);
	if (same == TRI_NO && pair->caller_role_pattern)
		same = glob_match(pair->caller_role_pattern, value);
	return same;
}

/*
 * Does a Deny's NotPrincipal leave the caller out?  AWS documents that it
 * may check the account of a principal before the principal itself.  So,
 * as in the evaluator's not_principal(), only a NotPrincipal that names
 * both the caller (or its role) and the caller's account leaves it out.
 * The root user is its account, so naming the account suffices for it.
 */
static enum tri deny_excludes(const struct pair *pair, enum tri self, enum tri account)
{
	if (pair->caller_parsed && pair->caller.kind == ARN_PRINCIPAL_ROOT)
		return tri_or(self, account);
	/* An account that cannot be read from the caller's ARN may or may not be named. */
	if (!pair->caller_parsed)
		account = tri_or(account, TRI_MAYBE);
	return tri_and(self, account);
}

/*
 * Does the statement's Principal or NotPrincipal take in the caller?  An
 * Allow's NotPrincipal, which AWS does not support, is read the safe way
 * round: naming the caller or its account leaves the caller out.
 */
static enum tri statement_applies(const struct pair *pair, const struct statement *st)
{
	const struct principal *pr = &st->principal;
	const struct pvalue_list *aws = &pr->by_type[PRINCIPAL_AWS];
	enum tri self = TRI_NO;
	enum tri account = TRI_NO;
	bool everyone = pr->wildcard;

	if (!pr->present)
		return TRI_NO;
	if (pr->unknown)
		return TRI_MAYBE;
	for (size_t i = 0; i < aws->count; i++) {
		bool whole_account;
		enum tri t = principal_value_matches(pair, aws->items[i].text, &whole_account);

		everyone = everyone || strcmp(aws->items[i].text, "*") == 0;
		if (whole_account)
			account = tri_or(account, t);
		else
			self = tri_or(self, t);
	}
	if (aws->unknown)
		self = tri_or(self, TRI_MAYBE);
	if (everyone)
		self = TRI_YES;
	if (!pr->negated)
		return tri_or(self, account);
	if (everyone)
		return TRI_NO;
	if (st->effect == EFFECT_DENY)
		return tri_not(deny_excludes(pair, self, account));
	return tri_not(tri_or(self, account));
}

/* A role of the caller's account with another name, or an account one digit off. */
static bool is_near_miss(const struct pair *pair, const char *value)
{
	struct arn_principal named;
	struct buf reason = BUF_INIT;
	bool parsed = arn_principal_parse(value, &named, &reason);

	buf_release(&reason);
	if (!parsed || !pair->caller_parsed || named.has_unknown || named.has_wildcard)
		return false;
	if (slice_is(named.account, pair->caller.account))
		return named.kind == ARN_PRINCIPAL_ROLE &&
		       (pair->caller.kind == ARN_PRINCIPAL_ROLE ||
			pair->caller.kind == ARN_PRINCIPAL_ASSUMED_ROLE);
	if (named.account.length != 12 || pair->caller.account.length != 12)
		return false;
	{
		char a[13];
		char b[13];

		memcpy(a, named.account.data, 12);
		memcpy(b, pair->caller.account.data, 12);
		a[12] = b[12] = '\0';
		return str_edit_distance(a, b, 1, false) == 1;
	}
}

/*
 * Could `value` be a role meant for a caller whose name a module generates?
 * It is a role ARN written out in full that the caller's name can never
 * match, in the caller's account, an account that is not known, or an
 * account ID that is not valid.
 */
static bool is_generated_near_miss(const struct pair *pair, const char *value)
{
	struct arn named;
	struct buf reason = BUF_INIT;
	bool parsed = arn_parse(value, &named, &reason);
	bool account_fits;

	buf_release(&reason);
	/* Only the shape counts: a role ARN with an invalid account ID is still meant as a role. */
	if (!parsed || !pair->in->principal_naming || !pair->caller_parsed || !pair->caller.has_unknown ||
	    pair->caller.kind != ARN_PRINCIPAL_ROLE || text_has_hole(value) || strpbrk(value, "*?") ||
	    !arn_slice_equal(named.service, "iam") || named.resource.length <= 5 ||
	    memcmp(named.resource.data, "role/", 5) != 0)
		return false;
	account_fits = memchr(pair->caller.account.data, HOLE_START, pair->caller.account.length) ||
		       slice_is(named.account, pair->caller.account) ||
		       named.account.length != ARN_ACCOUNT_ID_LENGTH ||
		       strspn(named.account.data, "0123456789") < ARN_ACCOUNT_ID_LENGTH;
	return account_fits && glob_match(pair->caller_pattern, value) == TRI_NO;
}

/*
 * When nothing in the policy is granted to a caller with a generated name,
 * treat the statements that grant a role it cannot have as meant for it,
 * after reporting each such role.
 */
static void adopt_near_misses(struct pair *pair)
{
	if (pair->any_grant || !pair->in->principal_naming)
		return;
	for (size_t s = 0; s < pair->statement_count; s++) {
		struct resource_statement *rs = &pair->statements[s];
		const struct pvalue_list *aws = &rs->st->principal.by_type[PRINCIPAL_AWS];

		if (rs->st->effect != EFFECT_ALLOW || rs->st->principal.negated || rs->applies != TRI_NO)
			continue;
		for (size_t i = 0; i < aws->count && !rs->near_miss; i++) {
			if (!is_generated_near_miss(pair, aws->items[i].text))
				continue;
			rs->near_miss = true;
			rs->applies = TRI_YES;
			pair->any_grant = true;
		}
	}
}

static void report_near_misses(struct pair *pair)
{
	for (size_t s = 0; s < pair->statement_count; s++) {
		const struct resource_statement *rs = &pair->statements[s];
		const struct pvalue_list *aws = &rs->st->principal.by_type[PRINCIPAL_AWS];

		for (size_t i = 0; rs->near_miss && i < aws->count; i++) {
			struct finding *f;

			if (!is_generated_near_miss(pair, aws->items[i].text))
				continue;
			f = diag_add(&pair->ctx->diags, RULE_PRINCIPAL_MISMATCH, aws->items[i].span,
				     "the %s grants '%s', a role name the caller never has: %s, so the grant does not reach the caller '%s'",
				     pair->noun, render(pair, aws->items[i].text), pair->in->principal_naming,
				     render(pair, pair->in->principal));
			if (span_is_set(pair->in->principal_span))
				diag_add_related(f, pair->in->principal_span, "the caller is the role created here");
			diag_set_hint(f, "grant the exact ARN of the role the module creates, which its outputs give after it is applied; the rest of this check assumes the grant is meant for that role");
		}
	}
}

/* --- what the resource policy governs ----------------------------------- */

static void service_add(struct pair *pair, const char *prefix, size_t length)
{
	char *name;

	if (length == 0 || memchr(prefix, '*', length) || memchr(prefix, '?', length) ||
	    memchr(prefix, HOLE_START, length))
		return;
	for (size_t i = 0; i < pair->service_count; i++) {
		if (strlen(pair->services[i]) == length && strncasecmp(pair->services[i], prefix, length) == 0)
			return;
	}
	name = xstrndup(prefix, length);
	for (char *p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	pair->services = xgrow(pair->services, &pair->service_cap, pair->service_count + 1,
			       sizeof(*pair->services));
	pair->services[pair->service_count++] = name;
}

static bool governs_service(const struct pair *pair, const struct catalog_action *action)
{
	const char *prefix = catalog_service_prefix(catalog_action_service(action));

	if (pair->service_count == 0)
		return true;
	for (size_t i = 0; i < pair->service_count; i++) {
		if (strcmp(pair->services[i], prefix) == 0)
			return true;
	}
	return false;
}

static void scope_add(struct pair *pair, const char *pattern)
{
	pair->scope = xgrow(pair->scope, &pair->scope_cap, pair->scope_count + 1, sizeof(*pair->scope));
	pair->scope[pair->scope_count++] = glob_compile(pattern, GLOB_ARN, true);
}

/*
 * A bucket policy governs its bucket and every object in it, whichever of
 * the two its statements name; other policies govern what they name.
 */
static void scope_add_resource(struct pair *pair, const char *text)
{
	struct buf reason = BUF_INIT;
	struct arn arn;

	if (strcmp(text, "*") == 0) {
		pair->scope_everything = true;
		return;
	}
	if (arn_parse(text, &arn, &reason)) {
		service_add(pair, arn.service.data, arn.service.length);
		if (arn_slice_equal(arn.service, "s3") && arn.account.length == 0) {
			size_t bucket = strcspn(arn.resource.data, "/");
			size_t prefix = (size_t)(arn.resource.data - text) + bucket;
			char *name = xstrndup(text, prefix);
			char *objects = xasprintf("%s/*", name);

			scope_add(pair, name);
			scope_add(pair, objects);
			free(name);
			free(objects);
			buf_release(&reason);
			return;
		}
	}
	buf_release(&reason);
	scope_add(pair, text);
}

static const char *policy_noun(const struct pair *pair)
{
	static const struct {
		const char *service;
		const char *noun;
	} nouns[] = {
		{"s3", "bucket policy"},
		{"kms", "key policy"},
		{"sqs", "queue policy"},
		{"sns", "topic policy"},
		{"secretsmanager", "secret's resource policy"},
	};

	if (pair->in->resource->kind == POLICY_TRUST)
		return "trust policy";
	if (pair->service_count == 1) {
		for (size_t i = 0; i < IX_COUNT(nouns); i++) {
			if (strcmp(nouns[i].service, pair->services[0]) == 0)
				return nouns[i].noun;
		}
	}
	return "resource policy";
}

/* The one 12-digit account the resource policy's ARNs name, or NULL. */
static const char *resource_account(struct pair *pair)
{
	const struct policy *r = pair->in->resource;
	const char *found = NULL;
	size_t length = 0;

	if (pair->in->resource_account)
		return pair->in->resource_account;
	for (size_t s = 0; s < r->statement_count; s++) {
		const struct pvalue_list *list = &r->statements[s].resources;

		for (size_t i = 0; i < list->count; i++) {
			struct buf reason = BUF_INIT;
			struct arn arn;
			bool ok = arn_parse(list->items[i].text, &arn, &reason);

			buf_release(&reason);
			if (!ok || arn.account.length != 12 ||
			    strspn(arn.account.data, "0123456789") < 12)
				continue;
			if (found && (length != 12 || memcmp(found, arn.account.data, 12) != 0))
				return NULL;
			found = arn.account.data;
			length = 12;
		}
	}
	return found ? arena_strndup(&pair->ctx->arena, found, 12) : NULL;
}

static void read_actions(const struct statement *st, struct statement_actions *out)
{
	memset(out, 0, sizeof(*out));
	out->negated = st->actions_negated;
	out->unknown = st->actions.unknown;
	out->others = xmalloc((st->actions.count + 1) * sizeof(*out->others));
	for (size_t i = 0; i < st->actions.count; i++) {
		const char *text = st->actions.items[i].text;

		if (action_set_add_pattern(&out->set, text) == 0 || text_has_hole(text))
			out->others[out->other_count++] = glob_compile(text, GLOB_ACTION, false);
	}
}

static void release_actions(struct statement_actions *actions)
{
	free_globs(actions->others, actions->other_count);
}

/* Does the statement name the catalog action? */
static enum tri actions_include(const struct statement_actions *actions,
				const struct catalog_action *action)
{
	enum tri named = action_set_contains(&actions->set, action) ? TRI_YES : TRI_NO;

	for (size_t i = 0; i < actions->other_count && named == TRI_NO; i++) {
		if (glob_match(actions->others[i], catalog_action_name(action)) != TRI_NO)
			named = TRI_MAYBE;
	}
	if (actions->unknown && named == TRI_NO)
		named = TRI_MAYBE;
	if (!actions->negated)
		return named;
	return named == TRI_YES ? TRI_NO : named == TRI_NO ? TRI_YES : TRI_MAYBE;
}

static void read_resource_statements(struct pair *pair)
{
	const struct policy *r = pair->in->resource;

	pair->statements = xcalloc(r->statement_count + 1, sizeof(*pair->statements));
	pair->statement_count = r->statement_count;
	/*
	 * Not scope_add_resource(), which would add the iam service: a trust
	 * policy governs sts: requests on the role, not iam: ones.
	 */
	if (r->role_arn)
		scope_add(pair, r->role_arn);
	for (size_t s = 0; s < r->statement_count; s++) {
		struct resource_statement *rs = &pair->statements[s];
		const struct statement *st = &r->statements[s];

		rs->st = st;
		rs->applies = statement_applies(pair, st);
		read_actions(st, &rs->actions);
		rs->resources = xmalloc((st->resources.count + 1) * sizeof(*rs->resources));
		for (size_t i = 0; i < st->resources.count; i++)
			rs->resources[rs->resource_count++] =
				glob_compile(st->resources.items[i].text, GLOB_ARN, true);

		if ((!st->resources.present && !r->role_arn) || st->resources_negated)
			pair->scope_everything = true;
		for (size_t i = 0; i < st->resources.count; i++)
			scope_add_resource(pair, st->resources.items[i].text);
		for (size_t i = 0; i < st->actions.count; i++) {
			const char *text = st->actions.items[i].text;
			const char *colon = strchr(text, ':');

			if (colon)
				service_add(pair, text, (size_t)(colon - text));
		}
		if (st->effect == EFFECT_ALLOW && rs->applies != TRI_NO)
			pair->any_grant = true;
	}
	if (pair->scope_count == 0)
		pair->scope_everything = true;
}

/* How much of a request's target a NotResource element takes in. */
enum coverage {
	COVERS_NONE,
	COVERS_PART,
	COVERS_ALL,
	COVERS_UNKNOWN,
};

/*
 * Measure what of `target` the NotResource element of `rs` takes in: all
 * of it when no excluded pattern meets it, none when the excluded patterns
 * contain it, part when both are false.
 */
static enum coverage not_resource_coverage(const struct resource_statement *rs, const struct glob *target)
{
	enum tri meets = TRI_NO;
	enum tri contained;

	if (rs->st->resources.unknown)
		return COVERS_UNKNOWN;
	for (size_t i = 0; i < rs->resource_count && meets != TRI_YES; i++) {
		enum tri t = glob_intersects(target, rs->resources[i], NULL);

		if (t != TRI_NO)
			meets = t;
	}
	if (meets == TRI_NO)
		return COVERS_ALL;
	contained = glob_subset(target, (const struct glob *const *)rs->resources, rs->resource_count, NULL);
	if (contained == TRI_YES)
		return COVERS_NONE;
	if (meets == TRI_YES && contained == TRI_NO)
		return COVERS_PART;
	return COVERS_UNKNOWN;
}

/* Does the statement's resource element take in any of `target`? */
static enum tri resources_touch(const struct resource_statement *rs, const struct glob *pair_subject,
			       const struct glob *target)
{
	enum tri result = TRI_NO;

	if (!rs->st->resources.present)
		return glob_intersects(target, pair_subject, NULL);
	if (rs->st->resources_negated) {
		switch (not_resource_coverage(rs, target)) {
		case COVERS_NONE:
			return TRI_NO;
		case COVERS_UNKNOWN:
			return TRI_MAYBE;
		default:
			return TRI_YES;
		}
	}
	if (rs->st->resources.unknown)
		return TRI_MAYBE;
	for (size_t i = 0; i < rs->resource_count && result != TRI_YES; i++) {
		enum tri t = glob_intersects(target, rs->resources[i], NULL);

		if (t != TRI_NO)
			result = t;
	}
	return result;
}

/* --- which actions apply to which resources ------------------------------- */

/*
 * Can `action` be requested on a resource `target` matches?  Actions with
 * no resource types take "*" only and are not governed by a resource policy.
 */
static bool action_applies_to(const struct catalog_action *action, const struct glob *target)
{
	size_t types = catalog_action_resource_count(action);

	for (size_t i = 0; i < types; i++) {
		const struct catalog_resource_type *type = catalog_action_resource_type(action, i);

		for (size_t f = 0; f < catalog_resource_type_arn_count(type); f++) {
			if (arn_format_may_match(catalog_resource_type_arn(type, f), glob_text(target)))
				return true;
		}
	}
	return false;
}

/* --- the check of the identity side's requests ---------------------------- */

enum outcome {
	OUTCOME_GRANTED,
	OUTCOME_CONDITIONAL,
	OUTCOME_UNRESOLVED,
	OUTCOME_PARTIAL,
	OUTCOME_NOT_GRANTED,
	OUTCOME_COUNT,
};

struct action_list {
	const struct catalog_action **items;
	size_t count;
	size_t cap;
};

static void action_list_push(struct action_list *list, const struct catalog_action *action)
{
	list->items = xgrow(list->items, &list->cap, list->count + 1, sizeof(*list->items));
	list->items[list->count++] = action;
}

static void action_list_describe(struct buf *b, const struct action_list *list)
{
	for (size_t i = 0; i < list->count && i < LISTED_ACTIONS; i++)
		buf_printf(b, "%s'%s'", i ? ", " : "", catalog_action_name(list->items[i]));
	if (list->count > LISTED_ACTIONS)
		buf_printf(b, " and %zu more", list->count - LISTED_ACTIONS);
}

/* One identity request group: an action value on a target resource. */
struct request {
	const struct statement *statement;
	const struct pvalue *action;   /* as written: a name or a pattern */
	const struct pvalue *resource; /* as written */
	const struct glob *target;     /* the part of `resource` the policy governs */
	struct action_list by_outcome[OUTCOME_COUNT];
	char *witness;                 /* a denied resource, for OUTCOME_PARTIAL */
	const struct resource_statement **conditional; /* grants that apply under conditions */
	size_t conditional_count;
	size_t conditional_cap;
	/* Grants whose conditions the caller's requests can never meet. */
	const struct resource_statement **unmet;
	size_t unmet_count;
	size_t unmet_cap;
	struct deny_hit *denies;       /* Deny statements that hit the group, in policy order */
	size_t deny_count;
	size_t deny_cap;
};

/* The actions one Deny statement blocks, or may block, for a request group. */
struct deny_hit {
	const struct resource_statement *rs;
	struct action_list actions;
	bool certain;
};

static void request_release(struct request *req)
{
	for (size_t i = 0; i < req->deny_count; i++)
		free(req->denies[i].actions.items);
	free(req->denies);
	for (size_t i = 0; i < OUTCOME_COUNT; i++)
		free(req->by_outcome[i].items);
	free(req->witness);
	free(req->conditional);
	free(req->unmet);
}

static void note_statement(const struct resource_statement ***list, size_t *count, size_t *cap,
			   const struct resource_statement *rs)
{
	for (size_t i = 0; i < *count; i++) {
		if ((*list)[i] == rs)
			return;
	}
	*list = xgrow(*list, cap, *count + 1, sizeof(**list));
	(*list)[(*count)++] = rs;
}

static void note_conditional(struct request *req, const struct resource_statement *rs)
{
	note_statement(&req->conditional, &req->conditional_count, &req->conditional_cap, rs);
}

/* Is condition `c` one that the caller's requests may or may not meet? */
static bool condition_undecided(const struct resource_statement *rs, const struct condition *c)
{
	for (size_t i = 0; i < rs->condition_deps.count; i++) {
		if (rs->condition_deps.items[i].condition == c)
			return true;
	}
	return false;
}

/*
 * Describe the conditions of `rs` that the caller's requests may or may not
 * meet; those met or failed for certain are left out.  When no single
 * condition is to blame (a policy variable without a value), all are named.
 */
static void describe_conditions(struct buf *b, struct pair *pair, const struct resource_statement *rs)
{
	const struct statement *st = rs->st;
	bool any = false;
	size_t listed = 0;

	for (size_t i = 0; i < st->condition_count; i++)
		any = any || condition_undecided(rs, &st->conditions[i]);
	for (size_t i = 0; i < st->condition_count; i++) {
		const struct condition *c = &st->conditions[i];

		if (any && !condition_undecided(rs, c))
			continue;
		buf_printf(b, "%s%s %s ", listed++ ? " and " : "", render(pair, c->key.text),
			   c->operator_name.text);
		for (size_t v = 0; v < c->values.count; v++)
			buf_printf(b, "%s'%s'", v ? " or " : "", render(pair, c->values.items[v].text));
	}
}

/* The key of the first condition that is not settled, for a finding to point at. */
static struct span undecided_condition_span(const struct resource_statement *rs)
{
	const struct statement *st = rs->st;

	for (size_t i = 0; i < st->condition_count; i++) {
		if (condition_undecided(rs, &st->conditions[i]))
			return st->conditions[i].key.span;
	}
	return st->condition_count ? st->conditions[0].key.span : st->condition_span;
}

/*
 * Report each Deny of the resource policy that hits the action on the
 * target; returns true when one certainly blocks it.
 */
static void note_deny(struct request *req, const struct resource_statement *rs,
		      const struct catalog_action *action, bool certain)
{
	struct deny_hit *hit = NULL;

	for (size_t i = 0; i < req->deny_count && !hit; i++) {
		if (req->denies[i].rs == rs && req->denies[i].certain == certain)
			hit = &req->denies[i];
	}
	if (!hit) {
		req->denies = xgrow(req->denies, &req->deny_cap, req->deny_count + 1, sizeof(*req->denies));
		hit = &req->denies[req->deny_count++];
		memset(hit, 0, sizeof(*hit));
		hit->rs = rs;
		hit->certain = certain;
	}
	action_list_push(&hit->actions, action);
}

/*
 * Note each Deny of the resource policy that hits the action on the
 * target; returns true when one certainly blocks it.
 */
static bool check_denies(struct pair *pair, struct request *req, const struct catalog_action *action)
{
	bool blocked = false;

	for (size_t s = 0; s < pair->statement_count; s++) {
		const struct resource_statement *rs = &pair->statements[s];
		enum tri named;
		enum tri touches;
		bool certain;

		if (rs->st->effect != EFFECT_DENY || rs->applies == TRI_NO || rs->condition_met == TRI_NO)
			continue;
		named = actions_include(&rs->actions, action);
		if (named == TRI_NO)
			continue;
		touches = resources_touch(rs, pair->subject, req->target);
		if (touches == TRI_NO)
			continue;

		certain = rs->applies == TRI_YES && named == TRI_YES && touches == TRI_YES &&
			  rs->condition_met == TRI_YES;
		note_deny(req, rs, action, certain);
		blocked = blocked || certain;
	}
	return blocked;
}

static void report_denies(struct pair *pair, const struct request *req)
{
	for (size_t i = 0; i < req->deny_count; i++) {
		const struct deny_hit *hit = &req->denies[i];
		const struct resource_statement *rs = hit->rs;
		struct buf names = BUF_INIT;
		struct buf sid = BUF_INIT;
		struct finding *f;

		action_list_describe(&names, &hit->actions);
		if (rs->st->has_sid && rs->st->sid.text)
			buf_printf(&sid, " ('%s')", rs->st->sid.text);
		f = diag_add(&pair->ctx->diags, RULE_EXPLICIT_DENY,
			     span_is_set(rs->st->effect_value.span) ? rs->st->effect_value.span : rs->st->span,
			     "this Deny%s %s %s on '%s' for '%s', which the role's policy allows",
			     buf_str(&sid), hit->certain ? "blocks" : "may block", buf_str(&names),
			     render(pair, req->resource->text), render(pair, pair->in->principal));
		if (!hit->certain)
			f->severity = SEVERITY_WARNING;
		diag_add_related(f, req->action->span, "the role's policy allows it here");
		if (rs->condition_met == TRI_MAYBE) {
			struct buf conditions = BUF_INIT;

			describe_conditions(&conditions, pair, rs);
			diag_set_hint(f, "the Deny applies when %s; make sure the workload's requests do not meet it",
				      buf_str(&conditions));
			buf_release(&conditions);
		} else {
			diag_set_hint(f, "narrow the Deny, or stop relying on the denied access");
		}
		buf_release(&names);
		buf_release(&sid);
	}
}

/* Resource patterns of the Allow statements that grant `action` to the caller. */
struct grant_union {
	const struct glob **patterns;
	size_t count;
	size_t cap;
	/* NotResource grants that take in part of the target. */
	const struct resource_statement **parts;
	size_t part_count;
	size_t part_cap;
	bool unresolved;
};

static void grant_union_release(struct grant_union *u)
{
	free(u->patterns);
	free(u->parts);
}

static void grant_union_add(struct grant_union *u, const struct glob *g)
{
	u->patterns = xgrow(u->patterns, &u->cap, u->count + 1, sizeof(*u->patterns));
	u->patterns[u->count++] = g;
}

static void collect_grants(struct pair *pair, struct request *req, const struct catalog_action *action,
			   bool with_conditional, struct grant_union *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t s = 0; s < pair->statement_count; s++) {
		const struct resource_statement *rs = &pair->statements[s];
		enum coverage coverage = COVERS_ALL;
		enum tri named;

		if (rs->st->effect != EFFECT_ALLOW || rs->applies == TRI_NO)
			continue;
		named = actions_include(&rs->actions, action);
		if (named == TRI_NO)
			continue;
		if (rs->st->resources_negated)
			coverage = not_resource_coverage(rs, req->target);
		if (coverage == COVERS_NONE)
			continue;
		if (rs->applies == TRI_MAYBE || named == TRI_MAYBE || rs->st->resources.unknown ||
		    rs->st->condition_unknown || coverage == COVERS_UNKNOWN) {
			out->unresolved = true;
			continue;
		}
		if (rs->condition_met == TRI_NO) {
			/* The caller's requests can never meet the condition. */
			note_statement(&req->unmet, &req->unmet_count, &req->unmet_cap, rs);
			continue;
		}
		if (rs->condition_met == TRI_MAYBE) {
			if (!with_conditional)
				continue;
			note_conditional(req, rs);
		}
		if (!rs->st->resources.present) {
			/* A trust policy's statements are about the role they are attached to. */
			grant_union_add(out, pair->subject);
			continue;
		}
		if (coverage == COVERS_PART) {
			note_statement(&out->parts, &out->part_count, &out->part_cap, rs);
			continue;
		}
		if (rs->st->resources_negated) {
			grant_union_add(out, pair->everything);
			continue;
		}
		for (size_t i = 0; i < rs->resource_count; i++)
			grant_union_add(out, rs->resources[i]);
	}
}

/*
 * Is the target covered once the NotResource grants that take in part of
 * it are added?  One such grant covers the rest when every pattern it
 * excludes lies inside the other grants.  That test is sufficient, not
 * necessary, so a NO here may still be a grant (see find_denied).
 */
static enum tri cover_with_parts(const struct glob *target, const struct grant_union *u)
{
	enum tri covered = glob_subset(target, u->patterns, u->count, NULL);

	for (size_t p = 0; p < u->part_count && covered != TRI_YES; p++) {
		const struct resource_statement *rs = u->parts[p];
		bool inside = true;

		for (size_t i = 0; i < rs->resource_count && inside; i++) {
			const struct glob *excluded = rs->resources[i];

			inside = glob_subset(excluded, u->patterns, u->count, NULL) == TRI_YES;
		}
		if (inside)
			covered = TRI_YES;
	}
	return covered;
}

/* Is `resource` certainly left out by every grant of `u`? */
static bool denied_by_all(const struct grant_union *u, const char *resource)
{
	for (size_t i = 0; i < u->count; i++) {
		if (glob_match(u->patterns[i], resource) != TRI_NO)
			return false;
	}
	for (size_t p = 0; p < u->part_count; p++) {
		const struct resource_statement *rs = u->parts[p];
		bool excluded = false;

		for (size_t i = 0; i < rs->resource_count && !excluded; i++)
			excluded = glob_match(rs->resources[i], resource) == TRI_YES;
		if (!excluded)
			return false;
	}
	return true;
}

/*
 * Find a resource of the target that no grant of `u` takes in, trying the
 * shortest resource each NotResource grant excludes from the target.
 * Returns a malloc'ed ARN, or NULL when none of those is denied for sure.
 */
static char *find_denied(const struct glob *target, const struct grant_union *u)
{
	for (size_t p = 0; p < u->part_count; p++) {
		const struct resource_statement *rs = u->parts[p];

		for (size_t i = 0; i < rs->resource_count; i++) {
			char *candidate = NULL;

			if (glob_intersects(target, rs->resources[i], &candidate) != TRI_YES || !candidate)
				continue;
			if (denied_by_all(u, candidate))
				return candidate;
			free(candidate);
		}
	}
	return NULL;
}

static enum outcome decide(struct pair *pair, struct request *req, const struct catalog_action *action)
{
	struct grant_union u;
	enum tri covered;
	char *witness = NULL;
	bool touched = false;

	collect_grants(pair, req, action, false, &u);
	covered = cover_with_parts(req->target, &u);
	grant_union_release(&u);
	if (covered == TRI_YES)
		return OUTCOME_GRANTED;

	collect_grants(pair, req, action, true, &u);
	covered = cover_with_parts(req->target, &u);
	if (covered == TRI_NO && u.part_count == 0)
		glob_subset(req->target, u.patterns, u.count, &witness);
	else if (covered == TRI_NO && !u.unresolved)
		witness = find_denied(req->target, &u);
	touched = u.part_count > 0;
	for (size_t i = 0; i < u.count && !touched; i++)
		touched = glob_intersects(req->target, u.patterns[i], NULL) != TRI_NO;
	grant_union_release(&u);

	if (covered == TRI_YES) {
		free(witness);
		return OUTCOME_CONDITIONAL;
	}
	/*
	 * NOTE: with a NotResource grant that takes in part of the target, a
	 * request no resource of which is found denied for sure is reported as
	 * unresolved, though another grant may cover the rest exactly.
	 */
	if (covered == TRI_MAYBE || u.unresolved || (u.part_count > 0 && !witness)) {
		free(witness);
		return OUTCOME_UNRESOLVED;
	}
	if (touched) {
		if (!req->witness)
			req->witness = witness;
		else
			free(witness);
		return OUTCOME_PARTIAL;
	}
	free(witness);
	return OUTCOME_NOT_GRANTED;
}


static const char *actions_phrase(struct buf *b, const struct request *req, enum outcome outcome)
{
	buf_reset(b);
	action_list_describe(b, &req->by_outcome[outcome]);
	return buf_str(b);
}

/* How many unknowns a message names before it stops. */
enum { LISTED_UNKNOWNS = 3 };

static void note_unknowns(const struct pair *pair, const char *text, uint32_t *ids, size_t *count)
{
	for (const char *p = text ? strchr(text, HOLE_START) : NULL; p; p = strchr(p + 1, HOLE_START)) {
		uint32_t id;
		size_t length;
		bool seen = false;

		if (!hole_parse(p, &id, &length))
			continue;
		for (size_t i = 0; i < *count; i++)
			seen = seen || ids[i] == id;
		if (!seen && *count < LISTED_UNKNOWNS && symbol_get(&pair->ctx->symbols, id))
			ids[(*count)++] = id;
	}
}

/*
 * Name the unknowns an unresolved grant hangs on: those of the caller's ARN
 * and of the principals and resources of the grants that may apply.
 */
static void describe_unknowns(const struct pair *pair, struct buf *out)
{
	uint32_t ids[LISTED_UNKNOWNS];
	size_t count = 0;

	for (size_t s = 0; s < pair->statement_count; s++) {
		const struct resource_statement *rs = &pair->statements[s];
		const struct pvalue_list *aws = &rs->st->principal.by_type[PRINCIPAL_AWS];

		if (rs->st->effect != EFFECT_ALLOW || rs->applies == TRI_NO)
			continue;
		for (size_t i = 0; rs->applies == TRI_MAYBE && i < aws->count; i++) {
			struct arn_principal named;
			struct buf reason = BUF_INIT;
			bool whole_account = arn_principal_parse(aws->items[i].text, &named, &reason) &&
					     (named.kind == ARN_PRINCIPAL_ACCOUNT || named.kind == ARN_PRINCIPAL_ROOT);

			buf_release(&reason);
			/* A grant to an account hangs on the caller's account only. */
			if (whole_account && pair->caller_parsed) {
				char *account = xstrndup(pair->caller.account.data, pair->caller.account.length);

				note_unknowns(pair, account, ids, &count);
				free(account);
			} else {
				note_unknowns(pair, pair->in->principal, ids, &count);
			}
			note_unknowns(pair, aws->items[i].text, ids, &count);
		}
		for (size_t i = 0; i < rs->st->resources.count; i++)
			note_unknowns(pair, rs->st->resources.items[i].text, ids, &count);
	}
	if (count == 0)
		note_unknowns(pair, pair->in->principal, ids, &count);
	for (size_t i = 0; i < count; i++) {
		const struct symbol *sym = symbol_get(&pair->ctx->symbols, ids[i]);

		buf_printf(out, "%s${%s}", i ? ", " : "", sym->expression);
		if (sym->description)
			buf_printf(out, " (%s)", sym->description);
	}
}

/* Describe the conditions of `rs` that the caller's requests can never meet. */
static void describe_unmet_conditions(struct buf *b, struct pair *pair,
				      const struct resource_statement *rs)
{
	const struct statement *st = rs->st;
	size_t listed = 0;

	for (size_t i = 0; i < st->condition_count; i++) {
		const struct condition *c = &st->conditions[i];
		struct statement one = *st;

		one.conditions = (struct condition *)c;
		one.condition_count = 1;
		if (eval_conditions(pair->in->resource, &one, &pair->eval_context, NULL, NULL) != TRI_NO)
			continue;
		buf_printf(b, "%s%s %s ", listed++ ? " and " : "", render(pair, c->key.text),
			   c->operator_name.text);
		for (size_t v = 0; v < c->values.count; v++)
			buf_printf(b, "%s'%s'", v ? " or " : "", render(pair, c->values.items[v].text));
	}
}

/* A grant exists, but only under conditions the caller's requests never meet. */
static void report_unmet(struct pair *pair, struct request *req, const char *actions,
			 const char *resource, const char *principal)
{
	struct buf conditions = BUF_INIT;
	struct finding *f;

	describe_unmet_conditions(&conditions, pair, req->unmet[0]);
	f = diag_add(&pair->ctx->diags, RULE_ACTION_NOT_GRANTED, req->action->span,
		     "the %s grants %s on '%s' to '%s' only when %s, which the role's requests never meet; those requests will be denied",
		     pair->noun, actions, resource, principal, buf_str(&conditions));
	for (size_t i = 0; i < req->unmet_count; i++) {
		const struct statement *st = req->unmet[i]->st;

		diag_add_related(f, st->condition_count ? st->conditions[0].key.span : st->condition_span,
				 "the condition the role's requests cannot meet");
	}
	diag_set_hint(f, "a workload's role calls through an AWS SDK over HTTPS and never signs in with MFA; change the condition to one its requests meet");
	buf_release(&conditions);
}

/* The suggest command that writes the missing grant, for hints. */
static const char *suggest_command(struct pair *pair)
{
	const struct policy *identity = pair->in->identity_count ? pair->in->identity[0] : NULL;
	const char *file = NULL;

	/* The file, not the policy's name: in Terraform that is an address such as aws_iam_policy.writer. */
	if (identity && identity->source)
		file = source_get(&pair->ctx->sources, identity->source)->path;
	else if (identity)
		file = identity->name;
	if (!file || text_has_hole(pair->in->principal))
		return "'iamcross suggest'";
	return arena_printf(&pair->ctx->arena, "'iamcross suggest -i %s -p %s'", file,
			    pair->in->principal);
}

/*
 * What a client does to meet a condition on a well-known key, for hints:
 * the key, the action to take with "%s" for the value.
 */
static const struct {
	const char *key;
	const char *advice;
} condition_advice[] = {
	{"sts:ExternalId", "pass ExternalId '%s' when assuming the role (the ExternalId parameter of AssumeRole)"},
	{"s3:x-amz-acl", "send the header 'x-amz-acl: %s' with each upload (ACL='%s' in the SDK)"},
	{"s3:x-amz-server-side-encryption", "send the header 'x-amz-server-side-encryption: %s' with each upload"},
	{"s3:x-amz-server-side-encryption-aws-kms-key-id", "upload with SSE-KMS and the key '%s'"},
	{"aws:SourceVpce", "send the requests through the VPC endpoint '%s'"},
	{"aws:SourceVpc", "send the requests from the VPC '%s' through a VPC endpoint"},
	{"aws:SourceIp", "send the requests from the address range '%s'"},
	{"aws:PrincipalOrgID", "the role's account must belong to the organization '%s'"},
};

/* A hint for the first condition of `rs` whose key has a known remedy. */
static void set_condition_hint(struct pair *pair, struct finding *f, const struct resource_statement *rs)
{
	for (size_t i = 0; i < rs->st->condition_count; i++) {
		const struct condition *c = &rs->st->conditions[i];

		if (c->values.count != 1 || c->op.base == COND_STRING_NOT_EQUALS ||
		    c->op.base == COND_STRING_NOT_LIKE || c->op.base == COND_NOT_IP_ADDRESS)
			continue;
		for (size_t k = 0; k < IX_COUNT(condition_advice); k++) {
			const char *value = render(pair, c->values.items[0].text);
			char *advice;

			if (!str_iequal(c->key.text, condition_advice[k].key))
				continue;
			advice = xasprintf(condition_advice[k].advice, value, value);
			diag_set_hint(f, "%s", advice);
			free(advice);
			return;
		}
	}
	diag_set_hint(f, "make sure the workload's requests meet the condition");
}

/*
 * An unconditional Allow of `action` to the caller whose Resource (not
 * NotResource) covers other resources: when a request is not granted
 * although such a statement exists, its Resource is what is wrong.
 */
static const struct resource_statement *grant_on_other_resources(struct pair *pair,
								 const struct catalog_action *action)
{
	for (size_t s = 0; s < pair->statement_count; s++) {
		const struct resource_statement *rs = &pair->statements[s];

		if (rs->st->effect == EFFECT_ALLOW && rs->applies == TRI_YES && rs->condition_met == TRI_YES &&
		    rs->st->resources.present && !rs->st->resources_negated && !rs->actions.negated &&
		    action_set_contains(&rs->actions.set, action))
			return rs;
	}
	return NULL;
}

static void report_request(struct pair *pair, struct request *req)
{
	report_denies(pair, req);
	struct buf names = BUF_INIT;
	struct finding *f;
	const char *principal = render(pair, pair->in->principal);
	const char *resource = render(pair, req->resource->text);
	bool excluding = false; /* the grant the finding points at has NotResource */
	const struct resource_statement *elsewhere;

	if (req->by_outcome[OUTCOME_NOT_GRANTED].count > 0 && req->unmet_count > 0) {
		report_unmet(pair, req, actions_phrase(&names, req, OUTCOME_NOT_GRANTED), resource, principal);
	} else if (req->by_outcome[OUTCOME_NOT_GRANTED].count > 0) {
		f = diag_add(&pair->ctx->diags, RULE_ACTION_NOT_GRANTED, req->action->span,
			     "the %s does not grant %s on '%s' to '%s', which the role's policy allows; those requests will be denied",
			     pair->noun, actions_phrase(&names, req, OUTCOME_NOT_GRANTED), resource, principal);
		elsewhere = grant_on_other_resources(pair, req->by_outcome[OUTCOME_NOT_GRANTED].items[0]);
		for (size_t s = 0; s < pair->statement_count && !elsewhere; s++) {
			const struct resource_statement *rs = &pair->statements[s];

			if (rs->st->effect != EFFECT_ALLOW || rs->applies != TRI_YES)
				continue;
			excluding = rs->st->resources_negated;
			if (excluding)
				diag_add_related(f, rs->st->resources.key_span,
						 "the %s's grant to the role leaves out these resources", pair->noun);
			else
				diag_add_related(f, rs->st->actions.key_span,
						 "the %s's grant to the role lists these actions", pair->noun);
			break;
		}
		if (elsewhere) {
			diag_add_related(f, elsewhere->st->resources.key_span,
					 "the %s grants '%s' to the role here, but on other resources", pair->noun,
					 catalog_action_name(req->by_outcome[OUTCOME_NOT_GRANTED].items[0]));
			diag_set_hint(f, "make this statement's Resource cover '%s' (ARNs are compared case-sensitively), or correct the role's Resource",
				      resource);
		} else if (excluding)
			diag_set_hint(f, "take '%s' out of the grant's NotResource, or grant %s on it in a statement with a Resource element (%s writes it)",
				      resource, buf_str(&names), suggest_command(pair));
		else
			diag_set_hint(f, "add %s to the %s's statement for the role (%s writes it), or remove %s from the role's policy if the workload does not need %s",
				      buf_str(&names), pair->noun, suggest_command(pair),
				      req->by_outcome[OUTCOME_NOT_GRANTED].count == 1 ? "it" : "them",
				      req->by_outcome[OUTCOME_NOT_GRANTED].count == 1 ? "it" : "them");
	}
	if (req->by_outcome[OUTCOME_PARTIAL].count > 0) {
		f = diag_add(&pair->ctx->diags, RULE_PARTIALLY_GRANTED, req->resource->span,
			     "the %s grants %s to '%s' on part of '%s' only; a request for '%s' is denied",
			     pair->noun, actions_phrase(&names, req, OUTCOME_PARTIAL), principal, resource,
			     render(pair, req->witness ? req->witness : "?"));
		for (size_t s = 0; s < pair->statement_count; s++) {
			const struct resource_statement *rs = &pair->statements[s];

			if (rs->st->effect != EFFECT_ALLOW || rs->applies != TRI_YES || !rs->st->resources.present)
				continue;
			diag_add_related(f, rs->st->resources.key_span,
					 rs->st->resources_negated ? "granted on every resource but these"
								   : "granted on these resources");
		}
		diag_set_hint(f, "narrow the role's policy to the granted resources, or widen the grant");
	}
	for (size_t i = 0; i < req->conditional_count && req->by_outcome[OUTCOME_CONDITIONAL].count; i++) {
		const struct resource_statement *rs = req->conditional[i];
		struct buf conditions = BUF_INIT;

		describe_conditions(&conditions, pair, rs);
		f = diag_add(&pair->ctx->diags, RULE_CONDITIONAL_GRANT, undecided_condition_span(rs),
			     "the %s grants %s on '%s' to '%s' only when %s; requests that do not meet it are denied",
			     pair->noun, actions_phrase(&names, req, OUTCOME_CONDITIONAL), resource, principal,
			     buf_str(&conditions));
		diag_add_related(f, req->action->span, "the role's policy allows it here");
		set_condition_hint(pair, f, rs);
		buf_release(&conditions);
	}
	if (req->by_outcome[OUTCOME_UNRESOLVED].count > 0) {
		struct buf depends = BUF_INIT;

		describe_unknowns(pair, &depends);
		f = diag_add(&pair->ctx->diags, RULE_CONDITIONAL_GRANT, req->action->span,
			     "whether the %s grants %s on '%s' to '%s' depends on %s",
			     pair->noun, actions_phrase(&names, req, OUTCOME_UNRESOLVED), resource, principal,
			     depends.len ? buf_str(&depends) : "values iamcross cannot resolve");
		diag_set_hint(f, "give the unresolved values with --var or --account, or check the deployed policies");
		buf_release(&depends);
	}
	buf_release(&names);
}

/* Is the request denied unconditionally by the caller's own policies? */
static bool identity_denies(const struct pair *pair, const struct catalog_action *action,
			    const struct glob *target)
{
	for (size_t p = 0; p < pair->in->identity_count; p++) {
		const struct policy *policy = pair->in->identity[p];

		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct statement *st = &policy->statements[s];
			struct statement_actions actions;
			enum tri named;
			enum tri covered = TRI_NO;

			if (st->effect != EFFECT_DENY || st->has_condition || st->resources_negated)
				continue;
			read_actions(st, &actions);
			named = actions_include(&actions, action);
			release_actions(&actions);
			if (named != TRI_YES)
				continue;
			for (size_t i = 0; i < st->resources.count && covered != TRI_YES; i++) {
				struct glob *g = glob_compile(st->resources.items[i].text, GLOB_ARN, true);
				const struct glob *one = g;

				covered = glob_subset(target, &one, 1, NULL);
				glob_free(g);
			}
			if (covered == TRI_YES)
				return true;
		}
	}
	return false;
}

static void check_request(struct pair *pair, struct request *req, const struct action_set *actions)
{
	for (const struct catalog_action *a = action_set_next(actions, 0); a;
	     a = action_set_next(actions, catalog_action_index(a) + 1)) {
		enum outcome outcome;

		if (!governs_service(pair, a) || !action_applies_to(a, req->target) ||
		    identity_denies(pair, a, req->target))
			continue;
		pair->any_relevant = true;
		action_set_add(&pair->used, a);
		if (!pair->any_grant || pair->same_account)
			continue;
		if (check_denies(pair, req, a))
			continue;
		outcome = decide(pair, req, a);
		action_list_push(&req->by_outcome[outcome], a);
	}
	if (pair->any_grant && !pair->same_account)
		report_request(pair, req);
}

/*
 * The parts of identity resource `r` that the resource policy governs: the
 * scope pattern where `r` is wider (a role allowed on "*" asks the bucket
 * about the bucket), `r` itself where it lies inside the scope.
 */
static size_t targets_in_scope(const struct pair *pair, const struct glob *r,
			       const struct glob **out)
{
	size_t n = 0;

	if (pair->scope_everything) {
		out[n++] = r;
		return n;
	}
	for (size_t i = 0; i < pair->scope_count; i++) {
		const struct glob *s = pair->scope[i];

		if (glob_subset(r, &s, 1, NULL) == TRI_YES) {
			out[0] = r;
			return 1;
		}
	}
	for (size_t i = 0; i < pair->scope_count; i++) {
		const struct glob *s = pair->scope[i];

		if (glob_subset(s, &r, 1, NULL) == TRI_YES)
			out[n++] = s;
		else if (glob_intersects(r, s, NULL) != TRI_NO)
			out[n++] = r;
	}
	return n;
}

static void expand_identity_actions(const struct statement *st, const struct pvalue *value,
				    struct action_set *out)
{
	action_set_clear(out);
	if (!st->actions_negated) {
		action_set_add_pattern(out, value->text);
		return;
	}
	/* NotAction: every action but the listed ones, judged once for the whole list. */
	for (size_t i = 0; i < st->actions.count; i++)
		action_set_add_pattern(out, st->actions.items[i].text);
	action_set_complement(out);
}

/* Does the identity statement's NotResource leave out all of `target`? */
static bool identity_excludes(const struct statement *st, const struct glob *target)
{
	struct glob **excluded;
	enum tri contained;

	if (!st->resources_negated || st->resources.unknown)
		return false;
	excluded = xmalloc((st->resources.count + 1) * sizeof(*excluded));
	for (size_t i = 0; i < st->resources.count; i++)
		excluded[i] = glob_compile(st->resources.items[i].text, GLOB_ARN, true);
	contained = glob_subset(target, (const struct glob *const *)excluded, st->resources.count, NULL);
	free_globs(excluded, st->resources.count);
	return contained == TRI_YES;
}

static void check_identity_statement(struct pair *pair, const struct statement *st)
{
	struct action_set *actions;
	size_t action_values;

	if (st->effect != EFFECT_ALLOW)
		return;
	actions = xmalloc(sizeof(*actions));
	action_values = st->actions_negated ? (st->actions.count ? 1 : 0) : st->actions.count;

	for (size_t a = 0; a < action_values; a++) {
		expand_identity_actions(st, &st->actions.items[a], actions);

		for (size_t r = 0; r < st->resources.count || (st->resources_negated && r == 0); r++) {
			/* NotResource: ask about everything the policy governs that it does not leave out. */
			const struct pvalue *resource = st->resources_negated
								? &st->resources.items[0]
								: &st->resources.items[r];
			struct glob *pattern = glob_compile(st->resources_negated ? "*" : resource->text,
							    GLOB_ARN, true);
			const struct glob **targets = xmalloc((pair->scope_count + 1) * sizeof(*targets));
			size_t n = targets_in_scope(pair, pattern, targets);

			for (size_t t = 0; t < n; t++) {
				struct request req;
				struct pvalue in_scope;

				if (identity_excludes(st, targets[t]))
					continue;
				memset(&req, 0, sizeof(req));
				req.statement = st;
				req.action = &st->actions.items[a];
				req.resource = resource;
				if (st->resources_negated) {
					/* Name the resources asked about, not the ones left out. */
					in_scope.text = glob_text(targets[t]);
					in_scope.span = resource->span;
					req.resource = &in_scope;
				}
				req.target = targets[t];
				check_request(pair, &req, actions);
				request_release(&req);
			}
			free(targets);
			glob_free(pattern);
			if (st->resources_negated || st->resources.count == 0)
				break;
		}
	}
	free(actions);
}

/* --- findings about the pair as a whole ---------------------------------- */

static bool identity_allows_anything(const struct pair *pair)
{
	for (size_t p = 0; p < pair->in->identity_count; p++) {
		const struct policy *policy = pair->in->identity[p];

		for (size_t s = 0; s < policy->statement_count; s++) {
			if (policy->statements[s].effect == EFFECT_ALLOW)
				return true;
		}
	}
	return false;
}

static struct span resource_policy_anchor(const struct policy *r)
{
	if (span_is_set(r->statement_key_span))
		return r->statement_key_span;
	return span_make(r->span.source, r->span.offset, 1);
}

static void report_missing_principal(struct pair *pair)
{
	const struct policy *r = pair->in->resource;
	struct finding *f;

	for (size_t s = 0; s < r->statement_count; s++) {
		const struct pvalue_list *aws = &r->statements[s].principal.by_type[PRINCIPAL_AWS];

		if (r->statements[s].effect != EFFECT_ALLOW)
			continue;
		for (size_t i = 0; i < aws->count; i++) {
			if (!is_near_miss(pair, aws->items[i].text))
				continue;
			f = diag_add(&pair->ctx->diags, RULE_PRINCIPAL_MISMATCH, aws->items[i].span,
				     "the %s grants '%s', not the caller '%s'", pair->noun,
				     render(pair, aws->items[i].text), render(pair, pair->in->principal));
			diag_set_hint(f, "write the caller's exact ARN '%s'", render(pair, pair->in->principal));
			return;
		}
	}
	f = diag_add(&pair->ctx->diags, RULE_MISSING_PRINCIPAL, resource_policy_anchor(r),
		     "the %s grants nothing to '%s'; across accounts every request its identity policy allows here is denied",
		     pair->noun, render(pair, pair->in->principal));
	diag_set_hint(f, "add a statement with \"Principal\": {\"AWS\": \"%s\"} for the actions the role needs; %s writes it",
		      render(pair, pair->in->principal), suggest_command(pair));
}

/* Does identity statement `st` allow any action of the governed services? */
static bool statement_uses_services(const struct pair *pair, const struct statement *st)
{
	struct action_set actions;

	for (size_t a = 0; a < st->actions.count; a++) {
		expand_identity_actions(st, &st->actions.items[a], &actions);
		for (const struct catalog_action *action = action_set_next(&actions, 0); action;
		     action = action_set_next(&actions, catalog_action_index(action) + 1)) {
			if (governs_service(pair, action))
				return true;
		}
		if (st->actions_negated)
			break;
	}
	return false;
}

static void report_resource_mismatch(struct pair *pair)
{
	const char *role_arn = pair->in->resource->role_arn;

	for (size_t p = 0; p < pair->in->identity_count; p++) {
		const struct policy *policy = pair->in->identity[p];

		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct statement *st = &policy->statements[s];

			if (st->effect != EFFECT_ALLOW || !statement_uses_services(pair, st))
				continue;
			for (size_t i = 0; i < st->resources.count; i++) {
				struct finding *f;

				if (st->resources_negated)
					f = diag_add(&pair->ctx->diags, RULE_RESOURCE_MISMATCH, st->resources.items[i].span,
						     "the role's policy allows its actions on every resource but '%s', which is what the %s is about; no request can be allowed by both",
						     render(pair, st->resources.items[i].text), pair->noun);
				else
					f = diag_add(&pair->ctx->diags, RULE_RESOURCE_MISMATCH, st->resources.items[i].span,
						     "the role's policy allows its actions on '%s', but the %s is about other resources; no request can be allowed by both",
						     render(pair, st->resources.items[i].text), pair->noun);

				for (size_t k = 0; k < pair->statement_count; k++) {
					if (pair->statements[k].st->resources.present)
						diag_add_related(f, pair->statements[k].st->resources.key_span,
								 "the %s governs these resources", pair->noun);
				}
				if (role_arn) {
					diag_add_related(f, resource_policy_anchor(pair->in->resource),
							 "the get-role output gives this trust policy for the role '%s'",
							 render(pair, role_arn));
					diag_set_hint(f, "make the role's policy name the role '%s', or give the trust policy of the role it names",
						      render(pair, role_arn));
				} else {
					diag_set_hint(f, "make both policies name the same resource ARN");
				}
				pair->resource_mismatch_reported = true;
			}
		}
	}
}

/* Can some identity Allow statement use `action` on the resources of `grant`? */
static bool identity_uses(const struct pair *pair, const struct resource_statement *grant,
			  const struct catalog_action *action)
{
	for (size_t p = 0; p < pair->in->identity_count; p++) {
		const struct policy *policy = pair->in->identity[p];

		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct statement *st = &policy->statements[s];
			struct statement_actions actions;
			enum tri named;

			if (st->effect != EFFECT_ALLOW)
				continue;
			read_actions(st, &actions);
			named = actions_include(&actions, action);
			release_actions(&actions);
			if (named == TRI_NO)
				continue;
			if ((!grant->st->resources.present && pair->subject == pair->everything) ||
			    st->resources_negated || st->resources.unknown)
				return true;
			for (size_t i = 0; i < st->resources.count; i++) {
				struct glob *g = glob_compile(st->resources.items[i].text, GLOB_ARN, true);
				bool touches = false;

				/* A NotResource grant takes in whatever its patterns leave out. */
				if (grant->st->resources_negated)
					touches = glob_subset(g, (const struct glob *const *)grant->resources,
							      grant->resource_count, NULL) != TRI_YES;
				for (size_t k = 0; k < grant->resource_count && !touches && !grant->st->resources_negated; k++)
					touches = glob_intersects(g, grant->resources[k], NULL) != TRI_NO;
				if (!grant->st->resources.present)
					touches = glob_intersects(g, pair->subject, NULL) != TRI_NO;
				glob_free(g);
				if (touches)
					return true;
			}
		}
	}
	return false;
}

static void check_unused_grants(struct pair *pair)
{
	struct action_set granted;

	for (size_t s = 0; s < pair->statement_count; s++) {
		const struct resource_statement *rs = &pair->statements[s];
		const struct statement *st = rs->st;

		if (st->effect != EFFECT_ALLOW || st->actions_negated || st->actions.unknown ||
		    rs->applies != TRI_YES || st->principal.wildcard)
			continue;
		for (size_t a = 0; a < st->actions.count; a++) {
			struct finding *f;
			bool used = false;

			action_set_clear(&granted);
			if (action_set_add_pattern(&granted, st->actions.items[a].text) == 0)
				continue; /* not an action: the lint rules report it */
			for (const struct catalog_action *action = action_set_next(&granted, 0);
			     action && !used; action = action_set_next(&granted, catalog_action_index(action) + 1))
				used = identity_uses(pair, rs, action);
			if (used)
				continue;
			f = diag_add(&pair->ctx->diags, RULE_UNUSED_GRANT, st->actions.items[a].span,
				     "'%s' is granted to '%s', whose identity policy never allows it on these resources",
				     render(pair, st->actions.items[a].text), render(pair, pair->in->principal));
			diag_set_hint(f, "remove it from the grant, or add it to the role's policy if the workload needs it");
		}
	}
}

static void pair_release(struct pair *pair)
{
	for (size_t s = 0; s < pair->statement_count; s++) {
		release_actions(&pair->statements[s].actions);
		free_globs(pair->statements[s].resources, pair->statements[s].resource_count);
		eval_dependencies_release(&pair->statements[s].condition_deps);
	}
	free(pair->statements);
	free_globs(pair->scope, pair->scope_count);
	for (size_t i = 0; i < pair->service_count; i++)
		free(pair->services[i]);
	free(pair->services);
	free(pair->caller_role);
	if (pair->subject != pair->everything)
		glob_free(pair->subject);
	glob_free(pair->everything);
	glob_free(pair->caller_pattern);
	glob_free(pair->caller_role_pattern);
}

static void decide_account_relation(struct pair *pair)
{
	const char *account = resource_account(pair);
	const char *service = pair->service_count == 1 ? pair->services[0] : "";

	/*
	 * In one account either side's Allow suffices, except that KMS key
	 * policies and role trust policies must allow the request themselves.
	 */
	bool same = account && pair->caller_parsed &&
		    ((pair->caller.account.length == 12 && strlen(account) == 12 &&
		      memcmp(account, pair->caller.account.data, 12) == 0) ||
		     (text_has_hole(account) && strlen(account) == pair->caller.account.length &&
		      memcmp(account, pair->caller.account.data, pair->caller.account.length) == 0));

	pair->same_account = same && strcmp(service, "kms") != 0 && pair->in->resource->kind != POLICY_TRUST;
}

/*
 * Settle what each resource statement's Condition block makes of the
 * caller's requests.  The caller is a workload calling through an AWS SDK
 * over HTTPS.  So keys derived from its ARN and account are known,
 * aws:SecureTransport is true, and keys that only a service acting for a
 * resource sets are absent.  A workload never authenticates with MFA.  Keys
 * the client chooses, such as s3:x-amz-acl, stay undecided.
 */
static void evaluate_conditions(struct pair *pair)
{
	struct eval_context *context = &pair->eval_context;
	struct eval_caller caller;
	struct buf reason = BUF_INIT;

	eval_context_init(context, &pair->ctx->arena);
	context->workload = true;
	if (eval_caller_parse(&caller, pair->in->principal, &pair->ctx->arena, &reason))
		eval_context_derive(context, &caller, resource_account(pair));
	buf_release(&reason);

	for (size_t s = 0; s < pair->statement_count; s++) {
		struct resource_statement *rs = &pair->statements[s];

		rs->condition_met = TRI_YES;
		if (rs->st->has_condition)
			rs->condition_met = eval_conditions(pair->in->resource, rs->st, context,
							    &rs->condition_deps, NULL);
	}
}

void pair_check(struct context *ctx, const struct pair_input *input)
{
	struct pair pair;
	struct buf reason = BUF_INIT;

	memset(&pair, 0, sizeof(pair));
	pair.ctx = ctx;
	pair.in = input;
	pair.everything = glob_compile("*", GLOB_ARN, false);
	pair.subject = pair.everything;
	if (input->resource->role_arn)
		pair.subject = glob_compile(input->resource->role_arn, GLOB_ARN, false);
	pair.caller_parsed = arn_principal_parse(input->principal, &pair.caller, &reason);
	buf_release(&reason);
	if (pair.caller_parsed && pair.caller.kind == ARN_PRINCIPAL_ASSUMED_ROLE)
		pair.caller_role = role_of_session(&pair.caller);
	pair.caller_pattern = glob_compile(input->principal, GLOB_LITERAL, false);
	if (pair.caller_role)
		pair.caller_role_pattern = glob_compile(pair.caller_role, GLOB_LITERAL, false);

	read_resource_statements(&pair);
	pair.noun = policy_noun(&pair);
	decide_account_relation(&pair);
	adopt_near_misses(&pair);
	report_near_misses(&pair);
	evaluate_conditions(&pair);

	for (size_t p = 0; p < input->identity_count; p++) {
		const struct policy *policy = input->identity[p];

		for (size_t s = 0; s < policy->statement_count; s++)
			check_identity_statement(&pair, &policy->statements[s]);
	}

	if (!pair.same_account && !pair.any_grant && !input->resource->statements_unknown &&
	    (pair.any_relevant || (pair.service_count == 0 && identity_allows_anything(&pair))))
		report_missing_principal(&pair);
	/* In one account either policy alone allows a request, so neither mismatch denies one. */
	else if (pair.any_grant && !pair.any_relevant && !pair.same_account && identity_allows_anything(&pair))
		report_resource_mismatch(&pair);
	if (pair.any_grant && !pair.resource_mismatch_reported && !pair.same_account)
		check_unused_grants(&pair);
	if (input->key_policy)
		pair_check_key(ctx, input, &pair.used);

	pair_release(&pair);
}
