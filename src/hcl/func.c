/*
 * Function calls: the dispatch, and the functions over collections, try()
 * and can(), and file() and templatefile().  String functions are in
 * func_string.c and the JSON ones in json.c.
 *
 * Each function gets its arguments evaluated, unknowns included, and
 * decides what an unknown argument means for it: merge() of an unknown
 * map is unknown, but concat() keeps a list whose items are unknown.  A
 * function iamcross does not implement makes the call unknown
 * (HCL_UNKNOWN_UNSUPPORTED), never an error.
 */
#include "eval_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct hcl_value *call_unknown(struct hcl_eval *ev, const struct hcl_expr *call,
				     const struct hcl_value **args, size_t count)
{
	return value_propagate(ev, args, count, expr_text(ev, call), call->span);
}

const struct hcl_value *call_error(struct hcl_eval *ev, const struct hcl_expr *call, const char *fmt, ...)
{
	char *message;
	const struct hcl_value *v;
	va_list ap;

	va_start(ap, fmt);
	message = xvasprintf(fmt, ap);
	va_end(ap);
	v = value_unknown(ev, HCL_UNKNOWN_ERROR, expr_text(ev, call), call->span, "%s: %s", call->as.call.name,
			  message);
	free(message);
	return v;
}

static const struct hcl_value *depends_on_call(struct hcl_eval *ev, const struct hcl_expr *call)
{
	return value_unknown(ev, HCL_UNKNOWN_DEPENDS, expr_text(ev, call), call->span, NULL);
}

/* Is `v` a string with no hole? */
static bool plain_string(const struct hcl_value *v)
{
	return v->kind == HCL_VALUE_STRING && !text_has_hole(v->as.string.text);
}

static const struct hcl_value *fn_merge(struct hcl_eval *ev, const struct hcl_expr *call,
					const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, count);
	struct hcl_object_entry *entries;
	size_t total = 0;
	size_t n = 0;
	bool map = true;

	if (u)
		return u;
	for (size_t i = 0; i < count; i++) {
		if (args[i]->kind == HCL_VALUE_NULL)
			continue;
		if (args[i]->kind != HCL_VALUE_OBJECT)
			return call_error(ev, call, "argument %zu is a %s, not a map or object", i + 1,
					  value_type_name(args[i]));
		total += args[i]->as.object.count;
		map = map && args[i]->as.object.map;
	}
	entries = ARENA_ARRAY(&ev->arena, struct hcl_object_entry, total ? total : 1);
	for (size_t i = 0; i < count; i++) {
		for (size_t j = 0; args[i]->kind == HCL_VALUE_OBJECT && j < args[i]->as.object.count; j++)
			entries[n++] = args[i]->as.object.entries[j];
	}
	return value_object(ev, entries, n, map, call->span);
}

static const struct hcl_value *fn_concat(struct hcl_eval *ev, const struct hcl_expr *call,
					 const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, count);
	const struct hcl_value **items;
	size_t total = 0;
	size_t n = 0;

	if (u)
		return u;
	for (size_t i = 0; i < count; i++) {
		if (!value_is_sequence(args[i]))
			return call_error(ev, call, "argument %zu is a %s, not a list", i + 1, value_type_name(args[i]));
		total += args[i]->as.tuple.count;
	}
	items = ARENA_ARRAY(&ev->arena, const struct hcl_value *, total ? total : 1);
	for (size_t i = 0; i < count; i++) {
		memcpy(items + n, args[i]->as.tuple.items, args[i]->as.tuple.count * sizeof(*items));
		n += args[i]->as.tuple.count;
	}
	return value_sequence(ev, items, n, HCL_SEQUENCE_LIST, call->span);
}

