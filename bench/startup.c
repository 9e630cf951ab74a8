/*
 * The program whose start-up bench/spawn.c times.  It is built twice.  With
 * BENCH_CATALOG it looks one action up in the catalog, as a lint run does
 * for each action of a policy.  Without it, it does the same argument
 * handling and no lookup, so the linker leaves the catalog out entirely.
 * The difference between the two is what the catalog costs a process.
 */
#include "iamcross/catalog.h"

#include <string.h>

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "s3:GetObject";

#ifdef BENCH_CATALOG
	return catalog_action_find(name) ? 0 : 1;
#else
	return strchr(name, ':') ? 0 : 1;
#endif
}
