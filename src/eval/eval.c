/*
 * The decision procedure: every statement of every policy against the
 * request, then AWS's rules for combining them.
 *
 *   1. A Deny that matches in any policy denies the request explicitly.
 *   2. A service principal or an identity provider has no identity policies:
 *      only the resource policy can allow it.
 *   3. Within one account an Allow for the caller in the resource policy, or
 *      an Allow in an identity policy, allows the request.  An Allow for the
 *      caller's account in the resource policy only delegates to the identity
 *      policies.  A KMS key and a role are the exception: their own policy
 *      must allow, either the caller itself or the account together with an
 *      identity policy.
 *   4. Across accounts the identity policies and the resource policy must
 *      both allow; an Allow for the account suffices on the resource side.
 *   5. Anything else is an implicit deny.
 *
 * Each side's result is three-valued.  When some are MAYBE, every way of
 * settling them is tried (at most six results, so at most 64 ways) and the
 * decisions that come out are the possible ones.  Unknowns shared between
 * statements are treated as independent, which can only add possibilities,
 * never hide one.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *eval_decision_name(enum eval_decision decision)
{
	static const char *const names[EVAL_DECISION_COUNT] = {
		"Allowed", "ImplicitlyDenied", "ExplicitlyDenied", "Undecided",
	};

	return decision < EVAL_DECISION_COUNT ? names[decision] : "Undecided";
}

/* The result of each side, three-valued. */
struct sides {
	enum tri identity_deny;
	enum tri identity_allow;
	enum tri resource_deny;
	enum tri resource_direct;  /* an Allow for the caller itself */
	enum tri resource_account; /* an Allow for the caller's account */
	enum tri same_account;
};

struct evaluation {
	const struct eval_request *request;
	const struct eval_policies *policies;
	struct arena *arena;
	struct buf *trace;
	struct eval_dependencies deps;
	struct eval_statement *statements;
	size_t statement_count;
	size_t statement_cap;
	struct sides sides;
	bool identity_applies;     /* the caller has identity policies */
	bool resource_required;
	const char *resource_account;
	const char *noun;          /* of the resource policy: "bucket policy", ... */
};

/* --- the resource ---------------------------------------------------------------- */

/* Offsets of the fields of an ARN; false when `text` has fewer than six. */
static bool arn_fields(const char *text, const char **fields, size_t *lengths)
{
	const char *p = text;

	for (int i = 0; i < 6; i++) {
		const char *colon = i < 5 ? strchr(p, ':') : NULL;

		if (i < 5 && !colon)
			return false;
		fields[i] = p;
		lengths[i] = colon ? (size_t)(colon - p) : strlen(p);
		p = colon ? colon + 1 : p;
	}
	return strncmp(text, "arn:", 4) == 0;
}

static bool field_is(const char *field, size_t length, const char *text)
{
	return strlen(text) == length && memcmp(field, text, length) == 0;
}

static bool action_service_is(const char *action, const char *service)
{
	size_t n = strlen(service);

	return strncasecmp(action, service, n) == 0 && action[n] == ':';
}

bool eval_resource_policy_required(const char *action, const char *resource)
{
	const char *f[6];
	size_t n[6];

	if (!arn_fields(resource, f, n))
		return false;
	if (action_service_is(action, "kms"))
		return field_is(f[2], n[2], "kms") && n[5] > 4 && strncmp(f[5], "key/", 4) == 0;
	if (action_service_is(action, "sts"))
		return field_is(f[2], n[2], "iam") && n[5] > 5 && strncmp(f[5], "role/", 5) == 0;
	return false;
}

static const char *resource_account_of(struct evaluation *ev)
{
	const char *f[6];
	size_t n[6];

	if (ev->request->resource_account)
		return ev->request->resource_account;
	if (!arn_fields(ev->request->resource, f, n) || n[4] != ARN_ACCOUNT_ID_LENGTH ||
	    strspn(f[4], "0123456789") < ARN_ACCOUNT_ID_LENGTH)
		return NULL;
	return arena_strndup(ev->arena, f[4], n[4]);
}

