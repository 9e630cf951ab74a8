/*
 * The evaluator: expression trees to values.
 *
 * Each node kind has one function.  References go to the caller's resolve
 * callback with as many known steps as can be computed.  Names that a
 * `for` expression defines are looked up first, in a scope chain kept on
 * the C stack.  Recursion follows the tree, whose depth the parser bounds, and
 * the callback may re-enter hcl_eval_expr(), so the evaluator also bounds
 * its own depth and counts every node against the step limit.
 *
 * Not here: functions (func.c, func_string.c, json.c) and Terraform
 * meaning of any name.
 */
#include "eval_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct span no_span(void)
{
	struct span s = {0, 0, 0};

	return s;
}

/* Canonical text -------------------------------------------------------------- */

static void put_source(struct hcl_eval *ev, struct buf *out, struct span span)
{
	const struct source *src = source_get(ev->options.sources, span.source);
	bool space = false;

	if (!src || span.offset > src->length || span.length > src->length - span.offset)
		return;
	/* Collapse runs of blanks and line breaks to one space. */
	for (uint32_t i = 0; i < span.length; i++) {
		char c = src->text[span.offset + i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = true;
			continue;
		}
		if (space && out->len)
			buf_putc(out, ' ');
		space = false;
		buf_putc(out, c);
	}
}

static void put_key(struct buf *out, const struct hcl_value *key)
{
	struct buf number = BUF_INIT;

	if (key->kind == HCL_VALUE_STRING) {
		buf_putc(out, '[');
		buf_put_json_string(out, key->as.string.text);
		buf_putc(out, ']');
		return;
	}
	format_number(key->as.number.value, &number);
	buf_printf(out, "[%s]", buf_str(&number));
	buf_release(&number);
}

static void put_step(struct hcl_eval *ev, struct buf *out, const struct hcl_step *step)
{
	switch (step->kind) {
	case HCL_STEP_ATTR:
		buf_printf(out, ".%s", step->name);
		break;
	case HCL_STEP_LEGACY_INDEX:
		buf_printf(out, "[%s]", step->key->as.number.text);
		break;
	case HCL_STEP_INDEX:
		if (step->key->kind == HCL_EXPR_NUMBER) {
			buf_printf(out, "[%s]", step->key->as.number.text);
		} else if (hcl_template_is_literal(step->key) && step->key->as.template.count <= 1) {
			buf_putc(out, '[');
			buf_put_json_string(out, step->key->as.template.count ? step->key->as.template.parts[0].text : "");
			buf_putc(out, ']');
		} else {
			buf_putc(out, '[');
			put_source(ev, out, step->key->span);
			buf_putc(out, ']');
		}
		break;
	case HCL_STEP_SPLAT_ATTR:
		buf_puts(out, ".*");
		break;
	case HCL_STEP_SPLAT_FULL:
		buf_puts(out, "[*]");
		break;
	}
}

const char *expr_text(struct hcl_eval *ev, const struct hcl_expr *expr)
{
	struct buf out = BUF_INIT;
	const char *text;

	if (expr->kind == HCL_EXPR_TRAVERSAL && expr->as.traversal.source->kind == HCL_EXPR_VARIABLE) {
		buf_puts(&out, expr->as.traversal.source->as.variable);
		for (size_t i = 0; i < expr->as.traversal.count; i++)
			put_step(ev, &out, &expr->as.traversal.steps[i]);
	} else {
		put_source(ev, &out, expr->span);
	}
	text = arena_strdup(&ev->arena, buf_str(&out));
	buf_release(&out);
	return text;
}

static const struct hcl_value *depends(struct hcl_eval *ev, const struct hcl_expr *expr)
{
	return value_unknown(ev, HCL_UNKNOWN_DEPENDS, expr_text(ev, expr), expr->span, NULL);
}

/* Templates ------------------------------------------------------------------- */

static const struct hcl_value *eval_parts(struct hcl_eval *ev, struct string_builder *b,
					  const struct hcl_template_part *parts, size_t count);

/* Bind the variables of a `for`: key and value, or value only. */
static void bind(struct scope *key, struct scope *value, const char *key_name, const char *value_name,
		 const struct hcl_value *k, const struct hcl_value *v, const struct scope *outer)
{
	value->name = value_name;
	value->value = v;
	value->next = outer;
	if (!key_name)
		return;
	key->name = key_name;
	key->value = k;
	key->next = outer;
	value->next = key;
}

