/*
 * HCL2 native syntax: the syntax tree of a Terraform file and the parser
 * that builds it.
 *
 * hcl_parse() reads a whole .tf file into a body of attributes and blocks
 * whose values are expression trees.  Every node keeps its source span, so
 * any later stage can point at the exact characters a value came from.
 * Nothing here depends on Terraform: `resource`, `var.x` and `jsonencode`
 * are just a block type, a traversal and a function name.  hcl_eval.h evaluates
 * the trees.
 *
 * Syntax errors become `hcl-syntax` findings in the caller's diag_store,
 * at the line and column of the offending characters.  After an error the
 * parser skips to the next line that starts a top-level item (an
 * identifier at column 1 followed by labels and '{', or by '='), so one
 * typo costs only the block that contains it.  Nesting past
 * HCL_MAX_NESTING is an error like any other.  The parser stops early only
 * at HCL_MAX_TOKENS, and skips a heredoc longer than HCL_MAX_HEREDOC_SIZE;
 * both are limit-exceeded findings.
 *
 * Ownership: a struct hcl_file owns, in its arena, every node, string and
 * array of its tree; all of it is freed by hcl_file_release().  The tree
 * points into nothing else, but spans refer to the source set the file was
 * parsed from.
 */
#ifndef IAMCROSS_HCL_H
#define IAMCROSS_HCL_H

#include "iamcross/base.h"
#include "iamcross/diag.h"
#include "iamcross/source.h"

/*
 * Maximum nesting of blocks, brackets, parentheses, templates and operator
 * chains the parser accepts.  Real policies nest about ten levels: block,
 * jsonencode object, Statement list, statement, Condition, operator, key
 * and value list.  128 leaves a wide margin, and keeps every recursive walk
 * of a tree (parser, evaluator, dumps) within a few hundred kilobytes of
 * stack, so a hostile file cannot overflow it.
 */
#define HCL_MAX_NESTING 128

/*
 * Most tokens read from one file.  A token becomes at most a few tree
 * nodes or template parts of a few hundred bytes, so a 16 MiB file of
 * one-character tokens (`[1,1,1,...`, or a heredoc of empty lines) would
 * otherwise take gigabytes.  The largest .tf file of a 1,459-namespace
 * environments repository has 21 KB, about 5,000 tokens; 500,000 bounds a
 * file's tree at about 150 MB.  Reading stops at the limit with a
 * limit-exceeded finding, and the rest of the file is not parsed.
 */
#define HCL_MAX_TOKENS 500000

/*
 * Largest heredoc, from its opening marker to its closing one.  Heredocs
 * hold policies (at most 32 KiB), scripts and manifests; 1 MiB is far
 * above them.  A longer heredoc gets a limit-exceeded finding and parsing
 * resumes after its closing marker.
 */
#define HCL_MAX_HEREDOC_SIZE (1024 * 1024)

struct hcl_expr;
struct hcl_body;

enum hcl_expr_kind {
	HCL_EXPR_INVALID,     /* placeholder where a syntax error was */
	HCL_EXPR_NULL,
	HCL_EXPR_BOOL,
	HCL_EXPR_NUMBER,
	HCL_EXPR_TEMPLATE,    /* quoted string, heredoc or template file */
	HCL_EXPR_TUPLE,       /* [a, b] */
	HCL_EXPR_OBJECT,      /* {a = 1, "b" : 2, (k) = 3} */
	HCL_EXPR_VARIABLE,    /* a bare name: var, local, each, a for variable */
	HCL_EXPR_TRAVERSAL,   /* a source followed by attribute, index and splat steps */
	HCL_EXPR_CALL,        /* name(args) */
	HCL_EXPR_FOR,         /* [for ...] and {for ...} */
	HCL_EXPR_CONDITIONAL, /* c ? a : b */
	HCL_EXPR_UNARY,
	HCL_EXPR_BINARY,
	HCL_EXPR_PARENS,      /* (e); kept so that (k) = v stays a computed key */
};