static const char *resource_noun(const struct evaluation *ev)
{
	const char *resource = ev->request->resource;
	const char *f[6];
	size_t n[6];

	if ((ev->policies->resource && ev->policies->resource->kind == POLICY_TRUST) ||
	    (ev->resource_required && action_service_is(ev->request->action, "sts")))
		return "trust policy";
	if (ev->resource_required)
		return "key policy";
	if (!arn_fields(resource, f, n))
		return "resource policy";
	if (field_is(f[2], n[2], "s3"))
		return "bucket policy";
	if (field_is(f[2], n[2], "kms"))
		return "key policy";
	if (field_is(f[2], n[2], "sqs"))
		return "queue policy";
	if (field_is(f[2], n[2], "sns"))
		return "topic policy";
	return "resource policy";
}

/* --- statements ------------------------------------------------------------------- */

/* Append `n` in decimal; cheaper than a printf for the reason of every request. */
static void put_decimal(struct buf *b, size_t n)
{
	char digits[24];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	buf_append(b, digits + i, sizeof(digits) - i);
}

static void statement_ref(struct buf *b, const struct evaluation *ev, const struct eval_statement *es)
{
	const struct statement *st = es->statement;
	bool identity = es->policy_index < ev->policies->identity_count;

	buf_puts(b, "statement ");
	put_decimal(b, st->index + 1);
	if (st->has_sid && st->sid.text && st->sid.text[0]) {
		buf_puts(b, " (Sid '");
		buf_puts(b, st->sid.text);
		buf_puts(b, "')");
	}
	buf_puts(b, identity ? " of identity policy '" : " of ");
	if (!identity) {
		buf_puts(b, ev->noun);
		buf_puts(b, " '");
	}
	buf_puts(b, es->policy->name ? es->policy->name : "");
	buf_putc(b, '\'');
}

static void record_statement(struct evaluation *ev, const struct eval_statement *es)
{
	ev->statements = xgrow(ev->statements, &ev->statement_cap, ev->statement_count + 1,
			       sizeof(*ev->statements));
	ev->statements[ev->statement_count++] = *es;
}

static void add_to_sides(struct evaluation *ev, const struct statement *st, bool resource,
			 enum tri matches, const struct principal_match *level)
{
	struct sides *sd = &ev->sides;
	bool allow = st->effect == EFFECT_ALLOW || st->effect == EFFECT_UNKNOWN;
	bool deny = st->effect == EFFECT_DENY || st->effect == EFFECT_UNKNOWN;
	/* An unresolved Effect may be either, so it only ever adds a MAYBE. */
	enum tri weight = st->effect == EFFECT_UNKNOWN ? TRI_MAYBE : TRI_YES;

	if (deny && resource)
		sd->resource_deny = tri_or(sd->resource_deny, tri_and(matches, weight));
	else if (deny)
		sd->identity_deny = tri_or(sd->identity_deny, tri_and(matches, weight));
	if (allow && resource) {
		sd->resource_direct = tri_or(sd->resource_direct, tri_and(level->direct, weight));
		sd->resource_account = tri_or(sd->resource_account, tri_and(level->account, weight));
	} else if (allow) {
		sd->identity_allow = tri_or(sd->identity_allow, tri_and(matches, weight));
	}
}

static const char *match_word(enum tri matches, const struct principal_match *level)
{
	if (matches == TRI_MAYBE)
		return "may match";
	if (matches == TRI_NO)
		return "does not match";
	return level->direct == TRI_YES ? "matches" : "matches the caller's account";
}

static void trace_statement(struct evaluation *ev, const struct statement *st, enum tri matches,
			    const struct principal_match *level, const struct buf *lines)
{
	buf_printf(ev->trace, "  statement %zu", st->index + 1);
	if (st->has_sid && st->sid.text && st->sid.text[0])
		buf_printf(ev->trace, " (Sid '%s')", st->sid.text);
	if (st->effect == EFFECT_ALLOW || st->effect == EFFECT_DENY)
		buf_printf(ev->trace, ": %s %s\n", effect_name(st->effect), match_word(matches, level));
	else if (st->effect == EFFECT_UNKNOWN)
		buf_printf(ev->trace, ": unresolved Effect, %s\n", match_word(matches, level));
	else
		buf_puts(ev->trace, ": invalid Effect, so it neither allows nor denies\n");
	buf_puts(ev->trace, buf_str(lines));
}

