/*
 * Finding the policies, roles and attachments a configuration declares.
 *
 * Extraction walks every module instance twice.  The first walk declares:
 * roles and users with their trust policies and inline policies, managed
 * policies with their ARNs, resource policies with the ARN of what they
 * govern, and what modelled modules create.  The second walk attaches:
 * aws_iam_role_policy, the attachment resources and managed_policy_arns
 * name roles and policies that the first walk registered by name and ARN.
 * An ARN is matched as text, holes included, so `aws_iam_policy.p.arn` and
 * the ARN a role attaches match whenever they come from the same
 * expressions.  Policy documents that no policy argument uses are checked
 * on their own at the end, so a document written but not yet attached is
 * still linted.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Registries --------------------------------------------------------------------- */

void tf_registry_put(struct tf_state *st, struct tf_registry *registry, const char *key, void *item)
{
	registry->items = xgrow(registry->items, &registry->cap, registry->count + 1, sizeof(*registry->items));
	registry->items[registry->count].key = arena_strdup(&st->arena, key);
	registry->items[registry->count++].item = item;
}

void *tf_registry_get(const struct tf_registry *registry, const char *key)
{
	for (size_t i = registry->count; i > 0; i--) {
		if (strcmp(registry->items[i - 1].key, key) == 0)
			return registry->items[i - 1].item;
	}
	return NULL;
}

/* The text that identifies a value for matching: its string, or the hole of an unknown. */
static const char *value_key(struct tf_state *st, const struct hcl_value *v)
{
	struct buf b = BUF_INIT;
	const char *key;

	if (!v)
		return NULL;
	if (v->kind == HCL_VALUE_STRING)
		return v->as.string.text;
	if (v->kind != HCL_VALUE_UNKNOWN)
		return NULL;
	hole_append(&b, symbol_intern(&st->ctx->symbols, v->as.unknown.text, v->as.unknown.description, v->span));
	key = arena_strdup(&st->arena, buf_str(&b));
	buf_release(&b);
	return key;
}

void tf_resource_add(struct tf_config *config, struct arena *arena, const char *arn, const char *address)
{
	struct tf_resource *r;

	config->resources = xgrow(config->resources, &config->resource_cap, config->resource_count + 1,
				  sizeof(*config->resources));
	r = &config->resources[config->resource_count++];
	r->arn = arena_strdup(arena, arn);
	r->address = arena_strdup(arena, address);
}

void tf_policy_add(struct tf_state *st, struct tf_policy *policy)
{
	struct tf_config *c = st->config;

	c->policies = xgrow(c->policies, &c->policy_cap, c->policy_count + 1, sizeof(*c->policies));
	c->policies[c->policy_count++] = policy;
}

struct tf_principal *tf_principal_add(struct tf_state *st, const char *address, const char *arn,
				      const char *name, bool is_user, struct span span)
{
	struct tf_config *c = st->config;
	struct tf_principal *p = ARENA_NEW(&st->arena, struct tf_principal);

	p->address = address;
	p->arn = arn;
	p->name = name;
	p->is_user = is_user;
	p->span = span;
	c->principals = xgrow(c->principals, &c->principal_cap, c->principal_count + 1, sizeof(*c->principals));
	c->principals[c->principal_count++] = p;
	if (name)
		tf_registry_put(st, &st->principal_by_name, name, p);
	if (arn)
		tf_registry_put(st, &st->principal_by_arn, arn, p);
	return p;
}

void tf_principal_attach(struct tf_state *st, struct tf_principal *principal, const struct tf_policy *policy)
{
	struct tf_policy *p = (struct tf_policy *)policy;

	(void)st;
	for (size_t i = 0; i < principal->policy_count; i++) {
		if (principal->policies[i] == policy)
			return;
	}
	principal->policies = xgrow(principal->policies, &principal->policy_cap, principal->policy_count + 1,
				    sizeof(*principal->policies));
	principal->policies[principal->policy_count++] = policy;
	p->attached_to = xgrow(p->attached_to, &p->attached_cap, p->attached_count + 1, sizeof(*p->attached_to));
	p->attached_to[p->attached_count++] = principal->address;
}

