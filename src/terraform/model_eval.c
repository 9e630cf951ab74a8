/*
 * Evaluating a module model for one module call.
 *
 * Every string of a model is an HCL template, evaluated in the frame of
 * the call's model instance.  There `var.x` is the call's argument x
 * (evaluated where the call is written) or the model's default, `local.x`
 * a model local, and `data.aws_caller_identity.*` the canonical account.
 * The references the model lists under "unknowns" (a random suffix, the
 * OIDC issuer of a cluster) are unknowns qualified by the call's address.
 *
 * Values a model produces belong to the module, not to a line the user
 * wrote, so everything that leaves the model (outputs, the module's own
 * policies) is placed at the module call: a finding about `sqs:*` in the
 * SQS module's policy points at `module "queue"`, once per call.
 * Policies written by the user and passed in (an S3 `bucket_policy`) keep
 * their own positions.
 */
#include "internal.h"
#include "iamcross/arn.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Match limits for model input patterns: they are short, and inputs are names. */
enum { PATTERN_MATCH_LIMIT = 100000, PATTERN_DEPTH_LIMIT = 1000 };

/*
 * Quote and escape the literal text of a template; the expressions inside
 * `${...}` are copied as they are, since their own strings are HCL strings.
 */
void tf_template_source(struct buf *out, const char *text)
{
	int depth = 0;

	buf_putc(out, '"');
	for (const char *p = text; *p; p++) {
		if (depth > 0) {
			if (*p == '{')
				depth++;
			else if (*p == '}')
				depth--;
			buf_putc(out, *p == '\n' ? ' ' : *p);
			continue;
		}
		if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
			buf_puts(out, "$${");
			p += 2;
			continue;
		}
		if (p[0] == '$' && p[1] == '{') {
			buf_puts(out, "${");
			depth = 1;
			p++;
			continue;
		}
		if (*p == '"' || *p == '\\')
			buf_putc(out, '\\');
		if (*p == '\n') {
			buf_puts(out, "\\n");
			continue;
		}
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
}

/* The template of a model string, parsed once per configuration. */
static const struct hcl_expr *template_expr(struct tf_state *st, const struct tf_instance *inst, const char *text,
					    const void *owner)
{
	char key[64];
	struct hcl_file *file;
	struct buf source = BUF_INIT;
	uint32_t id;

	snprintf(key, sizeof(key), "%p", owner);
	file = tf_registry_get(&st->templates, key);
	if (file)
		return file->expr;
	file = xcalloc(1, sizeof(*file));
	st->scratch_files = xgrow(st->scratch_files, &st->scratch_cap, st->scratch_count + 1,
				  sizeof(*st->scratch_files));
	st->scratch_files[st->scratch_count++] = file;
	tf_template_source(&source, text);
	id = source_set_add(&st->ctx->sources, inst->model.model->origin, source.data, source.len);
	buf_release(&source);
	hcl_parse_expression(file, &st->ctx->sources, id, NULL);
	tf_registry_put(st, &st->templates, key, file);
	return file->expr;
}

static const struct hcl_value *template_value(struct tf_state *st, struct tf_instance *inst, const char *text,
					      const void *owner)
{
	struct tf_frame frame = tf_frame_of(inst);

	return tf_eval_in(st, &frame, template_expr(st, inst, text, owner));
}

const struct hcl_value *tf_model_value(struct tf_state *st, struct tf_instance *inst, const cJSON *item, int depth)
{
	struct span span = inst->call_span;

	if (depth > HCL_VALUE_MAX_DEPTH)
		return tf_unknown(st, inst, "model", "a model value nested too deeply", span);
	if (cJSON_IsString(item))
		return template_value(st, inst, item->valuestring, item);
	if (cJSON_IsBool(item))
		return hcl_value_bool(st->eval, cJSON_IsTrue(item), span);
	if (cJSON_IsNumber(item))
		return hcl_value_number(st->eval, item->valuedouble, span);
	if (cJSON_IsArray(item)) {
		size_t n = (size_t)cJSON_GetArraySize(item);
		const struct hcl_value **items = ARENA_ARRAY(&st->arena, const struct hcl_value *, n + 1);
		size_t i = 0;
		const cJSON *child;

		cJSON_ArrayForEach(child, item)
			items[i++] = tf_model_value(st, inst, child, depth + 1);
		return hcl_value_tuple(st->eval, items, n, HCL_SEQUENCE_TUPLE, span);
	}
	if (cJSON_IsObject(item)) {
		size_t n = (size_t)cJSON_GetArraySize(item);
		struct hcl_object_entry *entries = ARENA_ARRAY(&st->arena, struct hcl_object_entry, n + 1);
		size_t i = 0;
		const cJSON *child;

		cJSON_ArrayForEach(child, item) {
			const char *key = child->string;

			if (strstr(key, "${")) {
				const struct hcl_value *k = template_value(st, inst, key, &child->string);

				key = k->kind == HCL_VALUE_STRING ? k->as.string.text :
				      tf_concat(st, span, "%v", k)->as.string.text;
			}
			entries[i].key = key;
			entries[i].key_span = span;
			entries[i++].value = tf_model_value(st, inst, child, depth + 1);
		}
		return hcl_value_object(st->eval, entries, n, false, span);
	}
	return hcl_value_null(st->eval, span);
}

