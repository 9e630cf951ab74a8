/*
 * The JSON line `iamcross simulate` prints for each request, and the checks
 * both forms make before evaluating.  docs/simulate.md documents the shape.
 */
#include "simulate_internal.h"

#include <string.h>

bool simulate_check_policies(const struct policy *const *identity, size_t identity_count,
			     const struct policy *resource, struct buf *reason)
{
	for (size_t i = 0; i <= identity_count; i++) {
		const struct policy *policy = i < identity_count ? identity[i] : resource;

		if (!policy)
			continue;
		if (!eval_policy_check(policy, reason)) {
			struct buf prefixed = BUF_INIT;

			buf_printf(&prefixed, "%s: %s", policy->name ? policy->name : "policy", buf_str(reason));
			buf_reset(reason);
			buf_puts(reason, buf_str(&prefixed));
			buf_release(&prefixed);
			return false;
		}
	}
	return true;
}

static void put_string(struct buf *out, const struct eval_policies *p, const char *text)
{
	struct buf rendered = BUF_INIT;

	if (!text) {
		buf_puts(out, "null");
		return;
	}
	if (!text_has_hole(text)) {
		buf_put_json_string(out, text);
		return;
	}
	text_render(&rendered, text, p ? p->symbols : NULL);
	buf_put_json_string(out, buf_str(&rendered));
	buf_release(&rendered);
}

/* Append `n` in decimal; cheaper than a printf on every output line. */
static void put_decimal(struct buf *out, size_t n)
{
	char digits[24];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	buf_append(out, digits + i, sizeof(digits) - i);
}

static void put_head(struct buf *out, const char *id, size_t line, const char *decision)
{
	buf_puts(out, "{\"id\":");
	buf_puts(out, id ? id : "null");
	if (line) {
		buf_puts(out, ",\"line\":");
		put_decimal(out, line);
	}
	buf_puts(out, ",\"decision\":");
	buf_put_json_string(out, decision);
}

void simulate_write_error(struct buf *out, const char *id, size_t line, const char *reason)
{
	put_head(out, id, line, "Error");
	buf_puts(out, ",\"detail\":{\"reason\":");
	buf_put_json_string(out, reason);
	buf_puts(out, "}}\n");
}

static void put_statement_id(struct buf *out, const struct eval_statement *es)
{
	buf_puts(out, "\"policy\":");
	put_string(out, NULL, es->policy->name ? es->policy->name : "");
	buf_puts(out, ",\"index\":");
	put_decimal(out, es->statement->index);
	if (es->statement->has_sid && es->statement->sid.text) {
		buf_puts(out, ",\"sid\":");
		buf_put_json_string(out, es->statement->sid.text);
	}
}

/* Does the statement decide the result?  See docs/simulate.md. */
static bool is_deciding(const struct eval_result *r, const struct eval_statement *es)
{
	switch (r->decision) {
	case EVAL_EXPLICITLY_DENIED:
		return es->matches == TRI_YES && es->statement->effect == EFFECT_DENY;
	case EVAL_ALLOWED:
		return es->matches == TRI_YES && es->statement->effect == EFFECT_ALLOW;
	case EVAL_UNDECIDED:
		return es->matches == TRI_MAYBE;
	default:
		return false;
	}
}

static void put_statements(struct buf *out, const struct eval_result *r,
			   const struct eval_policies *p)
{
	buf_puts(out, ",\"statements\":[");
	for (size_t i = 0; i < r->statement_count; i++) {
		const struct eval_statement *es = &r->statements[i];
		bool resource = es->policy_index >= p->identity_count;

		buf_puts(out, i ? ",{" : "{");
		put_statement_id(out, es);
		buf_puts(out, ",\"effect\":");
		buf_put_json_string(out, effect_name(es->statement->effect));
		buf_puts(out, es->matches == TRI_YES ? ",\"match\":\"yes\"" : ",\"match\":\"maybe\"");
		if (resource)
			buf_puts(out, es->level == EVAL_LEVEL_DIRECT ? ",\"principal\":\"caller\""
								      : ",\"principal\":\"account\"");
		buf_puts(out, is_deciding(r, es) ? ",\"deciding\":true}" : ",\"deciding\":false}");
	}
	buf_putc(out, ']');
}