static void note_unresolved(struct tf_state *st, struct tf_principal *principal, const char *text, struct span span)
{
	principal->unresolved = xgrow(principal->unresolved, &principal->unresolved_cap,
				      principal->unresolved_count + 1, sizeof(*principal->unresolved));
	principal->unresolved_spans = xrealloc(principal->unresolved_spans,
					       principal->unresolved_cap * sizeof(*principal->unresolved_spans));
	principal->unresolved[principal->unresolved_count] = arena_strdup(&st->arena, context_render(st->ctx, text));
	principal->unresolved_spans[principal->unresolved_count++] = span;
}

static struct tf_policy *find_policy(struct tf_state *st, const char *key)
{
	struct tf_policy *p = tf_registry_get(&st->policy_by_arn, key);

	for (size_t i = 0; !p && i < st->foreign_count; i++) {
		if (st->foreign[i]->state)
			p = tf_registry_get(&st->foreign[i]->state->policy_by_arn, key);
	}
	return p;
}

void tf_principal_attach_arn(struct tf_state *st, struct tf_principal *principal,
			     const struct hcl_value *arn, struct span span)
{
	const char *key;
	struct tf_policy *policy;

	if (!arn || arn->kind == HCL_VALUE_NULL)
		return;
	if (arn->kind == HCL_VALUE_TUPLE) {
		for (size_t i = 0; i < arn->as.tuple.count; i++)
			tf_principal_attach_arn(st, principal, arn->as.tuple.items[i], arn->as.tuple.items[i]->span);
		return;
	}
	if (arn->kind == HCL_VALUE_OBJECT) {
		for (size_t i = 0; i < arn->as.object.count; i++)
			tf_principal_attach_arn(st, principal, arn->as.object.entries[i].value,
						arn->as.object.entries[i].value->span);
		return;
	}
	key = value_key(st, arn);
	if (!key)
		return;
	policy = find_policy(st, key);
	if (policy)
		tf_principal_attach(st, principal, policy);
	else
		note_unresolved(st, principal, arn->kind == HCL_VALUE_UNKNOWN ? arn->as.unknown.text : key,
				span_is_set(span) ? span : principal->span);
}

/* One resource instance ----------------------------------------------------------- */

struct site {
	struct tf_state *st;
	struct tf_instance *instance;
	const struct tf_decl *decl;
	const struct hcl_value *key;
	const struct hcl_value *value;
	bool is_count;
	struct tf_frame frame;
	const char *address;
};

static const struct hcl_value *site_attr(struct site *s, const char *name)
{
	return tf_resource_attribute(s->st, s->instance, s->decl, s->key, s->value, s->is_count, name,
				     s->decl->block->span);
}

static const struct hcl_value *site_arg(struct site *s, const char *name)
{
	return tf_eval_attr(s->st, &s->frame, s->decl->block->body, name);
}

/* Return argument `name` of the block, or an unknown of its own when the block does not set it. */
static const struct hcl_value *site_arg_or_unknown(struct site *s, const char *name)
{
	const struct hcl_value *v = site_arg(s, name);

	if (v)
		return v;
	return tf_unknown(s->st, s->instance, name, "an argument the block does not set", s->decl->block->span);
}

static struct span arg_span(const struct hcl_body *body, const char *name, struct span fallback)
{
	const struct hcl_attribute *a = hcl_body_attribute(body, name);

	return a ? a->expr->span : fallback;
}

/* The policy written in argument `name` of the block; NULL when there is none. */
static struct tf_policy *site_policy(struct site *s, const struct hcl_body *body, const char *name,
				     enum policy_kind kind, const char *address)
{
	const struct hcl_attribute *a = hcl_body_attribute(body, name);
	struct tf_policy *tp;

	if (!a)
		return NULL;
	tp = tf_policy_from_value(s->st, tf_eval_in(s->st, &s->frame, a->expr), kind, address, a->expr->span, false);
	tf_policy_add(s->st, tp);
	return tp;
}