/* Action, Resource and Condition: what every statement must match. */
static enum tri common_elements(struct eval_scope *s, const struct evaluation *ev,
				const struct policy *policy, const struct statement *st)
{
	enum tri result = eval_statement_action(s, st, ev->request->action);

	if (result != TRI_NO)
		result = tri_and(result, eval_statement_resource(s, policy, st, ev->request->resource));
	if (result != TRI_NO)
		result = tri_and(result, eval_condition_block(s, st));
	if (result == TRI_YES && s->variable_without_value) {
		eval_scope_depend(s, EVAL_DEPENDS_ON_VARIABLE, s->variable_name, NULL,
				  "the key has no single value, which AWS documents may make the statement invalid");
		result = TRI_MAYBE;
	}
	return result;
}

static void evaluate_statement(struct evaluation *ev, const struct policy *policy, size_t policy_index,
			       const struct statement *st, bool resource)
{
	struct eval_scope s;
	struct buf lines = BUF_INIT;
	struct principal_match level = {TRI_YES, TRI_NO};
	struct eval_statement es;
	enum tri common = TRI_NO;
	enum tri matches;
	size_t mark = ev->deps.count;

	memset(&s, 0, sizeof(s));
	s.ctx = ev->request->context;
	s.variables = eval_policy_has_variables(policy);
	s.symbols = ev->policies->symbols;
	s.deps = &ev->deps;
	s.trace = ev->trace ? &lines : NULL;

	if (resource)
		level = eval_statement_principal(&s, st, ev->request->caller);
	if (st->effect != EFFECT_INVALID && (level.direct != TRI_NO || level.account != TRI_NO))
		common = common_elements(&s, ev, policy, st);
	level.direct = tri_and(level.direct, common);
	level.account = tri_and(level.account, common);
	matches = tri_or(level.direct, level.account);
	if (matches != TRI_MAYBE)
		eval_scope_forget(&s, mark);

	add_to_sides(ev, st, resource, matches, &level);
	if (ev->trace)
		trace_statement(ev, st, matches, &level, &lines);
	buf_release(&lines);
	if (matches == TRI_NO || st->effect == EFFECT_INVALID)
		return;

	memset(&es, 0, sizeof(es));
	es.policy = policy;
	es.policy_index = policy_index;
	es.statement = st;
	es.matches = matches;
	es.level = level.direct != TRI_NO ? EVAL_LEVEL_DIRECT : EVAL_LEVEL_ACCOUNT;
	es.first_dependency = mark;
	es.dependency_count = ev->deps.count - mark;
	record_statement(ev, &es);
}

static void evaluate_policy(struct evaluation *ev, const struct policy *policy, size_t policy_index,
			    bool resource)
{
	if (ev->trace)
		buf_printf(ev->trace, "%s '%s':\n", resource ? ev->noun : "identity policy",
			   policy->name ? policy->name : "");
	if (policy->statements_unknown) {
		struct eval_scope s;

		memset(&s, 0, sizeof(s));
		s.deps = &ev->deps;
		eval_scope_depend(&s, EVAL_DEPENDS_ON_UNRESOLVED, "Statement", NULL,
				  "the statement list is unresolved");
		if (resource) {
			ev->sides.resource_deny = tri_or(ev->sides.resource_deny, TRI_MAYBE);
			ev->sides.resource_direct = tri_or(ev->sides.resource_direct, TRI_MAYBE);
		} else {
			ev->sides.identity_deny = tri_or(ev->sides.identity_deny, TRI_MAYBE);
			ev->sides.identity_allow = tri_or(ev->sides.identity_allow, TRI_MAYBE);
		}
		if (ev->trace)
			buf_puts(ev->trace, "  some statements are unresolved, so they may allow or deny\n");
	}
	for (size_t i = 0; i < policy->statement_count; i++)
		evaluate_statement(ev, policy, policy_index, &policy->statements[i], resource);
	if (ev->trace && policy->statement_count == 0 && !policy->statements_unknown)
		buf_puts(ev->trace, "  no statements\n");
}

