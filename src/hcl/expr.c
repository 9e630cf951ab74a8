/*
 * The HCL expression grammar: operators by precedence, terms, postfix
 * traversals, collections, for expressions and function calls.
 *
 * Precedence, lowest first: the conditional `? :`, then `||`, `&&`,
 * `== !=`, `< > <= >=`, `+ -`, `* / %`, then the unary `!` and `-`, then
 * postfix steps.  Binary operators of one level associate to the left.
 *
 * Postfix steps are kept flat in one HCL_EXPR_TRAVERSAL node rather than
 * as a chain of nested nodes, so a long `a.b[0].c` costs no recursion in
 * any later walk of the tree.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct span join(struct span a, struct span b)
{
	return span_join(a, b);
}

static struct token expect(struct parser *p, enum token_type type, const char *expected)
{
	struct token t = parser_next(p);

	if (t.type != type)
		parser_unexpected(p, t, expected);
	return t;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_keyword(const struct parser *p, struct token t, const char *word)
{
	size_t n = strlen(word);

	return t.type == T_IDENT && t.length == n && memcmp(p->lex.text + t.offset, word, n) == 0;
}

static char *text_of(struct parser *p, struct token t)
{
	return arena_strndup(&p->file->arena, p->lex.text + t.offset, t.length);
}

static struct hcl_expr *parse_number(struct parser *p, struct token t)
{
	struct hcl_expr *e = parser_new_expr(p, HCL_EXPR_NUMBER, token_span(p, t));

	e->as.number.text = text_of(p, t);
	e->as.number.value = strtod(e->as.number.text, NULL);
	return e;
}

static struct hcl_expr *parse_call(struct parser *p, struct token name)
{
	struct hcl_expr *e = parser_new_expr(p, HCL_EXPR_CALL, token_span(p, name));
	struct hcl_expr **args = NULL;
	size_t cap = 0;
	struct token t;
	struct token open;
	uint32_t name_end = name.offset + name.length;

	/* provider::aws::arn_parse(...): a function name with namespaces. */
	while (parser_peek(p).type == T_DOUBLE_COLON) {
		parser_next(p);
		t = expect(p, T_IDENT, "a function name after '::'");
		name_end = t.offset + t.length;
	}
	e->as.call.name = arena_strndup(&p->file->arena, p->lex.text + name.offset, name_end - name.offset);
	e->as.call.name_span = parser_span(p, name.offset, name_end - name.offset);

	open = expect(p, T_LPAREN, "'(' after the function name");
	parser_enter(p, open);
	parser_push_newlines(p, false);
	for (;;) {
		struct hcl_expr *arg;
		char expected[128];

		if (parser_peek(p).type == T_RPAREN)
			break;
		arg = parse_expression(p);
		parser_set_depth(p, e, arg);
		VEC_PUSH(&p->file->arena, args, e->as.call.count, cap, arg);
		t = parser_peek(p);
		if (t.type == T_COMMA) {
			parser_next(p);
			continue;
		}
		if (t.type == T_ELLIPSIS) {
			parser_next(p);
			e->as.call.expand_last = true;
			if (parser_peek(p).type != T_RPAREN)
				parser_unexpected(p, parser_peek(p),
						  "')' after '...', which may only follow the last argument");
			break;
		}
		if (t.type == T_RPAREN)
			break;
		snprintf(expected, sizeof(expected), "',' or ')' after an argument of '%s'", e->as.call.name);
		parser_unexpected(p, t, expected);
	}
	t = expect(p, T_RPAREN, "')'");
	parser_pop_newlines(p);
	parser_leave(p);
	e->as.call.args = args;
	e->span = join(e->span, token_span(p, t));
	return e;
}

static struct hcl_expr *parse_for(struct parser *p, struct token open, bool object)
{
	struct hcl_expr *e = parser_new_expr(p, HCL_EXPR_FOR, token_span(p, open));
	enum token_type close = object ? T_RBRACE : T_RBRACKET;
	struct token t;

	parser_next(p); /* for */
	e->as.for_expr.object = object;
	t = expect(p, T_IDENT, "a variable name after 'for'");
	e->as.for_expr.value_var = text_of(p, t);
	if (parser_peek(p).type == T_COMMA) {
		parser_next(p);
		t = expect(p, T_IDENT, "a second variable name after ',' in 'for'");
		e->as.for_expr.key_var = e->as.for_expr.value_var;
		e->as.for_expr.value_var = text_of(p, t);
	}
	t = parser_next(p);
	if (!is_keyword(p, t, "in"))
		parser_unexpected(p, t, "'in' after the variable names of 'for'");

