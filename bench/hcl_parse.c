/*
 * Time iamcross's HCL parser on a list of .tf files, in one process.
 *
 * Usage: bench-hcl-parse ROUNDS < FILE_LIST
 *
 * Reads the paths on standard input (one per line) and every file into
 * memory first, so the figure is the parser alone: no process start and no
 * disk.  Then it parses all files ROUNDS times and prints the best round's
 * time, the bytes and files per second, and how many files had a syntax
 * error.  hcl2json_parse.js measures @cdktf/hcl2json the same way.
 */
#include "iamcross/diag.h"
#include "iamcross/hcl.h"
#include "iamcross/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct source_set sources;
	uint32_t *ids = NULL;
	char line[4096];
	size_t files = 0, bytes = 0, failed = 0;
	double best = 0;
	int rounds = argc > 1 ? atoi(argv[1]) : 5;

	if (rounds < 1) {
		fprintf(stderr, "usage: bench-hcl-parse ROUNDS < FILE_LIST\n");
		return 2;
	}
	source_set_init(&sources);
	while (fgets(line, sizeof line, stdin)) {
		const char *reason;
		uint32_t id;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		if (source_set_read(&sources, line, &id, &reason) != SOURCE_OK) {
			fprintf(stderr, "bench-hcl-parse: %s: %s\n", line, reason);
			return 2;
		}
		ids = realloc(ids, (files + 1) * sizeof *ids);
		if (!ids) {
			fprintf(stderr, "bench-hcl-parse: out of memory\n");
			return 2;
		}
		ids[files++] = id;
		bytes += source_get(&sources, id)->length;
	}
	for (int round = 0; round < rounds; round++) {
		double start = now_s(), elapsed;

		failed = 0;
		for (size_t i = 0; i < files; i++) {
			struct hcl_file file;
			struct diag_store diags;

			diag_init(&diags);
			if (!hcl_parse(&file, &sources, ids[i], &diags))
				failed++;
			hcl_file_release(&file);
			diag_release(&diags);
		}
		elapsed = now_s() - start;
		if (round == 0 || elapsed < best)
			best = elapsed;
	}
	printf("iamcross hcl_parse: %zu files, %zu bytes, best of %d rounds %.3f s, "
	       "%.1f MB/s, %.0f files/s, %zu with syntax errors\n",
	       files, bytes, rounds, best, (double)bytes / best / 1e6, (double)files / best, failed);
	free(ids);
	source_set_release(&sources);
	return 0;
}
