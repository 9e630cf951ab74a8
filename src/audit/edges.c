/*
 * Edges that leave the deployment account: a grant on a resource whose
 * ARN names another account, or on a bucket the namespace does not create,
 * for a service whose resources have policies that can admit another
 * account.  This is the test scan uses for unresolved-counterpart.
 *
 * When a --counterpart policy governs the resource, the evaluator decides
 * each action the role's policies allow there, with that policy as the
 * resource policy.  The cross-account rule applies: a request is allowed
 * only when an identity statement and a counterpart statement allow it and
 * no Deny of either applies.  A confirmation is never claimed on a guess.  For a resource pattern with wildcards, the counterpart's matching
 * Allow statements must cover every resource of the pattern (glob_subset),
 * and a Deny of either side that covers part of it makes the action denied
 * for that part.
 */
#include "internal.h"
#include "iamcross/arn.h"
#include "iamcross/glob.h"

#include <stdlib.h>
#include <string.h>

/* Services whose resources can have a policy that admits another account, as in scan. */
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

enum tri audit_resources_meet(const char *a, const char *b)
{
	struct glob *ga = glob_compile(a, GLOB_ARN, true);
	struct glob *gb = glob_compile(b, GLOB_ARN, true);
	enum tri meet = glob_intersects(ga, gb, NULL);

	glob_free(ga);
	glob_free(gb);
	return meet;
}

/*
 * Does `pattern` meet `target`, counting a bucket's objects as the
 * bucket's: a bucket policy on objects governs the bucket, and a bucket
 * the namespace creates contains the objects a grant names.
 */
static bool meets_with_bucket(const char *target, const char *pattern)
{
	const char *s3 = "arn:aws:s3:::";
	char *other;
	bool meet;

	if (audit_resources_meet(target, pattern) != TRI_NO)
		return true;
	if (!str_starts_with(pattern, s3))
		return false;
	if (strchr(pattern + strlen(s3), '/'))
		other = xstrndup(pattern, strlen(s3) + strcspn(pattern + strlen(s3), "/"));
	else
		other = xasprintf("%s/*", pattern);
	meet = audit_resources_meet(target, other) != TRI_NO;
	free(other);
	return meet;
}

/* Is `target` created or governed by the namespace itself? */
static bool in_config(const struct tf_config *config, const char *target)
{
	for (size_t i = 0; i < config->policy_count; i++) {
		const struct tf_policy *tp = config->policies[i];

		if (tp->kind != POLICY_IDENTITY && tp->governs && !tp->foreign &&
		    meets_with_bucket(target, tp->governs))
			return true;
	}
	for (size_t i = 0; i < config->resource_count; i++) {
		if (meets_with_bucket(target, config->resources[i].arn))
			return true;
	}
	for (size_t i = 0; i < config->principal_count; i++) {
		if (config->principals[i]->arn && audit_resources_meet(target, config->principals[i]->arn) != TRI_NO)
			return true;
	}
	return false;
}

/*
 * The account a target in another account is in: its 12 digits, or "" for
 * a bucket whose account the ARN does not name.  NULL when the target is
 * in the deployment account, or is a pattern or an unknown that names no
 * one resource.
 */
static const char *other_account(struct role_build *b, const char *target)
{
	struct arn arn;
	struct buf reason = BUF_INIT;
	bool ok = arn_parse(target, &arn, &reason);
	const char *account = b->audit->account;

	buf_release(&reason);
	if (!ok || !has_resource_policies(arn.service, arn.resource) || text_has_hole(target) ||
	    in_config(b->config, target))
		return NULL;
	if (arn.account.length == 0) {
		bool one_bucket = arn_slice_equal(arn.service, "s3") &&
				  strcspn(arn.resource.data, "/*?") == strcspn(arn.resource.data, "/");

		return one_bucket ? "" : NULL;
	}
	if (arn.account.length != ARN_ACCOUNT_ID_LENGTH ||
	    strspn(arn.account.data, "0123456789") < ARN_ACCOUNT_ID_LENGTH)
		return NULL;
	if (account && arn_slice_equal(arn.account, account))
		return NULL;
	return arena_strndup(&b->audit->arena, arn.account.data, arn.account.length);
}

/* Counterparts ------------------------------------------------------------------------------- */

