/*
 * Building the audit of a namespace: its roles, who may assume each, the
 * policies attached to each and the findings that concern each.  What the
 * policies allow is built in grants.c, and the edges that leave the
 * account in edges.c.
 *
 * A finding concerns a role when its location or one of its related
 * locations lies in the role's declaration, its trust policy, one of its
 * attached policies or the attachment of an unresolved one.  A policy
 * attached to two roles puts its findings under both.  Findings that
 * concern no role (a bucket policy's own, a file that does not parse) are
 * kept for the namespace.
 */
#include "internal.h"
#include "iamcross/arn.h"
#include "iamcross/config.h"
#include "iamcross/lint.h"
#include "iamcross/report.h"

#include <stdlib.h>
#include <string.h>

#define SERVICE_ACCOUNT_PREFIX "system:serviceaccount:"

/* Helpers ------------------------------------------------------------------------------- */

void text_list_add(struct text_list *list, const char *text)
{
	list->items = xgrow(list->items, &list->cap, list->count + 1, sizeof(*list->items));
	list->items[list->count++] = text;
}

void text_list_add_unique(struct text_list *list, const char *text)
{
	for (size_t i = 0; i < list->count; i++) {
		if (strcmp(list->items[i], text) == 0)
			return;
	}
	text_list_add(list, text);
}

