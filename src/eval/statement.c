/*
 * One statement against one request: Principal or NotPrincipal, Action or
 * NotAction, Resource or NotResource, then the Condition block.
 *
 * Elements are checked in that order and the check stops at the first one
 * that cannot match, which is also what the explanation shows.
 *
 * Principal values are matched the way AWS resolves them.  A role ARN
 * names the role and every session of it, and a session ARN carries only
 * the role's name, not its path.  An account ID or root ARN names the
 * account, which delegates to the account's identity policies.  "*" names
 * everyone.
 * AWS refuses a wildcard inside a principal ARN, so such a value matches
 * nothing here and eval_policy_check() reports it.
 */
#include "internal.h"
#include "iamcross/glob.h"

#include <string.h>
#include <strings.h>

/* --- Action ------------------------------------------------------------------ */

static enum tri action_value_matches(struct eval_scope *s, const char *value, const char *action)
{
	struct glob *glob;
	enum tri t;

	if (!text_has_hole(value))
		return eval_wildcard_match(value, strlen(value), action, strlen(action),
					   WILDCARD_IGNORE_CASE)
			       ? TRI_YES
			       : TRI_NO;
	glob = glob_compile(value, GLOB_ACTION, false);
	t = glob_match(glob, action);
	glob_free(glob);
	if (t == TRI_MAYBE)
		eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED, value, NULL, "an unresolved action");
	return t;
}

static void trace_value(struct eval_scope *s, const char *value)
{
	buf_putc(s->trace, '\'');
	eval_render(s->trace, s, value);
	buf_putc(s->trace, '\'');
}

enum tri eval_statement_action(struct eval_scope *s, const struct statement *st, const char *action)
{
	const struct pvalue_list *list = &st->actions;
	const char *element = st->actions_negated ? "NotAction" : "Action";
	const char *matched = NULL;
	enum tri named = TRI_NO;

	if (!list->present) {
		if (s->trace)
			buf_puts(s->trace, "    Action: missing, so the statement applies to no action\n");
		return TRI_NO;
	}
	if (list->unknown) {
		eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED, list->unknown_text, NULL,
				  "unresolved actions");
		named = TRI_MAYBE;
	}
	for (size_t i = 0; i < list->count && named != TRI_YES; i++) {
		enum tri t = action_value_matches(s, list->items[i].text, action);

		if (t != TRI_NO)
			matched = list->items[i].text;
		named = tri_or(named, t);
	}
	if (s->trace) {
		buf_printf(s->trace, "    %s: ", element);
		if (matched) {
			const char *verb = st->actions_negated ? "excludes" : "matches";

			trace_value(s, matched);
			buf_printf(s->trace, " %s '%s'\n", named == TRI_MAYBE ? "may match" : verb, action);
		} else {
			buf_printf(s->trace, "no value %s '%s'\n",
				   st->actions_negated ? "excludes" : "matches", action);
		}
	}
	return st->actions_negated ? tri_not(named) : named;
}

/* --- Resource ---------------------------------------------------------------- */

static enum tri resource_value_matches(struct eval_scope *s, const char *value, const char *resource)
{
	struct expansion e;
	bool invalid;
	enum tri t;

	if (strcmp(value, "*") == 0)
		return TRI_YES;
	if (text_has_hole(value) || text_has_hole(resource)) {
		struct glob *glob = glob_compile(value, GLOB_ARN, s->variables);

		t = glob_match(glob, resource);
		glob_free(glob);
		if (t == TRI_MAYBE)
			eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED, text_has_hole(value) ? value : resource,
					  NULL, "an unresolved resource");
		return t;
	}
	if (!s->variables || !eval_has_variable(value))
		return eval_arn_match(value, resource, 0, &invalid) ? TRI_YES : TRI_NO;

	memset(&e, 0, sizeof(e));
	eval_expand(value, EXPAND_PATTERN, s->ctx, &e);
	if (e.status == EXPAND_OK) {
		t = eval_arn_match(buf_str(&e.text), resource, WILDCARD_ESCAPES, &invalid) ? TRI_YES
											   : TRI_NO;
	} else if (e.status == EXPAND_UNKNOWN) {
		eval_scope_depend(s, EVAL_DEPENDS_ON_KEY,
				  arena_strndup(s->ctx->arena, e.variable, e.variable_length), NULL,
				  "a policy variable in Resource");
		t = TRI_MAYBE;
	} else {
		s->variable_without_value = true;
		if (!s->variable_name)
			s->variable_name = arena_strndup(s->ctx->arena, e.variable, e.variable_length);
		t = TRI_NO;
	}
	buf_release(&e.text);
	return t;
}

