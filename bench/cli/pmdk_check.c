/*
 * pmdk_check: times libpmempool's check API (pmempool_check_init / pmempool_check /
 * pmempool_check_end, what 'pmempool check' runs) in one process, for the in-process half of
 * bench/cli/check-vs-pmempool.sh. Usage: pmdk_check POOL WARMUP RUNS
 * Prints "first=<ms> median=<ms> min=<ms> result=<consistent|...>": the first check of the process,
 * then the median and minimum of RUNS checks after WARMUP more. Read-only (no repair flag).
 */
#include <libpmempool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int check_once(const char *path, double *ms)
{
	struct pmempool_check_args args = {
		.path = path,
		.backup_path = NULL,
		.pool_type = PMEMPOOL_POOL_TYPE_DETECT,
		.flags = PMEMPOOL_CHECK_FORMAT_STR,
	};
	double start = now_ms();
	PMEMpoolcheck *ppc = pmempool_check_init(&args, sizeof(args));
	if (ppc == NULL) {
		perror("pmempool_check_init");
		return -1;
	}
	while (pmempool_check(ppc) != NULL) {
		/* messages only (no question is asked without the repair flag) */
	}
	enum pmempool_check_result r = pmempool_check_end(ppc);
	*ms = now_ms() - start;
	return (int)r;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s POOL WARMUP RUNS\n", argv[0]);
		return 2;
	}
	int warmup = atoi(argv[2]);
	int runs = atoi(argv[3]);
	if (runs < 1 || warmup < 0) {
		fprintf(stderr, "%s: WARMUP >= 0 and RUNS >= 1\n", argv[0]);
		return 2;
	}
	double first, t;
	int r = check_once(argv[1], &first);
	if (r < 0)
		return 1;
	for (int i = 0; i < warmup; i++)
		if (check_once(argv[1], &t) < 0)
			return 1;
	double *ms = calloc((size_t)runs, sizeof(double));
	if (ms == NULL)
		return 1;
	for (int i = 0; i < runs; i++)
		if (check_once(argv[1], &ms[i]) < 0)
			return 1;
	qsort(ms, (size_t)runs, sizeof(double), cmp);
	printf("first=%.3f median=%.3f min=%.3f result=%s\n", first, ms[(runs - 1) / 2], ms[0],
		r == PMEMPOOL_CHECK_RESULT_CONSISTENT ? "consistent" : "not-consistent");
	free(ms);
	return 0;
}
