/*
 * The HCL parser: configuration structure (bodies, attributes, blocks),
 * error reporting and recovery.  Expressions are in expr.c and templates
 * in template.c.
 *
 * The parser pulls tokens from the lexer into a buffer that contains only
 * the current top-level item.  It peeks past line breaks where HCL ignores
 * them (inside parentheses, brackets, function arguments and template
 * sequences), but not where they end an attribute.
 *
 * A syntax error is reported once, where it is found, and then abandons
 * the current top-level item with longjmp.  That is safe because every
 * allocation the item made lives in the file's arena and nothing needs
 * undoing: the tree of the abandoned item is simply never linked in.
 * Recovery then restarts the lexer at the next line that looks like the
 * start of a top-level block or attribute, so later blocks still parse.
 *
 * Not done here: evaluation (hcl_eval.h), and any Terraform meaning of
 * block types or attribute names.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *arena_vec_grow(struct arena *arena, void *items, size_t count, size_t *cap, size_t size)
{
	size_t new_cap = *cap ? *cap * 2 : 4;
	void *grown = arena_alloc(arena, new_cap * size);

	if (count)
		memcpy(grown, items, count * size);
	*cap = new_cap;
	return grown;
}

struct span parser_span(const struct parser *p, uint32_t offset, uint32_t length)
{
	return span_make(p->file->source, offset, length);
}

struct span token_span(const struct parser *p, struct token t)
{
	return parser_span(p, t.offset, t.length);
}

static struct token token_at(struct parser *p, size_t index)
{
	while (p->token_count <= index) {
		struct token t = lex_next(&p->lex);

		if (++p->lexed > HCL_MAX_TOKENS && t.type != T_EOF)
			parser_fail_limit(p, token_span(p, t), t.offset, true,
					  "split the file, or move generated data out of the Terraform that is checked",
					  "the file has more than %d tokens, the limit for one file; the rest of it was not read",
					  HCL_MAX_TOKENS);
		p->tokens = xgrow(p->tokens, &p->token_cap, p->token_count + 1, sizeof(*p->tokens));
		p->tokens[p->token_count++] = t;
	}
	return p->tokens[index];
}

static bool newlines_significant(const struct parser *p)
{
	return p->newlines[p->newline_depth - 1];
}

/* The next token, skipping line breaks where they are not significant. */
static size_t peek_index(struct parser *p)
{
	size_t i = p->pos;

	while (token_at(p, i).type == T_NEWLINE && !newlines_significant(p))
		i++;
	return i;
}

struct token parser_peek(struct parser *p)
{
	return token_at(p, peek_index(p));
}

struct token parser_next(struct parser *p)
{
	size_t i = peek_index(p);
	struct token t = token_at(p, i);

	/* Never step past the end, so every later peek returns T_EOF again. */
	if (t.type != T_EOF)
		p->pos = i + 1;
	else
		p->pos = i;
	return t;
}

static _Noreturn void fail_nesting(struct parser *p, struct span span);

void parser_push_newlines(struct parser *p, bool significant)
{
	if (p->newline_depth == IX_COUNT(p->newlines))
		fail_nesting(p, token_span(p, parser_peek(p)));
	p->newlines[p->newline_depth++] = significant;
}

void parser_pop_newlines(struct parser *p)
{
	if (p->newline_depth > 1)
		p->newline_depth--;
}

void parser_enter(struct parser *p, struct token at)
{
	if (++p->depth > HCL_MAX_NESTING)
		fail_nesting(p, token_span(p, at));
}

void parser_leave(struct parser *p)
{
	p->depth--;
}

static void report(struct parser *p, struct span span, const char *fmt, va_list ap)
{
	char *message = xvasprintf(fmt, ap);

	if (p->diags)
		diag_add(p->diags, RULE_HCL_SYNTAX, span, "%s", message);
	free(message);
	p->file->error_count++;
}

_Noreturn void parser_fail_span(struct parser *p, struct span span, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(p, span, fmt, ap);
	va_end(ap);
	p->error_offset = span.offset;
	longjmp(p->abort, 1);
}

