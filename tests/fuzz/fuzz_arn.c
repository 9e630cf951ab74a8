/*
 * libFuzzer harness: ARN parsing and validation, principal classification,
 * and matching against an ARN format, on arbitrary text.
 */
#include "iamcross/arn.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	char *split = memchr(text, '\n', strlen(text));
	struct buf reason = BUF_INIT;
	struct arn arn;
	struct arn_principal principal;

	if (arn_parse(text, &arn, &reason))
		arn_validate(&arn, &reason);
	buf_reset(&reason);
	arn_principal_parse(text, &principal, &reason);
	if (split) {
		/* "FORMAT\nPATTERN": match a resource pattern against a format. */
		*split = '\0';
		arn_format_may_match(text, split + 1);
	}
	buf_release(&reason);
	free(text);
	return 0;
}