/* https://sqs.<region>.amazonaws.com/<account>/<name> to the queue's ARN. */
static const char *queue_arn_from_url(struct tf_state *st, const struct hcl_value *url)
{
	const char *text = url && url->kind == HCL_VALUE_STRING ? url->as.string.text : NULL;
	const char *host_end;
	const char *account_end;

	if (!text || !str_starts_with(text, "https://sqs."))
		return NULL;
	text += strlen("https://sqs.");
	host_end = strstr(text, ".amazonaws.com/");
	if (!host_end)
		return NULL;
	account_end = strchr(host_end + strlen(".amazonaws.com/"), '/');
	if (!account_end)
		return NULL;
	return arena_printf(&st->arena, "arn:aws:sqs:%.*s:%.*s:%s", (int)(host_end - text), text,
			    (int)(account_end - host_end - strlen(".amazonaws.com/")),
			    host_end + strlen(".amazonaws.com/"), account_end + 1);
}

static const char *text_of(struct tf_state *st, const struct hcl_value *v)
{
	return value_key(st, v);
}

static void declare_role(struct site *s, bool is_user)
{
	struct tf_state *st = s->st;
	const char *arn = text_of(st, site_attr(s, "arn"));
	const char *name = text_of(st, site_attr(s, "name"));
	struct tf_principal *p = tf_principal_add(st, s->address, arn, name, is_user, s->decl->block->span);
	const struct hcl_body *body = s->decl->block->body;

	if (is_user)
		return;
	p->trust = site_policy(s, body, "assume_role_policy", POLICY_TRUST,
			       arena_printf(&st->arena, "%s (assume_role_policy)", s->address));
	if (p->trust)
		((struct tf_policy *)p->trust)->governs = arn;
	for (size_t i = 0; i < body->block_count; i++) {
		const struct hcl_block *b = &body->blocks[i];
		struct tf_policy *tp;

		if (strcmp(b->type, "inline_policy") != 0)
			continue;
		tp = site_policy(s, b->body, "policy", POLICY_IDENTITY,
				 arena_printf(&st->arena, "%s (inline_policy)", s->address));
		if (tp)
			tf_principal_attach(st, p, tp);
	}
}

/* A resource policy: the argument it is written in and the ARN it governs. */
static void declare_resource_policy(struct site *s, const char *arg, const char *governs)
{
	struct tf_policy *tp = site_policy(s, s->decl->block->body, arg, POLICY_RESOURCE, s->address);

	if (tp)
		tp->governs = governs;
}

