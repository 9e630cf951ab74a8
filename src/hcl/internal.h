/*
 * Declarations shared by the files of src/hcl/ and by nothing else: the
 * lexer, the parser state, and arena-backed growable arrays.
 */
#ifndef IAMCROSS_HCL_INTERNAL_H
#define IAMCROSS_HCL_INTERNAL_H

#include "iamcross/hcl.h"

#include <setjmp.h>

enum token_type {
	T_EOF,
	T_NEWLINE,
	T_IDENT,
	T_NUMBER,
	T_OQUOTE,         /* " opening a quoted template */
	T_CQUOTE,         /* " closing it */
	T_QUOTED_LIT,     /* literal text inside quotes, escapes not yet decoded */
	T_HEREDOC_OPEN,   /* <<EOF or <<-EOF, with the line break after it */
	T_HEREDOC_CLOSE,  /* the closing marker line */
	T_STRING_LIT,     /* literal text of a heredoc or template file, one line at most */
	T_INTERP_OPEN,    /* ${ or ${~ */
	T_CONTROL_OPEN,   /* %{ or %{~ */
	T_SEQ_END,        /* } or ~} closing a template sequence */
	T_LBRACE,
	T_RBRACE,
	T_LBRACKET,
	T_RBRACKET,
	T_LPAREN,
	T_RPAREN,
	T_PLUS,
	T_MINUS,
	T_STAR,
	T_SLASH,
	T_PERCENT,
	T_AND,
	T_OR,
	T_BANG,
	T_EQUAL,          /* == */
	T_NOT_EQUAL,
	T_LESS,
	T_LESS_EQUAL,
	T_GREATER,
	T_GREATER_EQUAL,
	T_ASSIGN,         /* = */
	T_COLON,
	T_DOUBLE_COLON,
	T_QUESTION,
	T_DOT,
	T_COMMA,
	T_ELLIPSIS,
	T_ARROW,          /* => */
	T_INVALID,        /* a character HCL does not use */
	T_BAD_UTF8,
	T_UNTERMINATED_COMMENT,
	T_BAD_HEREDOC,    /* << not followed by a marker and a line break */
};

struct token {
	enum token_type type;
	uint32_t offset;
	uint32_t length;
	bool strip;       /* ${~, %{~ or ~} */
	bool flush;       /* T_HEREDOC_OPEN: <<- */
	uint32_t marker_offset; /* T_HEREDOC_OPEN: the marker name */
	uint32_t marker_length;
};

enum lex_mode {
	LEX_NORMAL,       /* the configuration file itself */
	LEX_BRACE,        /* inside { } of an object or block */
	LEX_INTERP,       /* inside ${ } or %{ } */
	LEX_QUOTED,       /* inside " " */
	LEX_HEREDOC,      /* inside a heredoc body */
	LEX_TEMPLATE,     /* a whole template file */
};

struct lex_frame {
	enum lex_mode mode;
	uint32_t marker_offset; /* LEX_HEREDOC */
	uint32_t marker_length;
};

/*
 * The mode stack grows with every string inside an interpolation inside a
 * string.  The parser stops at HCL_MAX_NESTING, so twice that is enough
 * for any file it accepts.  Past it the lexer stops nesting, and the
 * parser reports the nesting error.
 */
#define LEX_MAX_FRAMES (2 * HCL_MAX_NESTING + 8)

struct lexer {
	const char *text;
	uint32_t length;
	uint32_t pos;
	enum token_type prev;
	struct lex_frame frames[LEX_MAX_FRAMES];
	size_t frame_count;
};

void lex_init(struct lexer *lex, const char *text, uint32_t length, enum lex_mode root);
/* Restart in the root mode at `offset`, which must start a line. */
void lex_reset(struct lexer *lex, uint32_t offset);
struct token lex_next(struct lexer *lex);
bool lex_is_ident_start(const unsigned char *s, size_t available, size_t *length);
bool lex_is_ident_continue(const unsigned char *s, size_t available, size_t *length);

/* Parser state, shared with template.c. */
struct parser {
	struct hcl_file *file;
	const struct source *source; /* for line numbers in messages; NULL when there is none */
	struct diag_store *diags;
	struct lexer lex;
	struct token *tokens;   /* tokens of the current top-level item */
	size_t token_count;
	size_t token_cap;
	size_t pos;
	bool newlines[HCL_MAX_NESTING * 4];  /* are newlines significant, per context */
	size_t newline_depth;
	int depth;
	uint32_t item_offset;  /* start of the current top-level item */
	uint32_t error_offset; /* where the last syntax error was reported */
	size_t lexed;          /* tokens read from the file so far, for HCL_MAX_TOKENS */
	bool stopped;          /* HCL_MAX_TOKENS was reached: read nothing more */
	jmp_buf abort;         /* a syntax error abandons the current item */
};

struct token parser_peek(struct parser *p);
struct token parser_next(struct parser *p);
void parser_push_newlines(struct parser *p, bool significant);
void parser_pop_newlines(struct parser *p);
void parser_enter(struct parser *p, struct token at);
void parser_leave(struct parser *p);
_Noreturn void parser_fail(struct parser *p, struct token at, const char *fmt, ...) IX_PRINTF(3, 4);
_Noreturn void parser_fail_span(struct parser *p, struct span span, const char *fmt, ...)
	IX_PRINTF(3, 4);
_Noreturn void parser_unexpected(struct parser *p, struct token found, const char *expected);
/*
 * Report a limit-exceeded finding at `span` and abandon the current item;
 * with `stop`, abandon the rest of the file too.  `resume` is where
 * recovery looks for the next item.
 */
_Noreturn void parser_fail_limit(struct parser *p, struct span span, uint32_t resume, bool stop,
				 const char *hint, const char *fmt, ...) IX_PRINTF(6, 7);
struct span parser_span(const struct parser *p, uint32_t offset, uint32_t length);
struct span token_span(const struct parser *p, struct token t);
struct hcl_expr *parser_new_expr(struct parser *p, enum hcl_expr_kind kind, struct span span);
void parser_set_depth(struct parser *p, struct hcl_expr *expr, const struct hcl_expr *child);
struct hcl_expr *parse_expression(struct parser *p);
struct hcl_expr *parse_template_expr(struct parser *p, struct token open);
struct hcl_expr *parse_template_file(struct parser *p);
/* A quoted block label after its opening quote: plain text, no ${ }. */
const char *parse_label_string(struct parser *p, struct token open, struct span *span);
/* Describe a token for a message: "'{'", "the end of the line", ... */
const char *token_describe(const struct parser *p, struct token t, char *buf, size_t size);

/*
 * Growable arrays in an arena.  Growth leaves the old copy in the arena;
 * doubling keeps that waste below the final size, and the arena is freed
 * whole anyway.  Safe across a longjmp, unlike a malloc'ed array.
 */
void *arena_vec_grow(struct arena *arena, void *items, size_t count, size_t *cap, size_t size);

#define VEC_PUSH(arena, items, count, cap, value)                                               \
	do {                                                                                   \
		if ((count) == (cap))                                                          \
			(items) = arena_vec_grow((arena), (items), (count), &(cap), sizeof(*(items))); \
		(items)[(count)++] = (value);                                                  \
	} while (0)

#endif
