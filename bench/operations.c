/*
 * Time the catalog operations the lint checks call per policy element:
 * lookups, pattern expansion, set algebra and suggestions.  Prints the
 * mean time of one call of each, measured over a loop long enough to take
 * tens of milliseconds.  Numbers depend on the machine; compare them only
 * with numbers from the same machine.
 */
#include "iamcross/catalog.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static volatile size_t sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void report(const char *label, double total_ns, size_t calls)
{
	printf("%-44s %10.1f ns per call (%zu calls)\n", label, total_ns / (double)calls, calls);
}

static void time_action_lookups(void)
{
	char upper[256];
	double start = now_ns();
	size_t calls = 0;

	for (int round = 0; round < 5; round++) {
		for (size_t i = 0; i < catalog_action_count(); i++) {
			const char *name = catalog_action_name(catalog_action_at(i));
			size_t n = strlen(name);

			for (size_t j = 0; j <= n; j++)
				upper[j] = (char)toupper((unsigned char)name[j]);
			sink += catalog_action_find(upper) != NULL;
			calls++;
		}
	}
	report("catalog_action_find (upper case)", now_ns() - start, calls);
}

static void time_key_lookups(const char *name, size_t calls)
{
	char label[96];
	double start = now_ns();

	for (size_t i = 0; i < calls; i++)
		sink += catalog_condition_key_find(name) != NULL;
	snprintf(label, sizeof(label), "catalog_condition_key_find %s", name);
	report(label, now_ns() - start, calls);
}

static void time_expansion(const char *pattern, size_t calls)
{
	char label[96];
	struct action_set set;
	double start = now_ns();

	for (size_t i = 0; i < calls; i++) {
		action_set_clear(&set);
		sink += action_set_add_pattern(&set, pattern);
	}
	snprintf(label, sizeof(label), "clear + action_set_add_pattern %s", pattern);
	report(label, now_ns() - start, calls);
}

static void time_set_algebra(size_t calls)
{
	struct action_set a;
	struct action_set b;
	double start;

	action_set_clear(&a);
	action_set_add_pattern(&a, "s3:*");
	action_set_clear(&b);
	action_set_add_pattern(&b, "*Object");
	start = now_ns();
	for (size_t i = 0; i < calls; i++) {
		struct action_set c = a;

		action_set_intersect(&c, &b);
		sink += action_set_is_subset(&c, &a) + action_set_count(&c);
	}
	report("copy + intersect + is_subset + count", now_ns() - start, calls);
}

static void time_suggestion(const char *name, size_t calls)
{
	char label[96];
	double start = now_ns();

	for (size_t i = 0; i < calls; i++)
		sink += catalog_action_suggest(name) != NULL;
	snprintf(label, sizeof(label), "catalog_action_suggest %s", name);
	report(label, now_ns() - start, calls);
}

int main(void)
{
	printf("catalog %s %s: %d services, %d actions\n", catalog_package(), catalog_version(),
	       CATALOG_SERVICE_COUNT, CATALOG_ACTION_COUNT);
	time_action_lookups();
	time_key_lookups("aws:SourceArn", 1000000);
	time_key_lookups("aws:PrincipalTag/team", 1000000);
	time_key_lookups("oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:sub", 100000);
	time_expansion("s3:GetObject", 100000);
	time_expansion("s3:Get*", 100000);
	time_expansion("s3:*", 100000);
	time_expansion("*Object", 1000);
	time_expansion("*", 100000);
	time_set_algebra(100000);
	time_suggestion("s3:PutObjects", 1000);
	time_suggestion("sqs:DeleteMesssage", 1000);
	time_suggestion("ec2:DescribeInstnces", 1000);
	time_suggestion("sss:PutObject", 1000);
	time_suggestion("s3:Frobnicate", 1000);
	return 0;
}