static void declare(struct site *s)
{
	struct tf_state *st = s->st;
	const char *type = s->decl->type;

	if (st->policies_only && strcmp(type, "aws_iam_policy") != 0)
		return;
	if (strcmp(type, "aws_iam_policy") == 0) {
		struct tf_policy *tp = site_policy(s, s->decl->block->body, "policy", POLICY_IDENTITY, s->address);

		if (tp) {
			tp->arn = text_of(st, site_attr(s, "arn"));
			if (tp->arn)
				tf_registry_put(st, &st->policy_by_arn, tp->arn, tp);
		}
	} else if (strcmp(type, "aws_iam_role") == 0) {
		declare_role(s, false);
	} else if (strcmp(type, "aws_iam_user") == 0) {
		declare_role(s, true);
	} else if (strcmp(type, "aws_s3_bucket_policy") == 0) {
		declare_resource_policy(s, "policy", text_of(st, tf_concat(st, s->decl->block->span, "arn:aws:s3:::%v",
									  site_arg_or_unknown(s, "bucket"))));
	} else if (strcmp(type, "aws_s3_bucket") == 0 || strcmp(type, "aws_kms_key") == 0 ||
		   strcmp(type, "aws_sqs_queue") == 0 || strcmp(type, "aws_sns_topic") == 0 ||
		   strcmp(type, "aws_secretsmanager_secret") == 0) {
		const char *arn = text_of(st, site_attr(s, "arn"));

		if (arn)
			tf_resource_add(st->config, &st->arena, arn, s->address);
		declare_resource_policy(s, "policy", arn);
	} else if (strcmp(type, "aws_dynamodb_table") == 0 || strcmp(type, "aws_ecr_repository") == 0 ||
		   strcmp(type, "aws_lambda_function") == 0) {
		const char *arn = text_of(st, site_attr(s, "arn"));

		if (arn)
			tf_resource_add(st->config, &st->arena, arn, s->address);
	} else if (strcmp(type, "aws_kms_key_policy") == 0) {
		declare_resource_policy(s, "policy", NULL);
	} else if (strcmp(type, "aws_sqs_queue_policy") == 0) {
		declare_resource_policy(s, "policy", queue_arn_from_url(st, site_arg(s, "queue_url")));
	} else if (strcmp(type, "aws_sns_topic_policy") == 0) {
		declare_resource_policy(s, "policy", text_of(st, site_arg(s, "arn")));
	} else if (strcmp(type, "aws_secretsmanager_secret_policy") == 0) {
		declare_resource_policy(s, "policy", text_of(st, site_arg(s, "secret_arn")));
	} else if (strcmp(type, "aws_ecr_repository_policy") == 0) {
		declare_resource_policy(s, "policy",
					text_of(st, tf_concat(st, s->decl->block->span, "arn:aws:ecr:%v:%v:repository/%v",
							      tf_region(st, s->decl->block->span),
							      tf_account(st, s->decl->block->span),
							      site_arg_or_unknown(s, "repository"))));
	} else if (strcmp(type, "aws_iam_group_policy") == 0) {
		site_policy(s, s->decl->block->body, "policy", POLICY_IDENTITY, s->address);
	}
}

static struct tf_principal *principal_named(struct tf_state *st, const struct hcl_value *v)
{
	const char *key = value_key(st, v);

	if (!key)
		return NULL;
	return tf_registry_get(&st->principal_by_name, key);
}

/* The roles or users an attachment names: one value or a list. */
static void attach_to_each(struct site *s, const struct hcl_value *names, const struct hcl_value *policy_arn,
			   const struct tf_policy *inline_policy)
{
	struct tf_principal *p;

	if (!names || names->kind == HCL_VALUE_NULL)
		return;
	if (names->kind == HCL_VALUE_TUPLE) {
		for (size_t i = 0; i < names->as.tuple.count; i++)
			attach_to_each(s, names->as.tuple.items[i], policy_arn, inline_policy);
		return;
	}
	p = principal_named(s->st, names);
	if (!p)
		return;
	if (inline_policy)
		tf_principal_attach(s->st, p, inline_policy);
	else
		tf_principal_attach_arn(s->st, p, policy_arn,
					arg_span(s->decl->block->body, "policy_arn", s->decl->block->span));
}

static void attach(struct site *s)
{
	struct tf_state *st = s->st;
	const char *type = s->decl->type;
	const struct hcl_body *body = s->decl->block->body;

	if (strcmp(type, "aws_iam_role_policy") == 0 || strcmp(type, "aws_iam_user_policy") == 0) {
		struct tf_policy *tp = site_policy(s, body, "policy", POLICY_IDENTITY, s->address);

		if (tp)
			attach_to_each(s, site_arg(s, type[8] == 'r' ? "role" : "user"), NULL, tp);
	} else if (strcmp(type, "aws_iam_role_policy_attachment") == 0) {
		attach_to_each(s, site_arg(s, "role"), site_arg(s, "policy_arn"), NULL);
	} else if (strcmp(type, "aws_iam_user_policy_attachment") == 0) {
		attach_to_each(s, site_arg(s, "user"), site_arg(s, "policy_arn"), NULL);
	} else if (strcmp(type, "aws_iam_policy_attachment") == 0) {
		attach_to_each(s, site_arg(s, "roles"), site_arg(s, "policy_arn"), NULL);
		attach_to_each(s, site_arg(s, "users"), site_arg(s, "policy_arn"), NULL);
	} else if (strcmp(type, "aws_iam_role") == 0) {
		struct tf_principal *p = principal_named(st, site_attr(s, "name"));
		const struct hcl_value *arns = site_arg(s, "managed_policy_arns");

		if (p && arns)
			tf_principal_attach_arn(st, p, arns, arg_span(body, "managed_policy_arns", s->decl->block->span));
	}
}

