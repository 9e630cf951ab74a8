/*
 * Resources and data sources: their instances and the attributes the AWS
 * provider computes.
 *
 * An attribute written in the block is its own value.  Attributes the
 * provider computes (an ARN, a queue URL) are built from the written ones
 * where AWS's naming rules make them predictable: a role's ARN is
 * arn:aws:iam::<account>:role<path><name>, a queue's ARN
 * arn:aws:sqs:<region>:<account>:<name>.  The account, region and
 * partition are the canonical unknowns of eval.c unless --account is
 * given.  ARNs built here assume the commercial partition "aws".
 * Everything else, a KMS key ID or a random suffix, is an unknown named
 * after the attribute (`aws_kms_key.k.arn`).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct tf_frame tf_resource_frame(struct tf_instance *instance, const struct hcl_value *key,
				  const struct hcl_value *value, bool is_count)
{
	struct tf_frame frame = tf_frame_of(instance);

	if (key && is_count) {
		frame.count_index = key;
	} else if (key) {
		frame.each_key = key;
		frame.each_value = value;
	}
	return frame;
}

const char *tf_resource_address(struct tf_state *st, const struct tf_instance *instance,
				const struct tf_decl *decl, const struct hcl_value *key)
{
	const char *address = instance ? instance->address : "";

	return arena_printf(&st->arena, "%s%s%s%s.%s%s", address, address[0] ? "." : "",
			    decl->kind == DECL_DATA ? "data." : "", decl->type, decl->name,
			    tf_instance_key_text(st, key));
}

/* Computed attributes ------------------------------------------------------------- */

struct attr_context {
	struct tf_state *st;
	struct tf_instance *instance;
	const struct tf_decl *decl;
	struct tf_frame frame;
	const struct hcl_value *key;
	struct span span;
};

static const struct hcl_value *arg(struct attr_context *a, const char *name)
{
	return tf_eval_attr(a->st, &a->frame, a->decl->block->body, name);
}

static const struct hcl_value *unknown_attr(struct attr_context *a, const char *attr, const char *description)
{
	const char *address = tf_resource_address(a->st, NULL, a->decl, a->key);

	return tf_unknown(a->st, a->instance, arena_printf(&a->st->arena, "%s.%s", address, attr), description,
			  a->span);
}

/* The written `name`, or an unknown when the provider makes one up. */
static const struct hcl_value *name_or_unknown(struct attr_context *a, const char *arg_name)
{
	const struct hcl_value *v = arg(a, arg_name);

	if (v && v->kind != HCL_VALUE_NULL)
		return v;
	return unknown_attr(a, arg_name, "a name the AWS provider generates");
}

static const struct hcl_value *path_or_root(struct attr_context *a)
{
	const struct hcl_value *v = arg(a, "path");

	return v && v->kind != HCL_VALUE_NULL ? v : tf_string(a->st, "/", a->span);
}

static const struct hcl_value *iam_arn(struct attr_context *a, const char *kind)
{
	return tf_concat(a->st, a->span, "arn:aws:iam::%v:%s%v%v", tf_account(a->st, a->span), kind,
			 path_or_root(a), name_or_unknown(a, "name"));
}

static const struct hcl_value *regional_arn(struct attr_context *a, const char *service, const char *infix,
					    const char *name_arg)
{
	return tf_concat(a->st, a->span, "arn:aws:%s:%v:%v:%s%v", service, tf_region(a->st, a->span),
			 tf_account(a->st, a->span), infix, name_or_unknown(a, name_arg));
}

static const struct hcl_value *iam_role_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "arn") == 0)
		return iam_arn(a, "role");
	if (strcmp(attr, "name") == 0 || strcmp(attr, "id") == 0)
		return name_or_unknown(a, "name");
	return NULL;
}

static const struct hcl_value *iam_user_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "arn") == 0)
		return iam_arn(a, "user");
	if (strcmp(attr, "name") == 0 || strcmp(attr, "id") == 0)
		return name_or_unknown(a, "name");
	return NULL;
}

static const struct hcl_value *iam_policy_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "arn") == 0 || strcmp(attr, "id") == 0 || strcmp(attr, "policy_id") == 0)
		return strcmp(attr, "policy_id") == 0 ? NULL : iam_arn(a, "policy");
	if (strcmp(attr, "name") == 0)
		return name_or_unknown(a, "name");
	return NULL;
}

