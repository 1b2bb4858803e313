/*
 * pmdk_bench -- the PMDK 1.12 side of Engram's benchmarks (DESIGN.md section 8).
 *
 * Runs the same workloads as the JMH suites, on the same pool directory, and prints one JSON line
 * per workload to stdout:
 *   {"workload":..,"unit":"ops/s"|"count"|"ms","value":..,"error":..,"threads":..,"mode":..,"runs":..}
 * "error" is the half-width of the 99.9% confidence interval of the mean (Student t), the same
 * figure JMH prints, so the report can put the two side by side.
 *
 * The mode is what libpmem decides for the pool directory: "forced-pmem" when pmem_is_pmem() is
 * true (PMEM_IS_PMEM_FORCE=1 on /dev/shm), "page-cache" otherwise (a disk file, PMEM_IS_PMEM_FORCE=0),
 * where only the workloads marked page_cache run: the others would time msync, not PMDK.
 *
 * usage: pmdk_bench --dir DIR [--quick] [--only REGEX]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libpmem.h>
#include <libpmemobj.h>
#include <math.h>
#include <pthread.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LAYOUT "engram-bench"
#define MIB (1024UL * 1024UL)
#define GIB (1024UL * MIB)
#define PERSIST_REGION (64 * MIB) /* same as WriteBackBenchmark.REGION */
#define MAX_RUNS 32

static const char *dir;
static int quick;
static double run_seconds; /* length of one timed run */
static int runs;           /* timed runs per workload, after one untimed warm-up run */
static const char *mode;

struct result {
	double value;
	double error;
	int runs;
};

/* now_s -- monotonic time in seconds */
static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
die(const char *what)
{
	fprintf(stderr, "pmdk_bench: %s: %s (errno: %s)\n", what, pmemobj_errormsg(), strerror(errno));
	exit(2);
}

static char *
pool_path(const char *name)
{
	static char buf[4096];
	snprintf(buf, sizeof(buf), "%s/pmdk-%s", dir, name);
	return buf;
}

/* t999 -- two-sided 99.9% Student t quantile for df degrees of freedom (JMH's error) */
static double
t999(int df)
{
	static const double t[] = {0, 636.619, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041,
		4.781, 4.587, 4.437, 4.318, 4.221, 4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850};
	if (df < 1)
		return 0;
	return df <= 20 ? t[df] : 3.646; /* df = 30; close enough above 20 */
}

static struct result
summarize(const double *v, int n)
{
	struct result r = {0, 0, n};
	for (int i = 0; i < n; i++)
		r.value += v[i];
	r.value /= n;
	if (n > 1) {
		double ss = 0;
		for (int i = 0; i < n; i++)
			ss += (v[i] - r.value) * (v[i] - r.value);
		r.error = t999(n - 1) * sqrt(ss / (n - 1)) / sqrt(n);
	}
	return r;
}

static void
emit(const char *workload, const char *unit, struct result r, int threads)
{
	printf("{\"workload\":\"%s\",\"unit\":\"%s\",\"value\":%.6g,\"error\":%.6g,"
	       "\"threads\":%d,\"mode\":\"%s\",\"runs\":%d}\n",
	       workload, unit, r.value, r.error, threads, mode, r.runs);
	fflush(stdout);
}

/*
 * A timed loop body: does ops operations and returns. The driver calls it in batches until the
 * run's time is up, so the clock is read once per batch, not once per operation.
 */
typedef void (*batch_fn)(void *arg, long ops);

/* measure -- one warm-up run, then `runs` timed runs of ops/s */
static struct result
measure(batch_fn fn, void *arg, long batch)
{
	double v[MAX_RUNS];
	for (int r = -1; r < runs; r++) {
		long done = 0;
		double start = now_s(), end;
		do {
			fn(arg, batch);
			done += batch;
			end = now_s();
		} while (end - start < run_seconds);
		if (r >= 0)
			v[r] = (double)done / (end - start);
	}
	return summarize(v, runs);
}

/* ---- persist_<size>: pmem_memcpy_persist, or memcpy + msync in page-cache mode ---- */

struct persist_arg {
	char *base;
	char *src;
	size_t size;
	size_t slots;
	size_t next;
	int is_pmem;
};

static void
persist_batch(void *a, long ops)
{
	struct persist_arg *p = a;
	for (long i = 0; i < ops; i++) {
		char *dst = p->base + p->next * p->size;
		p->next = p->next + 1 == p->slots ? 0 : p->next + 1;
		if (p->is_pmem) {
			pmem_memcpy_persist(dst, p->src, p->size);
		} else {
			memcpy(dst, p->src, p->size);
			if (pmem_msync(dst, p->size))
				die("pmem_msync");
		}
	}
}