const struct hcl_value *tf_rebase(struct tf_state *st, const struct hcl_value *value, struct span span, int depth)
{
	struct hcl_value *v;

	if (depth > HCL_VALUE_MAX_DEPTH)
		return value;
	v = ARENA_NEW(&st->arena, struct hcl_value);
	*v = *value;
	v->span = span;
	if (value->kind == HCL_VALUE_STRING) {
		v->as.string.runs = NULL;
		v->as.string.run_count = 0;
		if (value->as.string.json_source)
			v->as.string.json_source = tf_rebase(st, value->as.string.json_source, span, depth + 1);
	} else if (value->kind == HCL_VALUE_TUPLE) {
		const struct hcl_value **items = ARENA_ARRAY(&st->arena, const struct hcl_value *,
							     value->as.tuple.count + 1);

		for (size_t i = 0; i < value->as.tuple.count; i++)
			items[i] = tf_rebase(st, value->as.tuple.items[i], span, depth + 1);
		v->as.tuple.items = items;
	} else if (value->kind == HCL_VALUE_OBJECT) {
		struct hcl_object_entry *entries = ARENA_ARRAY(&st->arena, struct hcl_object_entry,
							       value->as.object.count + 1);

		for (size_t i = 0; i < value->as.object.count; i++) {
			entries[i] = value->as.object.entries[i];
			entries[i].key_span = span;
			entries[i].value = tf_rebase(st, entries[i].value, span, depth + 1);
		}
		v->as.object.entries = entries;
	}
	return v;
}

const struct hcl_value *tf_respan(struct tf_state *st, const struct hcl_value *value, struct span span)
{
	struct hcl_value *v;

	if (value->kind == HCL_VALUE_TUPLE || value->kind == HCL_VALUE_OBJECT)
		return tf_rebase(st, value, span, 0);
	v = ARENA_NEW(&st->arena, struct hcl_value);
	*v = *value;
	v->span = span;
	return v;
}

/* Text of a model's message with "{call}" replaced by the module call's name. */
static const char *with_call(struct tf_state *st, const struct tf_instance *inst, const char *text)
{
	struct buf b = BUF_INIT;
	const char *result;

	for (const char *p = text; *p; p++) {
		if (str_starts_with(p, "{call}")) {
			buf_puts(&b, inst->call_name);
			p += strlen("{call}") - 1;
			continue;
		}
		buf_putc(&b, *p);
	}
	result = arena_strdup(&st->arena, buf_str(&b));
	buf_release(&b);
	return result;
}

/* References inside a model ------------------------------------------------------- */

static const cJSON *section_item(const struct tf_instance *inst, const char *section, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(tf_model_section(&inst->model, section), name);
}

/* The call's argument for input `name`, evaluated where the call is written. */
static const struct hcl_value *call_argument(struct tf_state *st, struct tf_instance *inst, const char *name)
{
	const struct hcl_attribute *a = hcl_body_attribute(inst->call->block->body, name);

	return a ? tf_eval_in(st, &inst->call_frame, a->expr) : NULL;
}

static const struct hcl_value *model_input(struct tf_state *st, struct tf_instance *inst, const char *name,
					   struct span span)
{
	char *key = xasprintf("modelvar|%p|%s", (void *)inst, name);
	bool created;
	struct tf_cache_entry *e = tf_cache_get(st, key, &created);
	const cJSON *spec;
	const cJSON *def;