enum tri eval_statement_resource(struct eval_scope *s, const struct policy *policy,
				 const struct statement *st, const char *resource)
{
	const struct pvalue_list *list = &st->resources;
	const char *element = st->resources_negated ? "NotResource" : "Resource";
	const char *matched = NULL;
	enum tri named = TRI_NO;

	if (!list->present) {
		if (policy->kind == POLICY_TRUST) {
			if (s->trace)
				buf_puts(s->trace, "    Resource: none; a trust policy is about its own role\n");
			return TRI_YES;
		}
		if (s->trace)
			buf_puts(s->trace, "    Resource: missing, so the statement applies to no resource\n");
		return TRI_NO;
	}
	if (list->unknown) {
		eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED, list->unknown_text, NULL,
				  "unresolved resources");
		named = TRI_MAYBE;
	}
	for (size_t i = 0; i < list->count && named != TRI_YES; i++) {
		enum tri t = resource_value_matches(s, list->items[i].text, resource);

		if (t != TRI_NO)
			matched = list->items[i].text;
		named = tri_or(named, t);
	}
	if (s->trace) {
		buf_printf(s->trace, "    %s: ", element);
		if (matched) {
			const char *verb = st->resources_negated ? "excludes" : "matches";

			trace_value(s, matched);
			buf_printf(s->trace, " %s '", named == TRI_MAYBE ? "may match" : verb);
		} else {
			buf_printf(s->trace, "no value %s '", st->resources_negated ? "excludes" : "matches");
		}
		eval_render(s->trace, s, resource);
		buf_puts(s->trace, "'\n");
	}
	return st->resources_negated ? tri_not(named) : named;
}

/* --- Principal ----------------------------------------------------------------- */

static bool slice_equals_text(struct arn_slice slice, const char *text)
{
	return text && strlen(text) == slice.length && memcmp(slice.data, text, slice.length) == 0;
}

static bool slice_equals_text_ignore_case(struct arn_slice slice, const char *text)
{
	return text && strlen(text) == slice.length && strncasecmp(slice.data, text, slice.length) == 0;
}

/* An account ID or root ARN against the caller's account; both may have holes. */
static enum tri account_matches(struct eval_scope *s, const struct eval_caller *c,
				const struct arn_principal *named, const char *value)
{
	char *account;
	struct glob *glob;
	enum tri t;

	if (!c->account)
		return TRI_NO;
	if (named->kind == ARN_PRINCIPAL_ROOT && !slice_equals_text(named->arn.partition, c->partition) &&
	    !named->has_unknown)
		return TRI_NO;
	if (!named->has_unknown && !text_has_hole(c->account))
		return slice_equals_text(named->account, c->account) ? TRI_YES : TRI_NO;

	account = arena_strndup(s->ctx->arena, named->account.data, named->account.length);
	glob = glob_compile(account, GLOB_LITERAL, false);
	t = glob_match(glob, c->account);
	glob_free(glob);
	if (t == TRI_MAYBE)
		eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED, text_has_hole(value) ? value : c->text,
				  NULL, "an unresolved account");
	return t;
}

/* A role ARN against a role or role session caller. */
static enum tri role_matches(struct eval_scope *s, const struct eval_caller *c,
			     const struct arn_principal *named, const char *value)
{
	if (c->kind == EVAL_CALLER_ROLE) {
		if (strcmp(value, c->text) == 0)
			return TRI_YES;
		if (strcasecmp(value, c->text) == 0) {
			eval_scope_depend(s, EVAL_DEPENDS_ON_PRINCIPAL, value, NULL,
					  "the ARN differs from the caller's only in letter case");
			return TRI_MAYBE;
		}
		return TRI_NO;
	}
	if (c->kind != EVAL_CALLER_ROLE_SESSION)
		return TRI_NO;
	if (!slice_equals_text(named->arn.partition, c->partition) ||
	    !slice_equals_text(named->account, c->account))
		return TRI_NO;
	return slice_equals_text_ignore_case(named->name, c->name) ? TRI_YES : TRI_NO;
}