	e->as.for_expr.collection = parse_expression(p);
	expect(p, T_COLON, "':' after the collection of the 'for' expression");
	if (object) {
		e->as.for_expr.key = parse_expression(p);
		expect(p, T_ARROW, "'=>' between the key and the value of the 'for' expression");
	}
	e->as.for_expr.value = parse_expression(p);
	if (object && parser_peek(p).type == T_ELLIPSIS) {
		parser_next(p);
		e->as.for_expr.grouping = true;
	}
	if (is_keyword(p, parser_peek(p), "if")) {
		parser_next(p);
		e->as.for_expr.condition = parse_expression(p);
	}
	t = expect(p, close, object ? "'}' to end the 'for' expression" : "']' to end the 'for' expression");

	parser_set_depth(p, e, e->as.for_expr.collection);
	parser_set_depth(p, e, e->as.for_expr.key);
	parser_set_depth(p, e, e->as.for_expr.value);
	parser_set_depth(p, e, e->as.for_expr.condition);
	e->span = join(e->span, token_span(p, t));
	return e;
}

/* Is the next token, line breaks skipped, the keyword `for`? */
static bool next_is_for(struct parser *p)
{
	bool found;

	parser_push_newlines(p, false);
	found = is_keyword(p, parser_peek(p), "for");
	parser_pop_newlines(p);
	return found;
}

static struct hcl_expr *parse_tuple(struct parser *p, struct token open)
{
	struct hcl_expr *e;
	struct hcl_expr **items = NULL;
	size_t cap = 0;
	struct token t;

	parser_push_newlines(p, false);
	if (next_is_for(p)) {
		e = parse_for(p, open, false);
		parser_pop_newlines(p);
		return e;
	}

	e = parser_new_expr(p, HCL_EXPR_TUPLE, token_span(p, open));
	for (;;) {
		struct hcl_expr *item;

		if (parser_peek(p).type == T_RBRACKET)
			break;
		item = parse_expression(p);
		parser_set_depth(p, e, item);
		VEC_PUSH(&p->file->arena, items, e->as.tuple.count, cap, item);
		t = parser_peek(p);
		if (t.type == T_COMMA) {
			parser_next(p);
			continue;
		}
		if (t.type != T_RBRACKET)
			parser_unexpected(p, t, "',' or ']' after a list element");
	}
	t = parser_next(p);
	parser_pop_newlines(p);
	e->as.tuple.items = items;
	e->span = join(e->span, token_span(p, t));
	return e;
}

static void describe_key(struct parser *p, const struct hcl_expr *key, char *buf, size_t size)
{
	size_t n;
	const char *text = hcl_span_text(p->file, key->span, &n);

	snprintf(buf, size, "%.*s", n > 60 ? 60 : (int)n, text);
}

static struct hcl_expr *parse_object(struct parser *p, struct token open)
{
	struct hcl_expr *e;
	struct hcl_object_item *items = NULL;
	size_t cap = 0;
	struct token t;

	if (next_is_for(p)) {
		parser_push_newlines(p, false);
		e = parse_for(p, open, true);
		parser_pop_newlines(p);
		return e;
	}

	e = parser_new_expr(p, HCL_EXPR_OBJECT, token_span(p, open));
	parser_push_newlines(p, true);
	for (;;) {
		struct hcl_object_item item;
		char key[64];
		char expected[128];

		t = parser_peek(p);
		if (t.type == T_NEWLINE) {
			parser_next(p);
			continue;
		}
		if (t.type == T_RBRACE)
			break;
		if (t.type == T_EOF)
			parser_fail(p, open, "this '{' is never closed: expected '}' before the end of the file");

		memset(&item, 0, sizeof(item));
		item.key = parse_expression(p);
		item.key_is_name = item.key->kind == HCL_EXPR_VARIABLE;
		describe_key(p, item.key, key, sizeof(key));
		t = parser_next(p);
		if (t.type != T_ASSIGN && t.type != T_COLON) {
			snprintf(expected, sizeof(expected), "'=' or ':' after the object key '%s'", key);
			parser_unexpected(p, t, expected);
		}
		item.colon = t.type == T_COLON;
		item.value = parse_expression(p);
		parser_set_depth(p, e, item.key);
		parser_set_depth(p, e, item.value);
		VEC_PUSH(&p->file->arena, items, e->as.object.count, cap, item);

		t = parser_peek(p);
		if (t.type == T_COMMA || t.type == T_NEWLINE) {
			parser_next(p);
			continue;
		}
		if (t.type != T_RBRACE) {
			snprintf(expected, sizeof(expected), "',' or a line break after the value of '%s'", key);
			parser_unexpected(p, t, expected);
		}
	}
	t = parser_next(p);
	parser_pop_newlines(p);
	e->as.object.items = items;
	e->span = join(e->span, token_span(p, t));
	return e;
}

