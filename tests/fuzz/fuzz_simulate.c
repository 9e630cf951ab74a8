/*
 * libFuzzer harness: one line of `iamcross simulate --requests` on arbitrary
 * bytes, through the arena JSON reader, the request checks, the policy
 * builder, the evaluator and the JSON output.  Every output must be one
 * line that ends in a newline, and reading the line through the policy
 * cache must give the same output as reading it without.  Any crash, leak,
 * hang or sanitizer report is a bug.
 */
#include "../../src/cli/simulate_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Evaluate a copy of the input and check that the output is one line. */
static void run(const uint8_t *data, size_t size, struct policy_cache *cache, struct buf *out)
{
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	simulate_line(text, size, 1, cache, out);
	free(text);
	if (out->len == 0 || out->data[out->len - 1] != '\n' ||
	    memchr(out->data, '\n', out->len) != out->data + out->len - 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_cache *cache = policy_cache_new();
	struct buf plain = BUF_INIT;
	struct buf cached = BUF_INIT;
	struct buf again = BUF_INIT;

	run(data, size, NULL, &plain);
	run(data, size, cache, &cached);
	run(data, size, cache, &again);
	if (strcmp(buf_str(&plain), buf_str(&cached)) != 0 || strcmp(buf_str(&plain), buf_str(&again)) != 0)
		abort();
	buf_release(&plain);
	buf_release(&cached);
	buf_release(&again);
	policy_cache_free(cache);
	return 0;
}
