/*
 * Resolving Terraform references for the HCL evaluator.
 *
 * The evaluator calls tf_resolve() for every reference it cannot resolve
 * itself (var.x, local.x, module.m.out, data.t.n.attr, aws_t.n.attr,
 * each.key, count.index, path.module).  Values are relative to the frame
 * being evaluated and cached by instance and name, so each value is
 * computed once; a value that is being computed when it is asked for again
 * is a cycle and becomes an unknown instead of recursing.
 *
 * What is not known becomes an unknown whose text is the reference as
 * written, qualified by the module instance it was written in
 * (`module.sqs.var.name`), so equal texts in two modules are not taken for
 * one value.  The account, region and partition of the AWS provider are
 * one canonical unknown each, whatever data block they are read from.
 */
#include "internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Most instances one block expands to with `count` or `for_each`.  Each
 * instance is evaluated and its policies checked on their own, so a
 * `count = 100000000` would otherwise cost as much as that many blocks.
 * Real namespaces create a few instances per block (one queue or bucket
 * per map entry); 1,024 is far above that.  A larger expansion is treated
 * as unknown and reported as limit-exceeded.
 */
enum { MAX_EXPANSION = 1024 };

/* Cache -------------------------------------------------------------------------- */

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	}
	return h;
}

static void cache_grow(struct tf_state *st)
{
	size_t cap = st->cache_cap ? st->cache_cap * 2 : 256;
	struct tf_cache_entry **table = xcalloc(cap, sizeof(*table));

	for (size_t i = 0; i < st->cache_cap; i++) {
		struct tf_cache_entry *e = st->cache[i];
		size_t at;

		if (!e)
			continue;
		at = hash_text(e->key) & (cap - 1);
		while (table[at])
			at = (at + 1) & (cap - 1);
		table[at] = e;
	}
	free(st->cache);
	st->cache = table;
	st->cache_cap = cap;
}

struct tf_cache_entry *tf_cache_get(struct tf_state *st, const char *key, bool *created)
{
	size_t at;
	struct tf_cache_entry *e;

	if ((st->cache_count + 1) * 2 > st->cache_cap)
		cache_grow(st);
	at = hash_text(key) & (st->cache_cap - 1);
	while (st->cache[at]) {
		if (strcmp(st->cache[at]->key, key) == 0) {
			*created = false;
			return st->cache[at];
		}
		at = (at + 1) & (st->cache_cap - 1);
	}
	e = ARENA_NEW(&st->arena, struct tf_cache_entry);
	e->key = arena_strdup(&st->arena, key);
	st->cache[at] = e;
	st->cache_count++;
	*created = true;
	return e;
}

/* Values ------------------------------------------------------------------------- */

const struct hcl_value *tf_string(struct tf_state *st, const char *text, struct span span)
{
	return hcl_value_string(st->eval, text, strlen(text), span);
}

const char *tf_plain_string(const struct hcl_value *value)
{
	if (!value || value->kind != HCL_VALUE_STRING || text_has_hole(value->as.string.text))
		return NULL;
	return value->as.string.text;
}

const char *tf_qualify(struct tf_state *st, const struct tf_instance *instance, const char *text)
{
	const char *address = instance ? instance->address : "";

	if (!st->tag[0] && !address[0])
		return text;
	return arena_printf(&st->arena, "%s%s%s%s", st->tag, address, address[0] ? "." : "", text);
}

const struct hcl_value *tf_unknown(struct tf_state *st, const struct tf_instance *instance,
				   const char *text, const char *description, struct span span)
{
	return hcl_value_unknown(st->eval, tf_qualify(st, instance, text), description, span);
}

/*
 * Append a value to a string under construction: text as it is, an unknown
 * as a hole.  NULL, an argument the block does not set, is a hole too.
 */
