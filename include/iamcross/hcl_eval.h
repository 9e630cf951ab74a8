/*
 * Evaluation of HCL expression trees into values.
 *
 * The evaluator implements HCL, not Terraform.  It computes literals, templates,
 * operators, conditionals, `for` expressions, splats and a set of
 * functions (listed at hcl_eval_call_supported()).  Everything Terraform
 * gives a meaning to, `var.x`, `module.m.out`, `each.key`, `path.module`,
 * reaches the caller through the resolve callback, so the Terraform layer
 * decides what a reference is.  file() and templatefile() read files
 * through a second callback, so the caller decides which paths may be
 * read.
 *
 * What cannot be computed is *unknown*, never an error finding: an
 * unresolved reference, a function iamcross does not implement, an
 * operation on an unknown operand, a type error, or a computation past the
 * step limit.  An unknown keeps the expression as written, and inside a
 * string it becomes a hole (symbol.h) interned in the caller's symbol
 * table.  So "arn:aws:s3:::${module.b.bucket_name}/objects" evaluates to
 * a known string with one hole for `module.b.bucket_name`.
 *
 * Every value keeps the span of the expression it came from.  A string
 * also keeps *runs* that map its bytes back to the source where they were
 * written literally, so a statement inside heredoc JSON can be located to
 * the character.
 *
 * Ownership: values live in the evaluator's arena and are freed by
 * hcl_eval_free().  Values point into the trees they were evaluated from,
 * so every hcl_file evaluated must outlive the evaluator's values.  Values
 * are never modified after they are made; callers may share them.
 */
#ifndef IAMCROSS_HCL_EVAL_H
#define IAMCROSS_HCL_EVAL_H

#include "iamcross/hcl.h"
#include "iamcross/symbol.h"

#include <cjson/cJSON.h>

/*
 * Steps one evaluator may take before every further result is unknown
 * (HCL_UNKNOWN_LIMIT).  A step is one expression node, one element of a
 * collection built or visited, 64 bytes of string built, or one run of a
 * string built (the part of it that maps to one place in a file).  Evaluating
 * every attribute of all 12,469 .tf files of a large environments
 * repository (scripts/hcl-corpus.py --eval) takes about two seconds in
 * total, so one namespace needs far fewer than a million steps.  The
 * limit stops a `for` over a huge collection or a chain of doubling
 * strings long before memory runs out.
 */
#define HCL_EVAL_DEFAULT_STEPS 1000000

/*
 * Deepest nesting of evaluations, counting re-entry through the resolve
 * callback (a local that refers to a local that refers to ...).  Reaching
 * it stops the evaluator as the step limit does.
 */
#define HCL_EVAL_MAX_DEPTH (4 * HCL_MAX_NESTING)

/*
 * Deepest value the evaluator builds or walks (JSON decoding, flatten,
 * jsonencode, comparison).  Policies nest about ten levels.
 */
#define HCL_VALUE_MAX_DEPTH 256

enum hcl_value_kind {
	HCL_VALUE_NULL,
	HCL_VALUE_BOOL,
	HCL_VALUE_NUMBER,
	HCL_VALUE_STRING,
	HCL_VALUE_TUPLE,   /* tuple, list or set: see hcl_sequence */
	HCL_VALUE_OBJECT,  /* object or map */
	HCL_VALUE_UNKNOWN,
};

enum hcl_sequence {
	HCL_SEQUENCE_TUPLE,
	HCL_SEQUENCE_LIST,
	HCL_SEQUENCE_SET,  /* no duplicates; strings sorted, as Terraform orders them */
};

enum hcl_unknown_reason {
	HCL_UNKNOWN_REFERENCE,   /* the resolve callback does not know the value */
	HCL_UNKNOWN_DEPENDS,     /* computed from another unknown value */
	HCL_UNKNOWN_UNSUPPORTED, /* a function or construct iamcross does not evaluate */
	HCL_UNKNOWN_ERROR,       /* evaluation failed: wrong type, missing key, bad JSON */
	HCL_UNKNOWN_LIMIT,       /* HCL_EVAL_DEFAULT_STEPS or the caller's limit was reached */
};

