/*
 * Values: construction, unknowns and how they spread, conversions between
 * types, equality, and building strings that keep their source runs.
 *
 * Every value is allocated in the evaluator's arena and never changed
 * afterwards.  Unknowns spread by one rule (value_propagate).  An error or
 * a reached limit passes through unchanged, so try() can still tell an
 * error from a value that is merely not known.  Anything else computed
 * from an unknown is a new unknown that names the expression computing it.
 */
#include "eval_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool eval_spend(struct hcl_eval *ev, size_t cost)
{
	if (ev->limit_reached)
		return false;
	ev->steps += cost;
	if (ev->steps <= ev->step_limit)
		return true;
	ev->limit_reached = true;
	ev->limit_span = ev->current;
	return false;
}

struct hcl_value *value_new(struct hcl_eval *ev, enum hcl_value_kind kind, struct span span)
{
	struct hcl_value *v = ARENA_NEW(&ev->arena, struct hcl_value);

	v->kind = kind;
	v->span = span;
	return v;
}

static const struct hcl_value *unknown_va(struct hcl_eval *ev, enum hcl_unknown_reason reason,
					  const char *text, struct span span, const char *fmt, va_list ap)
{
	struct hcl_value *v = value_new(ev, HCL_VALUE_UNKNOWN, span);

	v->as.unknown.reason = reason;
	v->as.unknown.text = arena_strdup(&ev->arena, text ? text : "?");
	if (fmt) {
		char *detail = xvasprintf(fmt, ap);

		v->as.unknown.detail = arena_strdup(&ev->arena, detail);
		free(detail);
	}
	return v;
}

const struct hcl_value *value_unknown(struct hcl_eval *ev, enum hcl_unknown_reason reason,
				      const char *text, struct span span, const char *detail_fmt, ...)
{
	const struct hcl_value *v;
	va_list ap;

	va_start(ap, detail_fmt);
	v = unknown_va(ev, reason, text, span, detail_fmt, ap);
	va_end(ap);
	return v;
}

static const char *span_source_text(struct hcl_eval *ev, struct span span)
{
	const struct source *src = source_get(ev->options.sources, span.source);

	if (!src || span.offset > src->length || span.length > src->length - span.offset)
		return "?";
	return arena_strndup(&ev->arena, src->text + span.offset, span.length);
}

const struct hcl_value *value_error(struct hcl_eval *ev, struct span span, const char *fmt, ...)
{
	const struct hcl_value *v;
	va_list ap;

	va_start(ap, fmt);
	v = unknown_va(ev, HCL_UNKNOWN_ERROR, span_source_text(ev, span), span, fmt, ap);
	va_end(ap);
	return v;
}

const struct hcl_value *value_limit(struct hcl_eval *ev, struct span span)
{
	return value_unknown(ev, HCL_UNKNOWN_LIMIT, span_source_text(ev, span), span,
			     "evaluation stopped after %zu steps", ev->step_limit);
}

bool value_is_error(const struct hcl_value *v)
{
	return v->kind == HCL_VALUE_UNKNOWN &&
	       (v->as.unknown.reason == HCL_UNKNOWN_ERROR || v->as.unknown.reason == HCL_UNKNOWN_LIMIT);
}

const struct hcl_value *value_propagate(struct hcl_eval *ev, const struct hcl_value *const *values,
					size_t count, const char *text, struct span span)
{
	const struct hcl_value *first = NULL;

	for (size_t i = 0; i < count; i++) {
		if (!values[i] || values[i]->kind != HCL_VALUE_UNKNOWN)
			continue;
		if (value_is_error(values[i]))
			return values[i];
		if (!first)
			first = values[i];
	}
	if (!first)
		return NULL;
	return value_unknown(ev, HCL_UNKNOWN_DEPENDS, text, span, NULL);
}

const char *value_type_name(const struct hcl_value *v)
{
	switch (v->kind) {
	case HCL_VALUE_NULL: return "null";
	case HCL_VALUE_BOOL: return "bool";
	case HCL_VALUE_NUMBER: return "number";
	case HCL_VALUE_STRING: return "string";
	case HCL_VALUE_TUPLE:
		return v->as.tuple.sequence == HCL_SEQUENCE_SET ? "set" :
		       v->as.tuple.sequence == HCL_SEQUENCE_LIST ? "list" : "tuple";
	case HCL_VALUE_OBJECT: return v->as.object.map ? "map" : "object";
	default: return "unknown value";
	}
}

/* Strings ------------------------------------------------------------------- */

void builder_init(struct string_builder *b)
{
	memset(b, 0, sizeof(*b));
}

