/*
 * One-policy checks: the entry point, and the checks that need no action
 * catalog.  Those that do live in the other files of src/lint.
 *
 * Each check looks at one statement or one value and reports at the value it
 * is about.  Values with holes (unresolved Terraform expressions) are only
 * judged on what is already known: "*" written literally is a wildcard, but
 * an unknown could be anything and is not reported.
 */
#include "lint_internal.h"

#include "iamcross/arn.h"
#include "iamcross/config.h"
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

/*
 * A key policy statement giving an account root every KMS action: AWS's
 * default key policy, which hands the key's use over to the IAM policies of
 * that account.  Its "kms:*" is the intended delegation, not a wildcard grant.
 */
static bool is_key_delegation(const struct policy *policy, const struct statement *st)
{
	const struct pvalue_list *aws = &st->principal.by_type[PRINCIPAL_AWS];

	if (policy->kind == POLICY_IDENTITY || st->principal.wildcard || aws->count == 0)
		return false;
	for (size_t i = 0; i < aws->count; i++) {
		const char *v = aws->items[i].text;

		if (!str_ends_with(v, ":root") && strspn(v, "0123456789") != strlen(v))
			return false;
	}
	for (size_t i = 0; i < st->actions.count; i++) {
		if (!str_iequal(st->actions.items[i].text, "kms:*"))
			return false;
	}
	return true;
}

static void check_wildcards(struct context *ctx, const struct policy *policy,
			    const struct statement *st)
{
	struct finding *f;

	if (!is_allow(st))
		return;

	if (!st->actions_negated && !is_key_delegation(policy, st)) {
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
	} else if (st->actions_negated) {
		f = diag_add(&ctx->diags, RULE_ALLOW_WITH_NOT_ACTION, st->actions.key_span,
			     "Allow with NotAction allows every action of every service except the ones listed");
		diag_set_hint(f, "list the allowed actions in \"Action\" instead");
	}

	if (policy->kind == POLICY_IDENTITY && !st->resources_negated && !lint_statement_needs_no_resource(st)) {
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

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/*
 * Report an invalid account ID inside `text` (an ARN or a bare ID) and
 * return true, or return false when the account field is fine or absent.
 */
static bool check_account(struct context *ctx, const struct pvalue *value)
{
	struct buf reason = BUF_INIT;
	struct arn arn;
	struct arn_slice account = {value->text, strlen(value->text)};
	bool bad;

	if (str_starts_with(value->text, "arn:")) {
		if (!arn_parse(value->text, &arn, &reason) || arn.account.length == 0) {
			buf_release(&reason);
			return false;
		}
		account = arn.account;
	} else if (!all_digits(value->text)) {
		return false;
	}
	if (memchr(account.data, '*', account.length) || memchr(account.data, '?', account.length) ||
	    memchr(account.data, HOLE_START, account.length) || arn_slice_equal(account, "aws")) {
		buf_release(&reason);
		return false;
	}
	buf_reset(&reason);
	bad = !arn_account_id_check(account, &reason);
	if (bad) {
		struct finding *f = diag_add(
			&ctx->diags, RULE_INVALID_ACCOUNT_ID,
			source_subspan(&ctx->sources, value->span, value->text,
				       (size_t)(account.data - value->text), account.length),
			"%s", buf_str(&reason));

		diag_set_hint(f, "write the full 12-digit account ID, leading zeros included, as a string");
	}
	buf_release(&reason);
	return bad;
}

static void check_resource_arns(struct context *ctx, const struct statement *st)
{
	for (size_t i = 0; i < st->resources.count; i++) {
		const struct pvalue *r = &st->resources.items[i];
		struct buf reason = BUF_INIT;
		struct arn arn;
		struct finding *f;

		if (strcmp(r->text, "*") == 0 || check_account(ctx, r))
			continue;
		if (arn_parse(r->text, &arn, &reason) && arn_validate(&arn, &reason)) {
			buf_release(&reason);
			lint_check_resource_type(ctx, r);
			continue;
		}
		/* Only the known parts can be judged: a hole before "arn:" could be the whole ARN. */
		if (text_has_hole(r->text) && !str_starts_with(r->text, "arn:")) {
			buf_release(&reason);
			continue;
		}
		f = diag_add(&ctx->diags, RULE_INVALID_ARN, r->span, "%s", buf_str(&reason));
		diag_set_hint(f, "a Resource is \"*\" or a full ARN such as arn:aws:s3:::my-bucket/*");
		buf_release(&reason);
	}
}

static void check_aws_principal(struct context *ctx, const struct pvalue *value)
{
	struct buf reason = BUF_INIT;
	struct arn_principal principal;
	struct finding *f;

	if (check_account(ctx, value))
		return;
	if (!arn_principal_parse(value->text, &principal, &reason)) {
		if (!text_has_hole(value->text) || str_starts_with(value->text, "arn:")) {
			f = diag_add(&ctx->diags, RULE_INVALID_ARN, value->span, "%s", buf_str(&reason));
			diag_set_hint(f, "an AWS principal is \"*\", a 12-digit account ID, or an ARN such as arn:aws:iam::111122223333:role/name");
		}
		buf_release(&reason);
		return;
	}
	buf_release(&reason);

	if (principal.has_wildcard && principal.kind != ARN_PRINCIPAL_ANY) {
		f = diag_add(&ctx->diags, RULE_WILDCARD_IN_PRINCIPAL_ARN, value->span,
			     "'%s' has a wildcard, which AWS does not accept in a principal ARN",
			     context_render(ctx, value->text));
		diag_set_hint(f, "name the exact role, or grant the account and add an ArnLike condition on aws:PrincipalArn");
	} else if (principal.kind == ARN_PRINCIPAL_UNIQUE_ID) {
		f = diag_add(&ctx->diags, RULE_STALE_PRINCIPAL, value->span,
			     "'%s' is the unique ID of a %s that no longer exists; AWS puts it in place of the ARN when the %s is deleted, and a new %s with the same name does not match it",
			     value->text, principal.unique_id_type, principal.unique_id_type,
			     principal.unique_id_type);
		diag_set_hint(f, "replace it with the ARN of the current %s", principal.unique_id_type);
	}
}

static void check_principal_values(struct context *ctx, const struct statement *st)
{
	const struct pvalue_list *aws = &st->principal.by_type[PRINCIPAL_AWS];

	for (size_t i = 0; i < aws->count; i++)
		check_aws_principal(ctx, &aws->items[i]);
}

void lint_policy(struct context *ctx, const struct policy *policy)
{
	context_add_policy(ctx, policy);
	config_check_policy(ctx->config, ctx, policy);
	check_sids(ctx, policy);
	for (size_t i = 0; i < policy->statement_count; i++) {
		const struct statement *st = &policy->statements[i];

		check_principal_presence(ctx, policy, st);
		check_wildcards(ctx, policy, st);
		check_resource_arns(ctx, st);
		check_principal_values(ctx, st);
		lint_check_action_names(ctx, st);
		lint_check_conditions(ctx, st);
	}
	lint_check_action_resources(ctx, policy);
	lint_check_trust(ctx, policy);
	lint_check_policy_size(ctx, policy);
}
