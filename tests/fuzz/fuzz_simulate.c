/*
 * libFuzzer harness: one line of `iamcross simulate --requests` on arbitrary
 * bytes, through the arena JSON reader, the request checks, the policy
 * builder, the evaluator and the JSON output.  Every output must be one
 * line that ends in a newline.  Any crash, leak, hang or sanitizer report
 * is a bug.
 */
#include "../../src/cli/simulate_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct buf out = BUF_INIT;

	memcpy(text, data, size);
	text[size] = '\0';
	simulate_line(text, size, 1, &out);
	if (out.len == 0 || out.data[out.len - 1] != '\n' || memchr(out.data, '\n', out.len) != out.data + out.len - 1)
		abort();
	buf_release(&out);
	free(text);
	return 0;
}
