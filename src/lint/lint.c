/*
 * One-policy checks that need no action catalog.
 *
 * Each check looks at one statement or one value and reports at the value it
 * is about.  Values with holes (unresolved Terraform expressions) are only
 * judged on what is already known: "*" written literally is a wildcard, but
 * an unknown could be anything and is not reported.
 */
#include "iamcross/lint.h"
#include "iamcross/symbol.h"

#include <ctype.h>
#include <string.h>

static bool is_allow(const struct statement *st)
{
	return st->effect == EFFECT_ALLOW;
}

static void check_sids(struct context *ctx, const struct policy *policy)
{
	for (size_t i = 0; i < policy->statement_count; i++) {
		const struct statement *st = &policy->statements[i];

		if (!st->has_sid || !st->sid.text || text_has_hole(st->sid.text))
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct statement *earlier = &policy->statements[j];
			struct finding *f;

			if (!earlier->has_sid || !earlier->sid.text || strcmp(earlier->sid.text, st->sid.text) != 0)
				continue;
			f = diag_add(&ctx->diags, RULE_DUPLICATE_SID, st->sid.span,
				     "Sid '%s' is already used by statement %zu", st->sid.text, earlier->index + 1);
			diag_add_related(f, earlier->sid.span, "first used here");
			diag_set_hint(f, "give each statement its own Sid");
			break;
		}
		if (policy->kind == POLICY_IDENTITY) {
			for (const char *p = st->sid.text; *p; p++) {
				if (isalnum((unsigned char)*p))
					continue;
				diag_add(&ctx->diags, RULE_INVALID_ELEMENT, st->sid.span,
					 "Sid '%s' has the character '%c'; IAM accepts only letters and digits in the Sid of an identity policy",
					 st->sid.text, *p);
				break;
			}
		}
	}
}

static void check_principal_presence(struct context *ctx, const struct policy *policy,
				     const struct statement *st)
{
	struct finding *f;

	if (policy->kind == POLICY_IDENTITY && st->principal.present) {
		f = diag_add(&ctx->diags, RULE_PRINCIPAL_IN_IDENTITY_POLICY, st->principal.key_span,
			     "an identity policy cannot name a %s; the role or user it is attached to is its principal",
			     st->principal.negated ? "NotPrincipal" : "Principal");
		diag_set_hint(f, "remove it; the resource policy of the target is where the principal belongs");
		return;
	}
	if (policy->kind != POLICY_IDENTITY && !st->principal.present) {
		f = diag_add(&ctx->diags, RULE_STATEMENT_WITHOUT_PRINCIPAL, st->span,
			     "statement %zu of this %s policy names no Principal", st->index + 1,
			     policy->kind == POLICY_TRUST ? "trust" : "resource");
		diag_set_hint(f, "add \"Principal\": {\"AWS\": \"<role ARN>\"} naming who the statement applies to");
	}
}

/* "*" or "service:*": every action, or every action of a service. */
static bool is_service_wildcard(const char *action)
{
	const char *colon;

	if (strcmp(action, "*") == 0)
		return true;
	colon = strchr(action, ':');
	return colon && strcmp(colon + 1, "*") == 0 && colon != action && !text_has_hole(action);
}

static void check_wildcards(struct context *ctx, const struct policy *policy,
			    const struct statement *st)
{
	struct finding *f;

	if (!is_allow(st))
		return;

	if (!st->actions_negated) {
		for (size_t i = 0; i < st->actions.count; i++) {
			const struct pvalue *a = &st->actions.items[i];

			if (!is_service_wildcard(a->text))
				continue;
			f = diag_add(&ctx->diags, RULE_WILDCARD_ACTION, a->span,
				     strcmp(a->text, "*") == 0
					     ? "'%s' allows every action of every service"
					     : "'%s' allows every action of the service, including ones added later",
				     a->text);
			diag_set_hint(f, "list the actions the workload calls");
		}
	} else {
		f = diag_add(&ctx->diags, RULE_ALLOW_WITH_NOT_ACTION, st->actions.key_span,
			     "Allow with NotAction allows every action of every service except the ones listed");
		diag_set_hint(f, "list the allowed actions in \"Action\" instead");
	}

	if (policy->kind == POLICY_IDENTITY && !st->resources_negated) {
		for (size_t i = 0; i < st->resources.count; i++) {
			const struct pvalue *r = &st->resources.items[i];

			if (strcmp(r->text, "*") != 0)
				continue;
			f = diag_add(&ctx->diags, RULE_WILDCARD_RESOURCE, r->span,
				     "\"Resource\": \"*\" applies the statement's actions to every resource in every account that allows them");
			diag_set_hint(f, "name the ARNs of the resources the workload uses");
		}
	}

	if (st->principal.present && st->principal.negated) {
		f = diag_add(&ctx->diags, RULE_ALLOW_WITH_NOT_PRINCIPAL, st->principal.key_span,
			     "Allow with NotPrincipal allows every principal except the ones listed, anonymous callers included");
		diag_set_hint(f, "name the allowed principals in \"Principal\" instead");
	} else if (st->principal.present && st->principal.wildcard && !st->has_condition &&
		   policy->kind != POLICY_IDENTITY) {
		f = diag_add(&ctx->diags, RULE_WILDCARD_PRINCIPAL, st->principal.value_span,
			     "this statement allows any principal in any account, without a condition");
		diag_set_hint(f, "name the role that needs access, or add a condition such as aws:PrincipalOrgID");
	}
}

void lint_policy(struct context *ctx, const struct policy *policy)
{
	check_sids(ctx, policy);
	for (size_t i = 0; i < policy->statement_count; i++) {
		const struct statement *st = &policy->statements[i];

		check_principal_presence(ctx, policy, st);
		check_wildcards(ctx, policy, st);
	}
}