static bool caller_has_identity_policies(enum eval_caller_kind kind)
{
	return kind == EVAL_CALLER_ROLE || kind == EVAL_CALLER_ROLE_SESSION || kind == EVAL_CALLER_USER ||
	       kind == EVAL_CALLER_ROOT || kind == EVAL_CALLER_FEDERATED_USER;
}

static void evaluate_policies(struct evaluation *ev)
{
	const struct eval_policies *p = ev->policies;
	const struct eval_caller *c = ev->request->caller;

	if (ev->identity_applies) {
		for (size_t i = 0; i < p->identity_count; i++)
			evaluate_policy(ev, p->identity[i], i, false);
		if (ev->trace && p->identity_count == 0)
			buf_puts(ev->trace, "identity policies: none\n");
	} else if (ev->trace) {
		buf_printf(ev->trace, "identity policies: none apply to '%s', which is not an IAM principal\n",
			   c->text);
	}
	if (c->kind == EVAL_CALLER_ROOT) {
		ev->sides.identity_allow = TRI_YES;
		if (ev->trace)
			buf_puts(ev->trace, "  the root user may do anything its identity policies do not deny\n");
	}
	if (p->resource)
		evaluate_policy(ev, p->resource, p->identity_count, true);
	else if (ev->trace)
		buf_printf(ev->trace, "%s: none\n", ev->noun);
}

/* --- accounts ------------------------------------------------------------------------ */

static enum tri accounts_match(struct evaluation *ev)
{
	const char *caller = ev->request->caller->account;
	const char *resource = ev->resource_account;
	struct eval_scope s;

	memset(&s, 0, sizeof(s));
	s.deps = &ev->deps;
	if (!caller)
		return TRI_NO;
	if (!resource) {
		eval_scope_depend(&s, EVAL_DEPENDS_ON_RESOURCE_ACCOUNT, NULL, NULL,
				  "the resource's ARN names no account and none was given");
		return TRI_MAYBE;
	}
	if (text_has_hole(caller) || text_has_hole(resource)) {
		if (strcmp(caller, resource) == 0)
			return TRI_YES;
		eval_scope_depend(&s, EVAL_DEPENDS_ON_RESOURCE_ACCOUNT, NULL, NULL,
				  "an account is unresolved");
		return TRI_MAYBE;
	}
	return strcmp(caller, resource) == 0 ? TRI_YES : TRI_NO;
}

/* --- the decision ----------------------------------------------------------------------- */

struct settled {
	bool identity_deny;
	bool identity_allow;
	bool resource_deny;
	bool resource_direct;
	bool resource_account;
	bool same_account;
};

static enum eval_decision decide(const struct evaluation *ev, const struct settled *v)
{
	if (v->identity_deny || v->resource_deny)
		return EVAL_EXPLICITLY_DENIED;
	if (!ev->identity_applies)
		return v->resource_direct || v->resource_account ? EVAL_ALLOWED : EVAL_IMPLICITLY_DENIED;
	if (v->same_account && ev->resource_required)
		return v->resource_direct || (v->resource_account && v->identity_allow) ? EVAL_ALLOWED
											   : EVAL_IMPLICITLY_DENIED;
	if (v->same_account)
		return v->resource_direct || v->identity_allow ? EVAL_ALLOWED : EVAL_IMPLICITLY_DENIED;
	return (v->resource_direct || v->resource_account) && v->identity_allow ? EVAL_ALLOWED
										 : EVAL_IMPLICITLY_DENIED;
}