/* Walks -------------------------------------------------------------------------- */

typedef void (*site_fn)(struct site *s);

/*
 * Count the block's instances against TF_MAX_RESOURCE_INSTANCES; false when
 * they would pass it, after a finding when `report` is set.
 */
static bool within_instance_limit(struct tf_state *st, const struct tf_decl *decl, const struct tf_expansion *x,
				  size_t *counted, bool report)
{
	struct finding *f;

	if (*counted + x->count <= TF_MAX_RESOURCE_INSTANCES) {
		*counted += x->count;
		return true;
	}
	if (report) {
		f = diag_add(st->diags, RULE_LIMIT_EXCEEDED, decl->block->span,
			     "this block's %zu instances would bring the root module past %d resource instances, the limit iamcross checks for one root module; the block was not checked",
			     x->count, TF_MAX_RESOURCE_INSTANCES);
		diag_set_hint(f, "create fewer instances, or split the configuration into several root modules");
	}
	return false;
}

static void visit_resource(struct tf_state *st, struct tf_instance *inst, const struct tf_decl *decl, site_fn fn)
{
	struct tf_expansion x;

	tf_expand(st, inst, decl, &x);
	if (x.kind == EXPANSION_UNKNOWN) {
		/* Check the body once with each.key and each.value unknown. */
		x.count = 1;
		x.keys = ARENA_ARRAY(&st->arena, const struct hcl_value *, 1);
		x.values = ARENA_ARRAY(&st->arena, const struct hcl_value *, 1);
		x.keys[0] = tf_unknown(st, inst, "each.key", "a key of a for_each that is not known", decl->block->span);
		x.values[0] = tf_unknown(st, inst, "each.value", "a value of a for_each that is not known",
					 decl->block->span);
	}
	if (!within_instance_limit(st, decl, &x, fn == declare ? &st->declared_instances : &st->attached_instances,
				   fn == declare))
		return;
	for (size_t i = 0; i < x.count; i++) {
		struct site s;

		memset(&s, 0, sizeof(s));
		s.st = st;
		s.instance = inst;
		s.decl = decl;
		s.key = x.kind == EXPANSION_SINGLE ? NULL : x.keys[i];
		s.value = x.values ? x.values[i] : NULL;
		s.is_count = x.kind == EXPANSION_COUNT;
		s.frame = tf_resource_frame(inst, s.key, s.value, s.is_count);
		s.address = tf_resource_address(st, inst, decl, s.key);
		fn(&s);
	}
}

static void declare_instance(struct tf_state *st, struct tf_instance *inst)
{
	if (inst->model.model) {
		if (!st->policies_only)
			tf_model_check_inputs(st, inst);
		tf_model_extract(st, inst);
		return;
	}
	if (!inst->module)
		return;
	for (size_t d = 0; d < inst->module->decl_count; d++) {
		const struct tf_decl *decl = &inst->module->decls[d];
		struct tf_expansion x;

		if (decl->kind == DECL_RESOURCE) {
			visit_resource(st, inst, decl, declare);
			continue;
		}
		if (decl->kind != DECL_MODULE)
			continue;
		tf_expand(st, inst, decl, &x);
		if (x.kind == EXPANSION_UNKNOWN) {
			declare_instance(st, tf_child_instance(st, inst, decl,
							       tf_unknown(st, inst, "each.key", NULL, decl->block->span),
							       tf_unknown(st, inst, "each.value", NULL, decl->block->span),
							       false));
			continue;
		}
		for (size_t i = 0; i < x.count; i++)
			declare_instance(st, tf_child_instance(st, inst, decl, x.kind == EXPANSION_SINGLE ? NULL : x.keys[i],
							       x.values ? x.values[i] : NULL, x.kind == EXPANSION_COUNT));
	}
}