_Noreturn void parser_fail(struct parser *p, struct token at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(p, token_span(p, at), fmt, ap);
	va_end(ap);
	p->error_offset = at.offset;
	longjmp(p->abort, 1);
}

_Noreturn void parser_fail_limit(struct parser *p, struct span span, uint32_t resume, bool stop,
				 const char *hint, const char *fmt, ...)
{
	struct finding *f = NULL;
	char *message;
	va_list ap;

	va_start(ap, fmt);
	message = xvasprintf(fmt, ap);
	va_end(ap);
	if (p->diags)
		f = diag_add(p->diags, RULE_LIMIT_EXCEEDED, span, "%s", message);
	if (f && hint)
		diag_set_hint(f, "%s", hint);
	free(message);
	p->file->error_count++;
	p->error_offset = resume;
	p->stopped = stop;
	longjmp(p->abort, 1);
}

/* +1 for a token that opens a bracket or template sequence, -1 for one that closes it. */
static int bracket_change(enum token_type type)
{
	switch (type) {
	case T_LBRACE:
	case T_LBRACKET:
	case T_LPAREN:
	case T_INTERP_OPEN:
	case T_CONTROL_OPEN:
		return 1;
	case T_RBRACE:
	case T_RBRACKET:
	case T_RPAREN:
	case T_SEQ_END:
		return -1;
	default:
		return 0;
	}
}

/*
 * The offset just after the token that closes every bracket the current
 * item has open, lexing ahead as far as needed.  Returns `fallback` when
 * no bracket is open or they never close.
 */
static uint32_t end_of_open_brackets(struct parser *p, uint32_t fallback)
{
	long open = 0;
	struct token t;

	for (size_t i = 0; i < p->token_count; i++)
		open += bracket_change(p->tokens[i].type);
	if (open <= 0)
		return fallback;
	do {
		t = lex_next(&p->lex);
		open += bracket_change(t.type);
	} while (open > 0 && t.type != T_EOF);
	return open > 0 ? fallback : t.offset + t.length;
}

/*
 * Report nesting deeper than HCL_MAX_NESTING and abandon the item.  Recovery
 * resumes after the brackets that are open, not at the next line that looks
 * like an item.  In a file of unindented nested blocks every line looks like
 * one, so each would be reported again.
 */
static _Noreturn void fail_nesting(struct parser *p, struct span span)
{
	if (p->diags)
		diag_add(p->diags, RULE_HCL_SYNTAX, span,
			 "nesting deeper than %d levels; iamcross does not read expressions nested this deeply",
			 HCL_MAX_NESTING);
	p->file->error_count++;
	p->error_offset = end_of_open_brackets(p, span.offset);
	longjmp(p->abort, 1);
}

static const char *punctuation(enum token_type type)
{
	switch (type) {
	case T_CQUOTE: return "\"";
	case T_INTERP_OPEN: return "${";
	case T_CONTROL_OPEN: return "%{";
	case T_SEQ_END: return "}";
	case T_LBRACE: return "{";
	case T_RBRACE: return "}";
	case T_LBRACKET: return "[";
	case T_RBRACKET: return "]";
	case T_LPAREN: return "(";
	case T_RPAREN: return ")";
	case T_PLUS: return "+";
	case T_MINUS: return "-";
	case T_STAR: return "*";
	case T_SLASH: return "/";
	case T_PERCENT: return "%";
	case T_AND: return "&&";
	case T_OR: return "||";
	case T_BANG: return "!";
	case T_EQUAL: return "==";
	case T_NOT_EQUAL: return "!=";
	case T_LESS: return "<";
	case T_LESS_EQUAL: return "<=";
	case T_GREATER: return ">";
	case T_GREATER_EQUAL: return ">=";
	case T_ASSIGN: return "=";
	case T_COLON: return ":";
	case T_DOUBLE_COLON: return "::";
	case T_QUESTION: return "?";
	case T_DOT: return ".";
	case T_COMMA: return ",";
	case T_ELLIPSIS: return "...";
	case T_ARROW: return "=>";
	default: return NULL;
	}
}