/* Return the set of decisions that settling each MAYBE result either way gives. */
static unsigned possible_decisions(const struct evaluation *ev)
{
	const struct sides *sd = &ev->sides;
	const enum tri answers[6] = {
		sd->identity_deny,   sd->identity_allow,   sd->resource_deny,
		sd->resource_direct, sd->resource_account, sd->same_account,
	};
	unsigned possible = 0;
	unsigned unknown = 0;

	for (int i = 0; i < 6; i++)
		unknown += answers[i] == TRI_MAYBE;
	for (unsigned way = 0; way < (1u << unknown); way++) {
		bool value[6];
		unsigned bit = 0;
		struct settled v;

		for (int i = 0; i < 6; i++)
			value[i] = answers[i] == TRI_MAYBE ? ((way >> bit++) & 1) != 0 : answers[i] == TRI_YES;
		v.identity_deny = value[0];
		v.identity_allow = value[1];
		v.resource_deny = value[2];
		v.resource_direct = value[3];
		v.resource_account = value[4];
		v.same_account = value[5];
		possible |= 1u << decide(ev, &v);
	}
	return possible;
}

/* --- the explanation of the decision --------------------------------------------------- */

static void trace_accounts(struct evaluation *ev)
{
	const struct eval_caller *c = ev->request->caller;
	struct buf *t = ev->trace;
	const char *thing = action_service_is(ev->request->action, "sts") ? "role" : "KMS key";

	buf_puts(t, "\naccounts: ");
	if (!ev->identity_applies) {
		buf_printf(t, "the caller is not an IAM principal, so only the %s can allow the request\n",
			   ev->noun);
		return;
	}
	if (ev->sides.same_account == TRI_MAYBE) {
		buf_printf(t, "the caller is in account %s; the resource's ARN names no account and none was given, so the request is decided both as a cross-account and as a same-account request\n",
			   c->account);
		return;
	}
	if (ev->sides.same_account == TRI_NO) {
		buf_printf(t, "the caller is in account %s and the resource in account %s, so the request is cross-account: an identity policy and the %s must both allow it\n",
			   c->account, ev->resource_account, ev->noun);
		return;
	}
	if (ev->resource_required)
		buf_printf(t, "the caller and the %s are both in account %s, but a %s must be allowed by its own %s: an Allow for the caller there suffices, an Allow for the account needs an identity policy's Allow too\n",
			   thing, c->account, thing, ev->noun);
	else
		buf_printf(t, "the caller and the resource are both in account %s, so an Allow in an identity policy or in the %s suffices\n",
			   c->account, ev->noun);
}

/* List the statements with `effect` that match certainly; returns how many. */
static size_t list_statements(struct buf *b, const struct evaluation *ev, enum effect effect)
{
	size_t count = 0;

	for (size_t i = 0; i < ev->statement_count; i++) {
		const struct eval_statement *es = &ev->statements[i];

		if (es->statement->effect != effect || es->matches != TRI_YES)
			continue;
		buf_puts(b, count ? " and " : "");
		statement_ref(b, ev, es);
		count++;
	}
	return count;
}

/* Append `before`, the resource policy's noun, then `after`. */
static void put_noun(struct buf *out, const struct evaluation *ev, const char *before, const char *after)
{
	buf_puts(out, before);
	buf_puts(out, ev->noun);
	buf_puts(out, after);
}

static void explain_implicit(struct buf *out, const struct evaluation *ev)
{
	const struct sides *sd = &ev->sides;
	bool resource_any = sd->resource_direct == TRI_YES || sd->resource_account == TRI_YES;
	bool identity = sd->identity_allow == TRI_YES;
	const char *delegates = " allows only the caller's account, which delegates to the identity policies, "
				"and none of them allows the request";

	if (!ev->identity_applies)
		put_noun(out, ev, "the ", " does not allow the caller");
	else if (sd->same_account == TRI_YES && ev->resource_required && sd->resource_account == TRI_YES)
		put_noun(out, ev, "the ", delegates);
	else if (sd->same_account == TRI_YES && ev->resource_required)
		put_noun(out, ev, "the ", " does not allow the caller, and nothing else can");
	else if (!ev->policies->resource && identity)
		put_noun(out, ev, "the resource has no ",
			 ", and across accounts an identity policy alone cannot allow the request");
	else if (!resource_any && !identity)
		put_noun(out, ev, "neither an identity policy nor the ", " allows the request");
	else if (!identity && sd->same_account == TRI_YES)
		put_noun(out, ev, "the ", delegates);
	else if (!identity)
		put_noun(out, ev, "no identity policy allows the request, and across accounts the ",
			 " alone cannot allow it");
	else
		put_noun(out, ev, "the ",
			 " does not allow the caller, and across accounts an identity policy alone cannot allow the request");
}

