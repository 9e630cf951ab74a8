/*
 * Checking a configuration: every policy on its own, then every role
 * against the resource policies it depends on.
 *
 * A role is paired with a resource or trust policy of the configuration
 * when that policy names the role: the same ARN text, holes included, or
 * an ARN the role's could be.  It is paired with a --counterpart policy
 * when the role's policies allow something on a resource the counterpart
 * governs.
 * A resource in another account that neither covers is reported as
 * unresolved-counterpart: the pair check could not be run for it.
 *
 * Findings in a modelled module's own policies get the severities the
 * model sets, so a platform-wide `sqs:*` does not bury what the user can
 * change.
 */
#include "internal.h"
#include "iamcross/arn.h"
#include "iamcross/glob.h"
#include "iamcross/lint.h"
#include "iamcross/pair.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Lint --------------------------------------------------------------------------- */

static void apply_model_severities(struct context *ctx, const struct tf_policy *tp, size_t from)
{
	const cJSON *severities = tf_model_section(tp->model, "severity");

	for (size_t i = from; i < ctx->diags.count; i++) {
		struct finding *f = &ctx->diags.items[i];
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(severities, rule_get(f->rule)->name);
		enum severity severity;

		if (cJSON_IsString(s) && severity_parse(s->valuestring, &severity))
			f->severity = severity;
		/* The configuration's module_severity applies to findings that carry their module. */
		if (!f->module_source && tp->module_source)
			f->module_source = xstrdup(tp->module_source);
	}
}

void tf_lint(struct context *ctx, const struct tf_config *config)
{
	for (size_t i = 0; i < config->policy_count; i++) {
		const struct tf_policy *tp = config->policies[i];
		size_t before = ctx->diags.count;

		if (!tp->policy || tp->foreign)
			continue;
		lint_policy(ctx, tp->policy);
		if (tp->model)
			apply_model_severities(ctx, tp, before);
	}
}

/* Does a policy name a principal? ---------------------------------------------------- */

static enum tri value_names(const char *value, const char *arn)
{
	struct glob *pattern;
	enum tri t;

	if (strcmp(value, arn) == 0)
		return TRI_YES;
	if (strcmp(value, "*") == 0 || !str_starts_with(value, "arn:") || !strstr(value, ":role/"))
		return TRI_NO;
	pattern = glob_compile(arn, GLOB_LITERAL, false);
	t = glob_match(pattern, value);
	glob_free(pattern);
	return t;
}

static bool policy_names(const struct policy *policy, const char *arn)
{
	for (size_t s = 0; s < policy->statement_count; s++) {
		const struct statement *st = &policy->statements[s];
		const struct pvalue_list *aws = &st->principal.by_type[PRINCIPAL_AWS];

		if (st->effect == EFFECT_DENY || st->principal.negated)
			continue;
		for (size_t i = 0; i < aws->count; i++) {
			if (value_names(aws->items[i].text, arn) != TRI_NO)
				return true;
		}
	}
	return false;
}

/* The account field of an ARN, or NULL. */
static char *account_of(const char *arn_text)
{
	struct arn arn;
	struct buf reason = BUF_INIT;
	bool ok = arn_text && arn_parse(arn_text, &arn, &reason);

	buf_release(&reason);
	return ok && arn.account.length ? xstrndup(arn.account.data, arn.account.length) : NULL;
}

struct pairing {
	struct context *ctx;
	const struct tf_principal *principal;
	const struct policy **identity;
	size_t identity_count;
};

static void run_pair(struct pairing *p, const struct policy *resource, const char *resource_account)
{
	struct pair_input input;

	memset(&input, 0, sizeof(input));
	input.principal = p->principal->arn;
	input.principal_span = p->principal->span;
	input.principal_naming = p->principal->naming;
	input.identity = p->identity;
	input.identity_count = p->identity_count;
	input.resource = resource;
	input.resource_account = resource_account;
	pair_check(p->ctx, &input);
}

/* Targets --------------------------------------------------------------------------- */

/* Services whose resources can have a policy that admits another account. */
static bool has_resource_policies(struct arn_slice service, struct arn_slice resource)
{
	static const char *const services[] = {
		"s3", "kms", "sqs", "sns", "secretsmanager", "ecr", "lambda", "dynamodb",
	};

	if (arn_slice_equal(service, "iam"))
		return resource.length > 5 && memcmp(resource.data, "role/", 5) == 0;
	for (size_t i = 0; i < IX_COUNT(services); i++) {
		if (arn_slice_equal(service, services[i]))
			return true;
	}
	return false;
}

/* Does pattern `a` share a resource with `b`, counting a bucket's objects as the bucket's? */
static bool resources_meet(const char *a, const char *b)
{
	struct glob *ga = glob_compile(a, GLOB_ARN, true);
	struct glob *gb = glob_compile(b, GLOB_ARN, true);
	bool meet = glob_intersects(ga, gb, NULL) != TRI_NO;

	glob_free(gb);
	if (!meet && str_starts_with(b, "arn:aws:s3:::") && !strchr(b + strlen("arn:aws:s3:::"), '/')) {
		char *objects = xasprintf("%s/*", b);

		gb = glob_compile(objects, GLOB_ARN, true);
		meet = glob_intersects(ga, gb, NULL) != TRI_NO;
		glob_free(gb);
		free(objects);
	}
	glob_free(ga);
	return meet;
}

