/*
 * Checked allocation and the arena allocator.
 *
 * Allocation failure ends the process with status 2 and a one-line reason:
 * a linter that ran out of memory has no partial result worth printing.
 */
#include "iamcross/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail_out_of_memory(size_t size)
{
	fprintf(stderr, "iamcross: out of memory (failed to allocate %zu bytes)\n", size);
	exit(2);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		fail_out_of_memory(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		fail_out_of_memory(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		fail_out_of_memory(size);
	return p;
}

void *xgrow(void *ptr, size_t *cap, size_t need, size_t size)
{
	size_t new_cap = *cap ? *cap : 8;

	if (need <= *cap)
		return ptr;
	while (new_cap < need) {
		if (new_cap > SIZE_MAX / 2 / size)
			fail_out_of_memory(SIZE_MAX);
		new_cap *= 2;
	}
	*cap = new_cap;
	return xrealloc(ptr, new_cap * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char small[256];
	va_list copy;
	int n;
	char *p;

	/*
	 * GCC 12 with -fsanitize=undefined warns of a null format on the call
	 * below unless the path is ruled out here.
	 */
	if (!fmt)
		return xstrdup("");

	/* A first pass into a stack buffer sizes the result and often is it. */
	va_copy(copy, ap);
	n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0)
		n = 0;
	p = xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof(small))
		memcpy(p, small, (size_t)n + 1);
	else
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	max_align_t data[];
};

enum { ARENA_FIRST_CHUNK = 16 * 1024 };

void arena_init(struct arena *arena)
{
	arena->head = NULL;
	arena->used_in_head = 0;
	arena->total = 0;
}

static size_t align_up(size_t n)
{
	size_t a = sizeof(max_align_t);

	return (n + a - 1) / a * a;
}

void *arena_alloc(struct arena *arena, size_t size)
{
	struct arena_chunk *chunk;
	size_t chunk_size;

	size = align_up(size ? size : 1);
	if (arena->head && arena->head->size - arena->used_in_head >= size) {
		void *p = (char *)arena->head->data + arena->used_in_head;

		arena->used_in_head += size;
		return p;
	}

	chunk_size = arena->total < ARENA_FIRST_CHUNK ? ARENA_FIRST_CHUNK : arena->total;
	if (chunk_size < size)
		chunk_size = size;
	chunk = xmalloc(sizeof(*chunk) + chunk_size);
	chunk->size = chunk_size;
	chunk->next = arena->head;
	arena->head = chunk;
	arena->used_in_head = size;
	arena->total += chunk_size;
	return chunk->data;
}

void *arena_zalloc(struct arena *arena, size_t size)
{
	void *p = arena_alloc(arena, size);

	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *arena, const char *s, size_t n)
{
	char *p = arena_alloc(arena, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *arena, const char *s)
{
	return arena_strndup(arena, s, strlen(s));
}

char *arena_printf(struct arena *arena, const char *fmt, ...)
{
	va_list ap;
	char *tmp;
	char *p;

	va_start(ap, fmt);
	tmp = xvasprintf(fmt, ap);
	va_end(ap);
	p = arena_strdup(arena, tmp);
	free(tmp);
	return p;
}

void arena_release(struct arena *arena)
{
	struct arena_chunk *chunk = arena->head;

	while (chunk) {
		struct arena_chunk *next = chunk->next;

		free(chunk);
		chunk = next;
	}
	arena_init(arena);
}
