/*
 * Templates: quoted strings, heredocs and template files.
 *
 * A template is read in two passes, the way the HCL specification
 * describes it.  The first collects a flat list of literal runs,
 * interpolations and directive markers, decoding escapes and applying
 * strip markers (`${~`, `~}`) and the indentation removal of `<<-`.  The
 * second nests `%{ if }` and `%{ for }` bodies into a tree.
 *
 * Literal text is kept in pieces: a run copied from the source unchanged
 * (exact, so every byte maps back to its own source byte), or one escape
 * sequence.  That lets the evaluator give a policy element that comes from
 * a heredoc the exact position of its characters.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

enum ttok_kind {
	TT_LITERAL,
	TT_INTERP,
	TT_IF,
	TT_ELSE,
	TT_ENDIF,
	TT_FOR,
	TT_ENDFOR,
};

/* One item of the flat first pass. */
struct ttok {
	enum ttok_kind kind;
	struct span span;
	struct hcl_template_part *pieces; /* TT_LITERAL */
	size_t count;
	size_t cap;
	struct hcl_expr *expr;            /* interpolation, condition or collection */
	const char *key_var;
	const char *value_var;
};

struct ttok_list {
	struct ttok *items;
	size_t count;
	size_t cap;
};

/* Length of the Unicode space character at `s`, or 0.  Go's unicode.IsSpace set. */
static size_t space_at(const unsigned char *s, size_t len)
{
	if (len == 0)
		return 0;
	if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
		return 1;
	if (len >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (len < 3)
		return 0;
	if (s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] <= 0x8a || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
		return 3;
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

/* Length of the space character that ends `s[0..len)`, or 0. */
static size_t space_before(const unsigned char *s, size_t len)
{
	for (size_t n = 1; n <= 3 && n <= len; n++) {
		if (space_at(s + len - n, n) == n)
			return n;
	}
	return 0;
}

static void add_piece(struct parser *p, struct ttok *tt, const char *text, size_t length,
		      uint32_t offset, uint32_t source_length, bool exact)
{
	struct hcl_template_part piece;

	/* Most literals are one piece: start with room for one, not VEC_PUSH's four. */
	if (tt->cap == 0) {
		tt->pieces = arena_alloc(&p->file->arena, sizeof(*tt->pieces));
		tt->cap = 1;
	}

	memset(&piece, 0, sizeof(piece));
	piece.kind = HCL_PART_LITERAL;
	piece.text = arena_strndup(&p->file->arena, text, length);
	piece.length = length;
	piece.exact = exact;
	piece.span = parser_span(p, offset, source_length);
	VEC_PUSH(&p->file->arena, tt->pieces, tt->count, tt->cap, piece);
}

/* Decode the backslash escape at `offset`; returns its length in the source. */
static uint32_t decode_escape(struct parser *p, struct ttok *tt, uint32_t offset, uint32_t end)
{
	const char *s = p->lex.text + offset;
	char out[4];
	uint32_t digits = 0;
	uint32_t cp = 0;

	if (offset + 1 >= end)
		parser_fail_span(p, parser_span(p, offset, 1),
				 "invalid escape sequence: '\\' at the end of a string; write '\\\\' for a backslash");
	switch (s[1]) {
	case 'n': out[0] = '\n'; break;
	case 'r': out[0] = '\r'; break;
	case 't': out[0] = '\t'; break;
	case '"': out[0] = '"'; break;
	case '\\': out[0] = '\\'; break;
	case 'u': digits = 4; break;
	case 'U': digits = 8; break;
	default:
		parser_fail_span(p, parser_span(p, offset, 2),
				 "invalid escape sequence '\\%c' in a string; write '\\\\' for a backslash",
				 s[1]);
	}
	if (digits == 0) {
		add_piece(p, tt, out, 1, offset, 2, false);
		return 2;
	}

	for (uint32_t i = 0; i < digits; i++) {
		int v = offset + 2 + i < end ? hex_digit_value((unsigned char)s[2 + i]) : -1;

		if (v < 0)
			parser_fail_span(p, parser_span(p, offset, 2),
					 "invalid escape sequence: '\\%c' needs %u hexadecimal digits", s[1],
					 digits);
		cp = cp * 16 + (uint32_t)v;
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		parser_fail_span(p, parser_span(p, offset, 2 + digits),
				 "invalid escape sequence '%.*s': not a Unicode character", (int)(2 + digits), s);
	add_piece(p, tt, out, utf8_encode(cp, out), offset, 2 + digits, false);
	return 2 + digits;
}

/*
 * Split literal source text into exact runs and escapes.  Quoted strings
 * have backslash escapes; every template has `$${` and `%%{`.
 */
static void decode_literal(struct parser *p, struct ttok *tt, struct token t, bool quoted)
{
	const char *text = p->lex.text;
	uint32_t end = t.offset + t.length;
	uint32_t run = t.offset;
	uint32_t i = t.offset;

	while (i < end) {
		char c = text[i];
		uint32_t skip = 0;

		if (quoted && c == '\\') {
			if (i > run)
				add_piece(p, tt, text + run, i - run, run, i - run, true);
			skip = decode_escape(p, tt, i, end);
		} else if ((c == '$' || c == '%') && i + 2 < end && text[i + 1] == c && text[i + 2] == '{') {
			char out[2] = {c, '{'};

			if (i > run)
				add_piece(p, tt, text + run, i - run, run, i - run, true);
			add_piece(p, tt, out, 2, i, 3, false);
			skip = 3;
		}
		if (skip) {
			i += skip;
			run = i;
		} else {
			i++;
		}
	}
	if (i > run)
		add_piece(p, tt, text + run, i - run, run, i - run, true);
}

static void remove_piece(struct ttok *tt, size_t index)
{
	memmove(tt->pieces + index, tt->pieces + index + 1, (tt->count - index - 1) * sizeof(*tt->pieces));
	tt->count--;
}

/* Remove up to `limit` leading space characters; returns how many went. */
static size_t trim_left(struct ttok *tt, size_t limit)
{
	size_t removed = 0;

	while (tt->count > 0 && removed < limit) {
		struct hcl_template_part *piece = &tt->pieces[0];
		size_t n = space_at((const unsigned char *)piece->text, piece->length);

		if (n == 0)
			break;
		removed++;
		if (!piece->exact || n == piece->length) {
			remove_piece(tt, 0);
			continue;
		}
		piece->text += n;
		piece->length -= n;
		piece->span.offset += (uint32_t)n;
		piece->span.length -= (uint32_t)n;
	}
	return removed;
}

static void trim_right(struct ttok *tt)
{
	while (tt->count > 0) {
		struct hcl_template_part *piece = &tt->pieces[tt->count - 1];
		size_t n = space_before((const unsigned char *)piece->text, piece->length);

		if (n == 0)
			break;
		if (!piece->exact || n == piece->length) {
			tt->count--;
			continue;
		}
		piece->length -= n;
		piece->span.length -= (uint32_t)n;
	}
}

static bool ends_with_newline(const struct ttok *tt)
{
	const struct hcl_template_part *last;

	if (tt->count == 0)
		return false;
	last = &tt->pieces[tt->count - 1];
	return last->length > 0 && last->text[last->length - 1] == '\n';
}

/* Count leading space characters; `*all` is set when nothing else follows. */
static size_t leading_spaces(const struct ttok *tt, bool *all)
{
	size_t count = 0;

	for (size_t i = 0; i < tt->count; i++) {
		const unsigned char *s = (const unsigned char *)tt->pieces[i].text;
		size_t len = tt->pieces[i].length;
		size_t at = 0;

		while (at < len) {
			size_t n = space_at(s + at, len - at);

			if (n == 0) {
				*all = false;
				return count;
			}
			at += n;
			count++;
		}
	}
	*all = true;
	return count;
}

/*
 * The `<<-` rule: find the smallest indentation of the lines that start
 * with literal text (blank lines do not count, a line that starts with an
 * interpolation counts as 0) and remove that many leading spaces from
 * each of them.
 */
static void flush_heredoc(struct ttok_list *list)
{
	size_t min = SIZE_MAX;
	bool line_start = true;

	for (size_t i = 0; i < list->count; i++) {
		struct ttok *tt = &list->items[i];

		if (line_start) {
			line_start = false;
			if (tt->kind != TT_LITERAL) {
				min = 0;
			} else {
				bool all;
				size_t spaces = leading_spaces(tt, &all);

				if (!(all && ends_with_newline(tt)) && spaces < min)
					min = spaces;
			}
		}
		if (tt->kind == TT_LITERAL && ends_with_newline(tt))
			line_start = true;
	}
	if (min == SIZE_MAX || min == 0)
		return;

	line_start = true;
	for (size_t i = 0; i < list->count; i++) {
		struct ttok *tt = &list->items[i];
		bool at_line_start = line_start;

		line_start = tt->kind == TT_LITERAL && ends_with_newline(tt);
		if (at_line_start && tt->kind == TT_LITERAL) {
			bool all;

			leading_spaces(tt, &all);
			if (!(all && ends_with_newline(tt)))
				trim_left(tt, min);
		}
	}
}

static struct ttok *push_ttok(struct parser *p, struct ttok_list *list, enum ttok_kind kind,
			      struct span span)
{
	struct ttok tt;

	memset(&tt, 0, sizeof(tt));
	tt.kind = kind;
	tt.span = span;
	VEC_PUSH(&p->file->arena, list->items, list->count, list->cap, tt);
	return &list->items[list->count - 1];
}

static bool is_word(const struct parser *p, struct token t, const char *word)
{
	size_t n = strlen(word);

	return t.type == T_IDENT && t.length == n && memcmp(p->lex.text + t.offset, word, n) == 0;
}

static const char *ident_text(struct parser *p, struct token t, const char *expected)
{
	if (t.type != T_IDENT)
		parser_unexpected(p, t, expected);
	return arena_strndup(&p->file->arena, p->lex.text + t.offset, t.length);
}

static struct token expect_seq_end(struct parser *p, const char *what)
{
	struct token close = parser_next(p);
	char expected[96];

	if (close.type != T_SEQ_END) {
		snprintf(expected, sizeof(expected), "'}' to end the %s", what);
		parser_unexpected(p, close, expected);
	}
	return close;
}

static struct token collect_interp(struct parser *p, struct ttok_list *list, struct token open)
{
	struct hcl_expr *e;
	struct token close;
	struct ttok *tt;

	parser_push_newlines(p, false);
	e = parse_expression(p);
	close = expect_seq_end(p, "'${' interpolation");
	parser_pop_newlines(p);
	tt = push_ttok(p, list, TT_INTERP, span_join(token_span(p, open), token_span(p, close)));
	tt->expr = e;
	return close;
}

static struct token collect_directive(struct parser *p, struct ttok_list *list, struct token open)
{
	struct token kw;
	struct token close;
	struct ttok tt;

	memset(&tt, 0, sizeof(tt));
	parser_push_newlines(p, false);
	kw = parser_next(p);
	if (is_word(p, kw, "if")) {
		tt.kind = TT_IF;
		tt.expr = parse_expression(p);
	} else if (is_word(p, kw, "for")) {
		tt.kind = TT_FOR;
		tt.value_var = ident_text(p, parser_next(p), "a variable name after 'for'");
		if (parser_peek(p).type == T_COMMA) {
			parser_next(p);
			tt.key_var = tt.value_var;
			tt.value_var = ident_text(p, parser_next(p), "a second variable name after ','");
		}
		if (!is_word(p, parser_peek(p), "in"))
			parser_unexpected(p, parser_peek(p), "'in' after the variable names of 'for'");
		parser_next(p);
		tt.expr = parse_expression(p);
	} else if (is_word(p, kw, "else")) {
		tt.kind = TT_ELSE;
	} else if (is_word(p, kw, "endif")) {
		tt.kind = TT_ENDIF;
	} else if (is_word(p, kw, "endfor")) {
		tt.kind = TT_ENDFOR;
	} else if (kw.type == T_IDENT) {
		parser_fail(p, kw, "unknown template directive '%.*s'; expected if, else, endif, for or endfor",
			    (int)kw.length, p->lex.text + kw.offset);
	} else {
		parser_unexpected(p, kw, "a directive (if, else, endif, for or endfor) after '%{'");
	}
	close = expect_seq_end(p, "'%{' directive");
	parser_pop_newlines(p);

	tt.span = span_join(token_span(p, open), token_span(p, close));
	VEC_PUSH(&p->file->arena, list->items, list->count, list->cap, tt);
	return close;
}

/* Is the last line of the file the heredoc's marker, without a line break? */
static bool marker_ends_file(const struct parser *p, struct token open)
{
	uint32_t end = p->lex.length;
	uint32_t start = end;

	while (start > 0 && p->lex.text[start - 1] != '\n')
		start--;
	while (start < end && (p->lex.text[start] == ' ' || p->lex.text[start] == '\t'))
		start++;
	return end - start == open.marker_length &&
	       memcmp(p->lex.text + start, p->lex.text + open.marker_offset, open.marker_length) == 0;
}

static _Noreturn void fail_unterminated(struct parser *p, struct token open, struct token found)
{
	/* Invalid UTF-8 stops the text before its end, in a heredoc as in a quoted string. */
	if (found.type == T_BAD_UTF8)
		parser_unexpected(p, found, "text");
	if (open.type == T_HEREDOC_OPEN && marker_ends_file(p, open))
		parser_fail(p, open, "unterminated heredoc: the closing marker '%.*s' must be followed by a line break",
			    (int)open.marker_length, p->lex.text + open.marker_offset);
	if (open.type == T_HEREDOC_OPEN)
		parser_fail(p, open, "unterminated heredoc: no closing marker '%.*s'", (int)open.marker_length,
			    p->lex.text + open.marker_offset);
	parser_fail(p, open, "unterminated string: no closing '\"' before the end of the line");
}

/*
 * First pass: read tokens up to `end`, returning the closing token.  Line
 * breaks are tokens here (a quoted string must not contain one), except
 * inside the sequences, which parse_expression() reads.
 */
/*
 * Report a heredoc longer than HCL_MAX_HEREDOC_SIZE and abandon the item.
 * The rest of the heredoc is lexed without being kept, so that parsing
 * resumes after its closing marker.
 */
_Noreturn static void fail_heredoc_size(struct parser *p, struct token open)
{
	struct token t;

	do {
		t = lex_next(&p->lex);
	} while (t.type != T_HEREDOC_CLOSE && t.type != T_EOF);
	parser_fail_limit(p, token_span(p, open), t.offset + t.length, false,
			  "keep large text in a file of its own and read it with file()",
			  "the heredoc is longer than %d bytes, the limit for one heredoc; it was not read",
			  HCL_MAX_HEREDOC_SIZE);
}

static struct token collect(struct parser *p, struct ttok_list *list, struct token open,
			    enum token_type end)
{
	bool quoted = open.type == T_OQUOTE;
	bool trim_next = false;
	struct token t;

	parser_push_newlines(p, true);
	for (;;) {
		bool trim = trim_next;
		struct ttok *prev = list->count ? &list->items[list->count - 1] : NULL;

		trim_next = false;
		t = parser_next(p);
		if (end == T_HEREDOC_CLOSE && t.offset + t.length - open.offset > HCL_MAX_HEREDOC_SIZE)
			fail_heredoc_size(p, open);
		if (t.type == end)
			break;
		switch (t.type) {
		case T_QUOTED_LIT:
		case T_STRING_LIT: {
			struct ttok *tt = push_ttok(p, list, TT_LITERAL, token_span(p, t));

			decode_literal(p, tt, t, quoted);
			if (trim)
				trim_left(tt, SIZE_MAX);
			break;
		}
		case T_INTERP_OPEN:
		case T_CONTROL_OPEN:
			if (t.strip && prev && prev->kind == TT_LITERAL)
				trim_right(prev);
			parser_enter(p, t);
			if (t.type == T_INTERP_OPEN)
				trim_next = collect_interp(p, list, t).strip;
			else
				trim_next = collect_directive(p, list, t).strip;
			parser_leave(p);
			break;
		default:
			fail_unterminated(p, open, t);
		}
	}
	parser_pop_newlines(p);
	return t;
}

static void add_part(struct parser *p, struct hcl_template *tpl, size_t *cap,
		     struct hcl_template_part part)
{
	VEC_PUSH(&p->file->arena, tpl->parts, tpl->count, *cap, part);
	tpl->span = tpl->count == 1 ? part.span : span_join(tpl->span, part.span);
}

static const char *directive_name(enum ttok_kind kind)
{
	switch (kind) {
	case TT_ELSE: return "else";
	case TT_ENDIF: return "endif";
	case TT_ENDFOR: return "endfor";
	case TT_IF: return "if";
	default: return "for";
	}
}

static struct hcl_template build(struct parser *p, struct hcl_expr *owner, const struct ttok_list *list,
				 size_t *i, const struct ttok *opener);

/* Second pass: nest directive bodies; stops at the marker that ends `opener`. */
static void build_directive(struct parser *p, struct hcl_expr *owner, const struct ttok_list *list,
			    size_t *i, struct hcl_template_part *part)
{
	const struct ttok *open = &list->items[*i];
	const struct ttok *end;

	(*i)++;
	part->span = open->span;
	part->expr = open->expr;
	parser_set_depth(p, owner, open->expr);
	if (open->kind == TT_IF) {
		part->kind = HCL_PART_IF;
		part->then_part = build(p, owner, list, i, open);
		if (*i < list->count && list->items[*i].kind == TT_ELSE) {
			(*i)++;
			part->else_part = build(p, owner, list, i, open);
		}
	} else {
		part->kind = HCL_PART_FOR;
		part->key_var = open->key_var;
		part->value_var = open->value_var;
		part->body = build(p, owner, list, i, open);
	}

	end = *i < list->count ? &list->items[*i] : NULL;
	if (!end || end->kind != (open->kind == TT_IF ? TT_ENDIF : TT_ENDFOR))
		parser_fail_span(p, open->span, "the '%%{ %s }' directive has no matching '%%{ end%s }'",
				 directive_name(open->kind), directive_name(open->kind));
	part->span = span_join(open->span, end->span);
	(*i)++;
}

static struct hcl_template build(struct parser *p, struct hcl_expr *owner, const struct ttok_list *list,
				 size_t *i, const struct ttok *opener)
{
	struct hcl_template tpl;
	size_t cap = 0;

	memset(&tpl, 0, sizeof(tpl));
	while (*i < list->count) {
		const struct ttok *tt = &list->items[*i];
		struct hcl_template_part part;

		memset(&part, 0, sizeof(part));
		switch (tt->kind) {
		case TT_LITERAL:
			for (size_t k = 0; k < tt->count; k++)
				add_part(p, &tpl, &cap, tt->pieces[k]);
			(*i)++;
			continue;
		case TT_INTERP:
			part.kind = HCL_PART_INTERP;
			part.expr = tt->expr;
			part.span = tt->span;
			parser_set_depth(p, owner, tt->expr);
			(*i)++;
			break;
		case TT_IF:
		case TT_FOR:
			parser_enter(p, parser_peek(p));
			build_directive(p, owner, list, i, &part);
			parser_leave(p);
			break;
		default:
			if (opener && (opener->kind == TT_IF ? tt->kind != TT_ENDFOR : tt->kind == TT_ENDFOR))
				return tpl;
			parser_fail_span(p, tt->span, "unexpected '%%{ %s }': there is no open '%%{ %s }'",
					 directive_name(tt->kind),
					 tt->kind == TT_ENDFOR ? "for" : "if");
		}
		add_part(p, &tpl, &cap, part);
	}
	return tpl;
}

static struct hcl_expr *finish(struct parser *p, struct ttok_list *list, struct span span, bool heredoc,
			       bool flush)
{
	struct hcl_expr *e = parser_new_expr(p, HCL_EXPR_TEMPLATE, span);
	struct hcl_template tpl;
	size_t i = 0;

	if (flush)
		flush_heredoc(list);
	e->as.template.heredoc = heredoc;
	e->as.template.wrap = list->count == 1 && list->items[0].kind == TT_INTERP;
	tpl = build(p, e, list, &i, NULL);
	e->as.template.parts = tpl.parts;
	e->as.template.count = tpl.count;
	return e;
}

struct hcl_expr *parse_template_expr(struct parser *p, struct token open)
{
	struct ttok_list list = {NULL, 0, 0};
	enum token_type end = open.type == T_OQUOTE ? T_CQUOTE : T_HEREDOC_CLOSE;
	struct token close = collect(p, &list, open, end);
	struct span span = span_join(token_span(p, open), token_span(p, close));

	return finish(p, &list, span, open.type == T_HEREDOC_OPEN, open.flush);
}

struct hcl_expr *parse_template_file(struct parser *p)
{
	struct ttok_list list = {NULL, 0, 0};
	struct token open;

	memset(&open, 0, sizeof(open));
	open.type = T_STRING_LIT;
	collect(p, &list, open, T_EOF);
	return finish(p, &list, parser_span(p, 0, (uint32_t)p->file->length), false, false);
}

const char *parse_label_string(struct parser *p, struct token open, struct span *span)
{
	struct ttok_list list = {NULL, 0, 0};
	struct ttok *tt = push_ttok(p, &list, TT_LITERAL, token_span(p, open));
	size_t length = 0;
	char *text;
	struct token t;

	parser_push_newlines(p, true);
	for (t = parser_next(p); t.type != T_CQUOTE; t = parser_next(p)) {
		if (t.type == T_QUOTED_LIT)
			decode_literal(p, tt, t, true);
		else if (t.type == T_INTERP_OPEN || t.type == T_CONTROL_OPEN)
			parser_fail(p, t, "a block label must be plain text, without '${' or '%%{' sequences");
		else
			fail_unterminated(p, open, t);
	}
	parser_pop_newlines(p);

	for (size_t i = 0; i < tt->count; i++)
		length += tt->pieces[i].length;
	text = arena_alloc(&p->file->arena, length + 1);
	length = 0;
	for (size_t i = 0; i < tt->count; i++) {
		memcpy(text + length, tt->pieces[i].text, tt->pieces[i].length);
		length += tt->pieces[i].length;
	}
	text[length] = '\0';
	*span = span_join(token_span(p, open), token_span(p, t));
	return text;
}