/* Resource patterns of a policy's statements, "*" left out. */
static bool policy_covers(const struct policy *policy, const char *governs, const char *target)
{
	if (governs && resources_meet(target, governs))
		return true;
	/* A trust policy names no Resource: it governs the role a get-role wrapper names. */
	if (policy && policy->kind == POLICY_TRUST && policy->role_arn && resources_meet(target, policy->role_arn))
		return true;
	for (size_t s = 0; policy && s < policy->statement_count; s++) {
		const struct pvalue_list *r = &policy->statements[s].resources;

		if (policy->statements[s].resources_negated)
			continue;
		for (size_t i = 0; i < r->count; i++) {
			const char *text = r->items[i].text;

			if (strcmp(text, "*") == 0)
				continue;
			if (resources_meet(target, text))
				return true;
			/* A bucket policy governs its bucket and every object in it. */
			if (str_starts_with(text, "arn:aws:s3:::")) {
				char *bucket = xstrndup(text, strlen("arn:aws:s3:::") + strcspn(text + strlen("arn:aws:s3:::"), "/"));
				bool meet = resources_meet(target, bucket);

				free(bucket);
				if (meet)
					return true;
			}
		}
	}
	return false;
}

/*
 * Does the input create `target`, or contain the policy that governs it?
 * A resource whose ARN contains an unknown does not count for a literal
 * target, because it may be another resource.  Counting it would leave the
 * target's own policy unchecked without a finding.
 */
static bool in_config(const struct tf_config *config, const char *target)
{
	for (size_t i = 0; i < config->policy_count; i++) {
		const struct tf_policy *tp = config->policies[i];

		if (tp->kind != POLICY_IDENTITY && tp->governs && !text_has_hole(tp->governs) &&
		    resources_meet(target, tp->governs))
			return true;
	}
	for (size_t i = 0; i < config->resource_count; i++) {
		if (!text_has_hole(config->resources[i].arn) && resources_meet(target, config->resources[i].arn))
			return true;
	}
	for (size_t i = 0; i < config->principal_count; i++) {
		if (config->principals[i]->arn && resources_meet(target, config->principals[i]->arn))
			return true;
	}
	return false;
}

/*
 * Is `target` in another account, as far as can be told?  An ARN with an
 * unknown account or bucket is taken to be the configuration's own.
 */
static bool may_be_other_account(const char *target, const char *account, struct arn *arn)
{
	struct buf reason = BUF_INIT;
	bool ok = arn_parse(target, arn, &reason);

	buf_release(&reason);
	if (!ok || !has_resource_policies(arn->service, arn->resource) || text_has_hole(target))
		return false;
	/* A bucket named by a pattern is no one bucket whose policy could be given. */
	if (arn->account.length == 0)
		return arn_slice_equal(arn->service, "s3") &&
		       strcspn(arn->resource.data, "/*?") == strcspn(arn->resource.data, "/");
	/* A pattern, or an account ID that is not one (invalid-account-id reports it), names no account. */
	if (arn->account.length != ARN_ACCOUNT_ID_LENGTH ||
	    strspn(arn->account.data, "0123456789") < ARN_ACCOUNT_ID_LENGTH)
		return false;
	return !account || !arn_slice_equal(arn->account, account);
}

/*
 * The resource of a counterpart that `target` is a small edit away from,
 * most often a typo on one side; NULL when there is none.
 */
static const struct pvalue *near_counterpart(const struct policy_set *counterparts, const char *target)
{
	const struct pvalue *best = NULL;
	size_t best_distance = 3;

	for (size_t c = 0; counterparts && c < counterparts->count; c++) {
		const struct policy *policy = counterparts->items[c];

		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct pvalue_list *r = &policy->statements[s].resources;

			if (policy->statements[s].resources_negated)
				continue;
			for (size_t i = 0; i < r->count; i++) {
				size_t distance;

				if (strcmp(r->items[i].text, "*") == 0)
					continue;
				distance = str_edit_distance(target, r->items[i].text, best_distance, false);
				if (distance > 0 && distance < best_distance) {
					best = &r->items[i];
					best_distance = distance;
				}
			}
		}
	}
	return best;
}