const char *token_describe(const struct parser *p, struct token t, char *buf, size_t size)
{
	const char *text = p->lex.text + t.offset;
	int shown = t.length > 40 ? 40 : (int)t.length;

	if (punctuation(t.type)) {
		snprintf(buf, size, "'%s'", punctuation(t.type));
		return buf;
	}
	switch (t.type) {
	case T_EOF:
		return "the end of the file";
	case T_NEWLINE:
		return "the end of the line";
	case T_IDENT:
		snprintf(buf, size, "'%.*s'", shown, text);
		return buf;
	case T_NUMBER:
		snprintf(buf, size, "the number %.*s", shown, text);
		return buf;
	case T_OQUOTE:
		return "a string";
	case T_HEREDOC_OPEN:
		return "a heredoc";
	case T_HEREDOC_CLOSE:
		return "the end of the heredoc";
	case T_QUOTED_LIT:
	case T_STRING_LIT:
		return "text";
	case T_INVALID:
		snprintf(buf, size, "the character '%.*s'", shown, text);
		return buf;
	case T_BAD_UTF8:
		return "a byte that is not valid UTF-8";
	case T_UNTERMINATED_COMMENT:
		return "an unterminated comment";
	case T_BAD_HEREDOC:
		return "'<<'";
	default:
		return "something else";
	}
}

/* Report a token the lexer could not read, if `found` is one. */
static void fail_lexical(struct parser *p, struct token found)
{
	const char *text = p->lex.text + found.offset;

	switch (found.type) {
	case T_INVALID:
		if ((unsigned char)text[0] < 0x20 || text[0] == 0x7f)
			parser_fail(p, found, "invalid character U+%04X; HCL uses it only inside strings and comments",
				    (unsigned char)text[0]);
		parser_fail(p, found, "invalid character '%.*s'; HCL uses it only inside strings and comments",
			    (int)found.length, text);
	case T_BAD_UTF8:
		parser_fail(p, found, "invalid UTF-8 byte 0x%02x; Terraform reads files only as UTF-8",
			    (unsigned char)text[0]);
	case T_UNTERMINATED_COMMENT:
		parser_fail(p, found, "unterminated comment: no closing '*/' for this '/*'");
	case T_BAD_HEREDOC:
		parser_fail(p, found, "invalid heredoc: '<<' must be followed by a marker name such as EOF and a line break");
	default:
		break;
	}
}

_Noreturn void parser_unexpected(struct parser *p, struct token found, const char *expected)
{
	char buf[64];

	fail_lexical(p, found);
	parser_fail(p, found, "expected %s, found %s", expected, token_describe(p, found, buf, sizeof(buf)));
}

struct hcl_expr *parser_new_expr(struct parser *p, enum hcl_expr_kind kind, struct span span)
{
	struct hcl_expr *e = ARENA_NEW(&p->file->arena, struct hcl_expr);

	e->kind = kind;
	e->span = span;
	e->depth = 1;
	return e;
}

void parser_set_depth(struct parser *p, struct hcl_expr *expr, const struct hcl_expr *child)
{
	if (!child || child->depth + 1u <= expr->depth)
		return;
	if (child->depth + 1u > HCL_MAX_NESTING)
		fail_nesting(p, child->span);
	expr->depth = (uint16_t)(child->depth + 1);
}

static char *token_text(struct parser *p, struct token t)
{
	return arena_strndup(&p->file->arena, p->lex.text + t.offset, t.length);
}

/* Everything a body collects while it is parsed. */
/*
 * Attributes a body has before its names are hashed for the duplicate
 * check.  Smaller bodies are searched in order.
 */
enum { BODY_HASH_MIN = 16 };

struct body_builder {
	struct hcl_body *body;
	size_t attribute_cap;
	size_t block_cap;
	/* Attribute index + 1 by name, open addressing; NULL while the body is small. */
	uint32_t *names;
	size_t names_cap;
};

static void body_start(struct parser *p, struct body_builder *b, struct span span)
{
	b->body = ARENA_NEW(&p->file->arena, struct hcl_body);
	b->body->span = span;
	b->attribute_cap = 0;
	b->block_cap = 0;
	b->names = NULL;
	b->names_cap = 0;
}