static bool is_role_arn(const char *target)
{
	return str_starts_with(target, "arn:") && strstr(target, ":role/") != NULL;
}

/*
 * The role targets of the whole namespace, counted once each, so that a
 * trust policy given without its role's ARN can stand for the only one.
 */
static size_t distinct_role_targets(struct role_build *b)
{
	struct text_list seen = {NULL, 0, 0};
	size_t count;

	for (size_t r = 0; r < b->config->principal_count; r++) {
		const struct tf_principal *p = b->config->principals[r];

		for (size_t i = 0; i < p->policy_count; i++) {
			const struct policy *policy = p->policies[i]->policy;

			for (size_t s = 0; policy && s < policy->statement_count; s++) {
				const struct pvalue_list *list = &policy->statements[s].resources;

				for (size_t v = 0; v < list->count; v++) {
					if (is_role_arn(list->items[v].text) && !text_has_hole(list->items[v].text))
						text_list_add_unique(&seen, list->items[v].text);
				}
			}
		}
	}
	count = seen.count;
	free(seen.items);
	return count;
}

static bool counterpart_governs(struct role_build *b, const struct audit_counterpart *c, const char *target)
{
	const struct policy *p = c->policy;

	if (p->kind == POLICY_TRUST) {
		const char *role = c->governs ? c->governs : p->role_arn;

		if (!is_role_arn(target))
			return false;
		if (role)
			return audit_resources_meet(target, role) == TRI_YES || strcmp(target, role) == 0;
		return distinct_role_targets(b) == 1;
	}
	if (is_role_arn(target))
		return false;
	if (c->governs && meets_with_bucket(target, c->governs))
		return true;
	for (size_t s = 0; s < p->statement_count; s++) {
		const struct statement *st = &p->statements[s];

		if (st->resources_negated)
			continue;
		for (size_t i = 0; i < st->resources.count; i++) {
			const char *text = st->resources.items[i].text;

			if (strcmp(text, "*") != 0 && meets_with_bucket(target, text))
				return true;
		}
	}
	return false;
}

static const struct audit_counterpart *find_counterpart(struct role_build *b, const char *target)
{
	for (size_t i = 0; i < b->counterpart_count; i++) {
		if (b->counterparts[i].policy && counterpart_governs(b, &b->counterparts[i], target))
			return &b->counterparts[i];
	}
	return NULL;
}

/* Deciding one request across accounts ----------------------------------------------------------- */

enum cross_decision {
	CROSS_ALLOWED,
	CROSS_DENIED,
	CROSS_PARTIAL,   /* denied for part of the resource pattern */
	CROSS_UNDECIDED,
};

struct edge_build {
	struct role_build *b;
	const struct audit_counterpart *counterpart;
	const char *target;
	const char *account;         /* NULL for a bucket of unknown account */
	struct text_list depends;
	struct text_list denied;
	const char *reason;
};

/* Does the counterpart's Allow for the request cover every resource of the pattern? */
static enum tri allow_covers(const struct edge_build *e, const struct eval_result *r, size_t identity_count)
{
	struct glob *whole = glob_compile(e->target, GLOB_ARN, true);
	struct glob **parts = NULL;
	size_t count = 0;
	size_t cap = 0;
	enum tri covered;

	for (size_t i = 0; i < r->statement_count; i++) {
		const struct eval_statement *es = &r->statements[i];
		const struct statement *st = es->statement;

		if (es->policy_index != identity_count || st->effect != EFFECT_ALLOW || es->matches != TRI_YES)
			continue;
		if (st->resources_negated || st->resources.unknown)
			continue;
		for (size_t v = 0; v < st->resources.count; v++) {
			parts = xgrow(parts, &cap, count + 1, sizeof(*parts));
			parts[count++] = glob_compile(st->resources.items[v].text, GLOB_ARN, true);
		}
	}
	covered = glob_subset(whole, (const struct glob *const *)parts, count, NULL);
	for (size_t i = 0; i < count; i++)
		glob_free(parts[i]);
	free(parts);
	glob_free(whole);
	return covered;
}