static void append_value(struct tf_state *st, struct buf *b, const struct hcl_value *v)
{
	struct buf number = BUF_INIT;

	if (!v) {
		hole_append(b, symbol_intern(&st->ctx->symbols, "?", "an argument the block does not set",
					     (struct span){0}));
		return;
	}
	switch (v->kind) {
	case HCL_VALUE_STRING:
		buf_append(b, v->as.string.text, v->as.string.length);
		break;
	case HCL_VALUE_NUMBER:
		buf_puts(b, v->as.number.text);
		break;
	case HCL_VALUE_BOOL:
		buf_puts(b, v->as.boolean ? "true" : "false");
		break;
	case HCL_VALUE_UNKNOWN:
		hole_append(b, symbol_intern(&st->ctx->symbols, v->as.unknown.text, v->as.unknown.description,
					     v->span));
		break;
	default:
		hole_append(b, symbol_intern(&st->ctx->symbols, "?", NULL, v->span));
		break;
	}
	buf_release(&number);
}

/*
 * A string built from `fmt`: %s takes a C string, %v a value (unknowns
 * become holes), %% a percent sign.
 */
const struct hcl_value *tf_concat(struct tf_state *st, struct span span, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	const struct hcl_value *result;
	va_list ap;

	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%' || !p[1]) {
			buf_putc(&b, *p);
			continue;
		}
		p++;
		if (*p == 's')
			buf_puts(&b, va_arg(ap, const char *));
		else if (*p == 'v')
			append_value(st, &b, va_arg(ap, const struct hcl_value *));
		else
			buf_putc(&b, *p);
	}
	va_end(ap);
	result = hcl_value_string(st->eval, buf_str(&b), b.len, span);
	buf_release(&b);
	return result;
}

const struct hcl_value *tf_account(struct tf_state *st, struct span span)
{
	if (st->options.account)
		return tf_string(st, st->options.account, span);
	return hcl_value_unknown(st->eval, "data.aws_caller_identity.current.account_id",
				 "the ID of the AWS account the Terraform deploys into; give it with --account",
				 span);
}

const struct hcl_value *tf_region(struct tf_state *st, struct span span)
{
	return hcl_value_unknown(st->eval, "data.aws_region.current.name",
				 "the AWS region of the provider", span);
}

const struct hcl_value *tf_partition(struct tf_state *st, struct span span)
{
	return hcl_value_unknown(st->eval, "data.aws_partition.current.partition",
				 "the AWS partition of the provider", span);
}

const char *tf_instance_key_text(struct tf_state *st, const struct hcl_value *key)
{
	struct buf b = BUF_INIT;
	const char *text;

	if (!key)
		return "";
	if (key->kind == HCL_VALUE_NUMBER) {
		buf_printf(&b, "[%s]", key->as.number.text);
	} else if (key->kind == HCL_VALUE_STRING) {
		buf_putc(&b, '[');
		buf_put_json_string(&b, key->as.string.text);
		buf_putc(&b, ']');
	} else {
		buf_puts(&b, "[?]");
	}
	text = arena_strdup(&st->arena, buf_str(&b));
	buf_release(&b);
	return text;
}

/* Frames ------------------------------------------------------------------------- */

struct tf_frame tf_frame_of(struct tf_instance *instance)
{
	struct tf_frame frame;

	memset(&frame, 0, sizeof(frame));
	frame.instance = instance;
	return frame;
}

const struct hcl_value *tf_eval_in(struct tf_state *st, const struct tf_frame *frame,
				   const struct hcl_expr *expr)
{
	struct tf_frame saved = st->frame;
	const struct hcl_value *v;

	st->frame = *frame;
	v = hcl_eval_expr(st->eval, expr);
	st->frame = saved;
	return v;
}

const struct hcl_value *tf_eval_attr(struct tf_state *st, const struct tf_frame *frame,
				     const struct hcl_body *body, const char *name)
{
	const struct hcl_attribute *attr = body ? hcl_body_attribute(body, name) : NULL;

	return attr ? tf_eval_in(st, frame, attr->expr) : NULL;
}

