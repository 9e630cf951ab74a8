/*
 * libFuzzer property harness: the exact pattern questions of glob.h against
 * brute force.  The input picks two small patterns over a tiny alphabet and
 * a pattern kind; every string up to a length bound is then matched one by
 * one with a backtracking matcher, and glob_match, glob_subset and
 * glob_intersects must agree with what enumeration finds.
 *
 * The bound: over these patterns a shortest witness of a difference or of a
 * common string is at most as long as the two patterns together plus one,
 * so enumerating up to that length decides both questions exactly.
 */
#include "iamcross/glob.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_PATTERN = 3 };

static const char pattern_alphabet[] = "ab:/*?";
static const char text_alphabet[] = "ab:/";

/* The reference matcher for GLOB_STRING: `*` any run, `?` one character. */
static bool reference_match(const char *p, const char *t)
{
	if (*p == '\0')
		return *t == '\0';
	if (*p == '*')
		return reference_match(p + 1, t) || (*t && reference_match(p, t + 1));
	if (*t == '\0')
		return false;
	if (*p == '?' || *p == *t)
		return reference_match(p + 1, t + 1);
	return false;
}

static size_t read_pattern(const uint8_t **data, size_t *size, char *out)
{
	size_t n;

	out[0] = '\0';
	if (*size == 0)
		return 0;
	n = (*data)[0] % (MAX_PATTERN + 1);
	(*data)++;
	(*size)--;
	for (size_t i = 0; i < n; i++) {
		if (*size == 0) {
			n = i;
			break;
		}
		out[i] = pattern_alphabet[(*data)[0] % (sizeof(pattern_alphabet) - 1)];
		(*data)++;
		(*size)--;
	}
	out[n] = '\0';
	return n;
}

struct verdict {
	bool a_not_b; /* some string matches a and not b */
	bool both;    /* some string matches both */
};

static void enumerate(const char *a, const char *b, char *text, size_t length, size_t max,
		      struct verdict *v, const struct glob *ga)
{
	bool in_a;
	bool in_b;

	text[length] = '\0';
	in_a = reference_match(a, text);
	in_b = reference_match(b, text);
	if (glob_match(ga, text) != (in_a ? TRI_YES : TRI_NO)) {
		fprintf(stderr, "glob_match('%s', '%s') disagrees with brute force\n", a, text);
		abort();
	}
	v->a_not_b = v->a_not_b || (in_a && !in_b);
	v->both = v->both || (in_a && in_b);
	if (length == max)
		return;
	for (size_t i = 0; i < sizeof(text_alphabet) - 1; i++) {
		text[length] = text_alphabet[i];
		enumerate(a, b, text, length + 1, max, v, ga);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char a[MAX_PATTERN + 1];
	char b[MAX_PATTERN + 1];
	char text[2 * MAX_PATTERN + 2];
	struct verdict v = {false, false};
	struct glob *ga;
	struct glob *gb;
	const struct glob *union_of[1];
	size_t max;

	max = read_pattern(&data, &size, a);
	max += read_pattern(&data, &size, b) + 1;
	ga = glob_compile(a, GLOB_STRING, false);
	gb = glob_compile(b, GLOB_STRING, false);
	union_of[0] = gb;

	enumerate(a, b, text, 0, max, &v, ga);
	if (glob_subset(ga, union_of, 1, NULL) != (v.a_not_b ? TRI_NO : TRI_YES)) {
		fprintf(stderr, "glob_subset('%s', '%s') disagrees with brute force\n", a, b);
		abort();
	}
	if (glob_intersects(ga, gb, NULL) != (v.both ? TRI_YES : TRI_NO)) {
		fprintf(stderr, "glob_intersects('%s', '%s') disagrees with brute force\n", a, b);
		abort();
	}
	glob_free(ga);
	glob_free(gb);
	return 0;
}