static void
w_persist(const char *name, size_t size)
{
	size_t len;
	int is_pmem;
	unlink(pool_path("persist"));
	char *base = pmem_map_file(pool_path("persist"), PERSIST_REGION, PMEM_FILE_CREATE, 0600, &len, &is_pmem);
	if (base == NULL)
		die("pmem_map_file");
	/* Touch (and on disk, allocate) every page first: faults and block allocation are not timed. */
	memset(base, 1, len);
	if (!is_pmem && pmem_msync(base, len))
		die("pmem_msync");
	struct persist_arg p = {base, aligned_alloc(64, size), size, len / size, 0, is_pmem};
	memset(p.src, 0x5a, size);
	long batch = size >= MIB ? 1 : (long)(65536 / size) + 1;
	emit(name, "ops/s", measure(persist_batch, &p, batch), 1);
	free(p.src);
	pmem_unmap(base, len);
	unlink(pool_path("persist"));
}

/* ---- pmemobj pools ---- */

static PMEMobjpool *
create_pool(const char *name, size_t size)
{
	unlink(pool_path(name));
	PMEMobjpool *pop = pmemobj_create(pool_path(name), LAYOUT, size, 0600);
	if (pop == NULL)
		die("pmemobj_create");
	return pop;
}

static void
drop_pool(PMEMobjpool *pop, const char *name)
{
	pmemobj_close(pop);
	unlink(pool_path(name));
}

/* ---- alloc_free_<size>: pmemobj_alloc + pmemobj_free, 1 or 2 threads ---- */

struct alloc_arg {
	PMEMobjpool *pop;
	size_t size;
	double until;
	long done;
	pthread_barrier_t *start;
};

static void *
alloc_free_thread(void *a)
{
	struct alloc_arg *p = a;
	PMEMoid oid;
	long done = 0;
	pthread_barrier_wait(p->start);
	do {
		for (int i = 0; i < 64; i++) {
			if (pmemobj_alloc(p->pop, &oid, p->size, 0, NULL, NULL))
				die("pmemobj_alloc");
			pmemobj_free(&oid);
		}
		done += 64;
	} while (now_s() < p->until);
	p->done = done;
	return NULL;
}

static void
w_alloc_free(const char *name, size_t size, int threads)
{
	PMEMobjpool *pop = create_pool("alloc", 256 * MIB);
	double v[MAX_RUNS];
	for (int r = -1; r < runs; r++) {
		pthread_t t[2];
		struct alloc_arg a[2];
		pthread_barrier_t start;
		pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
		for (int i = 0; i < threads; i++) {
			a[i] = (struct alloc_arg){pop, size, 0, 0, &start};
		}
		double begin = now_s();
		for (int i = 0; i < threads; i++) {
			a[i].until = begin + run_seconds;
			pthread_create(&t[i], NULL, alloc_free_thread, &a[i]);
		}
		pthread_barrier_wait(&start);
		long total = 0;
		for (int i = 0; i < threads; i++) {
			pthread_join(t[i], NULL);
			total += a[i].done;
		}
		double end = now_s();
		pthread_barrier_destroy(&start);
		if (r >= 0)
			v[r] = (double)total / (end - begin);
	}
	emit(name, "ops/s", summarize(v, runs), threads);
	drop_pool(pop, "alloc");
}

/* ---- tx_small, tx_8range: undo-logged updates of the root object ---- */

#define ROOT_SIZE 4096
#define RANGE 64

struct tx_arg {
	PMEMobjpool *pop;
	PMEMoid root;
	char *base;
	int ranges; /* ranges snapshotted per transaction */
	unsigned next;
};

/* tx_one -- one transaction; its own function so no loop variable lives across TX_BEGIN's setjmp */
static void
tx_one(struct tx_arg *p)
{
	unsigned first = p->next++;
	TX_BEGIN(p->pop) {
		for (int r = 0; r < p->ranges; r++) {
			/* distinct lines, spread over the root so the ranges never merge */
			uint64_t off = ((first + (unsigned)r * 7u) % (ROOT_SIZE / RANGE)) * RANGE;
			pmemobj_tx_add_range(p->root, off, RANGE);
			memset(p->base + off, (int)first, RANGE);
		}
	} TX_ONABORT {
		die("transaction aborted");
	} TX_END
}

static void
tx_batch(void *a, long ops)
{
	for (long i = 0; i < ops; i++)
		tx_one(a);
}