static struct hcl_expr *parse_parens(struct parser *p, struct token open)
{
	struct hcl_expr *e = parser_new_expr(p, HCL_EXPR_PARENS, token_span(p, open));
	struct token t;

	parser_push_newlines(p, false);
	e->as.inner = parse_expression(p);
	t = expect(p, T_RPAREN, "')' to close the parenthesis");
	parser_pop_newlines(p);
	parser_set_depth(p, e, e->as.inner);
	e->span = join(e->span, token_span(p, t));
	return e;
}

static struct hcl_expr *parse_name(struct parser *p, struct token t)
{
	struct hcl_expr *e;
	struct token next = parser_peek(p);

	if (next.type == T_LPAREN || next.type == T_DOUBLE_COLON)
		return parse_call(p, t);
	if (is_keyword(p, t, "true") || is_keyword(p, t, "false")) {
		e = parser_new_expr(p, HCL_EXPR_BOOL, token_span(p, t));
		e->as.boolean = is_keyword(p, t, "true");
		return e;
	}
	if (is_keyword(p, t, "null"))
		return parser_new_expr(p, HCL_EXPR_NULL, token_span(p, t));
	e = parser_new_expr(p, HCL_EXPR_VARIABLE, token_span(p, t));
	e->as.variable = text_of(p, t);
	return e;
}

static struct hcl_expr *parse_term(struct parser *p)
{
	struct token t = parser_next(p);
	struct hcl_expr *e;

	parser_enter(p, t);
	switch (t.type) {
	case T_NUMBER:
		e = parse_number(p, t);
		break;
	case T_IDENT:
		e = parse_name(p, t);
		break;
	case T_OQUOTE:
	case T_HEREDOC_OPEN:
		e = parse_template_expr(p, t);
		break;
	case T_LBRACKET:
		e = parse_tuple(p, t);
		break;
	case T_LBRACE:
		e = parse_object(p, t);
		break;
	case T_LPAREN:
		e = parse_parens(p, t);
		break;
	default:
		parser_unexpected(p, t, "an expression");
	}
	parser_leave(p);
	return e;
}

static struct hcl_step parse_dot_step(struct parser *p, struct token dot)
{
	struct hcl_step step;
	struct token t = parser_next(p);

	memset(&step, 0, sizeof(step));
	step.span = join(token_span(p, dot), token_span(p, t));
	switch (t.type) {
	case T_IDENT:
		step.kind = HCL_STEP_ATTR;
		step.name = text_of(p, t);
		break;
	case T_NUMBER:
		step.kind = HCL_STEP_LEGACY_INDEX;
		step.key = parse_number(p, t);
		if (p->lex.text[t.offset + t.length] == '.' &&
		    is_digit(p->lex.text[t.offset + t.length + 1]))
			parser_fail_span(p, parser_span(p, t.offset, t.length + 2),
					 "invalid index: legacy indexes such as '.0' cannot be chained; write [%.*s][%c] instead",
					 (int)t.length, p->lex.text + t.offset, p->lex.text[t.offset + t.length + 1]);
		break;
	case T_STAR:
		step.kind = HCL_STEP_SPLAT_ATTR;
		break;
	default:
		parser_unexpected(p, t, "an attribute name after '.'");
	}
	return step;
}

static struct hcl_step parse_bracket_step(struct parser *p, struct token open)
{
	struct hcl_step step;
	struct token t;

	memset(&step, 0, sizeof(step));
	parser_push_newlines(p, false);
	if (parser_peek(p).type == T_STAR) {
		parser_next(p);
		step.kind = HCL_STEP_SPLAT_FULL;
	} else {
		step.kind = HCL_STEP_INDEX;
		step.key = parse_expression(p);
	}
	t = expect(p, T_RBRACKET, step.kind == HCL_STEP_SPLAT_FULL ? "']' after '[*'" : "']' after the index");
	parser_pop_newlines(p);
	step.span = join(token_span(p, open), token_span(p, t));
	return step;
}

static struct hcl_expr *parse_postfix(struct parser *p, struct hcl_expr *source)
{
	struct hcl_expr *e = NULL;
	struct hcl_step *steps = NULL;
	size_t count = 0;
	size_t cap = 0;
	bool in_attr_splat = false;