static bool kind_from_document(const struct hcl_value *doc)
{
	const struct hcl_value *statements = hcl_value_get(doc, "Statement");

	for (size_t i = 0; statements && statements->kind == HCL_VALUE_TUPLE && i < statements->as.tuple.count; i++) {
		const struct hcl_value *st = statements->as.tuple.items[i];

		if (hcl_value_get(st, "Principal") || hcl_value_get(st, "NotPrincipal"))
			return true;
	}
	return false;
}

/* Lint documents no policy argument used, as identity or resource policies by their content. */
static void check_unused_documents(struct tf_state *st)
{
	for (size_t i = 0; i < st->instance_count; i++) {
		struct tf_instance *inst = st->instances[i];

		for (size_t d = 0; inst->module && d < inst->module->decl_count; d++) {
			const struct tf_decl *decl = &inst->module->decls[d];
			struct tf_expansion x;

			if (decl->kind != DECL_DATA || strcmp(decl->type, "aws_iam_policy_document") != 0)
				continue;
			tf_expand(st, inst, decl, &x);
			for (size_t k = 0; x.kind != EXPANSION_UNKNOWN && k < x.count; k++) {
				const struct hcl_value *key = x.kind == EXPANSION_SINGLE ? NULL : x.keys[k];
				struct tf_frame frame = tf_resource_frame(inst, key, x.values ? x.values[k] : NULL,
									  x.kind == EXPANSION_COUNT);
				char *used = xasprintf("%p|%zu|%s", (void *)inst, decl->index, tf_instance_key_text(st, key));
				bool is_used = tf_registry_get(&st->documents_used, used) != NULL;
				const struct hcl_value *doc;

				free(used);
				if (is_used)
					continue;
				doc = tf_document_value(st, &frame, decl);
				tf_policy_add(st, tf_policy_from_value(st, tf_document_json(st, doc),
								       kind_from_document(doc) ? POLICY_RESOURCE : POLICY_IDENTITY,
								       tf_resource_address(st, inst, decl, key),
								       decl->block->span, false));
			}
		}
	}
}

void tf_index_modules(struct tf_state *st, struct tf_instance *inst)
{
	for (size_t d = 0; inst->module && d < inst->module->decl_count; d++) {
		const struct tf_decl *decl = &inst->module->decls[d];
		struct tf_expansion x;

		if (decl->kind != DECL_MODULE)
			continue;
		tf_expand(st, inst, decl, &x);
		for (size_t i = 0; x.kind != EXPANSION_UNKNOWN && i < x.count; i++)
			tf_index_modules(st, tf_child_instance(st, inst, decl, x.kind == EXPANSION_SINGLE ? NULL : x.keys[i],
							       x.values ? x.values[i] : NULL, x.kind == EXPANSION_COUNT));
		if (x.kind == EXPANSION_UNKNOWN)
			tf_index_modules(st, tf_child_instance(st, inst, decl,
							       tf_unknown(st, inst, "each.key", NULL, decl->block->span),
							       tf_unknown(st, inst, "each.value", NULL, decl->block->span),
							       false));
	}
}

void tf_extract(struct tf_state *st)
{
	size_t declared;

	declare_instance(st, st->root);
	if (st->policies_only)
		return;
	for (size_t i = 0; i < st->pending_count; i++)
		tf_principal_attach_arn(st, st->pending[i].principal, st->pending[i].arns, st->pending[i].span);
	declared = st->instance_count;
	for (size_t i = 0; i < declared; i++) {
		struct tf_instance *inst = st->instances[i];

		for (size_t d = 0; inst->module && d < inst->module->decl_count; d++) {
			if (inst->module->decls[d].kind == DECL_RESOURCE)
				visit_resource(st, inst, &inst->module->decls[d], attach);
		}
	}
	check_unused_documents(st);
}