static const struct hcl_value *fn_lookup(struct hcl_eval *ev, const struct hcl_expr *call,
					 const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, 2);
	const struct hcl_value *v;

	if (u)
		return u;
	if (args[0]->kind != HCL_VALUE_OBJECT)
		return call_error(ev, call, "the first argument is a %s, not a map", value_type_name(args[0]));
	if (args[1]->kind != HCL_VALUE_STRING)
		return call_error(ev, call, "the key is a %s, not a string", value_type_name(args[1]));
	if (!plain_string(args[1]))
		return depends_on_call(ev, call);
	v = hcl_value_get(args[0], args[1]->as.string.text);
	if (v)
		return v;
	if (count == 3)
		return args[2];
	return call_error(ev, call, "the map has no key '%s' and no default was given", args[1]->as.string.text);
}

static const struct hcl_value *fn_element(struct hcl_eval *ev, const struct hcl_expr *call,
					  const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, count);
	double index;
	size_t n;

	if (u)
		return u;
	if (!value_is_sequence(args[0]))
		return call_error(ev, call, "the first argument is a %s, not a list", value_type_name(args[0]));
	u = value_to_number(ev, args[1], &index, call->span);
	if (u)
		return u;
	n = args[0]->as.tuple.count;
	if (n == 0)
		return call_error(ev, call, "the list is empty");
	if (index < 0 || index != floor(index))
		return call_error(ev, call, "the index must be a whole number of zero or more");
	/* element() wraps around: index 3 of a 2-element list is index 1. */
	return args[0]->as.tuple.items[(size_t)fmod(index, (double)n)];
}

static const struct hcl_value *fn_coalesce(struct hcl_eval *ev, const struct hcl_expr *call,
					   const struct hcl_value **args, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (args[i]->kind == HCL_VALUE_UNKNOWN)
			return value_is_error(args[i]) ? args[i] : depends_on_call(ev, call);
		if (args[i]->kind == HCL_VALUE_NULL)
			continue;
		if (args[i]->kind == HCL_VALUE_STRING && args[i]->as.string.length == 0)
			continue;
		return args[i];
	}
	return call_error(ev, call, "no non-null, non-empty argument");
}

static const struct hcl_value *to_sequence(struct hcl_eval *ev, const struct hcl_expr *call,
					   const struct hcl_value *arg, enum hcl_sequence sequence)
{
	const struct hcl_value *u = call_unknown(ev, call, &arg, 1);

	if (u)
		return u;
	if (!value_is_sequence(arg))
		return call_error(ev, call, "a %s cannot be converted to a %s", value_type_name(arg),
				  sequence == HCL_SEQUENCE_SET ? "set" : "list");
	return value_sequence(ev, (const struct hcl_value **)arg->as.tuple.items, arg->as.tuple.count, sequence,
			      call->span);
}

static const struct hcl_value *fn_toset(struct hcl_eval *ev, const struct hcl_expr *call,
					const struct hcl_value **args, size_t count)
{
	return to_sequence(ev, call, args[0], HCL_SEQUENCE_SET);
}

static const struct hcl_value *fn_tolist(struct hcl_eval *ev, const struct hcl_expr *call,
					 const struct hcl_value **args, size_t count)
{
	return to_sequence(ev, call, args[0], HCL_SEQUENCE_LIST);
}

static const struct hcl_value *fn_tomap(struct hcl_eval *ev, const struct hcl_expr *call,
					const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, 1);
	struct hcl_object_entry *entries;

	if (u)
		return u;
	if (args[0]->kind != HCL_VALUE_OBJECT)
		return call_error(ev, call, "a %s cannot be converted to a map", value_type_name(args[0]));
	entries = ARENA_ARRAY(&ev->arena, struct hcl_object_entry, args[0]->as.object.count + 1);
	memcpy(entries, args[0]->as.object.entries, args[0]->as.object.count * sizeof(*entries));
	return value_object(ev, entries, args[0]->as.object.count, true, call->span);
}

/* Number of Unicode code points.  NOTE: Terraform counts grapheme clusters. */
static size_t code_points(const char *text, size_t length)
{
	size_t n = 0;

	for (size_t i = 0; i < length; i++)
		n += ((unsigned char)text[i] & 0xc0) != 0x80;
	return n;
}