static int compare_texts(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **text_list_finish(struct text_list *list, struct arena *arena, size_t *count, bool sort)
{
	const char **copy = ARENA_ARRAY(arena, const char *, list->count + 1);

	if (sort && list->count > 1)
		qsort(list->items, list->count, sizeof(*list->items), compare_texts);
	for (size_t i = 0; i < list->count; i++)
		copy[i] = list->items[i];
	*count = list->count;
	free(list->items);
	memset(list, 0, sizeof(*list));
	return copy;
}

const char *audit_render(struct audit *audit, struct context *ctx, const char *text)
{
	if (!text)
		return NULL;
	return arena_strdup(&audit->arena, text_has_hole(text) ? context_render(ctx, text) : text);
}

const char *audit_where(struct audit *audit, const struct context *ctx, struct span span)
{
	const struct source *src = span.source ? source_get(&ctx->sources, span.source) : NULL;
	struct position p;

	if (!src)
		return NULL;
	p = source_position(src, span.offset);
	return arena_printf(&audit->arena, "%s:%u", src->path, p.line);
}

const char *audit_account_name(struct audit *audit, const struct context *ctx, const char *account)
{
	const struct config *config = ctx->config;

	for (size_t i = 0; account && config && i < config->account_count; i++) {
		if (strcmp(config->accounts[i].id, account) == 0 && config->accounts[i].name)
			return arena_strdup(&audit->arena, config->accounts[i].name);
	}
	return NULL;
}

/* The analysis --------------------------------------------------------------------------- */

/* The service account part of the first `sub` value of an IRSA trust, e.g. "api" of ...:ns:api. */
static const char *trust_service_account(const struct policy *trust)
{
	for (size_t s = 0; s < trust->statement_count; s++) {
		const struct statement *st = &trust->statements[s];

		for (size_t c = 0; c < st->condition_count; c++) {
			const struct condition *cond = &st->conditions[c];

			if (!str_ends_with(cond->key.text, ":sub"))
				continue;
			for (size_t v = 0; v < cond->values.count; v++) {
				const char *value = cond->values.items[v].text;
				const char *colon;

				if (!str_starts_with(value, SERVICE_ACCOUNT_PREFIX))
					continue;
				colon = strchr(value + strlen(SERVICE_ACCOUNT_PREFIX), ':');
				if (colon)
					return colon + 1;
			}
		}
	}
	return NULL;
}

void audit_analyze(struct context *ctx, struct tf_config *config, const struct policy_set *counterparts)
{
	const char *namespace_name = tf_config_variable(config, "namespace");

	tf_analyze(ctx, config, counterparts);
	if (!namespace_name)
		return;
	/*
	 * Pods of a namespace run as its own service accounts, so an IRSA trust
	 * for another namespace's account (a module call copied with its
	 * `namespace` input) is a role no workload of this namespace can assume.
	 */
	for (size_t i = 0; i < config->principal_count; i++) {
		const struct tf_principal *p = config->principals[i];
		const char *service_account;

		if (!p->trust || !p->trust->policy || p->trust->foreign)
			continue;
		service_account = trust_service_account(p->trust->policy);
		if (service_account)
			lint_irsa_expect_service_account(ctx, p->trust->policy, namespace_name, service_account,
							 p->span);
	}
}

/* Who may assume the role -------------------------------------------------------------------- */

static const char *condition_text(struct audit *audit, struct context *ctx, const struct condition *c)
{
	struct buf b = BUF_INIT;
	const char *text;

	buf_printf(&b, "%s %s", c->operator_name.text ? c->operator_name.text : "?",
		   c->key.text ? context_render(ctx, c->key.text) : "?");
	if (c->values.unknown) {
		buf_printf(&b, " = ${%s}", c->values.unknown_text ? c->values.unknown_text : "?");
	} else {
		buf_puts(&b, " =");
		for (size_t i = 0; i < c->values.count; i++)
			buf_printf(&b, "%s %s", i ? "," : "", context_render(ctx, c->values.items[i].text));
	}
	text = arena_strdup(&audit->arena, buf_str(&b));
	buf_release(&b);
	return text;
}

static const char *actions_text(struct audit *audit, struct context *ctx, const struct statement *st)
{
	struct buf b = BUF_INIT;
	const char *text;

	if (st->actions.unknown)
		buf_printf(&b, "${%s}", st->actions.unknown_text ? st->actions.unknown_text : "?");
	for (size_t i = 0; i < st->actions.count; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", context_render(ctx, st->actions.items[i].text));
	if (st->actions_negated)
		text = arena_printf(&audit->arena, "every action but %s", buf_str(&b));
	else
		text = arena_strdup(&audit->arena, buf_str(&b));
	buf_release(&b);
	return text;
}

struct assumer_list {
	struct audit_assumer *items;
	size_t count;
	size_t cap;
};

static struct audit_assumer *assumer_add(struct assumer_list *list, enum audit_assumer_kind kind, const char *name,
					 const char *action)
{
	struct audit_assumer *a;

	list->items = xgrow(list->items, &list->cap, list->count + 1, sizeof(*list->items));
	a = &list->items[list->count++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->name = name;
	a->action = action;
	return a;
}

/* The conditions of `st`, leaving out the one at `skip` (SIZE_MAX for none). */
static void assumer_conditions(struct role_build *b, struct audit_assumer *a, const struct statement *st, size_t skip)
{
	struct text_list list = {NULL, 0, 0};

	if (st->condition_unknown)
		text_list_add(&list, "${unresolved condition block}");
	for (size_t c = 0; c < st->condition_count; c++) {
		if (c != skip)
			text_list_add(&list, condition_text(b->audit, b->ctx, &st->conditions[c]));
	}
	a->conditions = text_list_finish(&list, &b->audit->arena, &a->condition_count, false);
}

/* The `sub` condition entry of an IRSA statement that names service accounts, or SIZE_MAX. */
static size_t service_account_condition(const struct statement *st)
{
	for (size_t c = 0; c < st->condition_count; c++) {
		const struct condition *cond = &st->conditions[c];

		if (!cond->key.text || !str_ends_with(cond->key.text, ":sub") || cond->values.unknown ||
		    cond->values.count == 0)
			continue;
		if (cond->op.base != COND_STRING_EQUALS && cond->op.base != COND_STRING_LIKE)
			continue;
		for (size_t v = 0; v < cond->values.count; v++) {
			if (!str_starts_with(cond->values.items[v].text, SERVICE_ACCOUNT_PREFIX))
				return SIZE_MAX;
		}
		return c;
	}
	return SIZE_MAX;
}

static void add_aws_assumer(struct role_build *b, struct assumer_list *list, const struct statement *st,
			    const char *value, const char *action)
{
	struct audit_assumer *a = assumer_add(list, AUDIT_ASSUMER_AWS, audit_render(b->audit, b->ctx, value), action);
	struct arn_principal parsed;
	struct buf reason = BUF_INIT;

	if (arn_principal_parse(value, &parsed, &reason) && parsed.account.length == ARN_ACCOUNT_ID_LENGTH &&
	    !parsed.has_unknown) {
		a->account = arena_strndup(&b->audit->arena, parsed.account.data, parsed.account.length);
		a->account_name = audit_account_name(b->audit, b->ctx, a->account);
		a->other_account = !b->audit->account || strcmp(a->account, b->audit->account) != 0;
	}
	buf_release(&reason);
	assumer_conditions(b, a, st, SIZE_MAX);
}

static void add_federated_assumers(struct role_build *b, struct assumer_list *list, const struct statement *st,
				   const char *value, const char *action)
{
	size_t sub = strstr(value, "oidc-provider/") ? service_account_condition(st) : SIZE_MAX;

	if (sub == SIZE_MAX) {
		struct audit_assumer *a = assumer_add(list, AUDIT_ASSUMER_FEDERATED,
						      audit_render(b->audit, b->ctx, value), action);

		assumer_conditions(b, a, st, SIZE_MAX);
		return;
	}
	for (size_t v = 0; v < st->conditions[sub].values.count; v++) {
		const char *text = st->conditions[sub].values.items[v].text + strlen(SERVICE_ACCOUNT_PREFIX);
		struct audit_assumer *a = assumer_add(list, AUDIT_ASSUMER_SERVICE_ACCOUNT,
						      audit_render(b->audit, b->ctx, text), action);

		assumer_conditions(b, a, st, sub);
	}
}

static void add_statement_assumers(struct role_build *b, struct assumer_list *list, const struct statement *st)
{
	const struct principal *p = &st->principal;
	const char *action;

	if (st->effect == EFFECT_DENY || st->effect == EFFECT_INVALID || !p->present || p->negated)
		return;
	action = actions_text(b->audit, b->ctx, st);
	if (p->wildcard) {
		assumer_conditions(b, assumer_add(list, AUDIT_ASSUMER_ANYONE, "*", action), st, SIZE_MAX);
		return;
	}
	if (p->unknown) {
		const char *name = arena_printf(&b->audit->arena, "${%s}", p->unknown_text ? p->unknown_text : "?");

		assumer_conditions(b, assumer_add(list, AUDIT_ASSUMER_UNKNOWN, name, action), st, SIZE_MAX);
		return;
	}
	for (size_t i = 0; i < p->by_type[PRINCIPAL_AWS].count; i++)
		add_aws_assumer(b, list, st, p->by_type[PRINCIPAL_AWS].items[i].text, action);
	for (size_t i = 0; i < p->by_type[PRINCIPAL_CANONICAL_USER].count; i++)
		add_aws_assumer(b, list, st, p->by_type[PRINCIPAL_CANONICAL_USER].items[i].text, action);
	for (size_t i = 0; i < p->by_type[PRINCIPAL_SERVICE].count; i++) {
		const char *name = audit_render(b->audit, b->ctx, p->by_type[PRINCIPAL_SERVICE].items[i].text);

		assumer_conditions(b, assumer_add(list, AUDIT_ASSUMER_SERVICE, name, action), st, SIZE_MAX);
	}
	for (size_t i = 0; i < p->by_type[PRINCIPAL_FEDERATED].count; i++)
		add_federated_assumers(b, list, st, p->by_type[PRINCIPAL_FEDERATED].items[i].text, action);
}

static int compare_assumers(const void *pa, const void *pb)
{
	const struct audit_assumer *a = pa;
	const struct audit_assumer *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void build_assumers(struct role_build *b)
{
	const struct tf_policy *trust = b->principal->trust;
	struct assumer_list list = {NULL, 0, 0};

	b->role->trust_known = trust && trust->policy;
	if (!b->role->trust_known)
		return;
	for (size_t s = 0; s < trust->policy->statement_count; s++)
		add_statement_assumers(b, &list, &trust->policy->statements[s]);
	if (list.count > 1)
		qsort(list.items, list.count, sizeof(*list.items), compare_assumers);
	b->role->assumers = ARENA_ARRAY(&b->audit->arena, struct audit_assumer, list.count + 1);
	if (list.count)
		memcpy(b->role->assumers, list.items, list.count * sizeof(*list.items));
	b->role->assumer_count = list.count;
	free(list.items);
}

/* Attached policies ----------------------------------------------------------------------------- */

/* The folder of the file a span is in: the namespace folder that publishes a policy. */
static const char *publisher_of(struct role_build *b, struct span span)
{
	const struct source *src = span.source ? source_get(&b->ctx->sources, span.source) : NULL;
	const char *slash = src ? strrchr(src->path, '/') : NULL;

	if (!src)
		return NULL;
	if (!slash)
		return ".";
	return arena_strndup(&b->audit->arena, src->path, (size_t)(slash - src->path));
}

static int compare_policies(const void *pa, const void *pb)
{
	const struct audit_policy *a = pa;
	const struct audit_policy *b = pb;

	if (a->origin != b->origin)
		return a->origin < b->origin ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void build_policies(struct role_build *b)
{
	const struct tf_principal *p = b->principal;
	size_t total = p->policy_count + p->unresolved_count;
	struct audit_policy *out = ARENA_ARRAY(&b->audit->arena, struct audit_policy, total + 1);
	size_t n = 0;

	b->identity = xcalloc(p->policy_count + 1, sizeof(*b->identity));
	b->identity_names = xcalloc(p->policy_count + 1, sizeof(*b->identity_names));
	for (size_t i = 0; i < p->policy_count; i++) {
		const struct tf_policy *tp = p->policies[i];
		struct audit_policy *ap = &out[n++];

		if (tp->foreign)
			ap->origin = AUDIT_ORIGIN_SSM;
		else if (tp->module_source)
			ap->origin = AUDIT_ORIGIN_MODULE;
		else
			ap->origin = AUDIT_ORIGIN_INLINE;
		ap->name = arena_strdup(&b->audit->arena, tp->address);
		ap->arn = audit_render(b->audit, b->ctx, tp->arn);
		ap->module_source = tp->module_source ? arena_strdup(&b->audit->arena, tp->module_source) : NULL;
		ap->publisher = tp->foreign ? publisher_of(b, tp->anchor) : NULL;
		ap->location = audit_where(b->audit, b->ctx, tp->anchor);
		if (!tp->policy) {
			text_list_add(&b->notes, arena_printf(&b->audit->arena,
				"the document of %s is not resolved, so what it allows is not shown", ap->name));
			continue;
		}
		b->identity[b->identity_count] = tp->policy;
		b->identity_names[b->identity_count++] = ap->name;
	}
	for (size_t i = 0; i < p->unresolved_count; i++) {
		struct audit_policy *ap = &out[n++];

		ap->origin = AUDIT_ORIGIN_UNRESOLVED;
		ap->name = arena_strdup(&b->audit->arena, p->unresolved[i]);
		ap->location = audit_where(b->audit, b->ctx, p->unresolved_spans[i]);
	}
	if (p->unresolved_count)
		text_list_add(&b->notes, arena_printf(&b->audit->arena,
			"%zu attached polic%s not in the input, so the role may be allowed more than is shown",
			p->unresolved_count, p->unresolved_count == 1 ? "y is" : "ies are"));
	if (n > 1)
		qsort(out, n, sizeof(*out), compare_policies);
	b->role->policies = out;
	b->role->policy_count = n;
}

/* Findings ------------------------------------------------------------------------------------ */

struct regions {
	struct span *items;
	size_t count;
	size_t cap;
};

static void region_add(struct regions *r, struct span span)
{
	if (!span_is_set(span) && span.source == 0)
		return;
	r->items = xgrow(r->items, &r->cap, r->count + 1, sizeof(*r->items));
	r->items[r->count++] = span;
}

static void region_add_policy(struct regions *r, const struct tf_policy *tp)
{
	region_add(r, tp->anchor);
	if (!tp->policy)
		return;
	region_add(r, tp->policy->span);
	for (size_t s = 0; s < tp->policy->statement_count; s++)
		region_add(r, tp->policy->statements[s].span);
}

static void role_regions(const struct tf_principal *p, struct regions *r)
{
	region_add(r, p->span);
	if (p->trust)
		region_add_policy(r, p->trust);
	for (size_t i = 0; i < p->policy_count; i++)
		region_add_policy(r, p->policies[i]);
	for (size_t i = 0; i < p->unresolved_count; i++)
		region_add(r, p->unresolved_spans[i]);
}

static bool span_inside(struct span inner, struct span outer)
{
	return inner.source && inner.source == outer.source && inner.offset >= outer.offset &&
	       (uint64_t)inner.offset + inner.length <= (uint64_t)outer.offset + outer.length;
}

static bool finding_in(const struct finding *f, const struct regions *r)
{
	for (size_t i = 0; i < r->count; i++) {
		if (span_inside(f->span, r->items[i]))
			return true;
		for (size_t k = 0; k < f->related_count; k++) {
			if (span_inside(f->related[k].span, r->items[i]))
				return true;
		}
	}
	return false;
}

static void copy_finding(struct audit *audit, struct context *ctx, const struct finding *f, struct audit_finding *out)
{
	const struct source *src = f->span.source ? source_get(&ctx->sources, f->span.source) : NULL;

	memset(out, 0, sizeof(*out));
	out->rule = arena_strdup(&audit->arena, finding_rule_name(f));
	out->severity = severity_name(f->severity);
	out->message = audit_render(audit, ctx, f->message);
	out->hint = audit_render(audit, ctx, f->hint);
	if (src) {
		struct position start;
		struct position end;

		report_span_position(ctx, f->span, &start, &end);
		out->file = arena_strdup(&audit->arena, src->path);
		out->line = start.line;
		out->column = start.column;
	}
}

struct finding_list {
	struct audit_finding *items;
	size_t count;
	size_t cap;
};

static void finding_list_add(struct audit *audit, struct context *ctx, struct finding_list *list,
			     const struct finding *f)
{
	list->items = xgrow(list->items, &list->cap, list->count + 1, sizeof(*list->items));
	copy_finding(audit, ctx, f, &list->items[list->count++]);
}

static struct audit_finding *finding_list_finish(struct audit *audit, struct finding_list *list, size_t *count)
{
	struct audit_finding *copy = ARENA_ARRAY(&audit->arena, struct audit_finding, list->count + 1);

	if (list->count)
		memcpy(copy, list->items, list->count * sizeof(*list->items));
	*count = list->count;
	free(list->items);
	return copy;
}

/* Hand each active finding to the roles it concerns, or to the namespace. */
static void distribute_findings(struct audit *audit, struct context *ctx, const struct tf_config *config,
				struct audit_namespace *ns)
{
	size_t roles = config->principal_count;
	struct regions *regions = xcalloc(roles + 1, sizeof(*regions));
	struct finding_list *lists = xcalloc(roles + 1, sizeof(*lists));
	struct finding_list rest = {NULL, 0, 0};

	for (size_t i = 0; i < roles; i++)
		role_regions(config->principals[i], &regions[i]);
	for (size_t k = 0; k < ctx->diags.count; k++) {
		const struct finding *f = &ctx->diags.items[k];
		bool placed = false;

		if (!finding_is_active(f))
			continue;
		for (size_t i = 0; i < roles; i++) {
			if (!finding_in(f, &regions[i]))
				continue;
			finding_list_add(audit, ctx, &lists[i], f);
			placed = true;
		}
		if (!placed)
			finding_list_add(audit, ctx, &rest, f);
	}
	/* The roles are in principal order until they are sorted at the end of audit_add_namespace(). */
	for (size_t i = 0; i < roles; i++) {
		ns->roles[i].findings = finding_list_finish(audit, &lists[i], &ns->roles[i].finding_count);
		free(regions[i].items);
	}
	ns->findings = finding_list_finish(audit, &rest, &ns->finding_count);
	free(regions);
	free(lists);
}

/* Roles ---------------------------------------------------------------------------------------- */

static void build_role(struct audit *audit, struct context *ctx, const struct tf_config *config,
		       const struct tf_principal *p, struct audit_role *role,
		       const struct audit_counterpart *counterparts, size_t counterpart_count)
{
	struct role_build b;
	struct buf reason = BUF_INIT;

	memset(&b, 0, sizeof(b));
	b.audit = audit;
	b.ctx = ctx;
	b.config = config;
	b.principal = p;
	b.role = role;
	b.counterparts = counterparts;
	b.counterpart_count = counterpart_count;
	arena_init(&b.scratch);

	role->address = arena_strdup(&audit->arena, p->address);
	role->arn = audit_render(audit, ctx, p->arn);
	role->naming = p->naming ? arena_strdup(&audit->arena, p->naming) : NULL;
	role->is_user = p->is_user;
	role->location = audit_where(audit, ctx, p->span);
	b.caller_known = p->arn && eval_caller_parse(&b.caller, p->arn, &b.scratch, &reason);
	buf_release(&reason);

	build_assumers(&b);
	build_policies(&b);
	if (!b.caller_known && b.identity_count)
		text_list_add(&b.notes, "the role's ARN is not known, so what its policies allow is not evaluated");
	else
		audit_build_grants(&b);
	role->notes = text_list_finish(&b.notes, &audit->arena, &role->note_count, false);

	free(b.identity);
	free(b.identity_names);
	arena_release(&b.scratch);
}

static int compare_roles(const void *pa, const void *pb)
{
	const struct audit_role *a = pa;
	const struct audit_role *b = pb;

	return strcmp(a->address, b->address);
}

void audit_add_namespace(struct audit *audit, struct context *ctx, const struct tf_config *config,
			 const struct audit_counterpart *counterparts, size_t counterpart_count)
{
	struct audit_namespace *ns;
	const char *name = tf_config_variable(config, "namespace");

	audit->namespaces = xgrow(audit->namespaces, &audit->namespace_cap, audit->namespace_count + 1,
				  sizeof(*audit->namespaces));
	ns = &audit->namespaces[audit->namespace_count++];
	memset(ns, 0, sizeof(*ns));
	ns->folder = arena_strdup(&audit->arena, config->folder ? config->folder : ".");
	ns->name = name ? arena_strdup(&audit->arena, name) : NULL;
	ns->file_count = config->file_count;
	ns->roles = ARENA_ARRAY(&audit->arena, struct audit_role, config->principal_count + 1);
	ns->role_count = config->principal_count;
	for (size_t i = 0; i < config->principal_count; i++)
		build_role(audit, ctx, config, config->principals[i], &ns->roles[i], counterparts, counterpart_count);
	distribute_findings(audit, ctx, config, ns);
	if (ns->role_count > 1)
		qsort(ns->roles, ns->role_count, sizeof(*ns->roles), compare_roles);
}

void audit_init(struct audit *audit, const char *account, const char *account_name)
{
	memset(audit, 0, sizeof(*audit));
	arena_init(&audit->arena);
	audit->account = account ? arena_strdup(&audit->arena, account) : NULL;
	audit->account_name = account_name ? arena_strdup(&audit->arena, account_name) : NULL;
}

void audit_release(struct audit *audit)
{
	free(audit->namespaces);
	arena_release(&audit->arena);
	memset(audit, 0, sizeof(*audit));
}

/* Names ------------------------------------------------------------------------------------------ */

const char *audit_edge_state_name(enum audit_edge_state state)
{
	static const char *const names[] = {"confirmed", "partial", "denied", "undecided", "missing"};

	return (size_t)state < IX_COUNT(names) ? names[state] : "missing";
}

const char *audit_origin_name(enum audit_origin origin)
{
	static const char *const names[] = {"inline", "module", "ssm", "unresolved"};

	return (size_t)origin < IX_COUNT(names) ? names[origin] : "unresolved";
}

const char *audit_assumer_kind_name(enum audit_assumer_kind kind)
{
	static const char *const names[] = {"service-account", "aws", "service", "federated", "anyone", "unknown"};

	return (size_t)kind < IX_COUNT(names) ? names[kind] : "unknown";
}

bool audit_format_parse(const char *name, enum audit_format *format)
{
	static const struct {
		const char *name;
		enum audit_format format;
	} formats[] = {
		{"text", AUDIT_TEXT},
		{"markdown", AUDIT_MARKDOWN},
		{"json", AUDIT_JSON},
		{"dot", AUDIT_DOT},
	};

	for (size_t i = 0; i < IX_COUNT(formats); i++) {
		if (strcmp(name, formats[i].name) == 0) {
			*format = formats[i].format;
			return true;
		}
	}
	return false;
}
