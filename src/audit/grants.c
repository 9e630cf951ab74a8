/*
 * What a role's identity policies allow, per service and resource pattern.
 *
 * Every Allow statement contributes its actions (patterns expanded against
 * the catalog, NotAction as the complement) to each resource pattern it
 * names, keeping only the actions whose resource types can match the
 * pattern: `sqs:*` on a queue ARN leaves out sqs:ListQueues, which only
 * `*` can grant.  The evaluator then decides each action on the role's
 * identity policies alone, with the pattern as the request's resource.  So
 * a Deny that covers the pattern takes the action away, and a condition
 * that may fail makes it conditional.  A Deny that covers only
 * part of the pattern is listed as an exception of the grant.
 *
 * What the resource side (a bucket or key policy in the same account)
 * adds or takes away is not shown here; edges.c decides it for resources
 * in other accounts.
 */
#include "internal.h"
#include "iamcross/arn.h"
#include "iamcross/glob.h"

#include <stdlib.h>
#include <string.h>

/* One resource pattern and the actions the Allow statements name on it. */
struct grant_key {
	const char *resource;        /* holes kept */
	struct action_set *actions;
	struct text_list sources;
	struct text_list except;
};

struct grant_keys {
	struct grant_key *items;
	size_t count;
	size_t cap;
};

static struct grant_key *key_get(struct grant_keys *keys, const char *resource)
{
	struct grant_key *k;

	for (size_t i = 0; i < keys->count; i++) {
		if (strcmp(keys->items[i].resource, resource) == 0)
			return &keys->items[i];
	}
	keys->items = xgrow(keys->items, &keys->cap, keys->count + 1, sizeof(*keys->items));
	k = &keys->items[keys->count++];
	memset(k, 0, sizeof(*k));
	k->resource = resource;
	k->actions = xcalloc(1, sizeof(*k->actions));
	return k;
}

bool audit_statement_actions(const struct statement *st, struct action_set *set)
{
	action_set_clear(set);
	if (st->actions.unknown)
		return false;
	for (size_t i = 0; i < st->actions.count; i++) {
		if (text_has_hole(st->actions.items[i].text))
			return false;
		action_set_add_pattern(set, st->actions.items[i].text);
	}
	if (st->actions_negated)
		action_set_complement(set);
	return true;
}

/* Can `action` act on a resource that `resource` names? */
static bool action_applies(const struct catalog_action *action, const char *resource)
{
	if (strcmp(resource, "*") == 0)
		return true;
	for (size_t i = 0; i < catalog_action_resource_count(action); i++) {
		const struct catalog_resource_type *type = catalog_action_resource_type(action, i);

		for (size_t f = 0; f < catalog_resource_type_arn_count(type); f++) {
			if (arn_format_may_match(catalog_resource_type_arn(type, f), resource))
				return true;
		}
	}
	return false;
}

/* A hole for the whole unresolved Resource list of a statement. */
static const char *unknown_resource(struct role_build *b, const struct pvalue_list *list)
{
	struct buf text = BUF_INIT;
	const char *out;

	hole_append(&text, symbol_intern(&b->ctx->symbols, list->unknown_text ? list->unknown_text : "?",
					 "a resource list that is not resolved", list->value_span));
	out = arena_strdup(&b->scratch, buf_str(&text));
	buf_release(&text);
	return out;
}

static void add_to_key(struct role_build *b, struct grant_keys *keys, const char *resource,
		       const struct action_set *actions, const char *source)
{
	struct grant_key *k = key_get(keys, resource);

	for (const struct catalog_action *a = action_set_next(actions, 0); a;
	     a = action_set_next(actions, catalog_action_index(a) + 1)) {
		if (!action_set_contains(k->actions, a) && action_applies(a, resource))
			action_set_add(k->actions, a);
	}
	text_list_add_unique(&k->sources, source);
	(void)b;
}