/* The text of `ref`'s root and its first `steps` steps, as written. */
static const char *reference_prefix(struct tf_state *st, const struct hcl_reference *ref, size_t steps)
{
	struct buf b = BUF_INIT;
	const char *text;

	buf_puts(&b, ref->root);
	for (size_t i = 0; i < steps && i < ref->step_count; i++) {
		if (ref->steps[i].name)
			buf_printf(&b, ".%s", ref->steps[i].name);
		else
			buf_puts(&b, tf_instance_key_text(st, ref->steps[i].key));
	}
	text = arena_strdup(&st->arena, buf_str(&b));
	buf_release(&b);
	return text;
}

/* Count and for_each ------------------------------------------------------------- */

static void report_expansion_limit(struct tf_state *st, const char *argument, const struct hcl_value *value,
				   double instances)
{
	struct finding *f = diag_add(st->diags, RULE_LIMIT_EXCEEDED, value->span,
				     "%s makes %.0f instances, over the limit of %d that iamcross evaluates for one block; the instances were not checked",
				     argument, instances, MAX_EXPANSION);

	diag_set_hint(f, "create fewer instances, or split them across several blocks");
}

static void expansion_from_collection(struct tf_state *st, const struct hcl_value *coll,
				      struct tf_expansion *out)
{
	size_t size = coll->kind == HCL_VALUE_OBJECT ? coll->as.object.count :
		      coll->kind == HCL_VALUE_TUPLE  ? coll->as.tuple.count : 0;

	if (size > MAX_EXPANSION) {
		report_expansion_limit(st, "for_each", coll, (double)size);
		out->kind = EXPANSION_UNKNOWN;
		out->unknown = coll;
		return;
	}
	if (coll->kind == HCL_VALUE_OBJECT) {
		out->kind = EXPANSION_FOR_EACH;
		out->count = coll->as.object.count;
		out->keys = ARENA_ARRAY(&st->arena, const struct hcl_value *, out->count + 1);
		out->values = ARENA_ARRAY(&st->arena, const struct hcl_value *, out->count + 1);
		for (size_t i = 0; i < out->count; i++) {
			const struct hcl_object_entry *e = &coll->as.object.entries[i];

			out->keys[i] = hcl_value_string(st->eval, e->key, strlen(e->key), e->key_span);
			out->values[i] = e->value;
		}
		return;
	}
	if (coll->kind == HCL_VALUE_TUPLE) {
		out->kind = EXPANSION_FOR_EACH;
		out->count = 0;
		out->keys = ARENA_ARRAY(&st->arena, const struct hcl_value *, coll->as.tuple.count + 1);
		out->values = ARENA_ARRAY(&st->arena, const struct hcl_value *, coll->as.tuple.count + 1);
		for (size_t i = 0; i < coll->as.tuple.count; i++) {
			const struct hcl_value *item = coll->as.tuple.items[i];

			/* A set of strings: each.key and each.value are the string. */
			if (!tf_plain_string(item)) {
				out->kind = EXPANSION_UNKNOWN;
				out->unknown = item;
				return;
			}
			out->keys[out->count] = item;
			out->values[out->count++] = item;
		}
		return;
	}
	out->kind = EXPANSION_UNKNOWN;
	out->unknown = coll;
}

void tf_expand(struct tf_state *st, struct tf_instance *instance, const struct tf_decl *decl,
	       struct tf_expansion *out)
{
	const struct hcl_body *body = decl->block ? decl->block->body : NULL;
	struct tf_frame frame = tf_frame_of(instance);
	const struct hcl_value *count = tf_eval_attr(st, &frame, body, "count");
	const struct hcl_value *for_each;

