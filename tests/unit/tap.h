/*
 * A minimal TAP producer for unit tests: each CHECK prints one "ok" or
 * "not ok" line with the expression and its place, and tap_done() prints the
 * plan and returns the exit status meson expects.
 */
#ifndef IAMCROSS_TAP_H
#define IAMCROSS_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

static inline int tap_check(int ok, const char *what, const char *file, int line)
{
	tap_count++;
	if (ok) {
		printf("ok %d - %s\n", tap_count, what);
	} else {
		tap_failed++;
		printf("not ok %d - %s\n#   at %s:%d\n", tap_count, what, file, line);
	}
	return ok;
}

static inline int tap_check_str(const char *got, const char *expected, const char *what,
				const char *file, int line)
{
	int ok = got && expected ? strcmp(got, expected) == 0 : got == expected;

	if (!tap_check(ok, what, file, line))
		printf("#   got:      '%s'\n#   expected: '%s'\n", got ? got : "(null)",
		       expected ? expected : "(null)");
	return ok;
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#define CHECK(cond) tap_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_STR(got, expected) tap_check_str((got), (expected), #got " == " #expected, __FILE__, __LINE__)

#endif