static void collect_statement(struct role_build *b, struct grant_keys *keys, const struct statement *st,
			      const char *source)
{
	struct action_set *actions;

	if (st->effect != EFFECT_ALLOW && st->effect != EFFECT_UNKNOWN)
		return;
	actions = xcalloc(1, sizeof(*actions));
	if (!audit_statement_actions(st, actions)) {
		text_list_add(&b->notes, arena_printf(&b->audit->arena,
			"a statement of %s allows actions that are not resolved (%s), which are not shown", source,
			st->actions.unknown ? (st->actions.unknown_text ? st->actions.unknown_text : "?") :
					      "an action with an unresolved part"));
		free(actions);
		return;
	}
	if (st->resources.unknown) {
		add_to_key(b, keys, unknown_resource(b, &st->resources), actions, source);
	} else if (st->resources_negated) {
		struct grant_key *k;

		add_to_key(b, keys, "*", actions, source);
		k = key_get(keys, "*");
		for (size_t i = 0; i < st->resources.count; i++)
			text_list_add_unique(&k->except, audit_render(b->audit, b->ctx, arena_printf(&b->scratch,
				"%s (NotResource in %s)", st->resources.items[i].text, source)));
	} else {
		for (size_t i = 0; i < st->resources.count; i++)
			add_to_key(b, keys, st->resources.items[i].text, actions, source);
	}
	free(actions);
}

/* Deciding each action ---------------------------------------------------------------------------- */

void audit_request_context(struct eval_context *context, struct arena *arena)
{
	eval_context_init(context, arena);
	context->workload = true;
}

/* "${expression} (description)" for each distinct unresolved value in `text`. */
static const char *describe_holes(struct role_build *b, const char *text)
{
	struct buf out = BUF_INIT;
	struct text_list seen = {NULL, 0, 0};
	const char *result;

	for (const char *p = text; *p; p++) {
		uint32_t id;
		size_t length;
		const struct symbol *sym;
		const char *piece;

		if (!hole_parse(p, &id, &length))
			continue;
		sym = symbol_get(&b->ctx->symbols, id);
		p += length - 1;
		if (!sym)
			continue;
		piece = sym->description ? arena_printf(&b->scratch, "${%s} (%s)", sym->expression, sym->description) :
					   arena_printf(&b->scratch, "${%s}", sym->expression);
		text_list_add_unique(&seen, piece);
	}
	for (size_t i = 0; i < seen.count; i++)
		buf_printf(&out, "%s%s", i ? ", " : "", seen.items[i]);
	result = arena_strdup(&b->audit->arena, buf_str(&out));
	buf_release(&out);
	free(seen.items);
	return result;
}

const char *audit_dependency_text(struct role_build *b, const struct eval_dependency *d)
{
	const char *name = d->name ? context_render(b->ctx, d->name) : NULL;

	switch (d->kind) {
	case EVAL_DEPENDS_ON_KEY:
	case EVAL_DEPENDS_ON_SET_OPERATOR:
		return arena_printf(&b->audit->arena, "the condition key '%s'", name ? name : "?");
	case EVAL_DEPENDS_ON_VARIABLE:
		return arena_printf(&b->audit->arena, "the policy variable '${%s}'", name ? name : "?");
	case EVAL_DEPENDS_ON_UNRESOLVED:
		if (d->name && text_has_hole(d->name))
			return describe_holes(b, d->name);
		return arena_printf(&b->audit->arena, "%s", name ? name : "an unresolved value");
	case EVAL_DEPENDS_ON_RESOURCE_ACCOUNT:
		return "the account of the resource";
	case EVAL_DEPENDS_ON_UNDOCUMENTED:
	case EVAL_DEPENDS_ON_PRINCIPAL:
		break;
	}
	if (d->note)
		return arena_strdup(&b->audit->arena, d->note);
	return arena_strdup(&b->audit->arena, name ? name : "a value the input does not give");
}

/* Decide `action` on `resource` on the identity policies alone. */
static bool decide(struct role_build *b, const struct catalog_action *action, const char *resource,
		   enum audit_decision *decision, struct text_list *depends)
{
	struct eval_context context;
	struct eval_request request;
	struct eval_policies policies;
	struct eval_result result;
	enum tri allow = TRI_NO;
	enum tri deny = TRI_NO;