static size_t hash_name(const char *name)
{
	uint64_t h = 1469598103934665603u;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211u;
	return (size_t)h;
}

/* Rebuild the name table for the body's attributes, with room to grow. */
static void index_names(struct parser *p, struct body_builder *b)
{
	const struct hcl_body *body = b->body;
	size_t cap = 64;

	while (cap < 4 * body->attribute_count)
		cap *= 2;
	b->names = arena_alloc(&p->file->arena, cap * sizeof(*b->names));
	memset(b->names, 0, cap * sizeof(*b->names));
	b->names_cap = cap;
	for (size_t i = 0; i < body->attribute_count; i++) {
		size_t at = hash_name(body->attributes[i].name) & (cap - 1);

		while (b->names[at])
			at = (at + 1) & (cap - 1);
		b->names[at] = (uint32_t)(i + 1);
	}
}

static void index_names_add(struct body_builder *b, size_t index)
{
	size_t at = hash_name(b->body->attributes[index].name) & (b->names_cap - 1);

	while (b->names[at])
		at = (at + 1) & (b->names_cap - 1);
	b->names[at] = (uint32_t)(index + 1);
}

/* The attribute of the body named `name`, or NULL. */
static const struct hcl_attribute *find_attribute(const struct body_builder *b, const char *name)
{
	const struct hcl_body *body = b->body;

	if (!b->names)
		return hcl_body_attribute(body, name);
	for (size_t at = hash_name(name) & (b->names_cap - 1); b->names[at]; at = (at + 1) & (b->names_cap - 1)) {
		const struct hcl_attribute *attr = &body->attributes[b->names[at] - 1];

		if (strcmp(attr->name, name) == 0)
			return attr;
	}
	return NULL;
}

static void add_attribute(struct parser *p, struct body_builder *b, struct hcl_attribute attr)
{
	struct hcl_body *body = b->body;
	const struct hcl_attribute *first = find_attribute(b, attr.name);

	if (first) {
		if (p->diags)
			diag_add(p->diags, RULE_HCL_SYNTAX, attr.name_span,
				 "attribute '%s' is already set on line %u; Terraform allows each attribute once per block",
				 attr.name, p->source ? source_position(p->source, first->name_span.offset).line : 1);
		p->file->error_count++;
		return;
	}
	VEC_PUSH(&p->file->arena, body->attributes, body->attribute_count, b->attribute_cap, attr);
	if (body->attribute_count >= BODY_HASH_MIN && 2 * body->attribute_count >= b->names_cap)
		index_names(p, b);
	else if (b->names)
		index_names_add(b, body->attribute_count - 1);
}

static void describe_block(struct parser *p, const struct hcl_block *block, char *buf, size_t size)
{
	size_t used = (size_t)snprintf(buf, size, "%s", block->type);

	(void)p;
	for (size_t i = 0; i < block->label_count && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, " \"%s\"", block->labels[i]);
}

static void expect_line_end(struct parser *p, const char *after)
{
	struct token t = parser_peek(p);
	char buf[64];

	if (t.type == T_NEWLINE) {
		parser_next(p);
		return;
	}
	if (t.type == T_EOF)
		return;
	fail_lexical(p, t);
	parser_fail(p, t, "expected a line break after %s, found %s", after,
		    token_describe(p, t, buf, sizeof(buf)));
}

static void parse_body_item(struct parser *p, struct body_builder *b, bool one_line);

static void parse_attribute_rest(struct parser *p, struct body_builder *b, struct token name,
				 bool one_line)
{
	struct hcl_attribute attr;
	char after[96];

	parser_next(p); /* = */
	attr.name = token_text(p, name);
	attr.name_span = token_span(p, name);
	attr.expr = parse_expression(p);
	attr.span = span_join(attr.name_span, attr.expr->span);
	if (!one_line) {
		snprintf(after, sizeof(after), "the value of attribute '%s'", attr.name);
		expect_line_end(p, after);
	}
	add_attribute(p, b, attr);
}

static const char *parse_label(struct parser *p, struct token t, struct span *span)
{
	if (t.type == T_IDENT) {
		*span = token_span(p, t);
		return token_text(p, t);
	}
	return parse_label_string(p, t, span);
}