/* Bytes [offset, offset + length) of a string were written at `source`. */
struct hcl_text_run {
	uint32_t offset;
	uint32_t length;
	struct span source;  /* same length as the run when it maps byte for byte */
};

struct hcl_value;

struct hcl_object_entry {
	const char *key;
	struct span key_span;
	const struct hcl_value *value;
};

struct hcl_value {
	enum hcl_value_kind kind;
	struct span span;      /* the expression the value came from */
	union {
		bool boolean;
		struct {
			double value;
			const char *text;  /* as written, or formatted when computed */
		} number;
		struct {
			const char *text;  /* NUL-terminated; holes mark unknown parts */
			size_t length;
			const struct hcl_text_run *runs; /* sorted by offset, not overlapping */
			size_t run_count;
			/* For jsonencode() results: the value encoded, which jsondecode() returns. */
			const struct hcl_value *json_source;
		} string;
		struct {
			const struct hcl_value *const *items;
			size_t count;
			enum hcl_sequence sequence;
		} tuple;
		struct {
			const struct hcl_object_entry *entries; /* sorted by key, unique */
			size_t count;
			bool map;
		} object;
		struct {
			const char *text;        /* the expression, e.g. "module.b.bucket_name" */
			const char *description; /* for messages; may be NULL */
			const char *detail;      /* why, e.g. "function 'md5' is not evaluated"; may be NULL */
			enum hcl_unknown_reason reason;
		} unknown;
	} as;
};

struct hcl_eval;

/* One step of a reference after its root name. */
struct hcl_reference_step {
	const char *name;              /* an attribute; NULL for an index */
	const struct hcl_value *key;   /* an index: a known string or number */
	struct span span;
};

/*
 * A reference to resolve: `root` followed by the attribute and index steps
 * whose keys are known, as far as they go (a splat or an index computed
 * from an unknown stops the list).  `text` is the whole reference in
 * canonical form, `module.b["x"].arn`, whatever spacing it was written
 * with.
 */
struct hcl_reference {
	const char *root;
	const struct hcl_reference_step *steps;
	size_t step_count;
	const char *text;
	struct span span;
};

/*
 * Resolve `reference`.  Return the value of the root and its first
 * `*consumed` steps (0 to step_count), and the evaluator applies the
 * remaining steps itself.  Return NULL when the value is not known: the
 * evaluator then makes it unknown with reason HCL_UNKNOWN_REFERENCE.  The
 * callback may also return an unknown of its own (hcl_value_unknown()) to
 * give it a description.  Build values with the hcl_value_* functions
 * below, or return values an evaluation returned.  The callback may call
 * hcl_eval_expr() on the same evaluator, to evaluate a local for example.
 * The step limit and a nesting bound stop that recursion when it loops.
 */
typedef const struct hcl_value *(*hcl_resolve_fn)(void *context, struct hcl_eval *eval,
						   const struct hcl_reference *reference,
						   size_t *consumed);

/*
 * Read the file `path` for file() or templatefile(), called from `call`.
 * Return true and the id of the file in the evaluator's source set, or
 * false and a reason for messages ("not found", "outside the module").
 * The caller enforces any confinement of paths.
 */
typedef bool (*hcl_read_file_fn)(void *context, const char *path, struct span call,
				 uint32_t *source_id, const char **reason);

struct hcl_eval_options {
	struct source_set *sources;     /* required: source text of unknowns, files read */
	struct symbol_table *symbols;   /* required: where holes are interned */
	hcl_resolve_fn resolve;         /* NULL: every reference is unknown */
	void *resolve_context;
	hcl_read_file_fn read_file;     /* NULL: file() and templatefile() are unknown */
	void *read_file_context;
	struct diag_store *diags;       /* hcl-syntax findings of template files; may be NULL */
	size_t step_limit;              /* 0: HCL_EVAL_DEFAULT_STEPS */
};

struct hcl_eval *hcl_eval_new(const struct hcl_eval_options *options);
void hcl_eval_free(struct hcl_eval *eval);