	audit_request_context(&context, &b->scratch);
	memset(&request, 0, sizeof(request));
	request.caller = &b->caller;
	request.action = catalog_action_name(action);
	request.resource = resource;
	request.context = &context;
	memset(&policies, 0, sizeof(policies));
	policies.identity = b->identity;
	policies.identity_count = b->identity_count;
	policies.symbols = &b->ctx->symbols;
	eval_request_evaluate(&request, &policies, &b->scratch, &result, NULL);

	for (size_t i = 0; i < result.statement_count; i++) {
		const struct eval_statement *es = &result.statements[i];
		enum effect effect = es->statement->effect;

		if (effect == EFFECT_ALLOW || effect == EFFECT_UNKNOWN)
			allow = tri_or(allow, effect == EFFECT_UNKNOWN && es->matches ? TRI_MAYBE : es->matches);
		if (effect == EFFECT_DENY || effect == EFFECT_UNKNOWN)
			deny = tri_or(deny, effect == EFFECT_UNKNOWN && es->matches ? TRI_MAYBE : es->matches);
	}
	if (allow == TRI_NO)
		return false;
	if (deny == TRI_YES)
		*decision = AUDIT_DENIED;
	else if (allow == TRI_YES && deny == TRI_NO)
		*decision = AUDIT_ALLOWED;
	else
		*decision = AUDIT_CONDITIONAL;
	if (*decision != AUDIT_CONDITIONAL)
		return true;
	/* Only what the statements hang on: the account rule does not apply to the identity side alone. */
	for (size_t i = 0; i < result.statement_count; i++) {
		const struct eval_statement *es = &result.statements[i];

		for (size_t k = 0; es->matches == TRI_MAYBE && k < es->dependency_count; k++)
			text_list_add_unique(depends, audit_dependency_text(b, &result.dependencies[es->first_dependency + k]));
	}
	return true;
}

/* Deny statements that take away part of `resource` for some of `actions`. */
static void find_exceptions(struct role_build *b, struct grant_key *k)
{
	struct action_set *denied = xcalloc(1, sizeof(*denied));

	for (size_t p = 0; p < b->identity_count; p++) {
		const struct policy *policy = b->identity[p];

		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct statement *st = &policy->statements[s];
			bool known = audit_statement_actions(st, denied);

			if (st->effect != EFFECT_DENY || st->resources_negated || st->resources.unknown)
				continue;
			if (known)
				action_set_intersect(denied, k->actions);
			if (known && action_set_is_empty(denied))
				continue;
			for (size_t i = 0; i < st->resources.count; i++) {
				const char *pattern = st->resources.items[i].text;
				struct glob *whole = glob_compile(k->resource, GLOB_ARN, true);
				struct glob *part = glob_compile(pattern, GLOB_ARN, true);
				const struct glob *unions[1] = {part};
				bool partial = glob_intersects(whole, part, NULL) != TRI_NO &&
					       glob_subset(whole, unions, 1, NULL) != TRI_YES;

				glob_free(whole);
				glob_free(part);
				if (partial)
					text_list_add_unique(&k->except, audit_render(b->audit, b->ctx, arena_printf(
						&b->scratch, "%s (Deny%s in %s)", pattern,
						st->has_condition ? " with conditions" : "", b->identity_names[p])));
			}
		}
	}
	free(denied);
}

/* Labels --------------------------------------------------------------------------------------- */

/* The catalog's name for the kind of resource `arn` is, e.g. "bucket", or NULL. */
static const char *resource_type_name(const char *arn_text)
{
	struct arn arn;
	struct buf reason = BUF_INIT;
	const struct catalog_service *service;
	char prefix[64];
	bool ok = arn_parse(arn_text, &arn, &reason);

	buf_release(&reason);
	if (!ok || arn.service.length == 0 || arn.service.length >= sizeof(prefix))
		return NULL;
	memcpy(prefix, arn.service.data, arn.service.length);
	prefix[arn.service.length] = '\0';
	service = catalog_service_find(prefix);
	for (size_t i = 0; service && i < catalog_service_resource_type_count(service); i++) {
		const struct catalog_resource_type *type = catalog_service_resource_type(service, i);

		for (size_t f = 0; f < catalog_resource_type_arn_count(type); f++) {
			if (arn_format_may_match(catalog_resource_type_arn(type, f), arn_text))
				return catalog_resource_type_name(type);
		}
	}
	return NULL;
}