static const struct hcl_value *fn_length(struct hcl_eval *ev, const struct hcl_expr *call,
					 const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, 1);
	const struct hcl_value *v = args[0];

	if (u)
		return u;
	if (v->kind == HCL_VALUE_STRING) {
		if (!plain_string(v))
			return depends_on_call(ev, call);
		return value_number_computed(ev, (double)code_points(v->as.string.text, v->as.string.length),
					     call->span);
	}
	if (v->kind == HCL_VALUE_TUPLE)
		return value_number_computed(ev, (double)v->as.tuple.count, call->span);
	if (v->kind == HCL_VALUE_OBJECT)
		return value_number_computed(ev, (double)v->as.object.count, call->span);
	return call_error(ev, call, "a %s has no length", value_type_name(v));
}

static const struct hcl_value *fn_keys_values(struct hcl_eval *ev, const struct hcl_expr *call,
					      const struct hcl_value **args, bool keys)
{
	const struct hcl_value *u = call_unknown(ev, call, args, 1);
	const struct hcl_value **items;
	size_t n;

	if (u)
		return u;
	if (args[0]->kind != HCL_VALUE_OBJECT)
		return call_error(ev, call, "the argument is a %s, not a map or object", value_type_name(args[0]));
	n = args[0]->as.object.count;
	items = ARENA_ARRAY(&ev->arena, const struct hcl_value *, n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		const struct hcl_object_entry *entry = &args[0]->as.object.entries[i];

		items[i] = keys ? hcl_value_string(ev, entry->key, strlen(entry->key), entry->key_span) : entry->value;
	}
	return value_sequence(ev, items, n, HCL_SEQUENCE_LIST, call->span);
}

static const struct hcl_value *fn_keys(struct hcl_eval *ev, const struct hcl_expr *call,
				       const struct hcl_value **args, size_t count)
{
	return fn_keys_values(ev, call, args, true);
}

static const struct hcl_value *fn_values(struct hcl_eval *ev, const struct hcl_expr *call,
					 const struct hcl_value **args, size_t count)
{
	return fn_keys_values(ev, call, args, false);
}

static const struct hcl_value *fn_contains(struct hcl_eval *ev, const struct hcl_expr *call,
					   const struct hcl_value **args, size_t count)
{
	bool maybe = false;

	if (args[0]->kind == HCL_VALUE_UNKNOWN)
		return call_unknown(ev, call, args, 1);
	if (value_is_error(args[1]))
		return args[1];
	if (!value_is_sequence(args[0]))
		return call_error(ev, call, "the first argument is a %s, not a list or set", value_type_name(args[0]));
	for (size_t i = 0; i < args[0]->as.tuple.count; i++) {
		enum tri equal = value_equal(args[0]->as.tuple.items[i], args[1], 0);

		if (equal == TRI_YES)
			return hcl_value_bool(ev, true, call->span);
		maybe = maybe || equal == TRI_MAYBE;
	}
	return maybe ? depends_on_call(ev, call) : hcl_value_bool(ev, false, call->span);
}

static const struct hcl_value *fn_distinct(struct hcl_eval *ev, const struct hcl_expr *call,
					   const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, 1);
	const struct hcl_value **items;
	size_t n = 0;

	if (u)
		return u;
	if (!value_is_sequence(args[0]))
		return call_error(ev, call, "the argument is a %s, not a list", value_type_name(args[0]));
	items = ARENA_ARRAY(&ev->arena, const struct hcl_value *, args[0]->as.tuple.count + 1);
	for (size_t i = 0; i < args[0]->as.tuple.count; i++) {
		const struct hcl_value *item = args[0]->as.tuple.items[i];
		bool seen = false;

		for (size_t j = 0; j < n && !seen; j++)
			seen = value_equal(items[j], item, 0) == TRI_YES;
		if (!seen)
			items[n++] = item;
	}
	return value_sequence(ev, items, n, HCL_SEQUENCE_LIST, call->span);
}

struct flat {
	const struct hcl_value **items;
	size_t count;
	size_t cap;
};