static const struct hcl_value *s3_bucket_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "arn") == 0)
		return tf_concat(a->st, a->span, "arn:aws:s3:::%v", name_or_unknown(a, "bucket"));
	if (strcmp(attr, "id") == 0 || strcmp(attr, "bucket") == 0)
		return name_or_unknown(a, "bucket");
	return NULL;
}

static const struct hcl_value *sqs_queue_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "arn") == 0)
		return regional_arn(a, "sqs", "", "name");
	if (strcmp(attr, "id") == 0 || strcmp(attr, "url") == 0)
		return tf_concat(a->st, a->span, "https://sqs.%v.amazonaws.com/%v/%v", tf_region(a->st, a->span),
				 tf_account(a->st, a->span), name_or_unknown(a, "name"));
	if (strcmp(attr, "name") == 0)
		return name_or_unknown(a, "name");
	return NULL;
}

static const struct hcl_value *sns_topic_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "arn") == 0 || strcmp(attr, "id") == 0)
		return regional_arn(a, "sns", "", "name");
	if (strcmp(attr, "name") == 0)
		return name_or_unknown(a, "name");
	return NULL;
}

static const struct hcl_value *dynamodb_table_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "arn") == 0)
		return regional_arn(a, "dynamodb", "table/", "name");
	if (strcmp(attr, "name") == 0 || strcmp(attr, "id") == 0)
		return name_or_unknown(a, "name");
	return NULL;
}

static const struct hcl_value *ecr_repository_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "arn") == 0)
		return regional_arn(a, "ecr", "repository/", "name");
	if (strcmp(attr, "name") == 0 || strcmp(attr, "id") == 0)
		return name_or_unknown(a, "name");
	return NULL;
}

static const struct hcl_value *lambda_function_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "arn") == 0)
		return regional_arn(a, "lambda", "function:", "function_name");
	return NULL;
}

static const struct hcl_value *ssm_parameter_attr(struct attr_context *a, const char *attr)
{
	const struct hcl_value *name;

	if (strcmp(attr, "arn") != 0)
		return NULL;
	name = name_or_unknown(a, "name");
	if (tf_plain_string(name) && name->as.string.text[0] == '/')
		return tf_concat(a->st, a->span, "arn:aws:ssm:%v:%v:parameter%v", tf_region(a->st, a->span),
				 tf_account(a->st, a->span), name);
	return tf_concat(a->st, a->span, "arn:aws:ssm:%v:%v:parameter/%v", tf_region(a->st, a->span),
			 tf_account(a->st, a->span), name);
}

static const struct hcl_value *data_ssm_parameter_attr(struct attr_context *a, const char *attr)
{
	const struct hcl_value *name = arg(a, "name");

	if (strcmp(attr, "value") == 0 || strcmp(attr, "insecure_value") == 0) {
		if (tf_plain_string(name))
			return tf_ssm_value(a->st, name->as.string.text, a->span);
		return unknown_attr(a, attr, "the value of an SSM parameter whose name is not known");
	}
	if (strcmp(attr, "arn") == 0)
		return ssm_parameter_attr(a, attr);
	return NULL;
}

static const struct hcl_value *policy_document_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "json") == 0 || strcmp(attr, "minified_json") == 0)
		return tf_document_json(a->st, tf_document_value(a->st, &a->frame, a->decl));
	return NULL;
}

static const struct hcl_value *caller_identity_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "account_id") == 0 || strcmp(attr, "id") == 0)
		return tf_account(a->st, a->span);
	return NULL;
}

static const struct hcl_value *region_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "name") == 0 || strcmp(attr, "id") == 0 || strcmp(attr, "region") == 0)
		return tf_region(a->st, a->span);
	return NULL;
}

static const struct hcl_value *partition_attr(struct attr_context *a, const char *attr)
{
	if (strcmp(attr, "partition") == 0 || strcmp(attr, "id") == 0)
		return tf_partition(a->st, a->span);
	return NULL;
}

typedef const struct hcl_value *(*attr_fn)(struct attr_context *a, const char *attr);