void builder_release(struct string_builder *b)
{
	buf_release(&b->text);
	free(b->runs);
	builder_init(b);
}

static void add_run(struct string_builder *b, uint32_t offset, uint32_t length, struct span source)
{
	struct hcl_text_run *last = b->run_count ? &b->runs[b->run_count - 1] : NULL;

	if (length == 0 || !span_is_set(source))
		return;
	/* Merge with the previous run when both are exact and adjacent. */
	if (last && last->offset + last->length == offset && last->source.source == source.source &&
	    last->length == last->source.length && source.length == length &&
	    last->source.offset + last->source.length == source.offset) {
		last->length += length;
		last->source.length += source.length;
		return;
	}
	b->runs = xgrow(b->runs, &b->run_cap, b->run_count + 1, sizeof(*b->runs));
	b->runs[b->run_count].offset = offset;
	b->runs[b->run_count].length = length;
	b->runs[b->run_count].source = source;
	b->run_count++;
}

void builder_literal(struct string_builder *b, const char *text, size_t length, struct span source)
{
	add_run(b, (uint32_t)b->text.len, (uint32_t)length, source);
	buf_append(&b->text, text, length);
}

void builder_plain(struct string_builder *b, const char *text, size_t length)
{
	buf_append(&b->text, text, length);
	if (memchr(text, HOLE_START, length))
		b->has_hole = true;
}

void builder_string(struct string_builder *b, const struct hcl_value *string)
{
	uint32_t base = (uint32_t)b->text.len;

	for (size_t i = 0; i < string->as.string.run_count; i++) {
		const struct hcl_text_run *run = &string->as.string.runs[i];

		add_run(b, base + run->offset, run->length, run->source);
	}
	builder_plain(b, string->as.string.text, string->as.string.length);
}

void builder_hole(struct hcl_eval *ev, struct string_builder *b, const struct hcl_value *unknown)
{
	uint32_t id = symbol_intern(ev->options.symbols, unknown->as.unknown.text,
				    unknown->as.unknown.description, unknown->span);

	hole_append(&b->text, id);
	b->has_hole = true;
}

const struct hcl_value *builder_finish(struct hcl_eval *ev, struct string_builder *b, struct span span)
{
	struct hcl_value *v = value_new(ev, HCL_VALUE_STRING, span);
	struct hcl_text_run *runs = NULL;

	/* A run costs about as much memory as 64 bytes of text, so it is charged as one step. */
	eval_spend(ev, b->text.len / 64 + b->run_count);
	v->as.string.text = arena_strndup(&ev->arena, buf_str(&b->text), b->text.len);
	v->as.string.length = b->text.len;
	if (b->run_count) {
		runs = ARENA_ARRAY(&ev->arena, struct hcl_text_run, b->run_count);
		memcpy(runs, b->runs, b->run_count * sizeof(*runs));
	}
	v->as.string.runs = runs;
	v->as.string.run_count = b->run_count;
	builder_release(b);
	return v;
}

/*
 * Numbers print the way Terraform prints them: no exponent, no trailing
 * zeros, and the shortest digits that read back as the same double.
 */
void format_number(double value, struct buf *out)
{
	char digits[64];
	char *e;
	int exponent;
	char mantissa[40];
	size_t n = 0;
	bool negative = value < 0;

	if (isnan(value) || isinf(value)) {
		buf_puts(out, isnan(value) ? "NaN" : negative ? "-Inf" : "+Inf");
		return;
	}
	if (value == 0) {
		buf_putc(out, '0');
		return;
	}
	for (int precision = 1; precision <= 17; precision++) {
		snprintf(digits, sizeof(digits), "%.*e", precision - 1, fabs(value));
		if (strtod(digits, NULL) == fabs(value))
			break;
	}
	/* digits is d.ddde±XX: collect the mantissa digits and the exponent. */
	e = strchr(digits, 'e');
	exponent = atoi(e + 1);
	for (char *p = digits; p < e; p++) {
		if (*p != '.')
			mantissa[n++] = *p;
	}
	while (n > 1 && mantissa[n - 1] == '0')
		n--;
	if (negative)
		buf_putc(out, '-');
	if (exponent < 0) {
		buf_puts(out, "0.");
		for (int i = -1; i > exponent; i--)
			buf_putc(out, '0');
		buf_append(out, mantissa, n);
		return;
	}
	for (int i = 0; i <= exponent; i++)
		buf_putc(out, (size_t)i < n ? mantissa[i] : '0');
	if (n > (size_t)exponent + 1) {
		buf_putc(out, '.');
		buf_append(out, mantissa + exponent + 1, n - (size_t)exponent - 1);
	}
}