/* Is there a Deny of either side for `action` on part of the pattern that the request did not meet? */
static bool partly_denied(const struct edge_build *e, const struct catalog_action *action)
{
	const struct role_build *b = e->b;
	struct action_set *set = xcalloc(1, sizeof(*set));
	bool found = false;

	for (size_t p = 0; p <= b->identity_count && !found; p++) {
		const struct policy *policy = p < b->identity_count ? b->identity[p] : e->counterpart->policy;

		for (size_t s = 0; s < policy->statement_count && !found; s++) {
			const struct statement *st = &policy->statements[s];

			if (st->effect != EFFECT_DENY || st->resources_negated)
				continue;
			if (audit_statement_actions(st, set) && !action_set_contains(set, action))
				continue;
			if (st->resources.unknown)
				found = true;
			for (size_t v = 0; v < st->resources.count && !found; v++)
				found = audit_resources_meet(e->target, st->resources.items[v].text) != TRI_NO;
		}
	}
	free(set);
	return found;
}

static const char *statement_name(struct role_build *b, const struct eval_statement *es, const char *policy_name)
{
	const struct statement *st = es->statement;

	if (st->has_sid && st->sid.text && st->sid.text[0])
		return arena_printf(&b->audit->arena, "statement '%s' of %s", st->sid.text, policy_name);
	return arena_printf(&b->audit->arena, "statement %zu of %s", st->index + 1, policy_name);
}

/* The reason an action is denied, in one sentence for the edge. */
static const char *denied_reason(struct edge_build *e, const struct eval_result *r, const struct catalog_action *action,
				 enum tri deny, enum tri identity_allow)
{
	struct role_build *b = e->b;

	if (deny == TRI_YES) {
		for (size_t i = 0; i < r->statement_count; i++) {
			const struct eval_statement *es = &r->statements[i];

			if (es->statement->effect != EFFECT_DENY || es->matches != TRI_YES)
				continue;
			return arena_printf(&b->audit->arena, "%s denies %s",
					    statement_name(b, es, es->policy_index < b->identity_count ?
								      b->identity_names[es->policy_index] :
								      e->counterpart->file),
					    catalog_action_name(action));
		}
	}
	if (identity_allow == TRI_NO)
		return arena_printf(&b->audit->arena, "the role's policies do not allow %s on all of it",
				    catalog_action_name(action));
	return arena_printf(&b->audit->arena, "%s does not allow %s for the role",
			    e->counterpart->file, catalog_action_name(action));
}

static enum cross_decision decide_cross(struct edge_build *e, const struct catalog_action *action)
{
	struct role_build *b = e->b;
	struct eval_context context;
	struct eval_request request;
	struct eval_policies policies;
	struct eval_result r;
	enum tri identity_allow = TRI_NO;
	enum tri resource_allow = TRI_NO;
	enum tri deny = TRI_NO;
	enum tri allow;

	audit_request_context(&context, &b->scratch);
	memset(&request, 0, sizeof(request));
	request.caller = &b->caller;
	request.action = catalog_action_name(action);
	request.resource = e->target;
	request.resource_account = e->account && e->account[0] ? e->account : NULL;
	request.context = &context;
	memset(&policies, 0, sizeof(policies));
	policies.identity = b->identity;
	policies.identity_count = b->identity_count;
	policies.resource = e->counterpart->policy;
	policies.symbols = &b->ctx->symbols;
	eval_request_evaluate(&request, &policies, &b->scratch, &r, NULL);

	for (size_t i = 0; i < r.statement_count; i++) {
		const struct eval_statement *es = &r.statements[i];
		enum effect effect = es->statement->effect;
		enum tri matches = effect == EFFECT_UNKNOWN && es->matches ? TRI_MAYBE : es->matches;
		bool resource_side = es->policy_index == b->identity_count;

		if (effect == EFFECT_DENY || effect == EFFECT_UNKNOWN)
			deny = tri_or(deny, matches);
		if (effect != EFFECT_ALLOW && effect != EFFECT_UNKNOWN)
			continue;
		if (resource_side && es->level != EVAL_LEVEL_NONE)
			resource_allow = tri_or(resource_allow, matches);
		else if (!resource_side)
			identity_allow = tri_or(identity_allow, matches);
	}
	allow = tri_and(identity_allow, resource_allow);
	if (deny == TRI_YES || allow == TRI_NO) {
		if (!e->reason)
			e->reason = denied_reason(e, &r, action, deny, identity_allow);
		return CROSS_DENIED;
	}
	if (allow == TRI_YES && deny == TRI_NO && strpbrk(e->target, "*?")) {
		enum tri covered = allow_covers(e, &r, b->identity_count);

		if (covered == TRI_NO || partly_denied(e, action)) {
			if (!e->reason)
				e->reason = arena_printf(&b->audit->arena,
					"%s allows %s on only part of %s", e->counterpart->file,
					catalog_action_name(action), audit_render(b->audit, b->ctx, e->target));
			return CROSS_PARTIAL;
		}
		if (covered == TRI_MAYBE)
			allow = TRI_MAYBE;
	}
	if (allow == TRI_YES && deny == TRI_NO)
		return CROSS_ALLOWED;
	for (size_t i = 0; i < r.dependency_count; i++) {
		if (r.dependencies[i].kind != EVAL_DEPENDS_ON_RESOURCE_ACCOUNT)
			text_list_add_unique(&e->depends, audit_dependency_text(b, &r.dependencies[i]));
	}
	return CROSS_UNDECIDED;
}

