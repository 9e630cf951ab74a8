/*
 * Building blocks every stage uses: checked allocation, arenas, growable
 * byte buffers and three-valued answers.
 *
 * Ownership: an arena owns everything allocated from it and frees it all at
 * once in arena_release().  A struct buf owns its bytes until buf_detach()
 * hands them to the caller.  Allocation failure is not recoverable in a
 * command-line linter, so the x* functions print a one-line reason and exit
 * with status 2 instead of returning NULL.
 */
#ifndef IAMCROSS_BASE_H
#define IAMCROSS_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define IX_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define IX_PRINTF(fmt, args)
#endif

#define IX_COUNT(array) (sizeof(array) / sizeof((array)[0]))
/* The value of the macro `x` as a string literal: IX_STRING(TF_MAX_FILES) is "4096". */
#define IX_STRING(x) IX_STRING_LITERAL(x)
#define IX_STRING_LITERAL(x) #x

/* An answer that a static analysis may not be able to give. */
enum tri {
	TRI_NO = 0,
	TRI_YES = 1,
	TRI_MAYBE = 2,
};

/* Three-valued logic: MAYBE is "yes or no, not known which". */
static inline enum tri tri_and(enum tri a, enum tri b)
{
	if (a == TRI_NO || b == TRI_NO)
		return TRI_NO;
	return a == TRI_MAYBE || b == TRI_MAYBE ? TRI_MAYBE : TRI_YES;
}

static inline enum tri tri_or(enum tri a, enum tri b)
{
	if (a == TRI_YES || b == TRI_YES)
		return TRI_YES;
	return a == TRI_MAYBE || b == TRI_MAYBE ? TRI_MAYBE : TRI_NO;
}

static inline enum tri tri_not(enum tri a)
{
	if (a == TRI_MAYBE)
		return TRI_MAYBE;
	return a == TRI_YES ? TRI_NO : TRI_YES;
}

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grow an array of `*cap` elements of `size` bytes so it holds `need`. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) IX_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) IX_PRINTF(1, 0);

/*
 * Bump allocator.  Chunks grow geometrically; a request larger than a chunk
 * gets a chunk of its own.
 */
struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used_in_head;
	size_t total;
};

void arena_init(struct arena *arena);
void *arena_alloc(struct arena *arena, size_t size);
void *arena_zalloc(struct arena *arena, size_t size);
char *arena_strdup(struct arena *arena, const char *s);
char *arena_strndup(struct arena *arena, const char *s, size_t n);
char *arena_printf(struct arena *arena, const char *fmt, ...) IX_PRINTF(2, 3);
void arena_release(struct arena *arena);

#define ARENA_NEW(arena, type) ((type *)arena_zalloc((arena), sizeof(type)))
#define ARENA_ARRAY(arena, type, n) ((type *)arena_zalloc((arena), sizeof(type) * (n)))

/* A NUL-terminated, growable byte string. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_append(struct buf *b, const char *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) IX_PRINTF(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) IX_PRINTF(2, 0);
void buf_reset(struct buf *b);
/* Return the string (never NULL) and leave `b` empty. */
char *buf_detach(struct buf *b);
void buf_release(struct buf *b);
/* The contents as a C string; "" while empty. */
const char *buf_str(const struct buf *b);

/* Append `s` as a JSON string literal, quotes included. */
void buf_put_json_string(struct buf *b, const char *s);

bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
bool str_iequal(const char *a, const char *b);
bool str_istarts_with(const char *s, const char *prefix);
/* Levenshtein distance, or `limit + 1` as soon as it exceeds `limit`. */
size_t str_edit_distance(const char *a, const char *b, size_t limit, bool ignore_case);

/* Write code point `cp` (at most U+10FFFF) as UTF-8; returns the byte count. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* The value of a hexadecimal digit, or -1 when `c` is not one. */
int hex_digit_value(int c);

/* Length of the valid UTF-8 sequence at `s`, or 0 when it is not valid. */
size_t utf8_sequence_length(const unsigned char *s, size_t available);

#endif