const struct hcl_value *value_number_computed(struct hcl_eval *ev, double value, struct span span)
{
	struct hcl_value *v = value_new(ev, HCL_VALUE_NUMBER, span);
	struct buf text = BUF_INIT;

	format_number(value, &text);
	v->as.number.value = value;
	v->as.number.text = arena_strdup(&ev->arena, buf_str(&text));
	buf_release(&text);
	return v;
}

const struct hcl_value *builder_value(struct hcl_eval *ev, struct string_builder *b,
				      const struct hcl_value *v, struct span span)
{
	struct buf number = BUF_INIT;

	switch (v->kind) {
	case HCL_VALUE_STRING:
		builder_string(b, v);
		return NULL;
	case HCL_VALUE_NUMBER:
		format_number(v->as.number.value, &number);
		builder_plain(b, number.data, number.len);
		buf_release(&number);
		return NULL;
	case HCL_VALUE_BOOL:
		builder_plain(b, v->as.boolean ? "true" : "false", v->as.boolean ? 4 : 5);
		return NULL;
	case HCL_VALUE_UNKNOWN:
		if (value_is_error(v))
			return v;
		builder_hole(ev, b, v);
		return NULL;
	case HCL_VALUE_NULL:
		return value_error(ev, span, "a null value cannot be used in a string");
	default:
		return value_error(ev, span, "a %s cannot be used in a string", value_type_name(v));
	}
}

/* Conversions --------------------------------------------------------------- */

const struct hcl_value *value_to_number(struct hcl_eval *ev, const struct hcl_value *v, double *out,
					struct span span)
{
	char *end;

	if (v->kind == HCL_VALUE_UNKNOWN)
		return v;
	if (v->kind == HCL_VALUE_NUMBER) {
		*out = v->as.number.value;
		return NULL;
	}
	if (v->kind == HCL_VALUE_STRING && !text_has_hole(v->as.string.text) && v->as.string.length) {
		*out = strtod(v->as.string.text, &end);
		if (*end == '\0')
			return NULL;
	}
	if (v->kind == HCL_VALUE_STRING && text_has_hole(v->as.string.text))
		return value_unknown(ev, HCL_UNKNOWN_DEPENDS, span_source_text(ev, span), span, NULL);
	return value_error(ev, span, "a number is required, not a %s", value_type_name(v));
}

const struct hcl_value *value_to_bool(struct hcl_eval *ev, const struct hcl_value *v, bool *out,
				      struct span span)
{
	if (v->kind == HCL_VALUE_UNKNOWN)
		return v;
	if (v->kind == HCL_VALUE_BOOL) {
		*out = v->as.boolean;
		return NULL;
	}
	if (v->kind == HCL_VALUE_STRING && strcmp(v->as.string.text, "true") == 0) {
		*out = true;
		return NULL;
	}
	if (v->kind == HCL_VALUE_STRING && strcmp(v->as.string.text, "false") == 0) {
		*out = false;
		return NULL;
	}
	if (v->kind == HCL_VALUE_STRING && text_has_hole(v->as.string.text))
		return value_unknown(ev, HCL_UNKNOWN_DEPENDS, span_source_text(ev, span), span, NULL);
	return value_error(ev, span, "a bool is required, not a %s", value_type_name(v));
}

const struct hcl_value *value_to_string(struct hcl_eval *ev, const struct hcl_value *v, struct span span)
{
	struct string_builder b;
	const struct hcl_value *problem;

	if (v->kind == HCL_VALUE_STRING || v->kind == HCL_VALUE_UNKNOWN)
		return v;
	builder_init(&b);
	problem = builder_value(ev, &b, v, span);
	if (problem) {
		builder_release(&b);
		return problem;
	}
	return builder_finish(ev, &b, v->span);
}

/* Equality ------------------------------------------------------------------ */

static enum tri and_tri(enum tri a, enum tri b)
{
	if (a == TRI_NO || b == TRI_NO)
		return TRI_NO;
	return a == TRI_MAYBE || b == TRI_MAYBE ? TRI_MAYBE : TRI_YES;
}

enum tri value_equal(const struct hcl_value *a, const struct hcl_value *b, int depth)
{
	enum tri result = TRI_YES;

