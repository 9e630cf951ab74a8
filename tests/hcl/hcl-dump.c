/*
 * hcl-dump: print iamcross's parse of .tf files in the JSON shape of
 * @cdktf/hcl2json, for the differential test (hcl-diff.py).
 *
 * For each file it prints one line: {"file": ..., "ok": true, "body": ...}
 * or {"file": ..., "ok": false, "errors": [{"line", "column", "message"}]}.
 * The body follows hcl2json's conventions.  Blocks nest under their type
 * and labels and collect into lists, and literal values become JSON
 * values.  A template becomes a string in which literal `${` and `%{` are
 * escaped as `$${` and `%%{`, interpolations are `${<source text>}`, and
 * directives are rendered again as `%{if ...}` and `%{for ...}`.  Any
 * other expression becomes "${<source text>}".
 *
 * With --eval it also evaluates every attribute, with every reference
 * unknown, and adds {"eval": {"known": N, "unknown": N, "error": N}} to
 * each line: a way to run the evaluator over a whole corpus.
 *
 * Built only for tests and scripts/hcl-corpus.py.
 */
#include "iamcross/hcl.h"
#include "iamcross/hcl_eval.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct hcl_file *current;

struct eval_counts {
	double known;
	double unknown;
	double error;
};

static void eval_body(struct hcl_eval *ev, const struct hcl_body *body, struct eval_counts *counts)
{
	for (size_t i = 0; i < body->attribute_count; i++) {
		const struct hcl_value *v = hcl_eval_expr(ev, body->attributes[i].expr);

		if (v->kind != HCL_VALUE_UNKNOWN)
			counts->known++;
		else if (v->as.unknown.reason == HCL_UNKNOWN_ERROR || v->as.unknown.reason == HCL_UNKNOWN_LIMIT)
			counts->error++;
		else
			counts->unknown++;
	}
	for (size_t i = 0; i < body->block_count; i++)
		eval_body(ev, body->blocks[i].body, counts);
}

static cJSON *eval_item(struct source_set *sources, const struct hcl_body *body)
{
	struct symbol_table symbols;
	struct hcl_eval_options options;
	struct hcl_eval *ev;
	struct eval_counts counts = {0, 0, 0};
	cJSON *item = cJSON_CreateObject();

	symbol_table_init(&symbols);
	memset(&options, 0, sizeof(options));
	options.sources = sources;
	options.symbols = &symbols;
	ev = hcl_eval_new(&options);
	eval_body(ev, body, &counts);
	hcl_eval_free(ev);
	symbol_table_release(&symbols);
	cJSON_AddNumberToObject(item, "known", counts.known);
	cJSON_AddNumberToObject(item, "unknown", counts.unknown);
	cJSON_AddNumberToObject(item, "error", counts.error);
	return item;
}

static void put_source(struct buf *b, struct span span)
{
	size_t n;
	const char *text = hcl_span_text(current, span, &n);

	buf_append(b, text, n);
}

static void put_wrapped(struct buf *b, const struct hcl_expr *e)
{
	buf_puts(b, "${");
	put_source(b, e->span);
	buf_puts(b, "}");
}

/* Literal text with template introductions escaped, as hcl2json writes it. */
static void put_escaped(struct buf *b, const char *text, size_t length)
{
	for (size_t i = 0; i < length; i++) {
		if ((text[i] == '$' || text[i] == '%') && i + 1 < length && text[i + 1] == '{')
			buf_putc(b, text[i]);
		buf_putc(b, text[i]);
	}
}

/*
 * A number literal in plain decimal notation without exponent, leading
 * or trailing zeros: how hcl2json turns a number into a string.
 */
static void put_decimal(struct buf *b, const char *text)
{
	char digits[512];
	size_t n = 0;
	long point = -1;
	long exponent = 0;
	const char *p = text;
	size_t first;
	size_t last;

	for (; *p && *p != 'e' && *p != 'E' && n < sizeof(digits); p++) {
		if (*p == '.')
			point = (long)n;
		else
			digits[n++] = *p;
	}
	if (*p == 'e' || *p == 'E')
		exponent = strtol(p + 1, NULL, 10);
	if (point < 0)
		point = (long)n;
	point += exponent;

	for (first = 0; first < n && digits[first] == '0'; first++)
		;
	for (last = n; last > first && digits[last - 1] == '0' && (long)last > point; last--)
		;
	if (first == last) {
		buf_putc(b, '0');
		return;
	}
	if (point <= (long)first) {
		buf_puts(b, "0.");
		for (long i = point; i < (long)first; i++)
			buf_putc(b, '0');
		buf_append(b, digits + first, last - first);
		return;
	}
	for (long i = (long)first; i < point; i++)
		buf_putc(b, i < (long)last ? digits[i] : '0');
	if ((long)last > point) {
		buf_putc(b, '.');
		buf_append(b, digits + point, last - (size_t)point);
	}
}

static void put_parts(struct buf *b, const struct hcl_template_part *parts, size_t count);
static void put_part_expr(struct buf *b, const struct hcl_expr *e);