/* The keys and values a `for` visits; false when `coll` cannot be iterated. */
static bool iteration(struct hcl_eval *ev, const struct hcl_value *coll, size_t index,
		      const struct hcl_value **key, const struct hcl_value **value)
{
	if (coll->kind == HCL_VALUE_TUPLE) {
		*value = coll->as.tuple.items[index];
		*key = coll->as.tuple.sequence == HCL_SEQUENCE_SET ? *value :
		       value_number_computed(ev, (double)index, coll->span);
		return true;
	}
	*key = hcl_value_string(ev, coll->as.object.entries[index].key,
				strlen(coll->as.object.entries[index].key), coll->as.object.entries[index].key_span);
	*value = coll->as.object.entries[index].value;
	return true;
}

static size_t collection_size(const struct hcl_value *coll)
{
	return coll->kind == HCL_VALUE_TUPLE ? coll->as.tuple.count : coll->as.object.count;
}

static const struct hcl_value *check_iterable(struct hcl_eval *ev, const struct hcl_value *coll,
					      struct span span)
{
	if (coll->kind == HCL_VALUE_UNKNOWN)
		return coll;
	if (coll->kind != HCL_VALUE_TUPLE && coll->kind != HCL_VALUE_OBJECT)
		return value_error(ev, span, "a 'for' needs a collection, not a %s", value_type_name(coll));
	return NULL;
}

static const struct hcl_value *eval_template_for(struct hcl_eval *ev, struct string_builder *b,
						 const struct hcl_template_part *part)
{
	const struct hcl_value *coll = eval_expr(ev, part->expr);
	const struct hcl_value *problem = check_iterable(ev, coll, part->expr->span);
	const struct scope *outer = ev->scope;

	if (problem)
		return problem;
	for (size_t i = 0; i < collection_size(coll); i++) {
		struct scope key;
		struct scope value;
		const struct hcl_value *k;
		const struct hcl_value *v;

		if (!eval_spend(ev, 1))
			return value_limit(ev, part->span);
		iteration(ev, coll, i, &k, &v);
		bind(&key, &value, part->key_var, part->value_var, k, v, outer);
		ev->scope = &value;
		problem = eval_parts(ev, b, part->body.parts, part->body.count);
		ev->scope = outer;
		if (problem)
			return problem;
	}
	return NULL;
}

static const struct hcl_value *eval_template_if(struct hcl_eval *ev, struct string_builder *b,
						const struct hcl_template_part *part)
{
	const struct hcl_value *cond = eval_expr(ev, part->expr);
	bool which;
	const struct hcl_value *problem = value_to_bool(ev, cond, &which, part->expr->span);

	if (problem)
		return problem;
	if (which)
		return eval_parts(ev, b, part->then_part.parts, part->then_part.count);
	return eval_parts(ev, b, part->else_part.parts, part->else_part.count);
}

/*
 * A directive that cannot be computed (its condition or collection is
 * unknown) becomes one hole for the whole directive, so the text around it
 * stays known.
 */
static const struct hcl_value *eval_directive(struct hcl_eval *ev, struct string_builder *b,
					      const struct hcl_template_part *part)
{
	struct string_builder inner;
	const struct hcl_value *problem;

	builder_init(&inner);
	problem = part->kind == HCL_PART_IF ? eval_template_if(ev, &inner, part) :
					      eval_template_for(ev, &inner, part);
	if (problem && value_is_error(problem)) {
		builder_release(&inner);
		return problem;
	}
	if (problem) {
		struct buf text = BUF_INIT;

		put_source(ev, &text, part->span);
		builder_hole(ev, b, value_unknown(ev, HCL_UNKNOWN_DEPENDS, buf_str(&text), part->span, NULL));
		buf_release(&text);
		builder_release(&inner);
		return NULL;
	}
	builder_string(b, builder_finish(ev, &inner, part->span));
	return NULL;
}

static const struct hcl_value *eval_parts(struct hcl_eval *ev, struct string_builder *b,
					  const struct hcl_template_part *parts, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct hcl_template_part *part = &parts[i];
		const struct hcl_value *problem = NULL;

		switch (part->kind) {
		case HCL_PART_LITERAL:
			builder_literal(b, part->text, part->length, part->span);
			break;
		case HCL_PART_INTERP:
			problem = builder_value(ev, b, eval_expr(ev, part->expr), part->expr->span);
			break;
		default:
			problem = eval_directive(ev, b, part);
			break;
		}
		if (problem)
			return problem;
	}
	return NULL;
}