static const char *label_for(struct role_build *b, const char *resource)
{
	const struct tf_config *c = b->config;

	for (size_t i = 0; i < c->resource_count; i++) {
		const char *arn = c->resources[i].arn;
		size_t n = strlen(arn);
		const char *type;

		if (strncmp(resource, arn, n) != 0 || (resource[n] != '\0' && resource[n] != '/'))
			continue;
		type = resource_type_name(arn);
		if (resource[n] == '\0')
			return arena_printf(&b->audit->arena, "the %s of %s", type ? type : "resource", c->resources[i].address);
		if (strcmp(resource + n, "/*") == 0)
			return arena_printf(&b->audit->arena, "everything in the %s of %s", type ? type : "resource",
					    c->resources[i].address);
		return audit_render(b->audit, b->ctx, arena_printf(&b->scratch, "%s in the %s of %s", resource + n + 1,
			type ? type : "resource", c->resources[i].address));
	}
	for (size_t i = 0; i < c->principal_count; i++) {
		if (c->principals[i]->arn && strcmp(c->principals[i]->arn, resource) == 0)
			return arena_printf(&b->audit->arena, "the %s %s", c->principals[i]->is_user ? "user" : "role",
					    c->principals[i]->address);
	}
	return NULL;
}

/* Building the services -------------------------------------------------------------------------- */

struct service_list {
	struct audit_service *items;
	size_t count;
	size_t cap;
	/* Per service, the grants being collected. */
	struct grant_list {
		struct audit_grant *items;
		size_t count;
		size_t cap;
	} *grants;
};

static struct grant_list *service_grants(struct role_build *b, struct service_list *list,
					 const struct catalog_service *service)
{
	const char *prefix = catalog_service_prefix(service);

	for (size_t i = 0; i < list->count; i++) {
		if (strcmp(list->items[i].prefix, prefix) == 0)
			return &list->grants[i];
	}
	list->items = xgrow(list->items, &list->cap, list->count + 1, sizeof(*list->items));
	list->grants = xrealloc(list->grants, list->cap * sizeof(*list->grants));
	memset(&list->items[list->count], 0, sizeof(*list->items));
	memset(&list->grants[list->count], 0, sizeof(*list->grants));
	list->items[list->count].prefix = prefix;
	list->items[list->count].name = catalog_service_name(service);
	(void)b;
	return &list->grants[list->count++];
}

static int compare_actions(const void *pa, const void *pb)
{
	const struct audit_action *a = pa;
	const struct audit_action *b = pb;
	enum catalog_access_level la = catalog_action_access_level(a->action);
	enum catalog_access_level lb = catalog_action_access_level(b->action);

	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(catalog_action_name(a->action), catalog_action_name(b->action));
}