static void parse_block_body(struct parser *p, struct hcl_block *block, struct token open)
{
	struct body_builder inner;
	struct token t;
	char name[160];

	body_start(p, &inner, token_span(p, open));
	block->body = inner.body;
	t = parser_peek(p);

	if (t.type == T_RBRACE) {
		parser_next(p);
	} else if (t.type != T_NEWLINE) {
		/* A one-line block: at most one attribute, then '}'. */
		parse_body_item(p, &inner, true);
		t = parser_next(p);
		if (t.type != T_RBRACE) {
			describe_block(p, block, name, sizeof(name));
			if (t.type == T_NEWLINE || t.type == T_EOF)
				parser_fail(p, open, "block '%s' is never closed: expected '}' before %s",
					    name, t.type == T_EOF ? "the end of the file" : "the end of the line");
			parser_unexpected(p, t, "'}' after the one attribute a single-line block may hold");
		}
	} else {
		for (;;) {
			t = parser_peek(p);
			if (t.type == T_NEWLINE) {
				parser_next(p);
				continue;
			}
			if (t.type == T_RBRACE) {
				parser_next(p);
				break;
			}
			if (t.type == T_EOF) {
				describe_block(p, block, name, sizeof(name));
				parser_fail(p, open, "block '%s' is never closed: expected '}' before the end of the file",
					    name);
			}
			parse_body_item(p, &inner, false);
		}
	}
	inner.body->span = span_join(token_span(p, open), token_span(p, t));
	block->span = span_join(block->type_span, token_span(p, t));
}

static void parse_block_rest(struct parser *p, struct body_builder *b, struct token type,
			     bool one_line)
{
	struct hcl_block block;
	const char **labels = NULL;
	struct span *spans = NULL;
	size_t label_cap = 0;
	size_t span_cap = 0;
	size_t span_count = 0;
	struct token t;
	char name[160];
	char found[64];

	memset(&block, 0, sizeof(block));
	block.type = token_text(p, type);
	block.type_span = token_span(p, type);
	if (one_line)
		parser_fail(p, type, "a block on one line may hold one attribute, not the block '%s'; put it on lines of its own",
			    block.type);

	for (t = parser_peek(p); t.type == T_IDENT || t.type == T_OQUOTE; t = parser_peek(p)) {
		struct span label_span;
		const char *label;

		parser_next(p);
		label = parse_label(p, t, &label_span);
		VEC_PUSH(&p->file->arena, labels, block.label_count, label_cap, label);
		VEC_PUSH(&p->file->arena, spans, span_count, span_cap, label_span);
	}
	block.labels = labels;
	block.label_spans = spans;

	t = parser_next(p);
	if (t.type != T_LBRACE) {
		fail_lexical(p, t);
		describe_block(p, &block, name, sizeof(name));
		if (block.label_count == 0)
			parser_fail(p, t, "expected '=' after attribute name '%s', or '{' to open a block, found %s",
				    block.type, token_describe(p, t, found, sizeof(found)));
		parser_fail(p, t, "expected '{' to open block '%s', found %s", name,
			    token_describe(p, t, found, sizeof(found)));
	}
	parser_enter(p, t);
	parse_block_body(p, &block, t);
	parser_leave(p);

	describe_block(p, &block, name, sizeof(name));
	{
		char after[200];

		snprintf(after, sizeof(after), "the closing '}' of block '%s'", name);
		expect_line_end(p, after);
	}
	VEC_PUSH(&p->file->arena, b->body->blocks, b->body->block_count, b->block_cap, block);
}

static void parse_body_item(struct parser *p, struct body_builder *b, bool one_line)
{
	struct token name = parser_next(p);
	struct token t;
	char found[64];

	if (name.type != T_IDENT) {
		fail_lexical(p, name);
		if (name.type == T_RBRACE)
			parser_fail(p, name, "unexpected '}': there is no open block to close");
		parser_fail(p, name, "expected an attribute name or a block type, found %s",
			    token_describe(p, name, found, sizeof(found)));
	}

	t = parser_peek(p);
	if (t.type == T_ASSIGN) {
		parse_attribute_rest(p, b, name, one_line);
		return;
	}
	if (t.type == T_IDENT || t.type == T_OQUOTE || t.type == T_LBRACE) {
		parse_block_rest(p, b, name, one_line);
		return;
	}
	fail_lexical(p, t);
	parser_fail(p, t, "expected '=' after attribute name '%.*s', found %s", (int)name.length,
		    p->lex.text + name.offset, token_describe(p, t, found, sizeof(found)));
}