	if (depth > HCL_VALUE_MAX_DEPTH || a->kind == HCL_VALUE_UNKNOWN || b->kind == HCL_VALUE_UNKNOWN)
		return TRI_MAYBE;
	if (a->kind != b->kind)
		return TRI_NO;
	switch (a->kind) {
	case HCL_VALUE_NULL:
		return TRI_YES;
	case HCL_VALUE_BOOL:
		return a->as.boolean == b->as.boolean ? TRI_YES : TRI_NO;
	case HCL_VALUE_NUMBER:
		return a->as.number.value == b->as.number.value ? TRI_YES : TRI_NO;
	case HCL_VALUE_STRING:
		if (a->as.string.length == b->as.string.length &&
		    memcmp(a->as.string.text, b->as.string.text, a->as.string.length) == 0)
			return TRI_YES;
		return text_has_hole(a->as.string.text) || text_has_hole(b->as.string.text) ? TRI_MAYBE : TRI_NO;
	case HCL_VALUE_TUPLE:
		if (a->as.tuple.count != b->as.tuple.count)
			return TRI_NO;
		for (size_t i = 0; i < a->as.tuple.count && result != TRI_NO; i++)
			result = and_tri(result, value_equal(a->as.tuple.items[i], b->as.tuple.items[i], depth + 1));
		return result;
	case HCL_VALUE_OBJECT:
		if (a->as.object.count != b->as.object.count)
			return TRI_NO;
		for (size_t i = 0; i < a->as.object.count && result != TRI_NO; i++) {
			if (strcmp(a->as.object.entries[i].key, b->as.object.entries[i].key) != 0)
				return TRI_NO;
			result = and_tri(result, value_equal(a->as.object.entries[i].value,
							     b->as.object.entries[i].value, depth + 1));
		}
		return result;
	default:
		return TRI_MAYBE;
	}
}

/* Collections --------------------------------------------------------------- */

bool value_is_sequence(const struct hcl_value *v)
{
	return v->kind == HCL_VALUE_TUPLE;
}

static int compare_set_items(const void *pa, const void *pb)
{
	const struct hcl_value *a = *(const struct hcl_value *const *)pa;
	const struct hcl_value *b = *(const struct hcl_value *const *)pb;

	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	if (a->kind == HCL_VALUE_STRING)
		return strcmp(a->as.string.text, b->as.string.text);
	if (a->kind == HCL_VALUE_NUMBER)
		return (a->as.number.value > b->as.number.value) - (a->as.number.value < b->as.number.value);
	if (a->kind == HCL_VALUE_BOOL)
		return (int)a->as.boolean - (int)b->as.boolean;
	return 0;
}

const struct hcl_value *value_sequence(struct hcl_eval *ev, const struct hcl_value **items, size_t count,
				       enum hcl_sequence sequence, struct span span)
{
	struct hcl_value *v = value_new(ev, HCL_VALUE_TUPLE, span);
	const struct hcl_value **copy = ARENA_ARRAY(&ev->arena, const struct hcl_value *, count ? count : 1);
	size_t kept = 0;

	eval_spend(ev, count);
	for (size_t i = 0; i < count; i++) {
		bool duplicate = false;

		/* A set keeps one of each value; only certain equality removes one. */
		for (size_t j = 0; sequence == HCL_SEQUENCE_SET && j < kept && !duplicate; j++)
			duplicate = value_equal(copy[j], items[i], 0) == TRI_YES;
		if (!duplicate)
			copy[kept++] = items[i];
	}
	if (sequence == HCL_SEQUENCE_SET)
		qsort(copy, kept, sizeof(*copy), compare_set_items);
	v->as.tuple.items = copy;
	v->as.tuple.count = kept;
	v->as.tuple.sequence = sequence;
	return v;
}

static int compare_entries(const void *pa, const void *pb)
{
	const struct hcl_object_entry *a = pa;
	const struct hcl_object_entry *b = pb;
	int c = strcmp(a->key, b->key);

	/* Equal keys keep their order, so the later one can win below. */
	if (c)
		return c;
	return a < b ? -1 : a > b;
}

const struct hcl_value *value_object(struct hcl_eval *ev, struct hcl_object_entry *entries, size_t count,
				     bool map, struct span span)
{
	struct hcl_value *v = value_new(ev, HCL_VALUE_OBJECT, span);
	struct hcl_object_entry *copy = ARENA_ARRAY(&ev->arena, struct hcl_object_entry, count ? count : 1);
	size_t kept = 0;

	eval_spend(ev, count);
	if (count) {
		memcpy(copy, entries, count * sizeof(*copy));
		qsort(copy, count, sizeof(*copy), compare_entries);
	}
	for (size_t i = 0; i < count; i++) {
		if (kept && strcmp(copy[kept - 1].key, copy[i].key) == 0)
			copy[kept - 1] = copy[i];
		else
			copy[kept++] = copy[i];
	}
	v->as.object.entries = copy;
	v->as.object.count = kept;
	v->as.object.map = map;
	return v;
}