/* Evaluate `expr`.  Never returns NULL and never reports a finding. */
const struct hcl_value *hcl_eval_expr(struct hcl_eval *eval, const struct hcl_expr *expr);

/*
 * True once the step limit or HCL_EVAL_MAX_DEPTH has been reached; `*where`
 * is then the span of the expression being evaluated at that moment, for a
 * finding.
 */
bool hcl_eval_limit_reached(const struct hcl_eval *eval, struct span *where);

/* True when `name` is a function the evaluator computes. */
bool hcl_eval_call_supported(const char *name);

/* Values for resolve callbacks.  Strings are copied; spans may be unset. */
const struct hcl_value *hcl_value_null(struct hcl_eval *eval, struct span span);
const struct hcl_value *hcl_value_bool(struct hcl_eval *eval, bool value, struct span span);
const struct hcl_value *hcl_value_number(struct hcl_eval *eval, double value, struct span span);
const struct hcl_value *hcl_value_string(struct hcl_eval *eval, const char *text, size_t length,
					 struct span span);
/* A tuple of `count` items; the array is copied. */
const struct hcl_value *hcl_value_tuple(struct hcl_eval *eval, const struct hcl_value *const *items,
					size_t count, enum hcl_sequence sequence, struct span span);
/* An object; entries are copied, sorted by key, and a repeated key keeps the last value. */
const struct hcl_value *hcl_value_object(struct hcl_eval *eval, const struct hcl_object_entry *entries,
					 size_t count, bool map, struct span span);
const struct hcl_value *hcl_value_unknown(struct hcl_eval *eval, const char *text,
					  const char *description, struct span span);

/* The entry of an object with key `key`, or NULL. */
const struct hcl_value *hcl_value_get(const struct hcl_value *object, const char *key);

/* True when the value is known all the way down: no unknown and no hole. */
bool hcl_value_is_wholly_known(const struct hcl_value *value);

/*
 * The source span of bytes [offset, offset + length) of a string value:
 * exact when the bytes were written literally in one place, otherwise
 * the smallest span covering the runs they touch, or the value's span.
 */
struct span hcl_string_span(const struct hcl_value *string, size_t offset, size_t length);

/*
 * Encode `value` as Terraform's jsonencode() does: object keys sorted, no
 * spaces, '<', '>' and '&' escaped as \u003c, \u003e and \u0026.  Holes
 * pass through inside strings, and an unknown value becomes a string that
 * is one hole.  Appends to `out`; returns false (with `out` unchanged in
 * meaning) when the value nests deeper than HCL_VALUE_MAX_DEPTH.
 */
bool hcl_json_encode(struct hcl_eval *eval, const struct hcl_value *value, struct buf *out);

/*
 * Decode the JSON text held in a string value, such as a heredoc policy,
 * as jsondecode() does.  Holes may appear inside JSON strings, and a hole
 * where a value belongs becomes an unknown value.  Every element gets the
 * span of the characters it was written with.  For a jsonencode() result
 * this returns the value that was encoded.  Invalid JSON gives an unknown
 * with reason HCL_UNKNOWN_ERROR whose detail names the byte offset.
 */
const struct hcl_value *hcl_json_decode(struct hcl_eval *eval, const struct hcl_value *string);

/*
 * Called for every item hcl_value_to_cjson() creates, with the span of the
 * value it came from and, for an object member, the span of its key
 * (unset otherwise).
 */
typedef void (*hcl_cjson_span_fn)(void *context, const cJSON *item, struct span value_span,
				  struct span key_span);

/*
 * Convert an evaluated value into a cJSON tree for the policy layer, which
 * reads policies as JSON.  Unknown values become strings that are one hole
 * (the policy model's way of saying "unknown here").  Strings that hold
 * JSON produced by jsonencode() are not decoded: call this on
 * `json_source` for that.  Returns NULL only when the value nests deeper
 * than HCL_VALUE_MAX_DEPTH.  The caller frees the tree with cJSON_Delete().
 */
cJSON *hcl_value_to_cjson(struct hcl_eval *eval, const struct hcl_value *value,
			  hcl_cjson_span_fn record, void *context);

#endif