	for (;;) {
		struct token t = parser_peek(p);
		struct hcl_step step;

		if (t.type == T_DOT) {
			parser_next(p);
			step = parse_dot_step(p, t);
		} else if (t.type == T_LBRACKET) {
			parser_next(p);
			step = parse_bracket_step(p, t);
		} else {
			break;
		}
		if (step.kind == HCL_STEP_SPLAT_ATTR && in_attr_splat)
			parser_fail_span(p, step.span,
					 "a '.*' splat cannot be nested in another '.*' splat; write the outer one as [*]");
		if (step.kind == HCL_STEP_SPLAT_ATTR)
			in_attr_splat = true;
		else if (step.kind == HCL_STEP_INDEX || step.kind == HCL_STEP_SPLAT_FULL)
			in_attr_splat = false;
		if (!e) {
			e = parser_new_expr(p, HCL_EXPR_TRAVERSAL, source->span);
			e->as.traversal.source = source;
			parser_set_depth(p, e, source);
		}
		parser_set_depth(p, e, step.key);
		VEC_PUSH(&p->file->arena, steps, count, cap, step);
		e->span = join(e->span, step.span);
	}
	if (!e)
		return source;
	e->as.traversal.steps = steps;
	e->as.traversal.count = count;
	return e;
}

static struct hcl_expr *parse_unary(struct parser *p)
{
	struct token t = parser_peek(p);
	struct hcl_expr *e;

	if (t.type != T_BANG && t.type != T_MINUS)
		return parse_postfix(p, parse_term(p));

	parser_next(p);
	parser_enter(p, t);
	e = parser_new_expr(p, HCL_EXPR_UNARY, token_span(p, t));
	e->as.unary.op = t.type == T_BANG ? HCL_OP_NOT : HCL_OP_NEGATE;
	e->as.unary.operand = parse_unary(p);
	parser_set_depth(p, e, e->as.unary.operand);
	e->span = join(e->span, e->as.unary.operand->span);
	parser_leave(p);
	return e;
}

/* Binary operator levels, 1 binding loosest; 0 for other tokens. */
static int binary_level(enum token_type type, enum hcl_operator *op)
{
	switch (type) {
	case T_OR: *op = HCL_OP_OR; return 1;
	case T_AND: *op = HCL_OP_AND; return 2;
	case T_EQUAL: *op = HCL_OP_EQUAL; return 3;
	case T_NOT_EQUAL: *op = HCL_OP_NOT_EQUAL; return 3;
	case T_LESS: *op = HCL_OP_LESS; return 4;
	case T_LESS_EQUAL: *op = HCL_OP_LESS_EQUAL; return 4;
	case T_GREATER: *op = HCL_OP_GREATER; return 4;
	case T_GREATER_EQUAL: *op = HCL_OP_GREATER_EQUAL; return 4;
	case T_PLUS: *op = HCL_OP_ADD; return 5;
	case T_MINUS: *op = HCL_OP_SUBTRACT; return 5;
	case T_STAR: *op = HCL_OP_MULTIPLY; return 6;
	case T_SLASH: *op = HCL_OP_DIVIDE; return 6;
	case T_PERCENT: *op = HCL_OP_MODULO; return 6;
	default: return 0;
	}
}

enum { BINARY_LEVELS = 6 };

static struct hcl_expr *parse_binary(struct parser *p, int level)
{
	struct hcl_expr *left;

	if (level > BINARY_LEVELS)
		return parse_unary(p);

	left = parse_binary(p, level + 1);
	for (;;) {
		struct token t = parser_peek(p);
		enum hcl_operator op = HCL_OP_OR;
		struct hcl_expr *e;

		if (binary_level(t.type, &op) != level)
			break;
		parser_next(p);
		e = parser_new_expr(p, HCL_EXPR_BINARY, left->span);
		e->as.binary.op = op;
		e->as.binary.left = left;
		e->as.binary.right = parse_binary(p, level + 1);
		parser_set_depth(p, e, left);
		parser_set_depth(p, e, e->as.binary.right);
		e->span = join(left->span, e->as.binary.right->span);
		left = e;
	}
	return left;
}

struct hcl_expr *parse_expression(struct parser *p)
{
	struct token first = parser_peek(p);
	struct hcl_expr *cond;
	struct hcl_expr *e;

	parser_enter(p, first);
	cond = parse_binary(p, 1);
	if (parser_peek(p).type != T_QUESTION) {
		parser_leave(p);
		return cond;
	}

	parser_next(p);
	e = parser_new_expr(p, HCL_EXPR_CONDITIONAL, cond->span);
	e->as.conditional.condition = cond;
	e->as.conditional.then_expr = parse_expression(p);
	expect(p, T_COLON, "':' between the two results of the conditional");
	e->as.conditional.else_expr = parse_expression(p);
	parser_set_depth(p, e, cond);
	parser_set_depth(p, e, e->as.conditional.then_expr);
	parser_set_depth(p, e, e->as.conditional.else_expr);
	e->span = join(cond->span, e->as.conditional.else_expr->span);
	parser_leave(p);
	return e;
}