enum hcl_operator {
	HCL_OP_NOT,      /* !, unary */
	HCL_OP_NEGATE,   /* -, unary */
	HCL_OP_OR,
	HCL_OP_AND,
	HCL_OP_EQUAL,
	HCL_OP_NOT_EQUAL,
	HCL_OP_LESS,
	HCL_OP_LESS_EQUAL,
	HCL_OP_GREATER,
	HCL_OP_GREATER_EQUAL,
	HCL_OP_ADD,
	HCL_OP_SUBTRACT,
	HCL_OP_MULTIPLY,
	HCL_OP_DIVIDE,
	HCL_OP_MODULO,
};

/*
 * One postfix step of a traversal.  A splat applies the steps after it to
 * every element: `.*` takes the attribute steps that directly follow it,
 * `[*]` takes every step up to the end of the traversal (further splats
 * included), as the HCL specification defines.
 */
enum hcl_step_kind {
	HCL_STEP_ATTR,         /* .name */
	HCL_STEP_INDEX,        /* [key] */
	HCL_STEP_LEGACY_INDEX, /* .0, an index written like an attribute */
	HCL_STEP_SPLAT_ATTR,   /* .* */
	HCL_STEP_SPLAT_FULL,   /* [*] */
};

struct hcl_step {
	enum hcl_step_kind kind;
	const char *name;     /* HCL_STEP_ATTR */
	struct hcl_expr *key; /* HCL_STEP_INDEX and HCL_STEP_LEGACY_INDEX */
	struct span span;     /* from the '.' or '[' to the end of the step */
};

enum hcl_part_kind {
	HCL_PART_LITERAL, /* text */
	HCL_PART_INTERP,  /* ${expr} */
	HCL_PART_IF,      /* %{ if cond }then%{ else }else%{ endif } */
	HCL_PART_FOR,     /* %{ for key, value in collection }body%{ endfor } */
};

struct hcl_template_part;

/* A sequence of template parts: a whole template, or a directive's body. */
struct hcl_template {
	struct hcl_template_part *parts;
	size_t count;
	struct span span;
};

/*
 * A literal part contains decoded text.  A literal run is split wherever an
 * escape sequence appears, so that each literal part either is its source
 * bytes exactly (`exact`), or is one escape sequence such as `\n` or `$${`
 * whose span covers the escape as written.  Strip markers (`~`) and the
 * indentation removal of `<<-` have already been applied to `text` and
 * `span`.
 */
struct hcl_template_part {
	enum hcl_part_kind kind;
	struct span span;
	const char *text;          /* HCL_PART_LITERAL; may contain NUL only via \u0000 */
	size_t length;
	bool exact;
	struct hcl_expr *expr;     /* HCL_PART_INTERP; the condition or collection of a directive */
	struct hcl_template then_part;  /* HCL_PART_IF */
	struct hcl_template else_part;  /* HCL_PART_IF; count is 0 without %{ else } */
	const char *key_var;       /* HCL_PART_FOR; NULL when only a value variable is named */
	const char *value_var;     /* HCL_PART_FOR */
	struct hcl_template body;  /* HCL_PART_FOR */
};

struct hcl_object_item {
	struct hcl_expr *key;
	struct hcl_expr *value;
	/*
	 * True for a key written as a bare name (`Effect = ...`): the name
	 * itself is the key.  Any other key, a quoted string or a parenthesised
	 * expression, is evaluated.
	 */
	bool key_is_name;
	bool colon;          /* written with ':' rather than '=' */
};

