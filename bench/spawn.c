/*
 * Time how long a process takes to start, run and exit, for two programs
 * side by side, and print both and their ratio.
 *
 * Usage: bench-spawn RUNS PROGRAM_A PROGRAM_B [ARGUMENT]
 *
 * The runs alternate between the two programs, so drift in machine load
 * affects both alike.  Each run is timed from posix_spawn() to the end of
 * waitpid() with the monotonic clock.  The median is printed next to the
 * mean because a few runs always hit a busy moment.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Run `program` once and return its wall time in microseconds, or -1 on failure. */
static double time_run(const char *program, const char *argument)
{
	char *argv[] = {(char *)program, (char *)argument, NULL};
	double start = now_us();
	pid_t pid;
	int status;

	if (posix_spawn(&pid, program, NULL, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return now_us() - start;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return (x > y) - (x < y);
}

static void summarise(const char *program, double *times, size_t runs, double *median, double *mean)
{
	struct stat st;
	double sum = 0;

	for (size_t i = 0; i < runs; i++)
		sum += times[i];
	qsort(times, runs, sizeof(times[0]), compare_doubles);
	*median = times[runs / 2];
	*mean = sum / (double)runs;
	printf("%-40s median %7.1f us  mean %7.1f us  size %9lld bytes\n", program, *median, *mean,
	       stat(program, &st) == 0 ? (long long)st.st_size : -1LL);
}

int main(int argc, char **argv)
{
	size_t runs;
	double *times[2];
	double median[2];
	double mean[2];
	const char *argument;

	if (argc < 4 || (runs = strtoul(argv[1], NULL, 10)) == 0) {
		fprintf(stderr, "usage: bench-spawn RUNS PROGRAM_A PROGRAM_B [ARGUMENT]\n");
		return 2;
	}
	argument = argc > 4 ? argv[4] : "s3:GetObject";
	times[0] = malloc(runs * sizeof(double));
	times[1] = malloc(runs * sizeof(double));
	if (!times[0] || !times[1]) {
		fprintf(stderr, "bench-spawn: out of memory for %zu runs\n", runs);
		return 2;
	}

	for (size_t i = 0; i < runs; i++) {
		for (int p = 0; p < 2; p++) {
			times[p][i] = time_run(argv[2 + p], argument);
			if (times[p][i] < 0) {
				fprintf(stderr, "bench-spawn: '%s %s' failed to run or exited with an error\n",
					argv[2 + p], argument);
				return 2;
			}
		}
	}

	printf("%zu runs each, alternating, argument '%s'\n", runs, argument);
	summarise(argv[2], times[0], runs, &median[0], &mean[0]);
	summarise(argv[3], times[1], runs, &median[1], &mean[1]);
	printf("ratio A/B: median %.3f, mean %.3f\n", median[0] / median[1], mean[0] / mean[1]);
	free(times[0]);
	free(times[1]);
	return 0;
}