static void report_unresolved(struct context *ctx, const struct tf_policy *tp, const struct pvalue *value,
			      const struct arn *arn, const char *account, const struct policy_set *counterparts)
{
	const struct pvalue *near = near_counterpart(counterparts, value->text);
	struct finding *f;

	if (arn->account.length == 0)
		f = diag_add(&ctx->diags, RULE_UNRESOLVED_COUNTERPART, value->span,
			     "the policy allows access to '%s', a bucket the input does not create; its bucket policy is not in the input, so whether it allows the role was not checked",
			     value->text);
	else if (account)
		f = diag_add(&ctx->diags, RULE_UNRESOLVED_COUNTERPART, value->span,
			     "the policy allows access to '%s' in account %.*s, not the deployment account %s; its resource policy is not in the input, so whether it allows the role was not checked",
			     value->text, (int)arn->account.length, arn->account.data, account);
	else
		f = diag_add(&ctx->diags, RULE_UNRESOLVED_COUNTERPART, value->span,
			     "the policy allows access to '%s' in account %.*s, which may be another account; its resource policy is not in the input, so whether it allows the role was not checked",
			     value->text, (int)arn->account.length, arn->account.data);
	diag_add_related(f, tp->anchor, "in the policy %s", tp->address);
	if (near) {
		/* A counterpart was given for almost this ARN: one side is probably misspelt, and AWS would deny. */
		f->severity = SEVERITY_WARNING;
		diag_add_related(f, near->span, "a --counterpart governs '%s', a few characters away", near->text);
		diag_set_hint(f, "if both name the same resource, correct the ARN that is misspelt");
		return;
	}
	diag_set_hint(f, account ? "give the other account's policy with --counterpart FILE, as the AWS CLI prints it (for example aws s3api get-bucket-policy)" :
		      "give the other account's policy with --counterpart FILE; if the resource is in the deployment account, say so with --account");
}

static void check_targets(struct context *ctx, const struct tf_config *config, const struct policy_set *counterparts)
{
	const char *account = ctx->account;

	for (size_t p = 0; p < config->policy_count; p++) {
		const struct tf_policy *tp = config->policies[p];

		if (tp->kind != POLICY_IDENTITY || !tp->policy || tp->foreign)
			continue;
		for (size_t s = 0; s < tp->policy->statement_count; s++) {
			const struct statement *st = &tp->policy->statements[s];

			if (st->effect != EFFECT_ALLOW || st->resources_negated)
				continue;
			for (size_t i = 0; i < st->resources.count; i++) {
				const struct pvalue *value = &st->resources.items[i];
				bool covered = false;
				struct arn arn;

				if (!may_be_other_account(value->text, account, &arn) || in_config(config, value->text))
					continue;
				for (size_t c = 0; counterparts && c < counterparts->count && !covered; c++)
					covered = policy_covers(counterparts->items[c], NULL, value->text);
				if (!covered)
					report_unresolved(ctx, tp, value, &arn, account, counterparts);
			}
		}
	}
}

/* Pairs ------------------------------------------------------------------------------ */

static bool identity_touches(const struct pairing *p, const struct policy *counterpart)
{
	for (size_t i = 0; i < p->identity_count; i++) {
		const struct policy *id = p->identity[i];

		for (size_t s = 0; s < id->statement_count; s++) {
			const struct statement *st = &id->statements[s];

			if (st->effect != EFFECT_ALLOW)
				continue;
			for (size_t r = 0; r < st->resources.count; r++) {
				const char *text = st->resources.items[r].text;

				if (counterpart->kind == POLICY_TRUST) {
					for (size_t a = 0; a < st->actions.count; a++) {
						const char *action = st->actions.items[a].text;

						if (strcmp(action, "*") == 0 || strncasecmp(action, "sts:", 4) == 0)
							return strcmp(text, "*") != 0;
					}
				} else if (strcmp(text, "*") != 0 && policy_covers(counterpart, NULL, text)) {
					return true;
				}
			}
		}
	}
	return false;
}

static void pair_principal(struct context *ctx, const struct tf_config *config, struct tf_principal *principal,
			   const struct policy_set *counterparts)
{
	struct pairing p = {ctx, principal, NULL, 0};
	char *account = account_of(principal->arn);

	if (!principal->arn)
		return;
	p.identity = xcalloc(principal->policy_count + 1, sizeof(*p.identity));
	for (size_t i = 0; i < principal->policy_count; i++) {
		if (principal->policies[i]->policy)
			p.identity[p.identity_count++] = principal->policies[i]->policy;
	}
	for (size_t i = 0; i < config->policy_count; i++) {
		const struct tf_policy *tp = config->policies[i];

		if (tp->kind == POLICY_IDENTITY || !tp->policy || tp == principal->trust || tp->foreign)
			continue;
		if (policy_names(tp->policy, principal->arn))
			run_pair(&p, tp->policy, account);
	}
	for (size_t c = 0; counterparts && c < counterparts->count; c++) {
		if (identity_touches(&p, counterparts->items[c]))
			run_pair(&p, counterparts->items[c], NULL);
	}
	free(account);
	free(p.identity);
}

void tf_analyze(struct context *ctx, struct tf_config *config, const struct policy_set *counterparts)
{
	tf_lint(ctx, config);
	for (size_t i = 0; i < config->principal_count; i++)
		pair_principal(ctx, config, config->principals[i], counterparts);
	check_targets(ctx, config, counterparts);
}