	free(key);
	if (!created)
		return e->resolving ? tf_unknown(st, inst, arena_printf(&st->arena, "var.%s", name), NULL, span) : e->value;
	e->resolving = true;
	e->value = call_argument(st, inst, name);
	spec = section_item(inst, "inputs", name);
	def = cJSON_GetObjectItemCaseSensitive(spec, "default");
	if (!e->value && def)
		e->value = tf_model_value(st, inst, def, 0);
	if (!e->value)
		e->value = tf_unknown(st, inst, arena_printf(&st->arena, "var.%s", name),
				      "an input the module call does not set", span);
	e->resolving = false;
	return e->value;
}

static const struct hcl_value *model_local(struct tf_state *st, struct tf_instance *inst, const char *name,
					   struct span span)
{
	const cJSON *item = section_item(inst, "locals", name);
	char *key;
	bool created;
	struct tf_cache_entry *e;

	if (!item)
		return tf_unknown(st, inst, arena_printf(&st->arena, "local.%s", name), "a local the model does not define",
				  span);
	key = xasprintf("modellocal|%p|%s", (void *)inst, name);
	e = tf_cache_get(st, key, &created);
	free(key);
	if (!created)
		return e->resolving ? tf_unknown(st, inst, arena_printf(&st->arena, "local.%s", name), NULL, span) : e->value;
	e->resolving = true;
	e->value = tf_model_value(st, inst, item, 0);
	e->resolving = false;
	return e->value;
}

/* A reference the model lists as unknown: the longest listed prefix of the reference. */
static const struct hcl_value *declared_unknown(struct tf_state *st, struct tf_instance *inst,
						const struct hcl_reference *ref, size_t *consumed)
{
	const cJSON *unknowns = tf_model_section(&inst->model, "unknowns");
	struct buf text = BUF_INIT;
	const struct hcl_value *found = NULL;

	buf_puts(&text, ref->root);
	for (size_t i = 0; i <= ref->step_count && !found; i++) {
		const cJSON *item = cJSON_GetObjectItemCaseSensitive(unknowns, buf_str(&text));

		if (item) {
			found = tf_unknown(st, inst, buf_str(&text),
					   cJSON_IsString(item) ? with_call(st, inst, item->valuestring) : NULL, ref->span);
			*consumed = i;
			break;
		}
		if (i == ref->step_count)
			break;
		if (ref->steps[i].name)
			buf_printf(&text, ".%s", ref->steps[i].name);
		else
			buf_puts(&text, tf_instance_key_text(st, ref->steps[i].key));
	}
	buf_release(&text);
	return found;
}

const struct hcl_value *tf_model_resolve(struct tf_state *st, struct tf_instance *inst,
					 const struct hcl_reference *ref, size_t *consumed)
{
	const char *first = ref->step_count > 0 ? ref->steps[0].name : NULL;
	const struct hcl_value *v = declared_unknown(st, inst, ref, consumed);

	if (v)
		return v;
	if (strcmp(ref->root, "var") == 0 && first) {
		*consumed = 1;
		return model_input(st, inst, first, ref->span);
	}
	if (strcmp(ref->root, "local") == 0 && first) {
		*consumed = 1;
		return model_local(st, inst, first, ref->span);
	}
	if (strcmp(ref->root, "data") == 0 && first)
		return tf_provider_data(st, first, ref, 1, consumed);
	return NULL;
}

const struct hcl_value *tf_model_output(struct tf_state *st, struct tf_instance *inst, const char *name,
					struct span span)
{
	const cJSON *item = section_item(inst, "outputs", name);
	const cJSON *value = cJSON_IsObject(item) ? cJSON_GetObjectItemCaseSensitive(item, "value") : item;
	const cJSON *description = cJSON_IsObject(item) ? cJSON_GetObjectItemCaseSensitive(item, "description") : NULL;
	const char *text = arena_printf(&st->arena, "%s%s.%s", st->tag, inst->address, name);
	char *key;
	bool created;
	struct tf_cache_entry *e;

	if (!value) {
		char *why = xasprintf("the output '%s' of module '%s', which the model of '%s' does not describe", name,
				      inst->call_name, inst->model.model->name);
		const struct hcl_value *v = hcl_value_unknown(st->eval, text, why, span);

		free(why);
		return v;
	}
	key = xasprintf("modelout|%p|%s", (void *)inst, name);
	e = tf_cache_get(st, key, &created);
	free(key);
	if (!created)
		return e->resolving ? hcl_value_unknown(st->eval, text, NULL, span) : e->value;
	e->resolving = true;
	e->value = tf_model_value(st, inst, value, 0);
	if (e->value->kind == HCL_VALUE_UNKNOWN)
		e->value = hcl_value_unknown(st->eval, text,
					     cJSON_IsString(description) ? with_call(st, inst, description->valuestring) : NULL,
					     span);
	e->value = tf_rebase(st, e->value, inst->call_span, 0);
	e->resolving = false;
	return e->value;
}