/* Returns an unknown or error that stops flattening, else NULL. */
static const struct hcl_value *flatten_into(struct hcl_eval *ev, const struct hcl_value *v, struct flat *out,
					    int depth)
{
	if (depth > HCL_VALUE_MAX_DEPTH)
		return value_limit(ev, v->span);
	if (v->kind == HCL_VALUE_UNKNOWN)
		return v;
	if (!value_is_sequence(v)) {
		out->items = xgrow(out->items, &out->cap, out->count + 1, sizeof(*out->items));
		out->items[out->count++] = v;
		return NULL;
	}
	for (size_t i = 0; i < v->as.tuple.count; i++) {
		const struct hcl_value *stop = flatten_into(ev, v->as.tuple.items[i], out, depth + 1);

		if (stop)
			return stop;
	}
	return NULL;
}

static const struct hcl_value *fn_flatten(struct hcl_eval *ev, const struct hcl_expr *call,
					  const struct hcl_value **args, size_t count)
{
	struct flat out = {NULL, 0, 0};
	const struct hcl_value *stop;
	const struct hcl_value *result;

	if (args[0]->kind != HCL_VALUE_UNKNOWN && !value_is_sequence(args[0]))
		return call_error(ev, call, "the argument is a %s, not a list", value_type_name(args[0]));
	stop = flatten_into(ev, args[0], &out, 0);
	if (stop)
		result = value_is_error(stop) ? stop : depends_on_call(ev, call);
	else
		result = value_sequence(ev, out.items, out.count, HCL_SEQUENCE_LIST, call->span);
	free(out.items);
	return result;
}

static const struct hcl_value *fn_slice(struct hcl_eval *ev, const struct hcl_expr *call,
					const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, count);
	double start;
	double end;

	if (u)
		return u;
	if (!value_is_sequence(args[0]))
		return call_error(ev, call, "the first argument is a %s, not a list", value_type_name(args[0]));
	u = value_to_number(ev, args[1], &start, call->span);
	if (!u)
		u = value_to_number(ev, args[2], &end, call->span);
	if (u)
		return u;
	if (start < 0 || end < start || end > (double)args[0]->as.tuple.count || start != floor(start) ||
	    end != floor(end))
		return call_error(ev, call, "the range %g to %g is not within the %zu elements of the list", start, end,
				  args[0]->as.tuple.count);
	return value_sequence(ev, (const struct hcl_value **)args[0]->as.tuple.items + (size_t)start,
			      (size_t)(end - start), HCL_SEQUENCE_LIST, call->span);
}

/* Files ------------------------------------------------------------------------ */

static const struct hcl_value *read_file(struct hcl_eval *ev, const struct hcl_expr *call,
					 const struct hcl_value *path, const struct source **src)
{
	const char *reason = "file() and templatefile() are not evaluated here";
	uint32_t id;

	if (path->kind == HCL_VALUE_UNKNOWN)
		return value_is_error(path) ? path : depends_on_call(ev, call);
	if (path->kind != HCL_VALUE_STRING)
		return call_error(ev, call, "the path is a %s, not a string", value_type_name(path));
	if (!plain_string(path))
		return depends_on_call(ev, call);
	if (!ev->options.read_file ||
	    !ev->options.read_file(ev->options.read_file_context, path->as.string.text, call->span, &id, &reason))
		return value_unknown(ev, HCL_UNKNOWN_UNSUPPORTED, expr_text(ev, call), call->span,
				     "%s: '%s': %s", call->as.call.name, path->as.string.text, reason);
	*src = source_get(ev->options.sources, id);
	if (!*src)
		return call_error(ev, call, "the file callback returned an unknown source");
	return NULL;
}

static struct span whole_file(const struct source_set *sources, const struct source *src)
{
	for (uint32_t id = 1; id < sources->count; id++) {
		if (sources->items[id] == src)
			return span_make(id, 0, (uint32_t)src->length);
	}
	return span_make(0, 0, 0);
}