static const char *dependency_kind_name(enum eval_dependency_kind kind)
{
	switch (kind) {
	case EVAL_DEPENDS_ON_KEY:
		return "key";
	case EVAL_DEPENDS_ON_VARIABLE:
		return "variable";
	case EVAL_DEPENDS_ON_SET_OPERATOR:
		return "setOperator";
	case EVAL_DEPENDS_ON_UNDOCUMENTED:
		return "undocumented";
	case EVAL_DEPENDS_ON_UNRESOLVED:
		return "unresolved";
	case EVAL_DEPENDS_ON_RESOURCE_ACCOUNT:
		return "resourceAccount";
	case EVAL_DEPENDS_ON_PRINCIPAL:
		return "principal";
	}
	return "key";
}

static const struct eval_statement *statement_of(const struct eval_result *r, size_t dependency)
{
	for (size_t i = 0; i < r->statement_count; i++) {
		const struct eval_statement *es = &r->statements[i];

		if (dependency >= es->first_dependency &&
		    dependency < es->first_dependency + es->dependency_count)
			return es;
	}
	return NULL;
}

static void put_dependency(struct buf *out, const struct eval_result *r, size_t i,
			   const struct eval_policies *p)
{
	const struct eval_dependency *d = &r->dependencies[i];
	const struct eval_statement *es = statement_of(r, i);
	bool is_key = d->kind == EVAL_DEPENDS_ON_KEY || d->kind == EVAL_DEPENDS_ON_VARIABLE ||
		      d->kind == EVAL_DEPENDS_ON_SET_OPERATOR;

	buf_puts(out, "{\"kind\":");
	buf_put_json_string(out, dependency_kind_name(d->kind));
	if (d->name) {
		buf_puts(out, is_key ? ",\"key\":" : ",\"value\":");
		put_string(out, p, d->name);
	}
	if (d->condition) {
		buf_puts(out, ",\"operator\":");
		buf_put_json_string(out, d->condition->operator_name.text);
		buf_puts(out, ",\"values\":[");
		for (size_t v = 0; v < d->condition->values.count; v++) {
			buf_puts(out, v ? "," : "");
			put_string(out, p, d->condition->values.items[v].text);
		}
		buf_putc(out, ']');
	}
	if (es) {
		buf_putc(out, ',');
		put_statement_id(out, es);
	}
	if (d->note) {
		buf_puts(out, ",\"note\":");
		buf_put_json_string(out, d->note);
	}
	buf_putc(out, '}');
}

static void put_undecided(struct buf *out, const struct eval_result *r, const struct eval_policies *p)
{
	bool first = true;

	buf_puts(out, ",\"possibleDecisions\":[");
	for (int d = 0; d < EVAL_UNDECIDED; d++) {
		if (!(r->possible & (1u << d)))
			continue;
		buf_puts(out, first ? "" : ",");
		buf_put_json_string(out, eval_decision_name((enum eval_decision)d));
		first = false;
	}
	buf_puts(out, "],\"dependsOn\":[");
	for (size_t i = 0; i < r->dependency_count; i++) {
		buf_puts(out, i ? "," : "");
		put_dependency(out, r, i, p);
	}
	buf_putc(out, ']');
}

void simulate_write_result(struct buf *out, const char *id, size_t line,
			   const struct eval_result *r, const struct eval_policies *p)
{
	put_head(out, id, line, eval_decision_name(r->decision));
	buf_puts(out, ",\"detail\":{\"reason\":");
	put_string(out, p, r->reason);
	buf_puts(out, ",\"crossAccount\":");
	if (!r->caller_account || r->same_account == TRI_MAYBE)
		buf_puts(out, "null");
	else
		buf_puts(out, r->same_account == TRI_YES ? "false" : "true");
	buf_puts(out, ",\"callerAccount\":");
	put_string(out, p, r->caller_account);
	buf_puts(out, ",\"resourceAccount\":");
	put_string(out, p, r->resource_account);
	buf_puts(out, r->resource_policy_required ? ",\"resourcePolicyRequired\":true"
						  : ",\"resourcePolicyRequired\":false");
	put_statements(out, r, p);
	if (r->decision == EVAL_UNDECIDED)
		put_undecided(out, r, p);
	buf_puts(out, "}}\n");
}