static const struct hcl_value *eval_template(struct hcl_eval *ev, const struct hcl_expr *e)
{
	struct string_builder b;
	const struct hcl_value *problem;

	if (e->as.template.wrap)
		return eval_expr(ev, e->as.template.parts[0].expr);
	builder_init(&b);
	problem = eval_parts(ev, &b, e->as.template.parts, e->as.template.count);
	if (problem) {
		builder_release(&b);
		return problem;
	}
	return builder_finish(ev, &b, e->span);
}

/* Collections ----------------------------------------------------------------- */

static const struct hcl_value *eval_tuple(struct hcl_eval *ev, const struct hcl_expr *e)
{
	size_t n = e->as.tuple.count;
	const struct hcl_value **items = ARENA_ARRAY(&ev->arena, const struct hcl_value *, n ? n : 1);

	for (size_t i = 0; i < n; i++) {
		items[i] = eval_expr(ev, e->as.tuple.items[i]);
		if (value_is_error(items[i]))
			return items[i];
	}
	return value_sequence(ev, items, n, HCL_SEQUENCE_TUPLE, e->span);
}

static const struct hcl_value *object_key(struct hcl_eval *ev, const struct hcl_object_item *item,
					  const char **key)
{
	const struct hcl_value *v;

	if (item->key_is_name) {
		*key = item->key->as.variable;
		return NULL;
	}
	v = eval_expr(ev, item->key);
	if (v->kind == HCL_VALUE_UNKNOWN)
		return v;
	v = value_to_string(ev, v, item->key->span);
	if (v->kind != HCL_VALUE_STRING)
		return v;
	if (text_has_hole(v->as.string.text))
		return depends(ev, item->key);
	*key = v->as.string.text;
	return NULL;
}

static const struct hcl_value *eval_object(struct hcl_eval *ev, const struct hcl_expr *e)
{
	size_t n = e->as.object.count;
	struct hcl_object_entry *entries = ARENA_ARRAY(&ev->arena, struct hcl_object_entry, n ? n : 1);

	for (size_t i = 0; i < n; i++) {
		const struct hcl_object_item *item = &e->as.object.items[i];
		const struct hcl_value *problem = object_key(ev, item, &entries[i].key);

		/* An unknown key hides which attribute the object has. */
		if (problem)
			return value_is_error(problem) ? problem : depends(ev, e);
		entries[i].key_span = item->key->span;
		entries[i].value = eval_expr(ev, item->value);
		if (value_is_error(entries[i].value))
			return entries[i].value;
	}
	return value_object(ev, entries, n, false, e->span);
}

/* Traversals ------------------------------------------------------------------ */

static const struct hcl_value *step_text_unknown(struct hcl_eval *ev, const struct hcl_value *base,
						 const struct hcl_step *step, const struct hcl_value *key)
{
	struct buf text = BUF_INIT;
	const struct hcl_value *v;

	buf_puts(&text, base->as.unknown.text);
	if (step->kind == HCL_STEP_ATTR)
		buf_printf(&text, ".%s", step->name);
	else if (key && key->kind != HCL_VALUE_UNKNOWN && (key->kind == HCL_VALUE_STRING || key->kind == HCL_VALUE_NUMBER))
		put_key(&text, key);
	else
		put_step(ev, &text, step);
	v = value_unknown(ev, base->as.unknown.reason == HCL_UNKNOWN_REFERENCE ? HCL_UNKNOWN_DEPENDS :
			  base->as.unknown.reason, buf_str(&text), span_join(base->span, step->span), NULL);
	buf_release(&text);
	return v;
}