/*
 * Does the line at `offset` start a top-level item?  That is an identifier
 * at column 1 followed by quoted or bare labels and '{', or by '='.  A
 * heredoc's closing marker or a line of JSON inside a heredoc does not
 * look like that, so recovery does not restart inside them.
 */
static bool looks_like_item_start(const struct parser *p, uint32_t offset)
{
	const unsigned char *s = (const unsigned char *)p->lex.text;
	uint32_t length = p->lex.length;
	uint32_t i = offset;
	size_t n;
	bool first = true;

	for (;;) {
		if (!first)
			while (i < length && (s[i] == ' ' || s[i] == '\t'))
				i++;
		if (i >= length)
			return false;
		if (!first && s[i] == '{')
			return true;
		if (!first && s[i] == '=' && (i + 1 >= length || s[i + 1] != '='))
			return true;
		if (!first && s[i] == '"') {
			for (i++; i < length && s[i] != '"' && s[i] != '\n'; i++)
				if (s[i] == '\\')
					i++;
			if (i >= length || s[i] != '"')
				return false;
			i++;
			continue;
		}
		if (!lex_is_ident_start(s + i, length - i, &n))
			return false;
		for (i += (uint32_t)n; lex_is_ident_continue(s + i, length - i, &n); i += (uint32_t)n)
			;
		first = false;
	}
}

static uint32_t next_line(const struct parser *p, uint32_t offset)
{
	const char *nl = memchr(p->lex.text + offset, '\n', p->lex.length - offset);

	return nl ? (uint32_t)(nl - p->lex.text) + 1 : p->lex.length;
}

static uint32_t line_start(const struct parser *p, uint32_t offset)
{
	while (offset > 0 && p->lex.text[offset - 1] != '\n')
		offset--;
	return offset;
}

static void recover(struct parser *p)
{
	uint32_t error = p->error_offset > p->lex.length ? p->lex.length : p->error_offset;
	uint32_t pos = line_start(p, error);

	if (!(pos == error && pos > p->item_offset))
		pos = next_line(p, error);
	while (pos < p->lex.length && !looks_like_item_start(p, pos))
		pos = next_line(p, pos);

	lex_reset(&p->lex, pos);
	p->token_count = 0;
	p->pos = 0;
	p->newline_depth = 1;
	p->depth = 0;
}

/* Drop the tokens of finished items, keeping any lexed ahead. */
static void drop_consumed_tokens(struct parser *p)
{
	if (p->pos == 0)
		return;
	memmove(p->tokens, p->tokens + p->pos, (p->token_count - p->pos) * sizeof(*p->tokens));
	p->token_count -= p->pos;
	p->pos = 0;
}

static void parser_init(struct parser *p, struct hcl_file *file, const struct source_set *sources,
			uint32_t source_id, struct diag_store *diags, enum lex_mode root)
{
	const struct source *src = source_get(sources, source_id);

	memset(file, 0, sizeof(*file));
	arena_init(&file->arena);
	file->source = source_id;
	file->text = src ? src->text : "";
	file->length = src ? src->length : 0;

	memset(p, 0, sizeof(*p));
	p->file = file;
	p->source = src;
	p->diags = diags;
	lex_init(&p->lex, file->text, (uint32_t)file->length, root);
	p->newlines[0] = true;
	p->newline_depth = 1;
}

static void parser_release(struct parser *p)
{
	free(p->tokens);
}

/*
 * The top-level loop keeps its state in `p`, not in locals, because a
 * longjmp back into this frame would leave modified locals undefined.
 */
