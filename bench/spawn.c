/*
 * Time how long a process takes to start, run and exit, for two programs
 * side by side, and print both and their ratio.
 *
 * Usage: bench-spawn RUNS PROGRAM_A PROGRAM_B [ARGUMENT...]
 *
 * Both programs get the same arguments ('s3:GetObject' when none is
 * given), so /bin/true can stand for "start a process and do nothing".
 * Their standard output goes to /dev/null.  Exit status 1 counts as a run,
 * since iamcross exits 1 when it reports findings; 2 and above and
 * signals stop the benchmark.
 * The runs alternate between the two programs, so drift in machine load
 * affects both alike.  Each run is timed from posix_spawn() to the end of
 * waitpid() with the monotonic clock.  The median is printed next to the
 * mean because a few runs always hit a busy moment.
 */
#include <fcntl.h>
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

/* Run `argv` once and return its wall time in microseconds, or -1 on failure. */
static double time_run(char **argv, const posix_spawn_file_actions_t *actions)
{
	double start = now_us();
	pid_t pid;
	int status;

	if (posix_spawn(&pid, argv[0], actions, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
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
	posix_spawn_file_actions_t actions;
	char *default_argument = "s3:GetObject";
	char **arguments;
	int count;

	if (argc < 4 || (runs = strtoul(argv[1], NULL, 10)) == 0) {
		fprintf(stderr, "usage: bench-spawn RUNS PROGRAM_A PROGRAM_B [ARGUMENT...]\n");
		return 2;
	}
	/* argv of one run: the program, then the shared arguments. */
	count = argc > 4 ? argc - 4 : 1;
	arguments = calloc((size_t)count + 2, sizeof(char *));
	times[0] = malloc(runs * sizeof(double));
	times[1] = malloc(runs * sizeof(double));
	if (!arguments || !times[0] || !times[1]) {
		fprintf(stderr, "bench-spawn: out of memory for %zu runs\n", runs);
		return 2;
	}

	for (int i = 0; i < count; i++)
		arguments[1 + i] = argc > 4 ? argv[4 + i] : default_argument;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);

	for (size_t i = 0; i < runs; i++) {
		for (int p = 0; p < 2; p++) {
			arguments[0] = argv[2 + p];
			times[p][i] = time_run(arguments, &actions);
			if (times[p][i] < 0) {
				fprintf(stderr, "bench-spawn: '%s' failed to run or exited with status 2 or more\n",
					argv[2 + p]);
				return 2;
			}
		}
	}

	printf("%zu runs each, alternating, arguments:", runs);
	for (int i = 1; i <= count; i++)
		printf(" %s", arguments[i]);
	printf("\n");
	summarise(argv[2], times[0], runs, &median[0], &mean[0]);
	summarise(argv[3], times[1], runs, &median[1], &mean[1]);
	printf("ratio A/B: median %.3f, mean %.3f\n", median[0] / median[1], mean[0] / mean[1]);
	posix_spawn_file_actions_destroy(&actions);
	free(arguments);
	free(times[0]);
	free(times[1]);
	return 0;
}