	memset(out, 0, sizeof(*out));
	if (count) {
		double n = count->kind == HCL_VALUE_NUMBER ? count->as.number.value : -1;

		if (count->kind == HCL_VALUE_BOOL)
			n = count->as.boolean ? 1 : 0;
		if (n > MAX_EXPANSION && n == floor(n))
			report_expansion_limit(st, "count", count, n);
		if (n < 0 || n > MAX_EXPANSION || n != (double)(size_t)n) {
			out->kind = EXPANSION_UNKNOWN;
			out->unknown = count;
			return;
		}
		out->kind = EXPANSION_COUNT;
		out->count = (size_t)n;
		out->keys = ARENA_ARRAY(&st->arena, const struct hcl_value *, out->count + 1);
		for (size_t i = 0; i < out->count; i++)
			out->keys[i] = hcl_value_number(st->eval, (double)i, count->span);
		return;
	}
	for_each = tf_eval_attr(st, &frame, body, "for_each");
	if (!for_each) {
		out->kind = EXPANSION_SINGLE;
		out->count = 1;
		return;
	}
	expansion_from_collection(st, for_each, out);
}

/* Find `key` among the keys of an expansion; its index, or -1. */
static long expansion_find(const struct tf_expansion *x, const struct hcl_value *key)
{
	for (size_t i = 0; i < x->count; i++) {
		const struct hcl_value *k = x->keys[i];

		if (k->kind == HCL_VALUE_NUMBER && key->kind == HCL_VALUE_NUMBER &&
		    k->as.number.value == key->as.number.value)
			return (long)i;
		if (k->kind == HCL_VALUE_STRING && key->kind == HCL_VALUE_STRING &&
		    strcmp(k->as.string.text, key->as.string.text) == 0)
			return (long)i;
	}
	return -1;
}

/* Variables ---------------------------------------------------------------------- */

/* A type constraint under which Terraform takes a --var value as a literal string. */
static bool is_primitive_type(const struct tf_decl *decl)
{
	const struct hcl_attribute *type = decl && decl->block ? hcl_body_attribute(decl->block->body, "type") : NULL;
	const char *name;

	if (!type)
		return true;
	if (type->expr->kind != HCL_EXPR_VARIABLE)
		return false;
	name = type->expr->as.variable;
	return strcmp(name, "string") == 0 || strcmp(name, "number") == 0 || strcmp(name, "bool") == 0 ||
	       strcmp(name, "any") == 0;
}

static const struct hcl_value *var_override(struct tf_state *st, const char *name, const struct tf_decl *decl)
{
	const char *found = NULL;
	size_t n = strlen(name);
	struct hcl_file *file;
	char *path;
	uint32_t id;

	for (size_t i = 0; i < st->options.var_count; i++) {
		const char *v = st->options.vars[i];

		if (strncmp(v, name, n) == 0 && v[n] == '=')
			found = v + n + 1;
	}
	if (!found)
		return NULL;
	path = xasprintf("--var %s", name);
	id = source_set_add(&st->ctx->sources, path, found, strlen(found));
	free(path);
	if (is_primitive_type(decl))
		return tf_string(st, found, span_make(id, 0, (uint32_t)strlen(found)));
	file = xcalloc(1, sizeof(*file));
	st->scratch_files = xgrow(st->scratch_files, &st->scratch_cap, st->scratch_count + 1,
				  sizeof(*st->scratch_files));
	st->scratch_files[st->scratch_count++] = file;
	if (!hcl_parse_expression(file, &st->ctx->sources, id, NULL))
		return tf_string(st, found, span_make(id, 0, (uint32_t)strlen(found)));
	return tf_eval_in(st, &st->frame, file->expr);
}