/* What the module creates ---------------------------------------------------------- */

/* A "when" condition: false only when it is known to be false. */
static bool model_when(struct tf_state *st, struct tf_instance *inst, const cJSON *entry)
{
	const cJSON *when = cJSON_GetObjectItemCaseSensitive(entry, "when");
	const struct hcl_value *v;

	if (!when)
		return true;
	v = tf_model_value(st, inst, when, 0);
	return !(v->kind == HCL_VALUE_BOOL && !v->as.boolean) &&
	       !(v->kind == HCL_VALUE_STRING && strcmp(v->as.string.text, "false") == 0);
}

static const char *model_text(struct tf_state *st, struct tf_instance *inst, const cJSON *entry, const char *field)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(entry, field);
	const struct hcl_value *v;
	struct buf b = BUF_INIT;
	const char *text;

	if (!item)
		return NULL;
	v = tf_model_value(st, inst, item, 0);
	if (v->kind == HCL_VALUE_STRING)
		return v->as.string.text;
	if (v->kind != HCL_VALUE_UNKNOWN)
		return NULL;
	hole_append(&b, symbol_intern(&st->ctx->symbols, v->as.unknown.text, v->as.unknown.description, v->span));
	text = arena_strdup(&st->arena, buf_str(&b));
	buf_release(&b);
	return text;
}

static struct tf_policy *own_policy(struct tf_state *st, struct tf_instance *inst, const cJSON *document,
				    enum policy_kind kind, const char *what)
{
	const struct hcl_value *tree = tf_model_value(st, inst, document, 0);
	struct tf_policy *tp = tf_policy_from_value(st, tree, kind,
						    arena_printf(&st->arena, "%s (%s)", inst->address, what),
						    inst->call_span, true);
	struct tf_model_ref *ref = ARENA_NEW(&st->arena, struct tf_model_ref);

	*ref = inst->model;
	tp->module_source = inst->source;
	tp->model = ref;
	tf_policy_add(st, tp);
	return tp;
}

static void extract_policies(struct tf_state *st, struct tf_instance *inst, struct tf_registry *by_id)
{
	const cJSON *entry;

	cJSON_ArrayForEach(entry, tf_model_section(&inst->model, "policies")) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(entry, "id");
		const char *name = cJSON_IsString(id) ? id->valuestring : "policy";
		struct tf_policy *tp;

		if (!model_when(st, inst, entry))
			continue;
		tp = own_policy(st, inst, cJSON_GetObjectItemCaseSensitive(entry, "document"), POLICY_IDENTITY,
				arena_printf(&st->arena, "policy '%s'", name));
		tp->arn = model_text(st, inst, entry, "arn");
		if (tp->arn)
			tf_registry_put(st, &st->policy_by_arn, tp->arn, tp);
		tf_registry_put(st, by_id, name, tp);
	}
}

static void extract_roles(struct tf_state *st, struct tf_instance *inst, struct tf_registry *policies)
{
	const cJSON *entry;

	cJSON_ArrayForEach(entry, tf_model_section(&inst->model, "roles")) {
		const cJSON *naming = cJSON_GetObjectItemCaseSensitive(entry, "naming");
		const cJSON *trust = cJSON_GetObjectItemCaseSensitive(entry, "trust");
		const cJSON *arns = cJSON_GetObjectItemCaseSensitive(entry, "policy_arns");
		const cJSON *attach = cJSON_GetObjectItemCaseSensitive(entry, "attach");
		const cJSON *id;
		struct tf_principal *p;

		if (!model_when(st, inst, entry))
			continue;
		p = tf_principal_add(st, inst->address, model_text(st, inst, entry, "arn"),
				     model_text(st, inst, entry, "name"), false, inst->call_span);
		if (cJSON_IsString(naming))
			p->naming = with_call(st, inst, naming->valuestring);
		if (trust) {
			struct tf_policy *tp = own_policy(st, inst, trust, POLICY_TRUST, "trust policy");

			tp->governs = p->arn;
			p->trust = tp;
		}
		cJSON_ArrayForEach(id, attach) {
			struct tf_policy *tp = cJSON_IsString(id) ? tf_registry_get(policies, id->valuestring) : NULL;

			if (tp)
				tf_principal_attach(st, p, tp);
		}
		if (arns) {
			const char *input = cJSON_IsString(arns) && str_starts_with(arns->valuestring, "${var.") ?
					    arns->valuestring + strlen("${var.") : NULL;
			const struct hcl_attribute *a = NULL;

			if (input)
				a = hcl_body_attribute(inst->call->block->body,
						       arena_strndup(&st->arena, input, strcspn(input, "}")));
			st->pending = xgrow(st->pending, &st->pending_cap, st->pending_count + 1, sizeof(*st->pending));
			st->pending[st->pending_count].principal = p;
			st->pending[st->pending_count].arns = tf_model_value(st, inst, arns, 0);
			st->pending[st->pending_count++].span = a ? a->expr->span : inst->call_span;
		}
	}
}