static const struct {
	enum tf_decl_kind kind;
	const char *type;
	attr_fn fn;
	const char *const computed[4]; /* attributes a whole object gets beside the written ones */
} attribute_table[] = {
	{DECL_RESOURCE, "aws_iam_role", iam_role_attr, {"arn", "name", "id", NULL}},
	{DECL_RESOURCE, "aws_iam_user", iam_user_attr, {"arn", "name", "id", NULL}},
	{DECL_RESOURCE, "aws_iam_policy", iam_policy_attr, {"arn", "name", "id", NULL}},
	{DECL_RESOURCE, "aws_s3_bucket", s3_bucket_attr, {"arn", "id", "bucket", NULL}},
	{DECL_RESOURCE, "aws_sqs_queue", sqs_queue_attr, {"arn", "id", "url", "name"}},
	{DECL_RESOURCE, "aws_sns_topic", sns_topic_attr, {"arn", "id", "name", NULL}},
	{DECL_RESOURCE, "aws_dynamodb_table", dynamodb_table_attr, {"arn", "id", "name", NULL}},
	{DECL_RESOURCE, "aws_ecr_repository", ecr_repository_attr, {"arn", "id", "name", NULL}},
	{DECL_RESOURCE, "aws_lambda_function", lambda_function_attr, {"arn", NULL, NULL, NULL}},
	{DECL_RESOURCE, "aws_ssm_parameter", ssm_parameter_attr, {"arn", NULL, NULL, NULL}},
	{DECL_DATA, "aws_ssm_parameter", data_ssm_parameter_attr, {"arn", "value", NULL, NULL}},
	{DECL_DATA, "aws_iam_policy_document", policy_document_attr, {"json", "minified_json", NULL, NULL}},
	{DECL_DATA, "aws_caller_identity", caller_identity_attr, {"account_id", "id", NULL, NULL}},
	{DECL_DATA, "aws_region", region_attr, {"name", "id", "region", NULL}},
	{DECL_DATA, "aws_partition", partition_attr, {"partition", "id", NULL, NULL}},
	{DECL_DATA, "aws_sqs_queue", sqs_queue_attr, {"arn", "url", NULL, NULL}},
	{DECL_DATA, "aws_s3_bucket", s3_bucket_attr, {"arn", "id", NULL, NULL}},
	{DECL_DATA, "aws_sns_topic", sns_topic_attr, {"arn", "id", NULL, NULL}},
	{DECL_DATA, "aws_dynamodb_table", dynamodb_table_attr, {"arn", "id", NULL, NULL}},
};

static long find_type(enum tf_decl_kind kind, const char *type)
{
	for (size_t i = 0; i < IX_COUNT(attribute_table); i++) {
		if (attribute_table[i].kind == kind && strcmp(attribute_table[i].type, type) == 0)
			return (long)i;
	}
	return -1;
}

/*
 * Does the block's lifecycle ignore_changes list `attr`, or is it `all`?  The
 * written value is then only where the resource started: a parameter
 * created with a placeholder and set by hand keeps its real value.
 */
static bool ignores_changes(const struct tf_decl *decl, const char *attr)
{
	const struct hcl_body *body = decl->block->body;

	for (size_t b = 0; b < body->block_count; b++) {
		const struct hcl_attribute *ignore;
		const struct hcl_expr *e;

		if (strcmp(body->blocks[b].type, "lifecycle") != 0)
			continue;
		ignore = hcl_body_attribute(body->blocks[b].body, "ignore_changes");
		if (!ignore)
			continue;
		e = ignore->expr;
		if (e->kind == HCL_EXPR_VARIABLE && strcmp(e->as.variable, "all") == 0)
			return true;
		if (e->kind == HCL_EXPR_TEMPLATE && e->as.template.count == 1 && e->as.template.parts[0].text &&
		    strcmp(e->as.template.parts[0].text, "all") == 0)
			return true;
		for (size_t i = 0; e->kind == HCL_EXPR_TUPLE && i < e->as.tuple.count; i++) {
			const struct hcl_expr *item = e->as.tuple.items[i];
			const char *name = NULL;

			if (item->kind == HCL_EXPR_VARIABLE)
				name = item->as.variable;
			else if (item->kind == HCL_EXPR_TRAVERSAL && item->as.traversal.source->kind == HCL_EXPR_VARIABLE)
				name = item->as.traversal.source->as.variable;
			else if (item->kind == HCL_EXPR_TEMPLATE && item->as.template.count == 1)
				name = item->as.template.parts[0].text;
			if (name && strcmp(name, attr) == 0)
				return true;
		}
	}
	return false;
}