static const struct hcl_value *compute_variable(struct tf_state *st, struct tf_instance *inst,
						const char *name, struct span span)
{
	const struct tf_decl *decl = tf_module_find(inst->module, DECL_VARIABLE, NULL, name);
	const struct hcl_value *v = NULL;
	struct tf_frame frame = tf_frame_of(inst);
	char *description;

	if (!inst->parent) {
		v = var_override(st, name, decl);
	} else {
		const struct hcl_attribute *arg = hcl_body_attribute(inst->call->block->body, name);

		if (arg)
			v = tf_eval_in(st, &inst->call_frame, arg->expr);
	}
	if (!v && decl)
		v = tf_eval_attr(st, &frame, decl->block->body, "default");
	if (v)
		return v;
	if (!inst->parent)
		description = xasprintf("the variable '%s', which has no default; give it with --var %s=VALUE",
					name, name);
	else
		description = xasprintf("the input '%s' of module '%s', which the call does not set", name,
					inst->call_name);
	v = tf_unknown(st, inst, arena_printf(&st->arena, "var.%s", name), description, span);
	free(description);
	return v;
}

static const struct hcl_value *cycle(struct tf_state *st, struct tf_instance *inst, const char *text,
				     struct span span)
{
	return tf_unknown(st, inst, text, "a value that refers to itself", span);
}

static const struct hcl_value *variable_value(struct tf_state *st, struct tf_instance *inst, const char *name,
					      struct span span)
{
	char *key = xasprintf("var|%p|%s", (void *)inst, name);
	bool created;
	struct tf_cache_entry *e = tf_cache_get(st, key, &created);
	const struct hcl_value *v;

	free(key);
	if (!created)
		return e->resolving ? cycle(st, inst, arena_printf(&st->arena, "var.%s", name), span) : e->value;
	e->resolving = true;
	v = compute_variable(st, inst, name, span);
	e->value = v;
	e->resolving = false;
	return v;
}

const char *tf_config_variable(const struct tf_config *config, const char *name)
{
	struct tf_state *st = config->state;
	struct tf_frame saved;
	const struct hcl_value *v;

	if (!st || !st->root || !st->root->module)
		return NULL;
	saved = st->frame;
	st->frame = tf_frame_of(st->root);
	v = variable_value(st, st->root, name, span_make(0, 0, 0));
	st->frame = saved;
	return tf_plain_string(v);
}

static const struct hcl_value *local_value(struct tf_state *st, struct tf_instance *inst, const char *name,
					   struct span span)
{
	const struct tf_decl *decl = tf_module_find(inst->module, DECL_LOCAL, NULL, name);
	char *key;
	bool created;
	struct tf_cache_entry *e;
	struct tf_frame frame = tf_frame_of(inst);

	if (!decl)
		return tf_unknown(st, inst, arena_printf(&st->arena, "local.%s", name),
				  "a local value that is not defined", span);
	key = xasprintf("local|%p|%s", (void *)inst, name);
	e = tf_cache_get(st, key, &created);
	free(key);
	if (!created)
		return e->resolving ? cycle(st, inst, arena_printf(&st->arena, "local.%s", name), span) : e->value;
	e->resolving = true;
	e->value = tf_eval_in(st, &frame, decl->attr->expr);
	e->resolving = false;
	return e->value;
}

/* Modules ------------------------------------------------------------------------ */

static bool is_local_source(const char *source)
{
	return str_starts_with(source, "./") || str_starts_with(source, "../") || strcmp(source, ".") == 0 ||
	       strcmp(source, "..") == 0;
}

/* Report, once per root, a module call past TF_MAX_MODULE_DEPTH or TF_MAX_INSTANCES. */
static void report_instance_limit(struct tf_state *st, const struct tf_instance *inst)
{
	struct finding *f;

	if (st->instance_limit_reported)
		return;
	st->instance_limit_reported = true;
	if (inst->depth > TF_MAX_MODULE_DEPTH)
		f = diag_add(st->diags, RULE_LIMIT_EXCEEDED, inst->call_span,
			     "module calls nest more than %d deep here, the limit; this module and those past it were not read",
			     TF_MAX_MODULE_DEPTH);
	else
		f = diag_add(st->diags, RULE_LIMIT_EXCEEDED, inst->call_span,
			     "this module call makes more than %d module instances in one root module, the limit; it and the calls after it were not read",
			     TF_MAX_INSTANCES);
	diag_set_hint(f, "call fewer modules, or fewer instances of them");
}