static const struct hcl_value *fn_file(struct hcl_eval *ev, const struct hcl_expr *call,
				       const struct hcl_value **args, size_t count)
{
	const struct source *src;
	const struct hcl_value *problem = read_file(ev, call, args[0], &src);
	struct string_builder b;

	if (problem)
		return problem;
	builder_init(&b);
	builder_literal(&b, src->text, src->length, whole_file(ev->options.sources, src));
	return builder_finish(ev, &b, call->span);
}

static const struct hcl_value *fn_templatefile(struct hcl_eval *ev, const struct hcl_expr *call,
					       const struct hcl_value **args, size_t count)
{
	const struct source *src;
	const struct hcl_value *problem;
	const struct hcl_value *vars = args[1];
	struct hcl_file *file;
	struct scope *frames;
	const struct scope *outer_scope = ev->scope;
	bool outer_template = ev->in_template_file;
	const struct hcl_value *result;

	if (ev->in_template_file)
		return call_error(ev, call, "a template file cannot call templatefile()");
	if (vars->kind == HCL_VALUE_UNKNOWN)
		return value_is_error(vars) ? vars : depends_on_call(ev, call);
	if (vars->kind != HCL_VALUE_OBJECT)
		return call_error(ev, call, "the variables are a %s, not a map or object", value_type_name(vars));
	problem = read_file(ev, call, args[0], &src);
	if (problem)
		return problem;

	file = xcalloc(1, sizeof(*file));
	ev->files = xgrow(ev->files, &ev->file_cap, ev->file_count + 1, sizeof(*ev->files));
	ev->files[ev->file_count++] = file;
	if (!hcl_parse_template(file, ev->options.sources, whole_file(ev->options.sources, src).source,
				ev->options.diags))
		return call_error(ev, call, "the template has a syntax error");

	/* Only the variables passed are visible inside the template. */
	frames = ARENA_ARRAY(&ev->arena, struct scope, vars->as.object.count + 1);
	ev->scope = NULL;
	for (size_t i = 0; i < vars->as.object.count; i++) {
		frames[i].name = vars->as.object.entries[i].key;
		frames[i].value = vars->as.object.entries[i].value;
		frames[i].next = ev->scope;
		ev->scope = &frames[i];
	}
	ev->in_template_file = true;
	result = value_to_string(ev, eval_expr(ev, file->expr), call->span);
	ev->in_template_file = outer_template;
	ev->scope = outer_scope;
	return result;
}

/* Dispatch --------------------------------------------------------------------- */

static const struct function collection_functions[] = {
	{"merge", 0, -1, fn_merge},
	{"concat", 0, -1, fn_concat},
	{"lookup", 2, 3, fn_lookup},
	{"element", 2, 2, fn_element},
	{"coalesce", 1, -1, fn_coalesce},
	{"toset", 1, 1, fn_toset},
	{"tolist", 1, 1, fn_tolist},
	{"tomap", 1, 1, fn_tomap},
	{"length", 1, 1, fn_length},
	{"keys", 1, 1, fn_keys},
	{"values", 1, 1, fn_values},
	{"contains", 2, 2, fn_contains},
	{"distinct", 1, 1, fn_distinct},
	{"flatten", 1, 1, fn_flatten},
	{"slice", 3, 3, fn_slice},
	{"file", 1, 1, fn_file},
	{"templatefile", 2, 2, fn_templatefile},
};

static const struct function *find_in(const struct function *table, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++) {
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	}
	return NULL;
}

static const struct function *find_function(const char *name)
{
	const struct function *fn = find_in(collection_functions, IX_COUNT(collection_functions), name);

	if (!fn)
		fn = find_in(string_functions, string_function_count, name);
	if (!fn)
		fn = find_in(json_functions, json_function_count, name);
	return fn;
}

bool hcl_eval_call_supported(const char *name)
{
	return find_function(name) || strcmp(name, "try") == 0 || strcmp(name, "can") == 0;
}

/*
 * try() returns its first argument that evaluates without an error.  An
 * argument that is unknown (but not an error) might still fail once known,
 * so it makes the result unknown rather than being skipped.
 */
