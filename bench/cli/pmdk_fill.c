/*
 * pmdk_fill: a libpmemobj pool of the same shape as FillPool's "uniform64" (for timing
 * pmempool check beside engram check). Usage: pmdk_fill POOL SIZE COUNT
 * Objects are 64-byte atomic allocations (pmemobj_alloc) linked from nowhere, like the Engram
 * side's blocks, which nothing references either.
 */
#include <libpmemobj.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s POOL SIZE COUNT\n", argv[0]);
		return 2;
	}
	size_t size = strtoull(argv[2], NULL, 10);
	long count = strtol(argv[3], NULL, 10);
	PMEMobjpool *pop = pmemobj_create(argv[1], "bench", size, 0600);
	if (pop == NULL) {
		fprintf(stderr, "pmemobj_create %s: %s\n", argv[1], pmemobj_errormsg());
		return 1;
	}
	for (long i = 0; i < count; i++) {
		PMEMoid oid;
		if (pmemobj_alloc(pop, &oid, 64, 1, NULL, NULL) != 0) {
			fprintf(stderr, "alloc %ld: %s\n", i, pmemobj_errormsg());
			pmemobj_close(pop);
			return 1;
		}
	}
	pmemobj_close(pop);
	printf("filled %s: %ld objects of 64 bytes\n", argv[1], count);
	return 0;
}