/* Is `dir` the folder of `inst` or of a module that calls it? */
static bool calls_itself(const struct tf_instance *inst, const char *dir)
{
	for (; inst; inst = inst->parent) {
		if (inst->module && strcmp(inst->module->dir, dir) == 0)
			return true;
	}
	return false;
}

static void load_local_module(struct tf_state *st, struct tf_instance *inst, const char *source)
{
	struct tf_instance *parent = inst->parent;
	char *dir = tf_join_path(parent->module->dir, source);
	char *rel = tf_join_path(parent->module->rel, source);
	const char *reason;
	char *real;

	if (calls_itself(parent, dir)) {
		struct finding *f = diag_add(st->diags, RULE_UNREADABLE_FILE, inst->call_span,
					     "the module folder '%s' was not read again: it calls itself, directly or through other modules (a loop)",
					     source);

		diag_set_hint(f, "Terraform rejects a module that calls itself; point the source at another folder");
		free(dir);
		free(rel);
		return;
	}
	if (!tf_path_inside_root(st, dir, &real, &reason)) {
		struct finding *f = diag_add(st->diags, RULE_UNREADABLE_FILE, inst->call_span,
					     "the module folder '%s' was not read: %s", source, reason);

		diag_set_hint(f, "iamcross reads local modules only inside the folder it scans");
		free(dir);
		free(rel);
		return;
	}
	free(real);
	inst->module = tf_module_load(st, dir, rel, NULL, 0, inst->call_span);
	if (inst->module) {
		bool seen = false;

		for (size_t i = 0; i < st->module_folder_count; i++)
			seen = seen || strcmp(st->module_folders[i], inst->module->dir) == 0;
		if (!seen) {
			st->module_folders = xgrow(st->module_folders, &st->module_folder_cap,
						   st->module_folder_count + 1, sizeof(*st->module_folders));
			st->module_folders[st->module_folder_count++] = inst->module->dir;
		}
	}
	free(dir);
	free(rel);
}

struct tf_instance *tf_child_instance(struct tf_state *st, struct tf_instance *parent,
				      const struct tf_decl *call, const struct hcl_value *key,
				      const struct hcl_value *value, bool is_count)
{
	const char *key_text = tf_instance_key_text(st, key);
	char *regkey = xasprintf("%p|%zu|%s", (void *)parent, call->index, key_text);
	struct tf_instance *inst = tf_registry_get(&st->children, regkey);
	struct tf_frame parent_frame = tf_frame_of(parent);
	const struct hcl_value *source;
	const char *text;

	if (inst) {
		free(regkey);
		return inst;
	}
	inst = ARENA_NEW(&st->arena, struct tf_instance);
	inst->parent = parent;
	inst->call = call;
	inst->call_frame = parent_frame;
	if (key && is_count)
		inst->call_frame.count_index = key;
	else if (key) {
		inst->call_frame.each_key = key;
		inst->call_frame.each_value = value;
	}
	inst->depth = parent->depth + 1;
	inst->call_name = call->name;
	inst->call_span = call->block->label_count ? call->block->label_spans[0] : call->block->type_span;
	inst->address = parent->address[0] ?
			arena_printf(&st->arena, "%s.module.%s%s", parent->address, call->name, key_text) :
			arena_printf(&st->arena, "module.%s%s", call->name, key_text);
	tf_registry_put(st, &st->children, regkey, inst);
	free(regkey);
	st->instances = xgrow(st->instances, &st->instance_cap, st->instance_count + 1, sizeof(*st->instances));
	st->instances[st->instance_count++] = inst;

	if (!parent->module)
		return inst;
	if (inst->depth > TF_MAX_MODULE_DEPTH || st->instance_count > TF_MAX_INSTANCES) {
		report_instance_limit(st, inst);
		return inst;
	}
	source = tf_eval_attr(st, &parent_frame, call->block->body, "source");
	text = tf_plain_string(source);
	if (!text)
		return inst;
	if (is_local_source(text)) {
		load_local_module(st, inst, text);
		return inst;
	}
	if (st->options.models) {
		const char *version = tf_plain_string(tf_eval_attr(st, &parent_frame, call->block->body, "version"));

		if (tf_models_match(st->options.models, text, version, &inst->model)) {
			char *normal = tf_module_source_normalize(text, NULL);
			char *ref = (char *)inst->model.version;

			inst->source = arena_strdup(&st->arena, normal);
			inst->model.version = ref ? arena_strdup(&st->arena, ref) : NULL;
			free(normal);
			free(ref);
		}
	}
	return inst;
}

