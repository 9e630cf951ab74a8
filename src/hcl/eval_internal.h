/*
 * Declarations shared by the evaluator's files (value.c, eval.c, func.c,
 * func_string.c, json.c) and by nothing else.
 */
#ifndef IAMCROSS_HCL_EVAL_INTERNAL_H
#define IAMCROSS_HCL_EVAL_INTERNAL_H

#include "iamcross/hcl_eval.h"

/* A variable a `for` expression, a template `for` or templatefile() defines. */
struct scope {
	const char *name;
	const struct hcl_value *value;
	const struct scope *next;
};

struct hcl_eval {
	struct hcl_eval_options options;
	struct arena arena;
	size_t steps;
	size_t step_limit;
	bool limit_reached;
	struct span limit_span;
	int depth;
	struct span current;
	const struct scope *scope;
	/* Inside templatefile(): only `scope` resolves names, not the callback. */
	bool in_template_file;
	struct hcl_file **files;   /* template files parsed by templatefile() */
	size_t file_count;
	size_t file_cap;
};

/* A string under construction, with the runs that map it to the source. */
struct string_builder {
	struct buf text;
	struct hcl_text_run *runs;
	size_t run_count;
	size_t run_cap;
	bool has_hole;
};

/* Count `cost` steps; false once the limit is reached. */
bool eval_spend(struct hcl_eval *ev, size_t cost);

struct hcl_value *value_new(struct hcl_eval *ev, enum hcl_value_kind kind, struct span span);
const struct hcl_value *value_unknown(struct hcl_eval *ev, enum hcl_unknown_reason reason,
				      const char *text, struct span span, const char *detail_fmt, ...)
	IX_PRINTF(5, 6);
const struct hcl_value *value_error(struct hcl_eval *ev, struct span span, const char *fmt, ...)
	IX_PRINTF(3, 4);
const struct hcl_value *value_limit(struct hcl_eval *ev, struct span span);
/*
 * If any of `values` is unknown, the unknown a computation over them
 * yields: the first error or limit as it is, else a new unknown with
 * reason HCL_UNKNOWN_DEPENDS and `text`.  NULL when all are known.
 */
const struct hcl_value *value_propagate(struct hcl_eval *ev, const struct hcl_value *const *values,
					size_t count, const char *text, struct span span);
bool value_is_error(const struct hcl_value *v);
const char *value_type_name(const struct hcl_value *v);

void builder_init(struct string_builder *b);
void builder_release(struct string_builder *b);
void builder_literal(struct string_builder *b, const char *text, size_t length, struct span source);
void builder_plain(struct string_builder *b, const char *text, size_t length);
void builder_string(struct string_builder *b, const struct hcl_value *string);
void builder_hole(struct hcl_eval *ev, struct string_builder *b, const struct hcl_value *unknown);
const struct hcl_value *builder_finish(struct hcl_eval *ev, struct string_builder *b, struct span span);

/*
 * Append `v` converted to a string, as template interpolation does.
 * Returns NULL on success, or the value that stops the conversion (an
 * error or limit unknown, or an error made for a null or a collection).
 * Other unknowns become holes.
 */
const struct hcl_value *builder_value(struct hcl_eval *ev, struct string_builder *b,
				      const struct hcl_value *v, struct span span);

void format_number(double value, struct buf *out);
const struct hcl_value *value_number_computed(struct hcl_eval *ev, double value, struct span span);
/* Convert for functions: NULL on success, else the error or unknown to return. */
const struct hcl_value *value_to_number(struct hcl_eval *ev, const struct hcl_value *v, double *out,
					struct span span);
const struct hcl_value *value_to_bool(struct hcl_eval *ev, const struct hcl_value *v, bool *out,
				      struct span span);
/* A string value (numbers and bools converted); holes allowed. */
const struct hcl_value *value_to_string(struct hcl_eval *ev, const struct hcl_value *v,
					struct span span);

/* TRI_MAYBE when unknowns or holes make the result uncertain. */
enum tri value_equal(const struct hcl_value *a, const struct hcl_value *b, int depth);
bool value_is_sequence(const struct hcl_value *v);
const struct hcl_value *value_sequence(struct hcl_eval *ev, const struct hcl_value **items, size_t count,
				       enum hcl_sequence sequence, struct span span);
const struct hcl_value *value_object(struct hcl_eval *ev, struct hcl_object_entry *entries, size_t count,
				     bool map, struct span span);

/* Canonical text of an expression for an unknown: traversals normalised. */
const char *expr_text(struct hcl_eval *ev, const struct hcl_expr *expr);

const struct hcl_value *eval_expr(struct hcl_eval *ev, const struct hcl_expr *expr);
const struct hcl_value *eval_call(struct hcl_eval *ev, const struct hcl_expr *call);

/* A function: receives evaluated arguments (unknowns included). */
typedef const struct hcl_value *(*function_fn)(struct hcl_eval *ev, const struct hcl_expr *call,
					       const struct hcl_value **args, size_t count);

struct function {
	const char *name;
	int min_args;
	int max_args;       /* -1: any number */
	function_fn fn;
};

extern const struct function string_functions[];
extern const size_t string_function_count;
extern const struct function json_functions[];
extern const size_t json_function_count;

/* Decode JSON text (holes allowed) into a value; spans through the runs of `string`. */
const struct hcl_value *json_decode(struct hcl_eval *ev, const struct hcl_value *string, struct span call);

/* Unknown values from a function call: the call's canonical text. */
const struct hcl_value *call_unknown(struct hcl_eval *ev, const struct hcl_expr *call,
				     const struct hcl_value **args, size_t count);
const struct hcl_value *call_error(struct hcl_eval *ev, const struct hcl_expr *call, const char *fmt, ...)
	IX_PRINTF(3, 4);

#endif