/* Resource policies the caller passes in, with the module's placeholders filled in. */
static void extract_resource_policies(struct tf_state *st, struct tf_instance *inst)
{
	const cJSON *entry;

	cJSON_ArrayForEach(entry, tf_model_section(&inst->model, "resource_policies")) {
		const cJSON *input = cJSON_GetObjectItemCaseSensitive(entry, "input");
		const cJSON *document = cJSON_GetObjectItemCaseSensitive(entry, "document");
		const cJSON *placeholder;
		const cJSON *kind = cJSON_GetObjectItemCaseSensitive(entry, "kind");
		enum policy_kind k = cJSON_IsString(kind) && strcmp(kind->valuestring, "trust") == 0 ? POLICY_TRUST :
				     POLICY_RESOURCE;
		struct tf_policy *tp;

		if (!model_when(st, inst, entry))
			continue;
		if (document) {
			const cJSON *label = cJSON_GetObjectItemCaseSensitive(entry, "name");

			tp = own_policy(st, inst, document, k, cJSON_IsString(label) ? label->valuestring : "resource policy");
		} else if (cJSON_IsString(input)) {
			const struct hcl_attribute *a = hcl_body_attribute(inst->call->block->body, input->valuestring);
			const struct hcl_value *v;

			if (!a)
				continue;
			v = tf_eval_in(st, &inst->call_frame, a->expr);
			cJSON_ArrayForEach(placeholder, cJSON_GetObjectItemCaseSensitive(entry, "placeholders")) {
				char *text = xasprintf("${%s}", placeholder->string);

				v = tf_substitute(st, v, text, tf_model_value(st, inst, placeholder, 0), 0);
				free(text);
			}
			tp = tf_policy_from_value(st, v, k, arena_printf(&st->arena, "%s (%s)", inst->address, input->valuestring),
						  a->expr->span, false);
			tf_policy_add(st, tp);
		} else {
			continue;
		}
		tp->governs = model_text(st, inst, entry, "governs");
	}
}

void tf_model_extract(struct tf_state *st, struct tf_instance *inst)
{
	struct tf_registry by_id;
	const cJSON *resource;

	memset(&by_id, 0, sizeof(by_id));
	cJSON_ArrayForEach(resource, tf_model_section(&inst->model, "resources")) {
		const struct hcl_value *arn = tf_model_value(st, inst, resource, 0);

		if (arn->kind == HCL_VALUE_STRING)
			tf_resource_add(st->config, &st->arena, arn->as.string.text, inst->address);
	}
	extract_policies(st, inst, &by_id);
	if (!st->policies_only) {
		extract_roles(st, inst, &by_id);
		extract_resource_policies(st, inst);
	}
	free(by_id.items);
}

/* Inputs -------------------------------------------------------------------------- */

/* A blank string or null; an empty list or map is a valid value (a role with no policies). */
static bool is_empty(const struct hcl_value *v)
{
	if (v->kind == HCL_VALUE_NULL)
		return true;
	if (v->kind == HCL_VALUE_STRING)
		return v->as.string.text[strspn(v->as.string.text, " \t")] == '\0';
	return false;
}

static bool pattern_matches(const char *pattern, const char *text)
{
	int code;
	PCRE2_SIZE offset;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &offset, NULL);
	pcre2_match_data *match;
	pcre2_match_context *limits;
	int rc;

	if (!re)
		return true;
	match = pcre2_match_data_create_from_pattern(re, NULL);
	limits = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(limits, PATTERN_MATCH_LIMIT);
	pcre2_set_depth_limit(limits, PATTERN_DEPTH_LIMIT);
	rc = pcre2_match(re, (PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, 0, 0, match, limits);
	pcre2_match_context_free(limits);
	pcre2_match_data_free(match);
	pcre2_code_free(re);
	/* A limit reached is no proof of a mismatch. */
	return rc >= 0 || (rc != PCRE2_ERROR_NOMATCH);
}