static const struct hcl_value *output_value(struct tf_state *st, struct tf_instance *child, const char *name,
					    struct span span)
{
	const struct tf_decl *decl;
	char *key;
	bool created;
	struct tf_cache_entry *e;
	struct tf_frame frame = tf_frame_of(child);
	const char *text = arena_printf(&st->arena, "%s.%s", child->address, name);

	if (child->model.model)
		return tf_model_output(st, child, name, span);
	decl = tf_module_find(child->module, DECL_OUTPUT, NULL, name);
	if (!decl) {
		char *description = child->module ?
			xasprintf("the output '%s' of module '%s', which the module does not declare", name, child->call_name) :
			xasprintf("the output '%s' of module '%s', a module iamcross has no model of", name, child->call_name);
		const struct hcl_value *v = hcl_value_unknown(st->eval, arena_printf(&st->arena, "%s%s", st->tag, text),
							      description, span);

		free(description);
		return v;
	}
	key = xasprintf("output|%p|%s", (void *)child, name);
	e = tf_cache_get(st, key, &created);
	free(key);
	if (!created)
		return e->resolving ? hcl_value_unknown(st->eval, text, "a value that refers to itself", span) : e->value;
	e->resolving = true;
	e->value = tf_eval_attr(st, &frame, decl->block->body, "value");
	if (!e->value)
		e->value = hcl_value_null(st->eval, span);
	e->resolving = false;
	return e->value;
}

static const struct hcl_value *resolve_module(struct tf_state *st, struct tf_instance *inst,
					      const struct hcl_reference *ref, size_t *consumed)
{
	const struct tf_decl *decl;
	struct tf_expansion x;
	const struct hcl_value *key = NULL;
	const struct hcl_value *value = NULL;
	struct tf_instance *child;
	size_t i = 1;

	if (ref->step_count < 1 || !ref->steps[0].name)
		return NULL;
	decl = tf_module_find(inst->module, DECL_MODULE, NULL, ref->steps[0].name);
	*consumed = 1;
	if (!decl)
		return tf_unknown(st, inst, reference_prefix(st, ref, 1), "a module call that is not declared", ref->span);
	tf_expand(st, inst, decl, &x);
	if (x.kind == EXPANSION_UNKNOWN)
		return tf_unknown(st, inst, reference_prefix(st, ref, 1),
				  "a module call whose count or for_each is not known", ref->span);
	if (x.kind != EXPANSION_SINGLE) {
		long at;

		if (i >= ref->step_count || !ref->steps[i].key)
			return tf_unknown(st, inst, reference_prefix(st, ref, 1), "every instance of a module call",
					  ref->span);
		at = expansion_find(&x, ref->steps[i].key);
		*consumed = ++i;
		if (at < 0)
			return tf_unknown(st, inst, reference_prefix(st, ref, i), "an instance of a module call that does not exist",
					  ref->span);
		key = x.keys[at];
		value = x.values ? x.values[at] : NULL;
	}
	child = tf_child_instance(st, inst, decl, key, value, x.kind == EXPANSION_COUNT);
	if (i >= ref->step_count || !ref->steps[i].name)
		return tf_unknown(st, inst, reference_prefix(st, ref, i), "all outputs of a module", ref->span);
	*consumed = i + 1;
	if (child->model.model)
		return tf_respan(st, output_value(st, child, ref->steps[i].name, ref->span), ref->span);
	return output_value(st, child, ref->steps[i].name, ref->span);
}