static void put_template(struct buf *b, const struct hcl_expr *e)
{
	put_parts(b, e->as.template.parts, e->as.template.count);
}

static void put_if(struct buf *b, const struct hcl_expr *cond, struct buf *then_text,
		   struct buf *else_text)
{
	buf_puts(b, "%{if ");
	put_source(b, cond->span);
	buf_puts(b, "}");
	buf_puts(b, buf_str(then_text));
	if (else_text->len) {
		buf_puts(b, "%{else}");
		buf_puts(b, buf_str(else_text));
	}
	buf_puts(b, "%{endif}");
}

/* An expression inside a template, as hcl2json's convertStringPart renders it. */
static void put_part_expr(struct buf *b, const struct hcl_expr *e)
{
	struct buf then_text = BUF_INIT;
	struct buf else_text = BUF_INIT;

	switch (e->kind) {
	case HCL_EXPR_NULL:
		buf_puts(b, "null");
		return;
	case HCL_EXPR_BOOL:
		buf_puts(b, e->as.boolean ? "true" : "false");
		return;
	case HCL_EXPR_NUMBER:
		put_decimal(b, e->as.number.text);
		return;
	case HCL_EXPR_TEMPLATE:
		if (e->as.template.wrap)
			put_part_expr(b, e->as.template.parts[0].expr);
		else
			put_template(b, e);
		return;
	case HCL_EXPR_CONDITIONAL:
		put_part_expr(&then_text, e->as.conditional.then_expr);
		put_part_expr(&else_text, e->as.conditional.else_expr);
		put_if(b, e->as.conditional.condition, &then_text, &else_text);
		buf_release(&then_text);
		buf_release(&else_text);
		return;
	default:
		put_wrapped(b, e);
	}
}

static void put_parts(struct buf *b, const struct hcl_template_part *parts, size_t count)
{
	struct buf literal = BUF_INIT;

	for (size_t i = 0; i < count; i++) {
		const struct hcl_template_part *part = &parts[i];
		struct buf then_text = BUF_INIT;
		struct buf else_text = BUF_INIT;

		if (part->kind == HCL_PART_LITERAL) {
			buf_append(&literal, part->text, part->length);
			continue;
		}
		put_escaped(b, literal.data, literal.len);
		buf_reset(&literal);

		switch (part->kind) {
		case HCL_PART_INTERP:
			put_part_expr(b, part->expr);
			break;
		case HCL_PART_IF:
			put_parts(&then_text, part->then_part.parts, part->then_part.count);
			put_parts(&else_text, part->else_part.parts, part->else_part.count);
			put_if(b, part->expr, &then_text, &else_text);
			break;
		default:
			buf_puts(b, "%{for ");
			if (part->key_var)
				buf_printf(b, "%s, ", part->key_var);
			buf_printf(b, "%s in ", part->value_var);
			put_source(b, part->expr->span);
			buf_puts(b, "}");
			put_parts(b, part->body.parts, part->body.count);
			buf_puts(b, "%{endfor}");
			break;
		}
		buf_release(&then_text);
		buf_release(&else_text);
	}
	put_escaped(b, literal.data, literal.len);
	buf_release(&literal);
}

static cJSON *string_item(struct buf *b)
{
	cJSON *item = cJSON_CreateString(buf_str(b));

	buf_release(b);
	return item;
}

static bool is_literal(const struct hcl_expr *e)
{
	return e->kind == HCL_EXPR_NULL || e->kind == HCL_EXPR_BOOL || e->kind == HCL_EXPR_NUMBER;
}

/* A static traversal: a name followed by attributes and constant indexes. */
static bool is_static_traversal(const struct hcl_expr *e)
{
	if (e->kind == HCL_EXPR_VARIABLE)
		return true;
	if (e->kind != HCL_EXPR_TRAVERSAL || e->as.traversal.source->kind != HCL_EXPR_VARIABLE)
		return false;
	for (size_t i = 0; i < e->as.traversal.count; i++) {
		const struct hcl_step *step = &e->as.traversal.steps[i];

		if (step->kind == HCL_STEP_SPLAT_ATTR || step->kind == HCL_STEP_SPLAT_FULL)
			return false;
		if (step->kind == HCL_STEP_INDEX && !is_literal(step->key))
			return false;
	}
	return true;
}

static cJSON *convert(const struct hcl_expr *e);

static char *object_key(const struct hcl_object_item *item)
{
	struct buf b = BUF_INIT;

	if (is_static_traversal(item->key))
		put_source(&b, item->key->span);
	else
		put_part_expr(&b, item->key);
	return buf_detach(&b);
}

static cJSON *convert_unary(const struct hcl_expr *e)
{
	const struct hcl_expr *operand = e->as.unary.operand;
	struct buf b = BUF_INIT;

	if (e->as.unary.op == HCL_OP_NEGATE && operand->kind == HCL_EXPR_NUMBER)
		return cJSON_CreateNumber(-operand->as.number.value);
	if (e->as.unary.op == HCL_OP_NOT && operand->kind == HCL_EXPR_BOOL)
		return cJSON_CreateBool(!operand->as.boolean);
	put_wrapped(&b, e);
	return string_item(&b);
}