static const struct hcl_value *compute_attribute(struct tf_state *st, struct tf_instance *instance,
						 const struct tf_decl *decl, const struct hcl_value *key,
						 const struct hcl_value *value, bool is_count, const char *attr,
						 struct span span)
{
	struct attr_context a = {st, instance, decl, tf_resource_frame(instance, key, value, is_count), key, span};
	long type = find_type(decl->kind, decl->type);
	const struct hcl_value *v = NULL;
	const struct hcl_attribute *written;

	if (type >= 0)
		v = attribute_table[type].fn(&a, attr);
	if (v)
		return v;
	written = hcl_body_attribute(decl->block->body, attr);
	if (written && ignores_changes(decl, attr))
		return unknown_attr(&a, attr, "a value set outside Terraform: lifecycle ignore_changes lists it");
	if (written && strcmp(attr, "count") != 0 && strcmp(attr, "for_each") != 0)
		return tf_eval_in(st, &a.frame, written->expr);
	return unknown_attr(&a, attr, NULL);
}

const struct hcl_value *tf_resource_attribute(struct tf_state *st, struct tf_instance *instance,
					      const struct tf_decl *decl, const struct hcl_value *key,
					      const struct hcl_value *value, bool is_count,
					      const char *attr, struct span span)
{
	char *cache_key = xasprintf("attr|%p|%zu|%s|%s", (void *)instance, decl->index,
				    tf_instance_key_text(st, key), attr);
	bool created;
	struct tf_cache_entry *e = tf_cache_get(st, cache_key, &created);

	free(cache_key);
	if (!created) {
		if (!e->resolving)
			return e->value;
		return tf_unknown(st, instance,
				  arena_printf(&st->arena, "%s.%s", tf_resource_address(st, NULL, decl, key), attr),
				  "a value that refers to itself", span);
	}
	e->resolving = true;
	e->value = compute_attribute(st, instance, decl, key, value, is_count, attr, span);
	e->resolving = false;
	return e->value;
}

/* Whole objects ------------------------------------------------------------------ */

static const struct hcl_value *instance_object(struct tf_state *st, struct tf_instance *instance,
					       const struct tf_decl *decl, const struct hcl_value *key,
					       const struct hcl_value *value, bool is_count, struct span span)
{
	const struct hcl_body *body = decl->block->body;
	long type = find_type(decl->kind, decl->type);
	size_t max = body->attribute_count + 4;
	struct hcl_object_entry *entries = ARENA_ARRAY(&st->arena, struct hcl_object_entry, max);
	size_t n = 0;

	for (size_t i = 0; i < body->attribute_count; i++) {
		const char *name = body->attributes[i].name;

		if (strcmp(name, "count") == 0 || strcmp(name, "for_each") == 0 || strcmp(name, "provider") == 0 ||
		    strcmp(name, "depends_on") == 0)
			continue;
		entries[n].key = name;
		entries[n].key_span = body->attributes[i].name_span;
		entries[n++].value = tf_resource_attribute(st, instance, decl, key, value, is_count, name, span);
	}
	for (size_t c = 0; type >= 0 && c < 4 && attribute_table[type].computed[c]; c++) {
		const char *name = attribute_table[type].computed[c];

		if (hcl_body_attribute(body, name))
			continue;
		entries[n].key = name;
		entries[n].key_span = span;
		entries[n++].value = tf_resource_attribute(st, instance, decl, key, value, is_count, name, span);
	}
	return hcl_value_object(st->eval, entries, n, false, span);
}

static const struct hcl_value *all_instances(struct tf_state *st, struct tf_instance *instance,
					     const struct tf_decl *decl, const struct tf_expansion *x,
					     struct span span)
{
	if (x->kind == EXPANSION_COUNT) {
		const struct hcl_value **items = ARENA_ARRAY(&st->arena, const struct hcl_value *, x->count + 1);

		for (size_t i = 0; i < x->count; i++)
			items[i] = instance_object(st, instance, decl, x->keys[i], NULL, true, span);
		return hcl_value_tuple(st->eval, items, x->count, HCL_SEQUENCE_TUPLE, span);
	} else {
		struct hcl_object_entry *entries = ARENA_ARRAY(&st->arena, struct hcl_object_entry, x->count + 1);

		for (size_t i = 0; i < x->count; i++) {
			entries[i].key = x->keys[i]->as.string.text;
			entries[i].key_span = x->keys[i]->span;
			entries[i].value = instance_object(st, instance, decl, x->keys[i], x->values[i], false, span);
		}
		return hcl_value_object(st->eval, entries, x->count, true, span);
	}
}