/* The callback ------------------------------------------------------------------- */

static const struct hcl_value *resolve_each(struct tf_state *st, const struct hcl_reference *ref, size_t *consumed)
{
	const char *what = ref->step_count > 0 ? ref->steps[0].name : NULL;

	if (!what || (!st->frame.each_key && !st->frame.count_index))
		return NULL;
	*consumed = 1;
	if (strcmp(ref->root, "count") == 0)
		return strcmp(what, "index") == 0 && st->frame.count_index ? st->frame.count_index : NULL;
	if (strcmp(what, "key") == 0)
		return st->frame.each_key;
	if (strcmp(what, "value") == 0)
		return st->frame.each_value;
	return NULL;
}

static const struct hcl_value *resolve_path(struct tf_state *st, struct tf_instance *inst,
					    const struct hcl_reference *ref, size_t *consumed)
{
	const char *what = ref->step_count > 0 ? ref->steps[0].name : NULL;

	if (!what)
		return NULL;
	*consumed = 1;
	if (strcmp(what, "module") == 0)
		return tf_string(st, inst->module ? inst->module->rel : ".", ref->span);
	if (strcmp(what, "root") == 0 || strcmp(what, "cwd") == 0)
		return tf_string(st, ".", ref->span);
	return NULL;
}

static const struct hcl_value *dispatch(struct tf_state *st, struct tf_instance *inst,
					const struct hcl_reference *ref, size_t *consumed)
{
	const char *root = ref->root;
	const char *first = ref->step_count > 0 ? ref->steps[0].name : NULL;

	if (inst->model.model)
		return tf_model_resolve(st, inst, ref, consumed);
	if (strcmp(root, "each") == 0 || strcmp(root, "count") == 0)
		return resolve_each(st, ref, consumed);
	if (strcmp(root, "path") == 0)
		return resolve_path(st, inst, ref, consumed);
	if (!inst->module)
		return NULL;
	if (strcmp(root, "var") == 0 && first) {
		*consumed = 1;
		return variable_value(st, inst, first, ref->span);
	}
	if (strcmp(root, "local") == 0 && first) {
		*consumed = 1;
		return local_value(st, inst, first, ref->span);
	}
	if (strcmp(root, "module") == 0)
		return resolve_module(st, inst, ref, consumed);
	if (strcmp(root, "data") == 0 && first)
		return tf_resolve_resource(st, inst, DECL_DATA, first, ref, 1, consumed);
	if (strchr(root, '_') && strcmp(root, "each") != 0)
		return tf_resolve_resource(st, inst, DECL_RESOURCE, root, ref, 0, consumed);
	return NULL;
}

const struct hcl_value *tf_resolve(void *context, struct hcl_eval *eval,
				   const struct hcl_reference *ref, size_t *consumed)
{
	struct tf_state *st = context;
	struct tf_instance *inst = st->frame.instance;
	const struct hcl_value *v = NULL;

	*consumed = 0;
	(void)eval;
	for (const struct tf_iterator *it = st->frame.iterators; it; it = it->next) {
		if (strcmp(it->name, ref->root) == 0)
			return it->object;
	}
	if (inst)
		v = dispatch(st, inst, ref, consumed);
	if (v)
		return v;
	/* Unknown: name only the known steps; the evaluator appends the rest. */
	*consumed = ref->step_count;
	return tf_unknown(st, inst, reference_prefix(st, ref, ref->step_count), NULL, ref->span);
}