static const char *dependency_subject(struct buf *out, const struct evaluation *ev,
				      const struct eval_dependency *d)
{
	struct eval_scope s;

	memset(&s, 0, sizeof(s));
	s.symbols = ev->policies->symbols;
	switch (d->kind) {
	case EVAL_DEPENDS_ON_KEY:
	case EVAL_DEPENDS_ON_SET_OPERATOR:
	case EVAL_DEPENDS_ON_VARIABLE:
		buf_puts(out, d->name ? d->name : "a condition key");
		break;
	case EVAL_DEPENDS_ON_UNDOCUMENTED:
		buf_printf(out, "the value '%s'", d->name ? d->name : "?");
		break;
	case EVAL_DEPENDS_ON_UNRESOLVED:
		buf_puts(out, "the unresolved value '");
		eval_render(out, &s, d->name ? d->name : "?");
		buf_putc(out, '\'');
		break;
	case EVAL_DEPENDS_ON_RESOURCE_ACCOUNT:
		buf_puts(out, "the resource's account");
		break;
	case EVAL_DEPENDS_ON_PRINCIPAL:
		buf_printf(out, "the principal '%s'", d->name ? d->name : "?");
		break;
	}
	return buf_str(out);
}

static void explain_dependency(struct buf *out, const struct evaluation *ev,
			       const struct eval_dependency *d, const struct eval_statement *es)
{
	struct eval_scope s;

	memset(&s, 0, sizeof(s));
	s.symbols = ev->policies->symbols;
	buf_puts(out, "  - ");
	dependency_subject(out, ev, d);
	if (d->condition) {
		buf_printf(out, " (%s", d->condition->operator_name.text);
		for (size_t i = 0; i < d->condition->values.count; i++) {
			buf_puts(out, i ? ", '" : " '");
			eval_render(out, &s, d->condition->values.items[i].text);
			buf_putc(out, '\'');
		}
		buf_putc(out, ')');
	}
	if (es) {
		buf_puts(out, " in ");
		statement_ref(out, ev, es);
	}
	if (d->note)
		buf_printf(out, ": %s", d->note);
	buf_putc(out, '\n');
}

static const struct eval_statement *statement_of(const struct evaluation *ev, size_t dependency)
{
	for (size_t i = 0; i < ev->statement_count; i++) {
		const struct eval_statement *es = &ev->statements[i];

		if (dependency >= es->first_dependency &&
		    dependency < es->first_dependency + es->dependency_count)
			return es;
	}
	return NULL;
}

/* "may be Allowed or ImplicitlyDenied, depending on" and, unless `listed`, the subjects. */
static void explain_undecided(struct buf *out, const struct evaluation *ev, unsigned possible,
			      bool listed)
{
	bool first = true;

	buf_puts(out, "the request may be ");
	for (int d = 0; d < EVAL_UNDECIDED; d++) {
		if (!(possible & (1u << d)))
			continue;
		buf_puts(out, first ? "" : " or ");
		buf_puts(out, eval_decision_name((enum eval_decision)d));
		first = false;
	}
	buf_puts(out, ", depending on");
	if (listed)
		return;
	for (size_t i = 0; i < ev->deps.count; i++) {
		struct buf subject = BUF_INIT;
		const char *text = dependency_subject(&subject, ev, &ev->deps.items[i]);
		bool repeated = false;

		for (size_t k = 0; k < i && !repeated; k++) {
			struct buf other = BUF_INIT;

			repeated = strcmp(dependency_subject(&other, ev, &ev->deps.items[k]), text) == 0;
			buf_release(&other);
		}
		if (!repeated)
			buf_printf(out, "%s%s", i ? ", " : " ", text);
		buf_release(&subject);
	}
}

