/*
 * PMDK comparison point for AllocFreeBenchmark (issue #5): pmemobj_alloc + pmemobj_free of 64 B into a
 * root-object slot, per thread, on forced pmem. Not built by Maven. Run:
 *   gcc -O2 -o /tmp/pmdk_allocfree pmdk_allocfree.c -lpmemobj -lpthread
 *   PMEM_IS_PMEM_FORCE=1 /tmp/pmdk_allocfree <threads> <seconds> /dev/shm/pmdk-allocfree.pool
 * One op = one alloc + one free, as in the JMH benchmark.
 */
#include <libpmemobj.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static PMEMobjpool *pop;
static double seconds;
struct root { PMEMoid slot[64]; };

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void *run(void *arg) {
    long lane = (long) arg;
    PMEMoid root = pmemobj_root(pop, sizeof(struct root));
    PMEMoid *dest = &((struct root *) pmemobj_direct(root))->slot[lane * 8];
    long ops = 0;
    double end = now() + seconds;
    while (now() < end) {
        for (int i = 0; i < 1000; i++) {
            if (pmemobj_alloc(pop, dest, 64, 1, NULL, NULL) != 0) { perror("alloc"); exit(1); }
            pmemobj_free(dest);
        }
        ops += 1000;
    }
    return (void *) ops;
}

int main(int argc, char **argv) {
    int threads = atoi(argv[1]);
    seconds = atof(argv[2]);
    const char *path = argv[3];
    unlink(path);
    pop = pmemobj_create(path, "bench", 256 << 20, 0600);
    if (!pop) { perror("create"); return 1; }
    run((void *) 0); /* warm-up */
    pthread_t t[16];
    long total = 0;
    double start = now();
    for (long i = 0; i < threads; i++) pthread_create(&t[i], NULL, run, (void *) i);
    for (int i = 0; i < threads; i++) { void *r; pthread_join(t[i], &r); total += (long) r; }
    printf("threads=%d ops/s=%.0f\n", threads, total / (now() - start));
    pmemobj_close(pop);
    unlink(path);
    return 0;
}