/* Public constructors ------------------------------------------------------- */

const struct hcl_value *hcl_value_null(struct hcl_eval *eval, struct span span)
{
	return value_new(eval, HCL_VALUE_NULL, span);
}

const struct hcl_value *hcl_value_bool(struct hcl_eval *eval, bool value, struct span span)
{
	struct hcl_value *v = value_new(eval, HCL_VALUE_BOOL, span);

	v->as.boolean = value;
	return v;
}

const struct hcl_value *hcl_value_number(struct hcl_eval *eval, double value, struct span span)
{
	return value_number_computed(eval, value, span);
}

const struct hcl_value *hcl_value_string(struct hcl_eval *eval, const char *text, size_t length,
					 struct span span)
{
	struct hcl_value *v = value_new(eval, HCL_VALUE_STRING, span);

	v->as.string.text = arena_strndup(&eval->arena, text, length);
	v->as.string.length = length;
	return v;
}

const struct hcl_value *hcl_value_tuple(struct hcl_eval *eval, const struct hcl_value *const *items,
					size_t count, enum hcl_sequence sequence, struct span span)
{
	return value_sequence(eval, (const struct hcl_value **)items, count, sequence, span);
}

const struct hcl_value *hcl_value_object(struct hcl_eval *eval, const struct hcl_object_entry *entries,
					 size_t count, bool map, struct span span)
{
	struct hcl_object_entry *copy = ARENA_ARRAY(&eval->arena, struct hcl_object_entry, count ? count : 1);

	for (size_t i = 0; i < count; i++) {
		copy[i] = entries[i];
		copy[i].key = arena_strdup(&eval->arena, entries[i].key);
	}
	return value_object(eval, copy, count, map, span);
}

const struct hcl_value *hcl_value_unknown(struct hcl_eval *eval, const char *text,
					  const char *description, struct span span)
{
	struct hcl_value *v = (struct hcl_value *)value_unknown(eval, HCL_UNKNOWN_REFERENCE, text, span, NULL);

	if (description)
		v->as.unknown.description = arena_strdup(&eval->arena, description);
	return v;
}

const struct hcl_value *hcl_value_get(const struct hcl_value *object, const char *key)
{
	size_t lo = 0;
	size_t hi;

	if (object->kind != HCL_VALUE_OBJECT)
		return NULL;
	hi = object->as.object.count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(object->as.object.entries[mid].key, key);

		if (c == 0)
			return object->as.object.entries[mid].value;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool wholly_known(const struct hcl_value *v, int depth)
{
	if (depth > HCL_VALUE_MAX_DEPTH || v->kind == HCL_VALUE_UNKNOWN)
		return false;
	if (v->kind == HCL_VALUE_STRING)
		return !text_has_hole(v->as.string.text);
	for (size_t i = 0; v->kind == HCL_VALUE_TUPLE && i < v->as.tuple.count; i++) {
		if (!wholly_known(v->as.tuple.items[i], depth + 1))
			return false;
	}
	for (size_t i = 0; v->kind == HCL_VALUE_OBJECT && i < v->as.object.count; i++) {
		if (!wholly_known(v->as.object.entries[i].value, depth + 1))
			return false;
	}
	return true;
}

bool hcl_value_is_wholly_known(const struct hcl_value *value)
{
	return wholly_known(value, 0);
}

/* The part of an exact run's source that bytes [offset, end) cover. */
static struct span clip_run(const struct hcl_text_run *run, size_t offset, size_t end)
{
	size_t start = offset > run->offset ? offset : run->offset;
	size_t stop = end < run->offset + run->length ? end : run->offset + run->length;

	return span_make(run->source.source, run->source.offset + (uint32_t)(start - run->offset),
			 (uint32_t)(stop - start));
}

struct span hcl_string_span(const struct hcl_value *string, size_t offset, size_t length)
{
	struct span result = {0, 0, 0};
	size_t end = offset + length;

	if (string->kind != HCL_VALUE_STRING)
		return string->span;
	for (size_t i = 0; i < string->as.string.run_count; i++) {
		const struct hcl_text_run *run = &string->as.string.runs[i];
		bool exact = run->length == run->source.length;

		if (run->offset + run->length <= offset || run->offset >= end)
			continue;
		if (exact && run->offset <= offset && end <= run->offset + run->length)
			return span_make(run->source.source, run->source.offset + (uint32_t)(offset - run->offset),
					 (uint32_t)length);
		result = span_join(result, exact ? clip_run(run, offset, end) : run->source);
	}
	return span_is_set(result) ? result : string->span;
}