static void check_policy_arn(struct tf_state *st, const struct hcl_value *v, const char *input,
			     const struct tf_instance *inst, int depth)
{
	struct buf reason = BUF_INIT;
	struct arn arn;
	const char *text;
	struct finding *f;

	if (depth > 2)
		return;
	if (v->kind == HCL_VALUE_TUPLE || v->kind == HCL_VALUE_OBJECT) {
		size_t n = v->kind == HCL_VALUE_TUPLE ? v->as.tuple.count : v->as.object.count;

		for (size_t i = 0; i < n; i++)
			check_policy_arn(st, v->kind == HCL_VALUE_TUPLE ? v->as.tuple.items[i] : v->as.object.entries[i].value,
					 input, inst, depth + 1);
		return;
	}
	if (v->kind != HCL_VALUE_STRING)
		return;
	text = v->as.string.text;
	/* A hole before "arn:" could be the whole ARN. */
	if (text_has_hole(text) && !str_starts_with(text, "arn:"))
		return;
	if (arn_parse(text, &arn, &reason) && arn_validate(&arn, &reason)) {
		if (text_has_hole(arn.resource.data) || (arn_slice_equal(arn.service, "iam") &&
							 str_starts_with(arn.resource.data, "policy/"))) {
			buf_release(&reason);
			return;
		}
		buf_printf(&reason, "'%s' is not the ARN of an IAM policy, which has the form arn:aws:iam::<account>:policy/<name>",
			   context_render(st->ctx, text));
	}
	f = diag_add(st->diags, RULE_INVALID_ARN, v->span, "input '%s' of module '%s': %s", input, inst->call_name,
		     buf_str(&reason));
	diag_set_hint(f, "give the policy's ARN, such as aws_iam_policy.<name>.arn or a module's irsa_policy_arn output");
	buf_release(&reason);
}

void tf_model_check_inputs(struct tf_state *st, struct tf_instance *inst)
{
	const cJSON *spec;

	cJSON_ArrayForEach(spec, tf_model_section(&inst->model, "inputs")) {
		const char *name = spec->string;
		const struct hcl_attribute *a = hcl_body_attribute(inst->call->block->body, name);
		const cJSON *required = cJSON_GetObjectItemCaseSensitive(spec, "required");
		const cJSON *pattern = cJSON_GetObjectItemCaseSensitive(spec, "pattern");
		const cJSON *format = cJSON_GetObjectItemCaseSensitive(spec, "format");
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(spec, "type");
		const struct hcl_value *v;
		struct finding *f;

		if (!a) {
			if (!cJSON_IsTrue(required))
				continue;
			f = diag_add(st->diags, RULE_INVALID_MODULE_INPUT, inst->call_span,
				     "module '%s' (%s) has no input '%s', which the module requires", inst->call_name,
				     inst->model.model->name, name);
			diag_set_hint(f, "add %s = ... to the module block", name);
			continue;
		}
		v = tf_eval_in(st, &inst->call_frame, a->expr);
		if (cJSON_IsTrue(required) && is_empty(v)) {
			f = diag_add(st->diags, RULE_INVALID_MODULE_INPUT, a->expr->span,
				     "input '%s' of module '%s' is empty, but the module requires it%s%s", name,
				     inst->call_name, cJSON_IsString(format) ? ": " : "",
				     cJSON_IsString(format) ? format->valuestring : "");
			diag_set_hint(f, "fill in the value the template left blank");
			continue;
		}
		if (cJSON_IsString(pattern) && tf_plain_string(v) && !pattern_matches(pattern->valuestring, v->as.string.text)) {
			f = diag_add(st->diags, RULE_INVALID_MODULE_INPUT, a->expr->span,
				     "input '%s' of module '%s' is '%s', which is not %s", name, inst->call_name,
				     v->as.string.text, cJSON_IsString(format) ? format->valuestring : "a valid value");
			diag_set_hint(f, "correct the value of '%s'", name);
		}
		if (cJSON_IsString(type) && strcmp(type->valuestring, "policy-arns") == 0)
			check_policy_arn(st, v, name, inst, 0);
	}
}
