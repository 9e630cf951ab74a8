/*
 * Helpers for the HCL unit tests: parse text held in the test, evaluate
 * expressions against a small table of references, and render values as
 * compact text that one CHECK_STR can compare.
 */
#ifndef IAMCROSS_TEST_HCL_HELPERS_H
#define IAMCROSS_TEST_HCL_HELPERS_H

#include "iamcross/hcl.h"
#include "iamcross/hcl_eval.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

struct fixture {
	struct source_set sources;
	struct diag_store diags;
	struct symbol_table symbols;
	struct hcl_file **files;
	size_t file_count;
	size_t file_cap;
	struct hcl_eval *eval;
	struct buf rendered;
	/* Definitions the resolve callback serves: "var.x" -> expression text. */
	const char *const *definitions;
	const char *file_path;   /* what the file callback serves, and its text */
	const char *file_text;
};

static inline void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	source_set_init(&f->sources);
	diag_init(&f->diags);
	symbol_table_init(&f->symbols);
}

static inline void fixture_release(struct fixture *f)
{
	hcl_eval_free(f->eval);
	for (size_t i = 0; i < f->file_count; i++) {
		hcl_file_release(f->files[i]);
		free(f->files[i]);
	}
	free(f->files);
	buf_release(&f->rendered);
	symbol_table_release(&f->symbols);
	diag_release(&f->diags);
	source_set_release(&f->sources);
}

static inline uint32_t fixture_add(struct fixture *f, const char *path, const char *text)
{
	return source_set_add(&f->sources, path, text, strlen(text));
}

static inline struct hcl_file *fixture_file(struct fixture *f)
{
	f->files = xgrow(f->files, &f->file_cap, f->file_count + 1, sizeof(*f->files));
	f->files[f->file_count] = xcalloc(1, sizeof(struct hcl_file));
	return f->files[f->file_count++];
}

static inline struct hcl_file *fixture_parse(struct fixture *f, const char *text)
{
	struct hcl_file *file = fixture_file(f);

	hcl_parse(file, &f->sources, fixture_add(f, "main.tf", text), &f->diags);
	return file;
}

static inline const struct hcl_expr *fixture_expr(struct fixture *f, const char *text)
{
	struct hcl_file *file = fixture_file(f);

	hcl_parse_expression(file, &f->sources, fixture_add(f, "expr.hcl", text), &f->diags);
	return file->expr;
}

/* The resolve callback: looks the whole reference text up in `definitions`. */
static inline const struct hcl_value *fixture_resolve(void *context, struct hcl_eval *eval,
					       const struct hcl_reference *ref, size_t *consumed)
{
	struct fixture *f = context;

	for (size_t i = 0; f->definitions && f->definitions[i]; i += 2) {
		size_t n = strlen(f->definitions[i]);
		struct buf prefix = BUF_INIT;
		size_t steps = 0;

		/* Match the root plus as many attribute steps as the name has. */
		buf_puts(&prefix, ref->root);
		while (strlen(buf_str(&prefix)) < n && steps < ref->step_count && ref->steps[steps].name)
			buf_printf(&prefix, ".%s", ref->steps[steps++].name);
		if (strcmp(buf_str(&prefix), f->definitions[i]) == 0) {
			buf_release(&prefix);
			*consumed = steps;
			return hcl_eval_expr(eval, fixture_expr(f, f->definitions[i + 1]));
		}
		buf_release(&prefix);
	}
	return NULL;
}

static inline bool fixture_read_file(void *context, const char *path, struct span call, uint32_t *source_id,
			      const char **reason)
{
	struct fixture *f = context;

	if (!f->file_path || strcmp(path, f->file_path) != 0) {
		*reason = "not found";
		return false;
	}
	*source_id = fixture_add(f, path, f->file_text);
	return true;
}

static inline struct hcl_eval *fixture_eval(struct fixture *f, size_t step_limit)
{
	struct hcl_eval_options options;

	memset(&options, 0, sizeof(options));
	options.sources = &f->sources;
	options.symbols = &f->symbols;
	options.resolve = fixture_resolve;
	options.resolve_context = f;
	options.read_file = fixture_read_file;
	options.read_file_context = f;
	options.diags = &f->diags;
	options.step_limit = step_limit;
	hcl_eval_free(f->eval);
	f->eval = hcl_eval_new(&options);
	return f->eval;
}

static inline void render(struct fixture *f, const struct hcl_value *v, struct buf *out);

static inline void render_text(struct fixture *f, const char *text, struct buf *out)
{
	struct buf shown = BUF_INIT;

	text_render(&shown, text, &f->symbols);
	buf_put_json_string(out, buf_str(&shown));
	buf_release(&shown);
}

/*
 * Values as text: JSON-like, with holes shown as ${expression} and
 * unknowns as unknown(expression) or error(detail).
 */
static inline void render(struct fixture *f, const struct hcl_value *v, struct buf *out)
{
	switch (v->kind) {
	case HCL_VALUE_NULL:
		buf_puts(out, "null");
		break;
	case HCL_VALUE_BOOL:
		buf_puts(out, v->as.boolean ? "true" : "false");
		break;
	case HCL_VALUE_NUMBER:
		buf_printf(out, "%g", v->as.number.value);
		break;
	case HCL_VALUE_STRING:
		render_text(f, v->as.string.text, out);
		break;
	case HCL_VALUE_TUPLE:
		buf_puts(out, v->as.tuple.sequence == HCL_SEQUENCE_SET ? "set[" : "[");
		for (size_t i = 0; i < v->as.tuple.count; i++) {
			if (i)
				buf_putc(out, ',');
			render(f, v->as.tuple.items[i], out);
		}
		buf_putc(out, ']');
		break;
	case HCL_VALUE_OBJECT:
		buf_putc(out, '{');
		for (size_t i = 0; i < v->as.object.count; i++) {
			if (i)
				buf_putc(out, ',');
			buf_printf(out, "%s=", v->as.object.entries[i].key);
			render(f, v->as.object.entries[i].value, out);
		}
		buf_putc(out, '}');
		break;
	default:
		if (v->as.unknown.reason == HCL_UNKNOWN_ERROR)
			buf_printf(out, "error(%s)", v->as.unknown.detail ? v->as.unknown.detail : "");
		else if (v->as.unknown.reason == HCL_UNKNOWN_LIMIT)
			buf_puts(out, "limit");
		else
			buf_printf(out, "unknown(%s)", v->as.unknown.text);
		break;
	}
}

/* Evaluate `text` as an expression and render the value. */
static inline const char *eval_text(struct fixture *f, const char *text)
{
	const struct hcl_value *v;

	if (!f->eval)
		fixture_eval(f, 0);
	v = hcl_eval_expr(f->eval, fixture_expr(f, text));
	buf_reset(&f->rendered);
	render(f, v, &f->rendered);
	return buf_str(&f->rendered);
}

#endif