static void
w_tx(const char *name, int ranges)
{
	PMEMobjpool *pop = create_pool("tx", 64 * MIB);
	PMEMoid root = pmemobj_root(pop, ROOT_SIZE);
	if (OID_IS_NULL(root))
		die("pmemobj_root");
	struct tx_arg p = {pop, root, pmemobj_direct(root), ranges, 0};
	emit(name, "ops/s", measure(tx_batch, &p, 64), 1);
	drop_pool(pop, "tx");
}

/* ---- tx_alloc_64: one transaction per 64-byte allocation; frees happen outside the clock ---- */

#define TX_ALLOC_BATCH 4096

static PMEMoid
tx_alloc_one(PMEMobjpool *pop)
{
	PMEMoid oid = OID_NULL;
	TX_BEGIN(pop) {
		oid = pmemobj_tx_alloc(64, 0);
	} TX_ONABORT {
		die("pmemobj_tx_alloc");
	} TX_END
	return oid;
}

static void
w_tx_alloc(const char *name)
{
	PMEMobjpool *pop = create_pool("txalloc", 256 * MIB);
	static PMEMoid oids[TX_ALLOC_BATCH];
	double v[MAX_RUNS];
	for (int r = -1; r < runs; r++) {
		double timed = 0;
		long done = 0;
		while (timed < run_seconds) {
			double start = now_s();
			for (int i = 0; i < TX_ALLOC_BATCH; i++)
				oids[i] = tx_alloc_one(pop);
			timed += now_s() - start;
			done += TX_ALLOC_BATCH;
			for (int i = 0; i < TX_ALLOC_BATCH; i++)
				pmemobj_free(&oids[i]);
		}
		if (r >= 0)
			v[r] = (double)done / timed;
	}
	emit(name, "ops/s", summarize(v, runs), 1);
	drop_pool(pop, "txalloc");
}

/* ---- fill_64: how many 64-byte objects a 1 GiB pool holds (space efficiency, deterministic) ---- */

static void
w_fill(const char *name)
{
	PMEMobjpool *pop = create_pool("fill", GIB);
	long count = 0;
	while (pmemobj_alloc(pop, NULL, 64, 0, NULL, NULL) == 0)
		count++;
	struct result r = {(double)count, 0, 1};
	emit(name, "count", r, 1);
	drop_pool(pop, "fill");
}

/* ---- open_1g_1m: pmemobj_open of a 1 GiB pool holding 1M 64-byte objects ---- */

static void
w_open(const char *name)
{
	PMEMobjpool *pop = create_pool("open", GIB);
	for (long i = 0; i < 1000000; i++)
		if (pmemobj_alloc(pop, NULL, 64, 0, NULL, NULL))
			die("pmemobj_alloc");
	pmemobj_close(pop);
	double v[MAX_RUNS];
	for (int r = -1; r < runs; r++) {
		double start = now_s();
		pop = pmemobj_open(pool_path("open"), LAYOUT);
		double end = now_s();
		if (pop == NULL)
			die("pmemobj_open");
		pmemobj_close(pop);
		if (r >= 0)
			v[r] = (end - start) * 1e3;
	}
	emit(name, "ms", summarize(v, runs), 1);
	unlink(pool_path("open"));
}

/* ---- hashmap_put: chained hash map, one transaction per put (alloc entry, snapshot bucket) ---- */

#define BUCKETS 65536

struct entry {
	uint64_t key;
	PMEMoid next;
	char value[64];
};

struct map_root {
	PMEMoid buckets[BUCKETS];
};

struct map_arg {
	PMEMobjpool *pop;
	struct map_root *root;
	uint64_t rng;
	char value[64];
};

/* map_put -- one put = one transaction: allocate the entry, snapshot and relink the bucket head */
static void
map_put(struct map_arg *p)
{
	/* xorshift64: random 8-byte keys; a repeat within a run is unlikely enough to ignore */
	p->rng ^= p->rng << 13;
	p->rng ^= p->rng >> 7;
	p->rng ^= p->rng << 17;
	uint64_t key = p->rng;
	PMEMoid *bucket = &p->root->buckets[key & (BUCKETS - 1)];
	TX_BEGIN(p->pop) {
		PMEMoid e = pmemobj_tx_alloc(sizeof(struct entry), 1);
		struct entry *ep = pmemobj_direct(e);
		ep->key = key;
		ep->next = *bucket;
		memcpy(ep->value, p->value, sizeof(ep->value));
		pmemobj_tx_add_range_direct(bucket, sizeof(*bucket));
		*bucket = e;
	} TX_ONABORT {
		die("hashmap put aborted (pool full?)");
	} TX_END
}