struct hcl_expr {
	enum hcl_expr_kind kind;
	struct span span;
	uint16_t depth;     /* nesting of this subtree; at most HCL_MAX_NESTING */
	union {
		bool boolean;                    /* HCL_EXPR_BOOL */
		struct {
			double value;
			const char *text;        /* as written */
		} number;                        /* HCL_EXPR_NUMBER */
		struct {
			struct hcl_template_part *parts;
			size_t count;
			bool heredoc;
			/*
			 * The template is one interpolation and nothing else, such
			 * as "${var.list}": its value is that of the expression,
			 * not converted to a string.
			 */
			bool wrap;
		} template;                      /* HCL_EXPR_TEMPLATE */
		struct {
			struct hcl_expr **items;
			size_t count;
		} tuple;                         /* HCL_EXPR_TUPLE */
		struct {
			struct hcl_object_item *items;
			size_t count;
		} object;                        /* HCL_EXPR_OBJECT */
		const char *variable;            /* HCL_EXPR_VARIABLE */
		struct {
			struct hcl_expr *source;
			struct hcl_step *steps;
			size_t count;
		} traversal;                     /* HCL_EXPR_TRAVERSAL */
		struct {
			const char *name;        /* "jsonencode", or "provider::aws::arn_parse" */
			struct span name_span;
			struct hcl_expr **args;
			size_t count;
			bool expand_last;        /* f(a, list...) */
		} call;                          /* HCL_EXPR_CALL */
		struct {
			const char *key_var;     /* NULL when only a value variable is named */
			const char *value_var;
			struct hcl_expr *collection;
			struct hcl_expr *key;    /* object form only */
			struct hcl_expr *value;
			struct hcl_expr *condition; /* NULL without `if` */
			bool object;
			bool grouping;           /* k => v... */
		} for_expr;                      /* HCL_EXPR_FOR */
		struct {
			struct hcl_expr *condition;
			struct hcl_expr *then_expr;
			struct hcl_expr *else_expr;
		} conditional;                   /* HCL_EXPR_CONDITIONAL */
		struct {
			enum hcl_operator op;
			struct hcl_expr *operand;
		} unary;                         /* HCL_EXPR_UNARY */
		struct {
			enum hcl_operator op;
			struct hcl_expr *left;
			struct hcl_expr *right;
		} binary;                        /* HCL_EXPR_BINARY */
		struct hcl_expr *inner;          /* HCL_EXPR_PARENS */
	} as;
};

struct hcl_attribute {
	const char *name;
	struct span name_span;
	struct hcl_expr *expr;
	struct span span;    /* name to the end of the value */
};

struct hcl_block {
	const char *type;
	struct span type_span;
	const char **labels;         /* decoded; quoted and bare labels alike */
	struct span *label_spans;
	size_t label_count;
	struct hcl_body *body;
	struct span span;            /* type to the closing brace */
};

/*
 * Attributes and blocks each in source order; compare spans to interleave
 * them.  A body never has two attributes of one name: the parser reports
 * the second as an error and keeps the first.
 */
struct hcl_body {
	struct hcl_attribute *attributes;
	size_t attribute_count;
	struct hcl_block *blocks;
	size_t block_count;
	struct span span;
};

struct hcl_file {
	struct arena arena;
	uint32_t source;
	const char *text;            /* the source text, owned by the source set */
	size_t length;
	struct hcl_body *body;       /* set by hcl_parse(); never NULL after it */
	struct hcl_expr *expr;       /* set by hcl_parse_expression() and hcl_parse_template() */
	size_t error_count;          /* hcl-syntax findings this parse added */
};

/*
 * Parse source `source_id` of `sources` as a configuration file.  Returns
 * true when the file has no syntax error.  With errors, `file->body` still
 * contains every top-level item that parsed.  `diags` may be NULL to parse
 * without reporting.  Release the file with hcl_file_release() either way.
 */
bool hcl_parse(struct hcl_file *file, const struct source_set *sources, uint32_t source_id,
	       struct diag_store *diags);

/*
 * Parse the whole source as one expression, such as the value of
 * `--var name=value`.  On error `file->expr` is an HCL_EXPR_INVALID node.
 */
bool hcl_parse_expression(struct hcl_file *file, const struct source_set *sources,
			  uint32_t source_id, struct diag_store *diags);

/*
 * Parse the whole source as a template, the way templatefile() reads a
 * file: `${...}` and `%{...}` sequences, no backslash escapes.
 */
bool hcl_parse_template(struct hcl_file *file, const struct source_set *sources,
			uint32_t source_id, struct diag_store *diags);

void hcl_file_release(struct hcl_file *file);

/* The attribute called `name`, or NULL. */
const struct hcl_attribute *hcl_body_attribute(const struct hcl_body *body, const char *name);

/* True when every part of the template is literal text. */
bool hcl_template_is_literal(const struct hcl_expr *expr);

/* The text of `span` in `file`'s source, and its length in `*length`. */
const char *hcl_span_text(const struct hcl_file *file, struct span span, size_t *length);

/* The operator as written, e.g. "&&". */
const char *hcl_operator_text(enum hcl_operator op);

#endif