static cJSON *convert(const struct hcl_expr *e)
{
	struct buf b = BUF_INIT;
	cJSON *item;

	switch (e->kind) {
	case HCL_EXPR_NULL:
		return cJSON_CreateNull();
	case HCL_EXPR_BOOL:
		return cJSON_CreateBool(e->as.boolean);
	case HCL_EXPR_NUMBER:
		return cJSON_CreateNumber(e->as.number.value);
	case HCL_EXPR_TEMPLATE:
		if (e->as.template.wrap)
			return convert(e->as.template.parts[0].expr);
		put_template(&b, e);
		return string_item(&b);
	case HCL_EXPR_TUPLE:
		item = cJSON_CreateArray();
		for (size_t i = 0; i < e->as.tuple.count; i++)
			cJSON_AddItemToArray(item, convert(e->as.tuple.items[i]));
		return item;
	case HCL_EXPR_OBJECT:
		item = cJSON_CreateObject();
		for (size_t i = 0; i < e->as.object.count; i++) {
			char *key = object_key(&e->as.object.items[i]);

			cJSON_DeleteItemFromObjectCaseSensitive(item, key);
			cJSON_AddItemToObject(item, key, convert(e->as.object.items[i].value));
			free(key);
		}
		return item;
	case HCL_EXPR_UNARY:
		return convert_unary(e);
	default:
		put_wrapped(&b, e);
		return string_item(&b);
	}
}

static cJSON *convert_body(const struct hcl_body *body);

/* Nest a block under its type and labels, appending to a list at the end. */
static void add_block(cJSON *out, const struct hcl_block *block)
{
	const char *key = block->type;
	cJSON *list;

	for (size_t i = 0; i < block->label_count; i++) {
		cJSON *inner = cJSON_GetObjectItemCaseSensitive(out, key);

		if (!inner) {
			inner = cJSON_CreateObject();
			cJSON_AddItemToObject(out, key, inner);
		}
		out = inner;
		key = block->labels[i];
	}
	list = cJSON_GetObjectItemCaseSensitive(out, key);
	if (!list) {
		list = cJSON_CreateArray();
		cJSON_AddItemToObject(out, key, list);
	}
	cJSON_AddItemToArray(list, convert_body(block->body));
}

static cJSON *convert_body(const struct hcl_body *body)
{
	cJSON *out = cJSON_CreateObject();

	for (size_t i = 0; i < body->attribute_count; i++)
		cJSON_AddItemToObject(out, body->attributes[i].name, convert(body->attributes[i].expr));
	for (size_t i = 0; i < body->block_count; i++)
		add_block(out, &body->blocks[i]);
	return out;
}

static cJSON *errors_item(const struct source_set *sources, const struct diag_store *diags)
{
	cJSON *list = cJSON_CreateArray();

	for (size_t i = 0; i < diags->count; i++) {
		const struct finding *f = &diags->items[i];
		struct position pos = source_position(source_get(sources, f->span.source), f->span.offset);
		cJSON *item = cJSON_CreateObject();

		cJSON_AddNumberToObject(item, "line", pos.line);
		cJSON_AddNumberToObject(item, "column", pos.column);
		cJSON_AddStringToObject(item, "message", f->message);
		cJSON_AddItemToArray(list, item);
	}
	return list;
}

static int dump_file(const char *path, bool evaluate)
{
	struct source_set sources;
	struct diag_store diags;
	struct hcl_file file;
	const char *reason;
	uint32_t id;
	cJSON *out;
	char *text;

	source_set_init(&sources);
	if (source_set_read(&sources, path, &id, &reason) != SOURCE_OK) {
		fprintf(stderr, "hcl-dump: %s: %s\n", path, reason);
		source_set_release(&sources);
		return 2;
	}
	diag_init(&diags);
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "file", path);
	current = &file;
	if (hcl_parse(&file, &sources, id, &diags)) {
		cJSON_AddTrueToObject(out, "ok");
		cJSON_AddItemToObject(out, "body", convert_body(file.body));
		if (evaluate)
			cJSON_AddItemToObject(out, "eval", eval_item(&sources, file.body));
	} else {
		diag_finish(&diags);
		cJSON_AddFalseToObject(out, "ok");
		cJSON_AddItemToObject(out, "errors", errors_item(&sources, &diags));
	}
	text = cJSON_PrintUnformatted(out);
	printf("%s\n", text);

	free(text);
	cJSON_Delete(out);
	hcl_file_release(&file);
	diag_release(&diags);
	source_set_release(&sources);
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;
	bool evaluate = argc > 1 && strcmp(argv[1], "--eval") == 0;
	int first = evaluate ? 2 : 1;

	if (argc <= first) {
		fprintf(stderr, "usage: hcl-dump [--eval] FILE...\n");
		return 2;
	}
	for (int i = first; i < argc; i++) {
		if (dump_file(argv[i], evaluate) != 0)
			status = 2;
	}
	return status;
}