static void
map_batch(void *a, long ops)
{
	for (long i = 0; i < ops; i++)
		map_put(a);
}

static void
w_hashmap(const char *name)
{
	PMEMobjpool *pop = create_pool("hashmap", 2 * GIB);
	PMEMoid root = pmemobj_root(pop, sizeof(struct map_root));
	if (OID_IS_NULL(root))
		die("pmemobj_root");
	struct map_arg p = {pop, pmemobj_direct(root), 0x9e3779b97f4a7c15ULL, {0}};
	memset(p.value, 0x42, sizeof(p.value));
	emit(name, "ops/s", measure(map_batch, &p, 64), 1);
	drop_pool(pop, "hashmap");
}

/* ---- the workload table ---- */

struct workload {
	const char *name;
	int page_cache; /* also meaningful on a page-cache pool */
	void (*run)(const struct workload *);
	size_t size;
	int threads;
};

static void r_persist(const struct workload *w) { w_persist(w->name, w->size); }
static void r_alloc(const struct workload *w) { w_alloc_free(w->name, w->size, w->threads); }
static void r_tx_small(const struct workload *w) { w_tx(w->name, 1); }
static void r_tx_8range(const struct workload *w) { w_tx(w->name, 8); }
static void r_tx_alloc(const struct workload *w) { w_tx_alloc(w->name); }
static void r_fill(const struct workload *w) { w_fill(w->name); }
static void r_open(const struct workload *w) { w_open(w->name); }
static void r_hashmap(const struct workload *w) { w_hashmap(w->name); }

static const struct workload workloads[] = {
	{"persist_64", 1, r_persist, 64, 1},
	{"persist_256", 1, r_persist, 256, 1},
	{"persist_4096", 1, r_persist, 4096, 1},
	{"persist_1048576", 1, r_persist, 1048576, 1},
	{"alloc_free_64", 0, r_alloc, 64, 1},
	{"alloc_free_64", 0, r_alloc, 64, 2},
	{"alloc_free_256", 0, r_alloc, 256, 1},
	{"alloc_free_256", 0, r_alloc, 256, 2},
	{"alloc_free_4096", 0, r_alloc, 4096, 1},
	{"alloc_free_4096", 0, r_alloc, 4096, 2},
	{"alloc_free_1048576", 0, r_alloc, 1048576, 1},
	{"alloc_free_1048576", 0, r_alloc, 1048576, 2},
	{"tx_small", 1, r_tx_small, 0, 1},
	{"tx_8range", 0, r_tx_8range, 0, 1},
	{"tx_alloc_64", 0, r_tx_alloc, 0, 1},
	{"fill_64", 0, r_fill, 0, 1},
	{"open_1g_1m", 0, r_open, 0, 1},
	{"hashmap_put", 0, r_hashmap, 0, 1},
};

/* detect_mode -- ask libpmem what it makes of the pool directory */
static const char *
detect_mode(void)
{
	size_t len;
	int is_pmem;
	unlink(pool_path("probe"));
	void *p = pmem_map_file(pool_path("probe"), 4096, PMEM_FILE_CREATE, 0600, &len, &is_pmem);
	if (p == NULL)
		die("pmem_map_file (probe)");
	pmem_unmap(p, len);
	unlink(pool_path("probe"));
	return is_pmem ? "forced-pmem" : "page-cache";
}

int
main(int argc, char **argv)
{
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
		else {
			fprintf(stderr, "usage: pmdk_bench --dir DIR [--quick] [--only REGEX]\n");
			return 2;
		}
	}
	if (dir == NULL) {
		fprintf(stderr, "pmdk_bench: --dir is required\n");
		return 2;
	}
	run_seconds = quick ? 0.25 : 0.5;
	runs = quick ? 5 : 8;
	mode = detect_mode();

	regex_t re;
	if (only && regcomp(&re, only, REG_EXTENDED | REG_NOSUB)) {
		fprintf(stderr, "pmdk_bench: bad --only regex: %s\n", only);
		return 2;
	}
	int page_cache = strcmp(mode, "page-cache") == 0;
	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		const struct workload *w = &workloads[i];
		if (page_cache && !w->page_cache)
			continue;
		if (only && regexec(&re, w->name, 0, NULL, 0) != 0)
			continue;
		fprintf(stderr, "pmdk_bench: %s, %d thread(s), %s\n", w->name, w->threads, mode);
		w->run(w);
	}
	return 0;
}
