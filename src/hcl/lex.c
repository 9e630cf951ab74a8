/*
 * The HCL lexer: bytes to tokens, one token at a time.
 *
 * HCL is lexed in modes.  Configuration text, quoted strings, heredoc
 * bodies and `${ }` sequences each follow their own rules, and they nest
 * ("a${b("c${d}")}"), so the lexer keeps a stack of modes and decides from
 * it alone what a '}' or a '"' means.  That keeps the lexer independent of
 * the parser, and lets the parser restart it at any line for recovery.
 *
 * The lexer never fails: what it cannot read becomes an error token
 * (T_INVALID, T_BAD_UTF8, ...) that the parser reports where it finds it.
 * Escape sequences are not decoded here (template.c does that), but their
 * backslash is skipped so that `\"` does not end a string.
 */
#include "internal.h"

#include <string.h>

void lex_init(struct lexer *lex, const char *text, uint32_t length, enum lex_mode root)
{
	lex->text = text;
	lex->length = length;
	lex->pos = 0;
	lex->prev = T_NEWLINE;
	lex->frames[0].mode = root;
	lex->frames[0].marker_offset = 0;
	lex->frames[0].marker_length = 0;
	lex->frame_count = 1;

	/* A UTF-8 byte order mark carries no information in a UTF-8 file. */
	if (length >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		lex->pos = 3;
}

void lex_reset(struct lexer *lex, uint32_t offset)
{
	lex->pos = offset;
	lex->prev = T_NEWLINE;
	lex->frame_count = 1;
}

static const unsigned char *at(const struct lexer *lex, uint32_t pos)
{
	return (const unsigned char *)lex->text + pos;
}

static int peek_byte(const struct lexer *lex, uint32_t pos)
{
	return pos < lex->length ? (unsigned char)lex->text[pos] : -1;
}

static bool is_ascii_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Identifiers: ASCII letters and '_' start one, digits and '-' may follow.
 * Any valid multi-byte UTF-8 character is accepted as a letter.
 * NOTE: HCL follows Unicode ID_Start/ID_Continue exactly; accepting every
 * non-ASCII character only matters for files Terraform rejects anyway.
 */
bool lex_is_ident_start(const unsigned char *s, size_t available, size_t *length)
{
	if (available == 0)
		return false;
	if (is_ascii_letter(s[0]) || s[0] == '_') {
		*length = 1;
		return true;
	}
	if (s[0] < 0x80)
		return false;
	*length = utf8_sequence_length(s, available);
	return *length > 0;
}

bool lex_is_ident_continue(const unsigned char *s, size_t available, size_t *length)
{
	if (available > 0 && (is_digit(s[0]) || s[0] == '-')) {
		*length = 1;
		return true;
	}
	return lex_is_ident_start(s, available, length);
}

static struct token make(struct lexer *lex, enum token_type type, uint32_t start)
{
	struct token t;

	memset(&t, 0, sizeof(t));
	t.type = type;
	t.offset = start;
	t.length = lex->pos - start;
	return t;
}

static enum lex_mode top_mode(const struct lexer *lex)
{
	return lex->frames[lex->frame_count - 1].mode;
}

static void push_mode(struct lexer *lex, enum lex_mode mode)
{
	if (lex->frame_count == LEX_MAX_FRAMES)
		return; /* the parser reports the nesting before this matters */
	lex->frames[lex->frame_count].mode = mode;
	lex->frames[lex->frame_count].marker_offset = 0;
	lex->frames[lex->frame_count].marker_length = 0;
	lex->frame_count++;
}

static void pop_mode(struct lexer *lex)
{
	if (lex->frame_count > 1)
		lex->frame_count--;
}

static uint32_t ident_end(const struct lexer *lex, uint32_t pos)
{
	size_t n;

	while (lex_is_ident_continue(at(lex, pos), lex->length - pos, &n))
		pos += (uint32_t)n;
	return pos;
}

/* Returns the length of a line break at `pos`: 1 for LF, 2 for CRLF, else 0. */
static uint32_t newline_length(const struct lexer *lex, uint32_t pos)
{
	if (peek_byte(lex, pos) == '\n')
		return 1;
	if (peek_byte(lex, pos) == '\r' && peek_byte(lex, pos + 1) == '\n')
		return 2;
	return 0;
}

/* Skip blanks and comments; returns false on an unterminated comment. */
static bool skip_blanks(struct lexer *lex)
{
	for (;;) {
		int c = peek_byte(lex, lex->pos);

		if (c == ' ' || c == '\t') {
			lex->pos++;
		} else if (c == '#' || (c == '/' && peek_byte(lex, lex->pos + 1) == '/')) {
			while (lex->pos < lex->length && !newline_length(lex, lex->pos))
				lex->pos++;
		} else if (c == '/' && peek_byte(lex, lex->pos + 1) == '*') {
			uint32_t p = lex->pos + 2;

			while (p + 1 < lex->length && !(lex->text[p] == '*' && lex->text[p + 1] == '/'))
				p++;
			if (p + 1 >= lex->length)
				return false;
			lex->pos = p + 2;
		} else {
			return true;
		}
	}
}

static struct token lex_number(struct lexer *lex, uint32_t start)
{
	while (is_digit(peek_byte(lex, lex->pos)))
		lex->pos++;

	/* After a '.', digits are a legacy index (x.0.y), never a fraction. */
	if (lex->prev == T_DOT)
		return make(lex, T_NUMBER, start);

	if (peek_byte(lex, lex->pos) == '.' && is_digit(peek_byte(lex, lex->pos + 1))) {
		lex->pos++;
		while (is_digit(peek_byte(lex, lex->pos)))
			lex->pos++;
	}
	if (peek_byte(lex, lex->pos) == 'e' || peek_byte(lex, lex->pos) == 'E') {
		uint32_t p = lex->pos + 1;

		if (peek_byte(lex, p) == '+' || peek_byte(lex, p) == '-')
			p++;
		if (is_digit(peek_byte(lex, p))) {
			while (is_digit(peek_byte(lex, p)))
				p++;
			lex->pos = p;
		}
	}
	return make(lex, T_NUMBER, start);
}

static struct token lex_heredoc_open(struct lexer *lex, uint32_t start)
{
	uint32_t p = start + 2;
	uint32_t marker_start;
	uint32_t marker_end;
	uint32_t nl;
	bool flush = false;
	size_t n;
	struct token t;

	if (peek_byte(lex, p) == '-') {
		flush = true;
		p++;
	}
	marker_start = p;
	if (!lex_is_ident_start(at(lex, p), lex->length - p, &n)) {
		lex->pos = start + 2;
		return make(lex, T_BAD_HEREDOC, start);
	}
	marker_end = ident_end(lex, p);
	nl = newline_length(lex, marker_end);
	if (!nl) {
		lex->pos = marker_end;
		return make(lex, T_BAD_HEREDOC, start);
	}

	lex->pos = marker_end + nl;
	t = make(lex, T_HEREDOC_OPEN, start);
	t.flush = flush;
	t.marker_offset = marker_start;
	t.marker_length = marker_end - marker_start;
	push_mode(lex, LEX_HEREDOC);
	lex->frames[lex->frame_count - 1].marker_offset = t.marker_offset;
	lex->frames[lex->frame_count - 1].marker_length = t.marker_length;
	return t;
}

static struct token lex_operator(struct lexer *lex, uint32_t start)
{
	int c = peek_byte(lex, start);
	int c2 = peek_byte(lex, start + 1);
	enum token_type type = T_INVALID;
	uint32_t len = 1;

	switch (c) {
	case '[': type = T_LBRACKET; break;
	case ']': type = T_RBRACKET; break;
	case '(': type = T_LPAREN; break;
	case ')': type = T_RPAREN; break;
	case '+': type = T_PLUS; break;
	case '-': type = T_MINUS; break;
	case '*': type = T_STAR; break;
	case '/': type = T_SLASH; break;
	case '%': type = T_PERCENT; break;
	case '?': type = T_QUESTION; break;
	case ',': type = T_COMMA; break;
	case '&':
		if (c2 == '&') {
			type = T_AND;
			len = 2;
		}
		break;
	case '|':
		if (c2 == '|') {
			type = T_OR;
			len = 2;
		}
		break;
	case '!':
		type = c2 == '=' ? T_NOT_EQUAL : T_BANG;
		len = c2 == '=' ? 2 : 1;
		break;
	case '=':
		if (c2 == '=') {
			type = T_EQUAL;
			len = 2;
		} else if (c2 == '>') {
			type = T_ARROW;
			len = 2;
		} else {
			type = T_ASSIGN;
		}
		break;
	case '<':
		type = c2 == '=' ? T_LESS_EQUAL : T_LESS;
		len = c2 == '=' ? 2 : 1;
		break;
	case '>':
		type = c2 == '=' ? T_GREATER_EQUAL : T_GREATER;
		len = c2 == '=' ? 2 : 1;
		break;
	case ':':
		type = c2 == ':' ? T_DOUBLE_COLON : T_COLON;
		len = c2 == ':' ? 2 : 1;
		break;
	case '.':
		if (c2 == '.' && peek_byte(lex, start + 2) == '.') {
			type = T_ELLIPSIS;
			len = 3;
		} else {
			type = T_DOT;
		}
		break;
	default:
		break;
	}
	lex->pos = start + len;
	return make(lex, type, start);
}

static struct token lex_invalid(struct lexer *lex, uint32_t start)
{
	const unsigned char *s = at(lex, start);
	size_t n = s[0] < 0x80 ? 1 : utf8_sequence_length(s, lex->length - start);

	if (n == 0) {
		lex->pos = start + 1;
		return make(lex, T_BAD_UTF8, start);
	}
	lex->pos = start + (uint32_t)n;
	return make(lex, T_INVALID, start);
}

static struct token lex_normal(struct lexer *lex)
{
	uint32_t start;
	uint32_t nl;
	size_t n;
	int c;

	if (!skip_blanks(lex)) {
		start = lex->pos;
		lex->pos = lex->length;
		return make(lex, T_UNTERMINATED_COMMENT, start);
	}
	start = lex->pos;
	if (lex->pos >= lex->length)
		return make(lex, T_EOF, start);

	nl = newline_length(lex, start);
	if (nl) {
		lex->pos += nl;
		return make(lex, T_NEWLINE, start);
	}

	c = peek_byte(lex, start);
	if (lex_is_ident_start(at(lex, start), lex->length - start, &n)) {
		lex->pos = ident_end(lex, start + (uint32_t)n);
		return make(lex, T_IDENT, start);
	}
	if (is_digit(c))
		return lex_number(lex, start);

	switch (c) {
	case '"':
		lex->pos++;
		push_mode(lex, LEX_QUOTED);
		return make(lex, T_OQUOTE, start);
	case '{':
		lex->pos++;
		push_mode(lex, LEX_BRACE);
		return make(lex, T_LBRACE, start);
	case '}':
		lex->pos++;
		if (top_mode(lex) == LEX_INTERP) {
			pop_mode(lex);
			return make(lex, T_SEQ_END, start);
		}
		if (top_mode(lex) == LEX_BRACE)
			pop_mode(lex);
		return make(lex, T_RBRACE, start);
	case '~':
		if (top_mode(lex) == LEX_INTERP && peek_byte(lex, start + 1) == '}') {
			struct token t;

			lex->pos += 2;
			pop_mode(lex);
			t = make(lex, T_SEQ_END, start);
			t.strip = true;
			return t;
		}
		break;
	case '<':
		if (peek_byte(lex, start + 1) == '<')
			return lex_heredoc_open(lex, start);
		break;
	default:
		break;
	}

	{
		struct token t = lex_operator(lex, start);

		if (t.type != T_INVALID)
			return t;
	}
	return lex_invalid(lex, start);
}

/* ${ or %{ (not $${ or %%{): open a template sequence. */
static bool template_sequence(struct lexer *lex, uint32_t start, struct token *out)
{
	int c = peek_byte(lex, start);

	if ((c != '$' && c != '%') || peek_byte(lex, start + 1) != '{')
		return false;
	lex->pos = start + 2;
	if (peek_byte(lex, lex->pos) == '~')
		lex->pos++;
	*out = make(lex, c == '$' ? T_INTERP_OPEN : T_CONTROL_OPEN, start);
	out->strip = out->length == 3;
	push_mode(lex, LEX_INTERP);
	return true;
}

/*
 * Scan literal text up to the next template sequence, line break
 * (included when `keep_newline`), closing quote (when `quoted`), invalid
 * UTF-8 or the end of the input.
 */
static void scan_literal(struct lexer *lex, bool quoted, bool keep_newline)
{
	while (lex->pos < lex->length) {
		const unsigned char *s = at(lex, lex->pos);
		uint32_t nl;
		size_t n;

		/* Most of a literal is printable ASCII that none of the cases below is about. */
		if (s[0] >= 0x20 && s[0] < 0x80 && s[0] != '"' && s[0] != '\\' && s[0] != '$' && s[0] != '%') {
			lex->pos++;
			continue;
		}
		nl = newline_length(lex, lex->pos);

		if (nl) {
			if (keep_newline)
				lex->pos += nl;
			return;
		}
		if (quoted && s[0] == '"')
			return;
		if ((s[0] == '$' || s[0] == '%') && peek_byte(lex, lex->pos + 1) == s[0] &&
		    peek_byte(lex, lex->pos + 2) == '{') {
			lex->pos += 3; /* $${ and %%{ are literal */
			continue;
		}
		if ((s[0] == '$' || s[0] == '%') && peek_byte(lex, lex->pos + 1) == '{')
			return;
		if (quoted && s[0] == '\\' && lex->pos + 1 < lex->length &&
		    !newline_length(lex, lex->pos + 1)) {
			lex->pos += 2;
			continue;
		}
		if (s[0] == '\r') {
			lex->pos++; /* a lone CR in text is kept as it is */
			continue;
		}
		n = s[0] < 0x80 ? 1 : utf8_sequence_length(s, lex->length - lex->pos);
		if (n == 0)
			return;
		lex->pos += (uint32_t)n;
	}
}

static struct token lex_quoted(struct lexer *lex)
{
	uint32_t start = lex->pos;
	struct token t;

	if (lex->pos >= lex->length) {
		pop_mode(lex);
		return make(lex, T_EOF, start);
	}
	if (newline_length(lex, start)) {
		/* An unterminated string: the parser reports the line break. */
		pop_mode(lex);
		lex->pos += newline_length(lex, start);
		return make(lex, T_NEWLINE, start);
	}
	if (peek_byte(lex, start) == '"') {
		lex->pos++;
		pop_mode(lex);
		return make(lex, T_CQUOTE, start);
	}
	if (template_sequence(lex, start, &t))
		return t;

	scan_literal(lex, true, false);
	if (lex->pos == start) {
		lex->pos++;
		return make(lex, T_BAD_UTF8, start);
	}
	return make(lex, T_QUOTED_LIT, start);
}

/* Is the line at `pos` the heredoc's closing marker?  Sets its end. */
static bool heredoc_close(const struct lexer *lex, uint32_t pos, uint32_t *end)
{
	const struct lex_frame *f = &lex->frames[lex->frame_count - 1];

	while (peek_byte(lex, pos) == ' ' || peek_byte(lex, pos) == '\t')
		pos++;
	if (pos + f->marker_length > lex->length ||
	    memcmp(lex->text + pos, lex->text + f->marker_offset, f->marker_length) != 0)
		return false;
	pos += f->marker_length;
	/* HCL wants a line break after the marker, even at the end of the file. */
	if (!newline_length(lex, pos))
		return false;
	*end = pos;
	return true;
}

static struct token lex_template_text(struct lexer *lex, bool heredoc)
{
	uint32_t start = lex->pos;
	bool line_start = start == 0 || lex->text[start - 1] == '\n';
	uint32_t end;
	struct token t;

	if (heredoc && line_start && heredoc_close(lex, start, &end)) {
		lex->pos = end;
		pop_mode(lex);
		return make(lex, T_HEREDOC_CLOSE, start);
	}
	if (lex->pos >= lex->length)
		return make(lex, T_EOF, start);
	if (template_sequence(lex, start, &t))
		return t;

	scan_literal(lex, false, true);
	if (lex->pos == start) {
		lex->pos++;
		return make(lex, T_BAD_UTF8, start);
	}
	return make(lex, T_STRING_LIT, start);
}

struct token lex_next(struct lexer *lex)
{
	struct token t;

	switch (top_mode(lex)) {
	case LEX_QUOTED:
		t = lex_quoted(lex);
		break;
	case LEX_HEREDOC:
		t = lex_template_text(lex, true);
		break;
	case LEX_TEMPLATE:
		t = lex_template_text(lex, false);
		break;
	default:
		t = lex_normal(lex);
		break;
	}
	lex->prev = t.type;
	return t;
}