static const struct hcl_value *eval_try(struct hcl_eval *ev, const struct hcl_expr *call)
{
	const struct hcl_value *last = NULL;

	for (size_t i = 0; i < call->as.call.count; i++) {
		const struct hcl_value *v = eval_expr(ev, call->as.call.args[i]);

		if (v->kind == HCL_VALUE_UNKNOWN && v->as.unknown.reason == HCL_UNKNOWN_LIMIT)
			return v;
		if (value_is_error(v)) {
			last = v;
			continue;
		}
		if (v->kind == HCL_VALUE_UNKNOWN)
			return depends_on_call(ev, call);
		return v;
	}
	return last ? last : call_error(ev, call, "needs at least one argument");
}

static const struct hcl_value *eval_can(struct hcl_eval *ev, const struct hcl_expr *call)
{
	const struct hcl_value *v;

	if (call->as.call.count != 1)
		return call_error(ev, call, "takes exactly one argument");
	v = eval_expr(ev, call->as.call.args[0]);
	if (v->kind == HCL_VALUE_UNKNOWN && v->as.unknown.reason == HCL_UNKNOWN_LIMIT)
		return v;
	if (value_is_error(v))
		return hcl_value_bool(ev, false, call->span);
	if (v->kind == HCL_VALUE_UNKNOWN)
		return depends_on_call(ev, call);
	return hcl_value_bool(ev, true, call->span);
}

/* Evaluate the arguments, spreading a final `list...`. */
static const struct hcl_value *eval_args(struct hcl_eval *ev, const struct hcl_expr *call,
					 const struct hcl_value ***out, size_t *count)
{
	size_t n = call->as.call.count;
	const struct hcl_value **args = ARENA_ARRAY(&ev->arena, const struct hcl_value *, n ? n : 1);
	const struct hcl_value *last;
	const struct hcl_value **spread;

	for (size_t i = 0; i < n; i++)
		args[i] = eval_expr(ev, call->as.call.args[i]);
	*out = args;
	*count = n;
	if (!call->as.call.expand_last || n == 0)
		return NULL;

	last = args[n - 1];
	if (last->kind == HCL_VALUE_UNKNOWN)
		return value_is_error(last) ? last : depends_on_call(ev, call);
	if (!value_is_sequence(last))
		return call_error(ev, call, "'...' needs a list, not a %s", value_type_name(last));
	spread = ARENA_ARRAY(&ev->arena, const struct hcl_value *, n - 1 + last->as.tuple.count + 1);
	memcpy(spread, args, (n - 1) * sizeof(*spread));
	memcpy(spread + n - 1, last->as.tuple.items, last->as.tuple.count * sizeof(*spread));
	*out = spread;
	*count = n - 1 + last->as.tuple.count;
	return NULL;
}

const struct hcl_value *eval_call(struct hcl_eval *ev, const struct hcl_expr *call)
{
	const char *name = call->as.call.name;
	const struct function *fn;
	const struct hcl_value **args;
	const struct hcl_value *problem;
	size_t count;

	if (strcmp(name, "try") == 0)
		return eval_try(ev, call);
	if (strcmp(name, "can") == 0)
		return eval_can(ev, call);
	fn = find_function(name);
	if (!fn)
		return value_unknown(ev, HCL_UNKNOWN_UNSUPPORTED, expr_text(ev, call), call->span,
				     "function '%s' is not evaluated by iamcross", name);

	problem = eval_args(ev, call, &args, &count);
	if (problem)
		return problem;
	if ((int)count < fn->min_args || (fn->max_args >= 0 && (int)count > fn->max_args)) {
		if (fn->min_args == fn->max_args)
			return call_error(ev, call, "takes %d arguments, not %zu", fn->min_args, count);
		return call_error(ev, call, "takes at least %d arguments, not %zu", fn->min_args, count);
	}
	for (size_t i = 0; i < count; i++) {
		if (args[i]->kind == HCL_VALUE_UNKNOWN && args[i]->as.unknown.reason == HCL_UNKNOWN_LIMIT)
			return args[i];
	}
	return fn->fn(ev, call, args, count);
}