static void parse_top_level(struct parser *p, struct body_builder *b)
{
	for (;;) {
		struct token t;

		if (setjmp(p->abort) != 0) {
			if (p->stopped)
				break;
			recover(p);
			continue;
		}
		drop_consumed_tokens(p);
		t = parser_peek(p);
		if (t.type == T_EOF)
			break;
		if (t.type == T_NEWLINE) {
			parser_next(p);
			continue;
		}
		p->item_offset = t.offset;
		parse_body_item(p, b, false);
	}
}

bool hcl_parse(struct hcl_file *file, const struct source_set *sources, uint32_t source_id,
	       struct diag_store *diags)
{
	struct parser p;
	struct body_builder b;

	parser_init(&p, file, sources, source_id, diags, LEX_NORMAL);
	body_start(&p, &b, parser_span(&p, 0, (uint32_t)file->length));
	file->body = b.body;
	parse_top_level(&p, &b);
	parser_release(&p);
	return file->error_count == 0;
}

static void parse_whole_expression(struct parser *p)
{
	struct token t;

	p->newlines[0] = false;
	p->file->expr = parse_expression(p);
	t = parser_peek(p);
	if (t.type != T_EOF)
		parser_unexpected(p, t, "the end of the expression");
}

bool hcl_parse_expression(struct hcl_file *file, const struct source_set *sources,
			  uint32_t source_id, struct diag_store *diags)
{
	struct parser p;

	parser_init(&p, file, sources, source_id, diags, LEX_NORMAL);
	if (setjmp(p.abort) == 0)
		parse_whole_expression(&p);
	else
		file->expr = parser_new_expr(&p, HCL_EXPR_INVALID, parser_span(&p, 0, (uint32_t)file->length));
	parser_release(&p);
	return file->error_count == 0;
}

bool hcl_parse_template(struct hcl_file *file, const struct source_set *sources,
			uint32_t source_id, struct diag_store *diags)
{
	struct parser p;

	parser_init(&p, file, sources, source_id, diags, LEX_TEMPLATE);
	if (setjmp(p.abort) == 0)
		file->expr = parse_template_file(&p);
	else
		file->expr = parser_new_expr(&p, HCL_EXPR_INVALID, parser_span(&p, 0, (uint32_t)file->length));
	parser_release(&p);
	return file->error_count == 0;
}

void hcl_file_release(struct hcl_file *file)
{
	arena_release(&file->arena);
	file->body = NULL;
	file->expr = NULL;
}

const struct hcl_attribute *hcl_body_attribute(const struct hcl_body *body, const char *name)
{
	for (size_t i = 0; i < body->attribute_count; i++) {
		if (strcmp(body->attributes[i].name, name) == 0)
			return &body->attributes[i];
	}
	return NULL;
}

bool hcl_template_is_literal(const struct hcl_expr *expr)
{
	if (expr->kind != HCL_EXPR_TEMPLATE)
		return false;
	for (size_t i = 0; i < expr->as.template.count; i++) {
		if (expr->as.template.parts[i].kind != HCL_PART_LITERAL)
			return false;
	}
	return true;
}

const char *hcl_span_text(const struct hcl_file *file, struct span span, size_t *length)
{
	if (span.offset > file->length || span.length > file->length - span.offset) {
		*length = 0;
		return "";
	}
	*length = span.length;
	return file->text + span.offset;
}

const char *hcl_operator_text(enum hcl_operator op)
{
	static const char *const text[] = {
		[HCL_OP_NOT] = "!",         [HCL_OP_NEGATE] = "-",      [HCL_OP_OR] = "||",
		[HCL_OP_AND] = "&&",        [HCL_OP_EQUAL] = "==",      [HCL_OP_NOT_EQUAL] = "!=",
		[HCL_OP_LESS] = "<",        [HCL_OP_LESS_EQUAL] = "<=", [HCL_OP_GREATER] = ">",
		[HCL_OP_GREATER_EQUAL] = ">=", [HCL_OP_ADD] = "+",      [HCL_OP_SUBTRACT] = "-",
		[HCL_OP_MULTIPLY] = "*",    [HCL_OP_DIVIDE] = "/",      [HCL_OP_MODULO] = "%",
	};

	return text[op];
}