/* Turn the decided actions of one service on one key into a grant. */
static void add_grant(struct role_build *b, struct grant_list *grants, const struct grant_key *k,
		      const struct audit_action *actions, size_t count, struct text_list *depends)
{
	struct audit_grant *g;
	struct text_list copy = {NULL, 0, 0};

	grants->items = xgrow(grants->items, &grants->cap, grants->count + 1, sizeof(*grants->items));
	g = &grants->items[grants->count++];
	memset(g, 0, sizeof(*g));
	g->resource = audit_render(b->audit, b->ctx, k->resource);
	g->label = label_for(b, k->resource);
	g->actions = ARENA_ARRAY(&b->audit->arena, struct audit_action, count + 1);
	memcpy(g->actions, actions, count * sizeof(*actions));
	g->action_count = count;
	qsort(g->actions, count, sizeof(*actions), compare_actions);
	for (size_t i = 0; i < count; i++) {
		if (actions[i].decision != AUDIT_DENIED)
			g->counts[catalog_action_access_level(actions[i].action)]++;
	}
	for (size_t i = 0; i < depends->count; i++)
		text_list_add(&copy, depends->items[i]);
	g->depends = text_list_finish(&copy, &b->audit->arena, &g->depend_count, true);
	for (size_t i = 0; i < k->except.count; i++)
		text_list_add(&copy, k->except.items[i]);
	g->except = text_list_finish(&copy, &b->audit->arena, &g->except_count, true);
	for (size_t i = 0; i < k->sources.count; i++)
		text_list_add(&copy, k->sources.items[i]);
	g->sources = text_list_finish(&copy, &b->audit->arena, &g->source_count, true);
	g->edge = audit_build_edge(b, k->resource, g->actions, g->action_count);
}

/* Decide every action of one key and add a grant per service. */
static void decide_key(struct role_build *b, struct service_list *services, struct grant_key *k)
{
	size_t total = action_set_count(k->actions);
	struct audit_action *decided = xcalloc(total + 1, sizeof(*decided));
	const struct catalog_service *current = NULL;
	struct text_list depends = {NULL, 0, 0};
	size_t n = 0;

	find_exceptions(b, k);
	for (const struct catalog_action *a = action_set_next(k->actions, 0);; a = action_set_next(k->actions,
												 catalog_action_index(a) + 1)) {
		enum audit_decision decision;

		/* Actions come grouped by service: close the previous service's grant at each change. */
		if (n && (!a || catalog_action_service(a) != current)) {
			add_grant(b, service_grants(b, services, current), k, decided, n, &depends);
			free(depends.items);
			memset(&depends, 0, sizeof(depends));
			n = 0;
		}
		if (!a)
			break;
		current = catalog_action_service(a);
		if (!decide(b, a, k->resource, &decision, &depends))
			continue;
		decided[n].action = a;
		decided[n++].decision = decision;
	}
	free(depends.items);
	free(decided);
}

static int compare_grants(const void *pa, const void *pb)
{
	const struct audit_grant *a = pa;
	const struct audit_grant *b = pb;

	return strcmp(a->resource, b->resource);
}

static int compare_services(const void *pa, const void *pb)
{
	const struct audit_service *a = pa;
	const struct audit_service *b = pb;

	return strcmp(a->prefix, b->prefix);
}

void audit_build_grants(struct role_build *b)
{
	struct grant_keys keys = {NULL, 0, 0};
	struct service_list services;

	memset(&services, 0, sizeof(services));
	for (size_t p = 0; p < b->identity_count; p++) {
		for (size_t s = 0; s < b->identity[p]->statement_count; s++)
			collect_statement(b, &keys, &b->identity[p]->statements[s], b->identity_names[p]);
	}
	for (size_t i = 0; i < keys.count; i++) {
		decide_key(b, &services, &keys.items[i]);
		free(keys.items[i].actions);
		free(keys.items[i].sources.items);
		free(keys.items[i].except.items);
	}
	free(keys.items);

	for (size_t i = 0; i < services.count; i++) {
		struct grant_list *g = &services.grants[i];

		if (g->count > 1)
			qsort(g->items, g->count, sizeof(*g->items), compare_grants);
		services.items[i].grants = ARENA_ARRAY(&b->audit->arena, struct audit_grant, g->count + 1);
		memcpy(services.items[i].grants, g->items, g->count * sizeof(*g->items));
		services.items[i].grant_count = g->count;
		free(g->items);
	}
	if (services.count > 1)
		qsort(services.items, services.count, sizeof(*services.items), compare_services);
	b->role->services = ARENA_ARRAY(&b->audit->arena, struct audit_service, services.count + 1);
	if (services.count)
		memcpy(b->role->services, services.items, services.count * sizeof(*services.items));
	b->role->service_count = services.count;
	free(services.items);
	free(services.grants);
}