static const struct hcl_value *index_value(struct hcl_eval *ev, const struct hcl_value *base,
					   const struct hcl_value *key, struct span span)
{
	double number;

	if (base->kind == HCL_VALUE_TUPLE) {
		const struct hcl_value *problem = value_to_number(ev, key, &number, span);

		if (problem)
			return problem;
		if (base->as.tuple.sequence == HCL_SEQUENCE_SET)
			return value_error(ev, span, "a set cannot be indexed; convert it with tolist()");
		if (number != floor(number) || number < 0 || number >= (double)base->as.tuple.count)
			return value_error(ev, span, "index %g is out of range for a %s of %zu elements", number,
					   value_type_name(base), base->as.tuple.count);
		return base->as.tuple.items[(size_t)number];
	}
	if (base->kind == HCL_VALUE_OBJECT) {
		const struct hcl_value *s = value_to_string(ev, key, span);
		const struct hcl_value *v;

		if (s->kind != HCL_VALUE_STRING)
			return s;
		if (text_has_hole(s->as.string.text))
			return value_unknown(ev, HCL_UNKNOWN_DEPENDS, "?", span, NULL);
		v = hcl_value_get(base, s->as.string.text);
		return v ? v : value_error(ev, span, "the %s has no element '%s'", value_type_name(base),
					   s->as.string.text);
	}
	if (base->kind == HCL_VALUE_NULL)
		return value_error(ev, span, "a null value cannot be indexed");
	return value_error(ev, span, "a %s cannot be indexed", value_type_name(base));
}

static const struct hcl_value *apply_steps(struct hcl_eval *ev, const struct hcl_value *base,
					   const struct hcl_step *steps, size_t count, struct span span);

static const struct hcl_value *apply_splat(struct hcl_eval *ev, const struct hcl_value *base,
					   const struct hcl_step *steps, size_t count, size_t *used,
					   struct span span)
{
	const struct hcl_value **items;
	size_t n;
	const struct hcl_value *const *source;
	const struct hcl_value *single[1];

	/* '[*]' takes every later step; '.*' the attribute steps right after it. */
	*used = count;
	if (steps[0].kind == HCL_STEP_SPLAT_ATTR) {
		*used = 1;
		while (*used < count && (steps[*used].kind == HCL_STEP_ATTR ||
					 steps[*used].kind == HCL_STEP_LEGACY_INDEX))
			(*used)++;
	}
	if (base->kind == HCL_VALUE_UNKNOWN)
		return base;
	if (base->kind == HCL_VALUE_NULL)
		return value_sequence(ev, NULL, 0, HCL_SEQUENCE_TUPLE, span);
	if (base->kind == HCL_VALUE_TUPLE) {
		source = base->as.tuple.items;
		n = base->as.tuple.count;
	} else {
		single[0] = base;
		source = single;
		n = 1;
	}
	items = ARENA_ARRAY(&ev->arena, const struct hcl_value *, n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		items[i] = apply_steps(ev, source[i], steps + 1, *used - 1, span);
		if (value_is_error(items[i]))
			return items[i];
	}
	return value_sequence(ev, items, n, base->kind == HCL_VALUE_TUPLE && base->as.tuple.sequence != HCL_SEQUENCE_SET ?
			      base->as.tuple.sequence : HCL_SEQUENCE_TUPLE, span);
}

static const struct hcl_value *apply_steps(struct hcl_eval *ev, const struct hcl_value *base,
					   const struct hcl_step *steps, size_t count, struct span span)
{
	for (size_t i = 0; i < count; i++) {
		const struct hcl_step *step = &steps[i];
		const struct hcl_value *key = NULL;
		size_t used;

		if (!eval_spend(ev, 1))
			return value_limit(ev, span);
		if (step->kind == HCL_STEP_SPLAT_ATTR || step->kind == HCL_STEP_SPLAT_FULL) {
			base = apply_splat(ev, base, steps + i, count - i, &used, span);
			i += used - 1;
			continue;
		}
		if (step->kind != HCL_STEP_ATTR) {
			key = eval_expr(ev, step->key);
			if (value_is_error(key))
				return key;
		}
		if (base->kind == HCL_VALUE_UNKNOWN) {
			if (value_is_error(base))
				return base;
			base = step_text_unknown(ev, base, step, key);
			continue;
		}
		if (key && key->kind == HCL_VALUE_UNKNOWN) {
			base = value_unknown(ev, HCL_UNKNOWN_DEPENDS, "?", span, NULL);
			continue;
		}
		if (step->kind == HCL_STEP_ATTR) {
			const struct hcl_value *v = base->kind == HCL_VALUE_OBJECT ? hcl_value_get(base, step->name) : NULL;

			if (!v)
				return base->kind == HCL_VALUE_OBJECT ?
				       value_error(ev, step->span, "the %s has no attribute '%s'", value_type_name(base), step->name) :
				       value_error(ev, step->span, "a %s has no attributes", value_type_name(base));
			base = v;
		} else {
			base = index_value(ev, base, key, step->span);
			if (value_is_error(base))
				return base;
		}
	}
	return base;
}