static bool is_provider_data(enum tf_decl_kind kind, const char *type)
{
	return kind == DECL_DATA && (strcmp(type, "aws_caller_identity") == 0 || strcmp(type, "aws_region") == 0 ||
				     strcmp(type, "aws_partition") == 0);
}

/* data.aws_caller_identity.<any name>.account_id and the like, declared or not. */
const struct hcl_value *tf_provider_data(struct tf_state *st, const char *type,
					 const struct hcl_reference *ref, size_t first, size_t *consumed)
{
	size_t i = first + 1;
	const char *attr;

	if (i < ref->step_count && !ref->steps[i].name)
		i++;
	if (i >= ref->step_count || !ref->steps[i].name)
		return NULL;
	attr = ref->steps[i].name;
	*consumed = i + 1;
	if (strcmp(type, "aws_caller_identity") == 0 && (strcmp(attr, "account_id") == 0 || strcmp(attr, "id") == 0))
		return tf_account(st, ref->span);
	if (strcmp(type, "aws_region") == 0 &&
	    (strcmp(attr, "name") == 0 || strcmp(attr, "id") == 0 || strcmp(attr, "region") == 0))
		return tf_region(st, ref->span);
	if (strcmp(type, "aws_partition") == 0 && (strcmp(attr, "partition") == 0 || strcmp(attr, "id") == 0))
		return tf_partition(st, ref->span);
	return NULL;
}

const struct hcl_value *tf_resolve_resource(struct tf_state *st, struct tf_instance *instance,
					    enum tf_decl_kind kind, const char *type,
					    const struct hcl_reference *ref, size_t first,
					    size_t *consumed)
{
	const struct tf_decl *decl;
	struct tf_expansion x;
	const struct hcl_value *key = NULL;
	const struct hcl_value *value = NULL;
	const struct hcl_value *v;
	size_t i = first + 1;

	if (first >= ref->step_count || !ref->steps[first].name)
		return NULL;
	if (is_provider_data(kind, type)) {
		v = tf_provider_data(st, type, ref, first, consumed);
		if (v)
			return v;
	}
	decl = tf_module_find(instance->module, kind, type, ref->steps[first].name);
	if (!decl)
		return NULL;
	tf_expand(st, instance, decl, &x);
	if (x.kind == EXPANSION_UNKNOWN) {
		*consumed = i;
		return tf_unknown(st, instance, tf_resource_address(st, NULL, decl, NULL),
				  "every instance of a resource whose count or for_each is not known", ref->span);
	}
	if (x.kind != EXPANSION_SINGLE) {
		long at = -1;

		if (i >= ref->step_count || !ref->steps[i].key) {
			*consumed = i;
			return all_instances(st, instance, decl, &x, ref->span);
		}
		for (size_t k = 0; k < x.count && at < 0; k++) {
			const struct hcl_value *want = ref->steps[i].key;
			const struct hcl_value *have = x.keys[k];

			if ((want->kind == HCL_VALUE_NUMBER && have->kind == HCL_VALUE_NUMBER &&
			     want->as.number.value == have->as.number.value) ||
			    (want->kind == HCL_VALUE_STRING && have->kind == HCL_VALUE_STRING &&
			     strcmp(want->as.string.text, have->as.string.text) == 0))
				at = (long)k;
		}
		if (at < 0) {
			*consumed = i + 1;
			return tf_unknown(st, instance,
					  arena_printf(&st->arena, "%s%s", tf_resource_address(st, NULL, decl, NULL),
						       tf_instance_key_text(st, ref->steps[i].key)),
					  "an instance of a resource that does not exist", ref->span);
		}
		key = x.keys[at];
		value = x.values ? x.values[at] : NULL;
		i++;
	}
	if (i >= ref->step_count || !ref->steps[i].name) {
		*consumed = i;
		return instance_object(st, instance, decl, key, value, x.kind == EXPANSION_COUNT, ref->span);
	}
	*consumed = i + 1;
	v = tf_resource_attribute(st, instance, decl, key, value, x.kind == EXPANSION_COUNT, ref->steps[i].name,
				  ref->span);
	/* A computed attribute was written nowhere: it is where it is referred to. */
	if (!hcl_body_attribute(decl->block->body, ref->steps[i].name))
		v = tf_respan(st, v, ref->span);
	return v;
}