/* An unresolved principal value against the caller, as far as glob.h can tell. */
static enum tri unresolved_matches(struct eval_scope *s, const struct eval_caller *c, const char *value)
{
	struct glob *glob = glob_compile(value, GLOB_LITERAL, false);
	enum tri t = glob_match(glob, c->text);

	if (t != TRI_YES && c->role_arn && c->role_arn != c->text)
		t = tri_or(t, glob_match(glob, c->role_arn));
	glob_free(glob);
	if (t == TRI_MAYBE)
		eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED, value, NULL, "an unresolved principal");
	return t;
}

/* How one AWS principal value names the caller, if it does. */
static void aws_value_matches(struct eval_scope *s, const struct eval_caller *c, const char *value,
			      struct principal_match *m)
{
	struct arn_principal named;
	struct buf reason = BUF_INIT;
	bool parsed;

	m->direct = TRI_NO;
	m->account = TRI_NO;
	if (strcmp(value, "*") == 0) {
		m->direct = TRI_YES;
		return;
	}
	parsed = arn_principal_parse(value, &named, &reason);
	buf_release(&reason);
	if (!parsed || named.has_wildcard)
		return;
	switch (named.kind) {
	case ARN_PRINCIPAL_ACCOUNT:
	case ARN_PRINCIPAL_ROOT:
		if (c->kind == EVAL_CALLER_ROOT)
			m->direct = account_matches(s, c, &named, value);
		else
			m->account = account_matches(s, c, &named, value);
		return;
	case ARN_PRINCIPAL_ROLE:
		m->direct = named.has_unknown || text_has_hole(c->text) ? unresolved_matches(s, c, value)
								       : role_matches(s, c, &named, value);
		return;
	case ARN_PRINCIPAL_UNKNOWN:
		m->direct = unresolved_matches(s, c, value);
		return;
	case ARN_PRINCIPAL_USER:
	case ARN_PRINCIPAL_ASSUMED_ROLE:
	case ARN_PRINCIPAL_FEDERATED_USER:
		if (named.has_unknown || text_has_hole(c->text))
			m->direct = unresolved_matches(s, c, value);
		else
			m->direct = strcmp(value, c->text) == 0 ? TRI_YES : TRI_NO;
		return;
	default:
		return;
	}
}

static enum eval_caller_kind caller_kind_for(enum principal_type type)
{
	switch (type) {
	case PRINCIPAL_SERVICE:
		return EVAL_CALLER_SERVICE;
	case PRINCIPAL_FEDERATED:
		return EVAL_CALLER_IDENTITY_PROVIDER;
	default:
		return EVAL_CALLER_CANONICAL_USER;
	}
}

/*
 * How the values of a Principal or NotPrincipal element name the caller:
 * `direct` when some value is the caller (or "*"), `account` when some value
 * is its account.  `self` is what the caller itself matched, for the trace.
 */
static void element_matches(struct eval_scope *s, const struct principal *pr,
			    const struct eval_caller *c, struct principal_match *out, const char **self,
			    const char **account)
{
	out->direct = pr->wildcard ? TRI_YES : TRI_NO;
	out->account = TRI_NO;
	*self = pr->wildcard ? "*" : NULL;
	*account = NULL;
	for (int type = 0; type < PRINCIPAL_TYPE_COUNT; type++) {
		const struct pvalue_list *list = &pr->by_type[type];

		if (list->unknown) {
			eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED, list->unknown_text, NULL,
					  "an unresolved principal");
			out->direct = tri_or(out->direct, TRI_MAYBE);
		}
		for (size_t i = 0; i < list->count; i++) {
			const char *value = list->items[i].text;
			struct principal_match m = {TRI_NO, TRI_NO};

			if (type == PRINCIPAL_AWS)
				aws_value_matches(s, c, value, &m);
			else if (c->kind == caller_kind_for((enum principal_type)type))
				m.direct = strcmp(value, c->text) == 0 ? TRI_YES : TRI_NO;
			if (m.direct != TRI_NO && !*self)
				*self = value;
			if (m.account != TRI_NO && !*account)
				*account = value;
			out->direct = tri_or(out->direct, m.direct);
			out->account = tri_or(out->account, m.account);
		}
	}
}