static const struct scope *lookup_scope(const struct hcl_eval *ev, const char *name)
{
	for (const struct scope *s = ev->scope; s; s = s->next) {
		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

/* The known leading steps of a reference, for the resolve callback. */
static size_t reference_steps(struct hcl_eval *ev, const struct hcl_expr *e, struct hcl_reference_step *out)
{
	size_t n = 0;

	for (size_t i = 0; e->kind == HCL_EXPR_TRAVERSAL && i < e->as.traversal.count; i++) {
		const struct hcl_step *step = &e->as.traversal.steps[i];
		const struct hcl_value *key;

		if (step->kind == HCL_STEP_SPLAT_ATTR || step->kind == HCL_STEP_SPLAT_FULL)
			break;
		out[n].span = step->span;
		out[n].name = NULL;
		out[n].key = NULL;
		if (step->kind == HCL_STEP_ATTR) {
			out[n++].name = step->name;
			continue;
		}
		key = eval_expr(ev, step->key);
		if ((key->kind != HCL_VALUE_STRING && key->kind != HCL_VALUE_NUMBER) ||
		    (key->kind == HCL_VALUE_STRING && text_has_hole(key->as.string.text)))
			break;
		out[n++].key = key;
	}
	return n;
}

static const struct hcl_value *resolve(struct hcl_eval *ev, const struct hcl_expr *e, const char *root,
				       size_t *consumed)
{
	size_t max = e->kind == HCL_EXPR_TRAVERSAL ? e->as.traversal.count : 0;
	struct hcl_reference_step *steps = ARENA_ARRAY(&ev->arena, struct hcl_reference_step, max ? max : 1);
	struct hcl_reference ref;
	const struct hcl_value *v = NULL;

	ref.root = root;
	ref.steps = steps;
	ref.step_count = reference_steps(ev, e, steps);
	ref.text = expr_text(ev, e);
	ref.span = e->span;
	*consumed = 0;

	if (ev->in_template_file)
		return value_error(ev, e->span, "a template file can use only the variables passed to templatefile(), not '%s'", root);
	if (ev->options.resolve)
		v = ev->options.resolve(ev->options.resolve_context, ev, &ref, consumed);
	if (!v) {
		*consumed = max;
		return value_unknown(ev, HCL_UNKNOWN_REFERENCE, ref.text, e->span, NULL);
	}
	if (*consumed > ref.step_count)
		*consumed = ref.step_count;
	return v;
}

static const struct hcl_value *eval_reference(struct hcl_eval *ev, const struct hcl_expr *e, const char *root)
{
	const struct scope *local = lookup_scope(ev, root);
	const struct hcl_step *steps = e->kind == HCL_EXPR_TRAVERSAL ? e->as.traversal.steps : NULL;
	size_t count = e->kind == HCL_EXPR_TRAVERSAL ? e->as.traversal.count : 0;
	const struct hcl_value *base;
	size_t consumed = 0;

	if (local)
		base = local->value;
	else
		base = resolve(ev, e, root, &consumed);
	if (consumed == count)
		return base;
	/* An unknown the callback gave for a prefix names the rest of the steps too. */
	return apply_steps(ev, base, steps + consumed, count - consumed, e->span);
}

static const struct hcl_value *eval_traversal(struct hcl_eval *ev, const struct hcl_expr *e)
{
	const struct hcl_expr *source = e->as.traversal.source;

	if (source->kind == HCL_EXPR_VARIABLE)
		return eval_reference(ev, e, source->as.variable);
	return apply_steps(ev, eval_expr(ev, source), e->as.traversal.steps, e->as.traversal.count, e->span);
}

/* For expressions -------------------------------------------------------------- */

struct for_result {
	const struct hcl_value **items;
	size_t count;
	size_t cap;
	struct hcl_object_entry *entries;
	size_t entry_count;
	size_t entry_cap;
};

static void add_grouped(struct hcl_eval *ev, struct for_result *r, const char *key, struct span key_span,
			const struct hcl_value *value)
{
	for (size_t i = 0; i < r->entry_count; i++) {
		const struct hcl_value *group = r->entries[i].value;
		const struct hcl_value **items;

		if (strcmp(r->entries[i].key, key) != 0)
			continue;
		items = ARENA_ARRAY(&ev->arena, const struct hcl_value *, group->as.tuple.count + 1);
		memcpy(items, group->as.tuple.items, group->as.tuple.count * sizeof(*items));
		items[group->as.tuple.count] = value;
		r->entries[i].value = value_sequence(ev, items, group->as.tuple.count + 1, HCL_SEQUENCE_TUPLE, group->span);
		return;
	}
	r->entries = xgrow(r->entries, &r->entry_cap, r->entry_count + 1, sizeof(*r->entries));
	r->entries[r->entry_count].key = key;
	r->entries[r->entry_count].key_span = key_span;
	r->entries[r->entry_count].value = value_sequence(ev, &value, 1, HCL_SEQUENCE_TUPLE, value->span);
	r->entry_count++;
}

/* One element of a `for`; returns an unknown or error that ends the loop, else NULL. */
static const struct hcl_value *for_element(struct hcl_eval *ev, const struct hcl_expr *e, struct for_result *r)
{
	const struct hcl_value *value;
	const struct hcl_value *key;

	if (e->as.for_expr.condition) {
		bool keep;
		const struct hcl_value *problem = value_to_bool(ev, eval_expr(ev, e->as.for_expr.condition), &keep,
								e->as.for_expr.condition->span);

		if (problem)
			return problem;
		if (!keep)
			return NULL;
	}
	if (!e->as.for_expr.object) {
		r->items = xgrow(r->items, &r->cap, r->count + 1, sizeof(*r->items));
		r->items[r->count] = eval_expr(ev, e->as.for_expr.value);
		return value_is_error(r->items[r->count++]) ? r->items[r->count - 1] : NULL;
	}

	key = value_to_string(ev, eval_expr(ev, e->as.for_expr.key), e->as.for_expr.key->span);
	if (key->kind != HCL_VALUE_STRING)
		return key;
	if (text_has_hole(key->as.string.text))
		return depends(ev, e->as.for_expr.key);
	value = eval_expr(ev, e->as.for_expr.value);
	if (value_is_error(value))
		return value;
	if (e->as.for_expr.grouping) {
		add_grouped(ev, r, key->as.string.text, key->span, value);
		return NULL;
	}
	for (size_t i = 0; i < r->entry_count; i++) {
		if (strcmp(r->entries[i].key, key->as.string.text) == 0)
			return value_error(ev, e->as.for_expr.key->span,
					   "two elements have the key '%s'; add '...' after the value to group them",
					   key->as.string.text);
	}
	r->entries = xgrow(r->entries, &r->entry_cap, r->entry_count + 1, sizeof(*r->entries));
	r->entries[r->entry_count].key = key->as.string.text;
	r->entries[r->entry_count].key_span = key->span;
	r->entries[r->entry_count++].value = value;
	return NULL;
}

static const struct hcl_value *eval_for(struct hcl_eval *ev, const struct hcl_expr *e)
{
	const struct hcl_value *coll = eval_expr(ev, e->as.for_expr.collection);
	const struct hcl_value *problem = check_iterable(ev, coll, e->as.for_expr.collection->span);
	const struct scope *outer = ev->scope;
	struct for_result r;
	const struct hcl_value *result;

	if (problem)
		return value_is_error(problem) ? problem : depends(ev, e);
	memset(&r, 0, sizeof(r));
	for (size_t i = 0; i < collection_size(coll) && !problem; i++) {
		struct scope key;
		struct scope value;
		const struct hcl_value *k;
		const struct hcl_value *v;

		if (!eval_spend(ev, 1)) {
			problem = value_limit(ev, e->span);
			break;
		}
		iteration(ev, coll, i, &k, &v);
		bind(&key, &value, e->as.for_expr.key_var, e->as.for_expr.value_var, k, v, outer);
		ev->scope = &value;
		problem = for_element(ev, e, &r);
		ev->scope = outer;
	}

	if (problem)
		result = value_is_error(problem) ? problem : depends(ev, e);
	else if (e->as.for_expr.object)
		result = value_object(ev, r.entries, r.entry_count, false, e->span);
	else
		result = value_sequence(ev, r.items, r.count, HCL_SEQUENCE_TUPLE, e->span);
	free(r.items);
	free(r.entries);
	return result;
}

/* Operators -------------------------------------------------------------------- */

static const struct hcl_value *eval_unary(struct hcl_eval *ev, const struct hcl_expr *e)
{
	const struct hcl_value *operand = eval_expr(ev, e->as.unary.operand);
	const struct hcl_value *problem;
	double number;
	bool boolean;

	if (operand->kind == HCL_VALUE_UNKNOWN)
		return value_is_error(operand) ? operand : depends(ev, e);
	if (e->as.unary.op == HCL_OP_NOT) {
		problem = value_to_bool(ev, operand, &boolean, e->span);
		return problem ? problem : hcl_value_bool(ev, !boolean, e->span);
	}
	problem = value_to_number(ev, operand, &number, e->span);
	return problem ? problem : value_number_computed(ev, -number, e->span);
}

static const struct hcl_value *eval_logic(struct hcl_eval *ev, const struct hcl_expr *e)
{
	bool is_and = e->as.binary.op == HCL_OP_AND;
	const struct hcl_value *left = eval_expr(ev, e->as.binary.left);
	const struct hcl_value *right;
	const struct hcl_value *problem;
	bool a;
	bool b;

	problem = value_to_bool(ev, left, &a, e->as.binary.left->span);
	if (value_is_error(left) || (problem && value_is_error(problem)))
		return problem ? problem : left;
	/* false && x and true || x do not depend on x. */
	if (!problem && a != is_and)
		return hcl_value_bool(ev, a, e->span);
	right = eval_expr(ev, e->as.binary.right);
	if (value_is_error(right))
		return right;
	if (value_to_bool(ev, right, &b, e->as.binary.right->span) == NULL) {
		if (b != is_and)
			return hcl_value_bool(ev, b, e->span);
		if (!problem)
			return hcl_value_bool(ev, is_and, e->span);
	}
	{
		const struct hcl_value *both[2] = {left, right};
		const struct hcl_value *u = value_propagate(ev, both, 2, expr_text(ev, e), e->span);

		return u ? u : value_error(ev, e->span, "'%s' needs bool operands", hcl_operator_text(e->as.binary.op));
	}
}

static const struct hcl_value *arithmetic(struct hcl_eval *ev, const struct hcl_expr *e, double a, double b)
{
	double r;

	switch (e->as.binary.op) {
	case HCL_OP_ADD: r = a + b; break;
	case HCL_OP_SUBTRACT: r = a - b; break;
	case HCL_OP_MULTIPLY: r = a * b; break;
	case HCL_OP_DIVIDE:
		if (b == 0)
			return value_error(ev, e->span, "division by zero");
		r = a / b;
		break;
	case HCL_OP_MODULO:
		if (b == 0)
			return value_error(ev, e->span, "modulo by zero");
		r = fmod(a, b);
		break;
	case HCL_OP_LESS: return hcl_value_bool(ev, a < b, e->span);
	case HCL_OP_LESS_EQUAL: return hcl_value_bool(ev, a <= b, e->span);
	case HCL_OP_GREATER: return hcl_value_bool(ev, a > b, e->span);
	default: return hcl_value_bool(ev, a >= b, e->span);
	}
	return value_number_computed(ev, r, e->span);
}

static const struct hcl_value *eval_binary(struct hcl_eval *ev, const struct hcl_expr *e)
{
	enum hcl_operator op = e->as.binary.op;
	const struct hcl_value *operands[2];
	const struct hcl_value *problem;
	double a;
	double b;

	if (op == HCL_OP_AND || op == HCL_OP_OR)
		return eval_logic(ev, e);
	operands[0] = eval_expr(ev, e->as.binary.left);
	operands[1] = eval_expr(ev, e->as.binary.right);
	if (op == HCL_OP_EQUAL || op == HCL_OP_NOT_EQUAL) {
		enum tri equal;

		if (value_is_error(operands[0]) || value_is_error(operands[1]))
			return value_is_error(operands[0]) ? operands[0] : operands[1];
		equal = value_equal(operands[0], operands[1], 0);
		if (equal == TRI_MAYBE)
			return depends(ev, e);
		return hcl_value_bool(ev, (equal == TRI_YES) == (op == HCL_OP_EQUAL), e->span);
	}
	problem = value_propagate(ev, operands, 2, expr_text(ev, e), e->span);
	if (problem)
		return problem;
	problem = value_to_number(ev, operands[0], &a, e->as.binary.left->span);
	if (!problem)
		problem = value_to_number(ev, operands[1], &b, e->as.binary.right->span);
	if (problem)
		return problem->kind == HCL_VALUE_UNKNOWN && !value_is_error(problem) ? depends(ev, e) : problem;
	return arithmetic(ev, e, a, b);
}

static const struct hcl_value *eval_conditional(struct hcl_eval *ev, const struct hcl_expr *e)
{
	const struct hcl_value *cond = eval_expr(ev, e->as.conditional.condition);
	const struct hcl_value *problem;
	bool which;

	problem = value_to_bool(ev, cond, &which, e->as.conditional.condition->span);
	if (problem)
		return value_is_error(problem) ? problem : depends(ev, e);
	return eval_expr(ev, which ? e->as.conditional.then_expr : e->as.conditional.else_expr);
}

/* Dispatch --------------------------------------------------------------------- */

static const struct hcl_value *eval_literal(struct hcl_eval *ev, const struct hcl_expr *e)
{
	struct hcl_value *v;

	switch (e->kind) {
	case HCL_EXPR_NULL:
		return hcl_value_null(ev, e->span);
	case HCL_EXPR_BOOL:
		return hcl_value_bool(ev, e->as.boolean, e->span);
	default:
		v = value_new(ev, HCL_VALUE_NUMBER, e->span);
		v->as.number.value = e->as.number.value;
		v->as.number.text = e->as.number.text;
		return v;
	}
}

static const struct hcl_value *dispatch(struct hcl_eval *ev, const struct hcl_expr *e)
{
	switch (e->kind) {
	case HCL_EXPR_NULL:
	case HCL_EXPR_BOOL:
	case HCL_EXPR_NUMBER:
		return eval_literal(ev, e);
	case HCL_EXPR_TEMPLATE:
		return eval_template(ev, e);
	case HCL_EXPR_TUPLE:
		return eval_tuple(ev, e);
	case HCL_EXPR_OBJECT:
		return eval_object(ev, e);
	case HCL_EXPR_VARIABLE:
		return eval_reference(ev, e, e->as.variable);
	case HCL_EXPR_TRAVERSAL:
		return eval_traversal(ev, e);
	case HCL_EXPR_CALL:
		return eval_call(ev, e);
	case HCL_EXPR_FOR:
		return eval_for(ev, e);
	case HCL_EXPR_CONDITIONAL:
		return eval_conditional(ev, e);
	case HCL_EXPR_UNARY:
		return eval_unary(ev, e);
	case HCL_EXPR_BINARY:
		return eval_binary(ev, e);
	case HCL_EXPR_PARENS:
		return eval_expr(ev, e->as.inner);
	default:
		return value_unknown(ev, HCL_UNKNOWN_UNSUPPORTED, expr_text(ev, e), e->span,
				     "the expression has a syntax error");
	}
}

const struct hcl_value *eval_expr(struct hcl_eval *ev, const struct hcl_expr *e)
{
	struct span outer = ev->current;
	const struct hcl_value *v;

	ev->current = e->span;
	if (!eval_spend(ev, 1)) {
		v = value_limit(ev, e->span);
	} else if (ev->depth >= HCL_EVAL_MAX_DEPTH) {
		ev->limit_reached = true;
		ev->limit_span = e->span;
		v = value_limit(ev, e->span);
	} else {
		ev->depth++;
		v = dispatch(ev, e);
		ev->depth--;
	}
	ev->current = outer;
	return v;
}

/* Public interface ------------------------------------------------------------- */

struct hcl_eval *hcl_eval_new(const struct hcl_eval_options *options)
{
	struct hcl_eval *ev = xcalloc(1, sizeof(*ev));

	ev->options = *options;
	ev->step_limit = options->step_limit ? options->step_limit : HCL_EVAL_DEFAULT_STEPS;
	ev->current = no_span();
	arena_init(&ev->arena);
	return ev;
}

void hcl_eval_free(struct hcl_eval *eval)
{
	if (!eval)
		return;
	for (size_t i = 0; i < eval->file_count; i++) {
		hcl_file_release(eval->files[i]);
		free(eval->files[i]);
	}
	free(eval->files);
	arena_release(&eval->arena);
	free(eval);
}

const struct hcl_value *hcl_eval_expr(struct hcl_eval *eval, const struct hcl_expr *expr)
{
	return eval_expr(eval, expr);
}

bool hcl_eval_limit_reached(const struct hcl_eval *eval, struct span *where)
{
	if (eval->limit_reached && where)
		*where = eval->limit_span;
	return eval->limit_reached;
}