/* The principals the counterpart's Allow statements name, for an edge it grants nothing. */
static void list_grantees(struct edge_build *e, struct audit_edge *edge)
{
	const struct policy *p = e->counterpart->policy;
	struct text_list list = {NULL, 0, 0};

	for (size_t s = 0; s < p->statement_count; s++) {
		const struct statement *st = &p->statements[s];
		const struct pvalue_list *aws = &st->principal.by_type[PRINCIPAL_AWS];

		if (st->effect != EFFECT_ALLOW || st->principal.negated)
			continue;
		if (st->principal.wildcard)
			text_list_add_unique(&list, "*");
		for (size_t i = 0; i < aws->count; i++)
			text_list_add_unique(&list, audit_render(e->b->audit, e->b->ctx, aws->items[i].text));
	}
	edge->grantees = text_list_finish(&list, &e->b->audit->arena, &edge->grantee_count, true);
}

static enum audit_edge_state edge_state(const struct audit_edge *edge, size_t partial)
{
	size_t total = edge->allowed + edge->denied + edge->undecided;

	if (edge->denied == total && partial == 0)
		return AUDIT_EDGE_DENIED;
	if (edge->denied > 0)
		return AUDIT_EDGE_PARTIAL;
	if (edge->undecided > 0)
		return AUDIT_EDGE_UNDECIDED;
	return AUDIT_EDGE_CONFIRMED;
}

struct audit_edge *audit_build_edge(struct role_build *b, const char *resource, const struct audit_action *actions,
				    size_t action_count)
{
	const char *account = other_account(b, resource);
	struct audit_edge *edge;
	struct edge_build e;
	size_t partial = 0;

	if (!account)
		return NULL;
	edge = ARENA_NEW(&b->audit->arena, struct audit_edge);
	edge->account = account[0] ? account : NULL;
	edge->account_name = audit_account_name(b->audit, b->ctx, edge->account);
	memset(&e, 0, sizeof(e));
	e.b = b;
	e.target = resource;
	e.account = account;
	e.counterpart = find_counterpart(b, resource);
	if (!e.counterpart) {
		edge->state = AUDIT_EDGE_MISSING;
		return edge;
	}
	edge->counterpart = arena_strdup(&b->audit->arena, e.counterpart->file);
	for (size_t i = 0; i < action_count; i++) {
		enum cross_decision d;

		if (actions[i].decision == AUDIT_DENIED)
			continue;
		d = decide_cross(&e, actions[i].action);
		if (d == CROSS_ALLOWED) {
			edge->allowed++;
			continue;
		}
		if (d == CROSS_UNDECIDED) {
			edge->undecided++;
			continue;
		}
		edge->denied++;
		partial += d == CROSS_PARTIAL;
		if (e.denied.count < AUDIT_LISTED_NAMES)
			text_list_add(&e.denied, catalog_action_name(actions[i].action));
	}
	edge->state = edge_state(edge, partial);
	edge->reason = e.reason;
	edge->denied_actions = text_list_finish(&e.denied, &b->audit->arena, &edge->denied_action_count, false);
	edge->depends = text_list_finish(&e.depends, &b->audit->arena, &edge->depend_count, true);
	if (edge->allowed == 0 && edge->undecided == 0)
		list_grantees(&e, edge);
	else
		edge->grantees = ARENA_ARRAY(&b->audit->arena, const char *, 1);
	return edge;
}