/* The sentence after "decision: NAME: ". */
static void explain_decision(struct buf *out, const struct evaluation *ev, enum eval_decision decision,
			     unsigned possible, bool listed)
{
	size_t count;

	switch (decision) {
	case EVAL_EXPLICITLY_DENIED:
		count = list_statements(out, ev, EFFECT_DENY);
		buf_puts(out, count > 1 ? " deny" : " denies");
		buf_puts(out, " the request, and an explicit Deny overrides every Allow");
		break;
	case EVAL_ALLOWED:
		count = list_statements(out, ev, EFFECT_ALLOW);
		if (count == 0)
			buf_puts(out, "the root user, whom no policy denies,");
		buf_puts(out, count > 1 ? " allow the request" : " allows the request");
		break;
	case EVAL_IMPLICITLY_DENIED:
		explain_implicit(out, ev);
		break;
	default:
		explain_undecided(out, ev, possible, listed);
		break;
	}
}

static void trace_decision(struct evaluation *ev, enum eval_decision decision, unsigned possible)
{
	struct buf *t = ev->trace;

	trace_accounts(ev);
	buf_printf(t, "decision: %s: ", eval_decision_name(decision));
	explain_decision(t, ev, decision, possible, true);
	if (decision != EVAL_UNDECIDED) {
		buf_putc(t, '\n');
		return;
	}
	buf_puts(t, ":\n");
	for (size_t i = 0; i < ev->deps.count; i++)
		explain_dependency(t, ev, &ev->deps.items[i], statement_of(ev, i));
}

/* --- the request ---------------------------------------------------------------------- */

static void fill_result(struct evaluation *ev, struct eval_result *out, unsigned possible)
{
	memset(out, 0, sizeof(*out));
	out->possible = possible;
	out->decision = EVAL_UNDECIDED;
	for (int d = 0; d < EVAL_UNDECIDED; d++) {
		if (possible == 1u << d)
			out->decision = (enum eval_decision)d;
	}
	out->same_account = ev->sides.same_account;
	out->caller_account = ev->request->caller->account;
	out->resource_account = ev->resource_account;
	out->resource_policy_required = ev->resource_required;
	out->statement_count = ev->statement_count;
	out->statements = ARENA_ARRAY(ev->arena, struct eval_statement, ev->statement_count + 1);
	if (ev->statement_count)
		memcpy(out->statements, ev->statements, ev->statement_count * sizeof(*ev->statements));
	out->dependency_count = ev->deps.count;
	out->dependencies = ARENA_ARRAY(ev->arena, struct eval_dependency, ev->deps.count + 1);
	if (ev->deps.count)
		memcpy(out->dependencies, ev->deps.items, ev->deps.count * sizeof(*ev->deps.items));
}

void eval_request_evaluate(const struct eval_request *request, const struct eval_policies *policies,
			   struct arena *arena, struct eval_result *out, struct buf *trace)
{
	struct evaluation ev;
	struct buf reason = BUF_INIT;
	unsigned possible;

	memset(&ev, 0, sizeof(ev));
	ev.request = request;
	ev.policies = policies;
	ev.arena = arena;
	ev.trace = trace;
	ev.sides.identity_deny = TRI_NO;
	ev.sides.identity_allow = TRI_NO;
	ev.sides.resource_deny = TRI_NO;
	ev.sides.resource_direct = TRI_NO;
	ev.sides.resource_account = TRI_NO;
	ev.identity_applies = caller_has_identity_policies(request->caller->kind);
	ev.resource_required = eval_resource_policy_required(request->action, request->resource);
	ev.resource_account = resource_account_of(&ev);
	ev.noun = resource_noun(&ev);

	eval_context_derive(request->context, request->caller, ev.resource_account);
	evaluate_policies(&ev);
	ev.sides.same_account = ev.identity_applies ? accounts_match(&ev) : TRI_NO;
	possible = possible_decisions(&ev);
	fill_result(&ev, out, possible);
	explain_decision(&reason, &ev, out->decision, possible, false);
	out->reason = arena_strdup(arena, buf_str(&reason));
	buf_release(&reason);
	if (trace)
		trace_decision(&ev, out->decision, possible);
	free(ev.statements);
	eval_dependencies_release(&ev.deps);
}