static void trace_principal(struct eval_scope *s, const struct principal_match *m, const char *self,
			    const char *account)
{
	struct buf *t = s->trace;

	buf_puts(t, "    Principal: ");
	if (self) {
		const char *who = strcmp(self, "*") == 0 ? "is everyone" : "is the caller";

		trace_value(s, self);
		buf_printf(t, " %s\n", m->direct == TRI_MAYBE ? "may be the caller" : who);
	} else if (account) {
		trace_value(s, account);
		buf_printf(t, " %s\n", m->account == TRI_MAYBE ? "may be the caller's account" :
				       "is the caller's account, which delegates to its identity policies");
	} else {
		buf_puts(t, "no value names the caller or its account\n");
	}
}

/*
 * NotPrincipal.  AWS documents that it may check the account of a
 * principal before the principal itself, so a Deny excludes the caller
 * only when NotPrincipal names both the caller (or its role) and the
 * caller's account.  An Allow, which AWS does not support with NotPrincipal,
 * is treated the safe way round: naming either excludes the caller.
 */
static struct principal_match not_principal(struct eval_scope *s, const struct statement *st,
					    const struct eval_caller *c)
{
	struct principal_match named;
	struct principal_match result = {TRI_NO, TRI_NO};
	const char *self;
	const char *account;
	enum tri self_named;
	enum tri account_named;
	enum tri excluded;

	element_matches(s, &st->principal, c, &named, &self, &account);
	self_named = named.direct;
	account_named = c->account && c->kind != EVAL_CALLER_ROOT ? named.account : TRI_YES;
	if (self && strcmp(self, "*") == 0)
		excluded = TRI_YES;
	else if (st->effect == EFFECT_DENY)
		excluded = tri_and(self_named, account_named);
	else
		excluded = tri_or(self_named, named.account);
	result.direct = tri_not(excluded);

	if (s->trace) {
		buf_puts(s->trace, "    NotPrincipal: ");
		if (excluded == TRI_YES)
			buf_puts(s->trace, "names the caller, so the statement does not apply to it\n");
		else if (self_named == TRI_YES && account_named != TRI_YES)
			buf_puts(s->trace, "names the caller but not its account, and AWS may check the account first, so the statement applies\n");
		else if (excluded == TRI_MAYBE)
			buf_puts(s->trace, "may name the caller\n");
		else
			buf_puts(s->trace, "does not name the caller, so the statement applies to it\n");
	}
	return result;
}

struct principal_match eval_statement_principal(struct eval_scope *s, const struct statement *st,
						const struct eval_caller *c)
{
	const struct principal *pr = &st->principal;
	struct principal_match m = {TRI_NO, TRI_NO};
	const char *self;
	const char *account;

	if (!pr->present) {
		if (s->trace)
			buf_puts(s->trace, "    Principal: missing, so the statement applies to no one\n");
		return m;
	}
	if (pr->unknown) {
		eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED, pr->unknown_text, NULL,
				  "an unresolved principal");
		if (s->trace)
			buf_puts(s->trace, "    Principal: unresolved, so it may name the caller\n");
		m.direct = TRI_MAYBE;
		return m;
	}
	if (pr->negated)
		return not_principal(s, st, c);
	element_matches(s, pr, c, &m, &self, &account);
	if (s->trace)
		trace_principal(s, &m, self, account);
	return m;
}

/* --- what AWS refuses ---------------------------------------------------------- */

bool eval_policy_check(const struct policy *policy, struct buf *reason)
{
	for (size_t i = 0; i < policy->statement_count; i++) {
		const struct statement *st = &policy->statements[i];
		const struct pvalue_list *aws = &st->principal.by_type[PRINCIPAL_AWS];

		for (size_t v = 0; v < aws->count; v++) {
			const char *value = aws->items[v].text;

			if (strcmp(value, "*") != 0 && !text_has_hole(value) && strpbrk(value, "*?")) {
				buf_printf(reason,
					   "statement %zu names the principal '%s'; AWS rejects a wildcard inside a principal ARN (only \"*\" on its own is accepted)",
					   st->index + 1, value);
				return false;
			}
		}
		for (size_t c = 0; c < st->condition_count; c++) {
			if (st->conditions[c].op.base == COND_UNKNOWN_OPERATOR) {
				buf_printf(reason, "statement %zu uses '%s', which is not a condition operator",
					   st->index + 1, st->conditions[c].operator_name.text);
				return false;
			}
		}
	}
	return true;
}
