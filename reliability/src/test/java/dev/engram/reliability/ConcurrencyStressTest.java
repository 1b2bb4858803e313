package dev.engram.reliability;

import dev.engram.collections.Codec;
import dev.engram.collections.PersistentCollections;
import dev.engram.collections.PersistentDeque;
import dev.engram.collections.PersistentHashMap;
import dev.engram.collections.PersistentList;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.ObjectPool;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrency stress (issue #9): {@value #THREADS} threads (on a 2-core machine, so they preempt each
 * other inside transactions) each run {@value #OPS} ({@value #PAGE_CACHE_OPS} in page-cache mode)
 * seeded random operations on one pool:
 *
 * <ul>
 *   <li>a shared counter entry of a shared hash map, bumped with compare-and-replace under the map's
 *       own atomicity (retried until it wins);</li>
 *   <li>transactions spanning the shared map (the thread's own keys), a shared queue
 *       ({@link PersistentDeque#addLast}) and the thread's own {@link PersistentList}: always map, then
 *       shared queue, then own list, the one lock order;</li>
 *   <li>the same transactions plus a counter bump inside them (the counter's lock joined to the
 *       caller's transaction);</li>
 *   <li>transactions that write all three and then throw, which must leave no trace;</li>
 *   <li>removals of the thread's own keys;</li>
 * </ul>
 * while one reader iterates the map and peeks at the queue's tail, and checks that everything it sees
 * is well formed and committed (never a value of a rolled-back transaction).
 *
 * <p>The shared sequence is a deque, not a {@link PersistentList}: {@code PersistentList.add(E)} is
 * {@code AbstractList}'s {@code add(size(), e)}, whose index is read outside the list's lock, so
 * concurrent appends land at stale indexes or fail ({@code RegressionTest} in this module records it).
 *
 * <p>Afterwards the pool is compared with the union of the threads' models (counter = successful
 * bumps; the shared queue holds exactly the committed appends, each thread's in its own order; each
 * own list equals its model), closed, reopened and compared again, with the heap holding exactly the
 * reachable blocks. Deadlock or livelock fails the test after {@value #TIMEOUT_SECONDS} s with a dump
 * of every thread's stack, so a hang is diagnosed, not timed. Runs on a page-cache pool in a
 * temporary directory and a forced-pmem pool on {@code /dev/shm}; the seed is printed and can be
 * fixed with {@code -Dengram.stress.seed=...} (the interleaving, of course, does not repeat).
 */
class ConcurrencyStressTest {
    static final int THREADS = 8;
    static final int OPS = 1500;
    /** Every page-cache commit is an msync to disk: fewer operations keep that run near ten seconds. */
    static final int PAGE_CACHE_OPS = 250;
    static final int KEYS_PER_THREAD = 64;
    static final long COUNTER = -1L;
    static final long TIMEOUT_SECONDS = 180;
    static final Path SHM = Path.of("/dev/shm");

    @TempDir
    Path tmp;

    /** What one thread committed. */
    record Model(Map<Long, String> map, List<Long> sharedAppends, List<Long> own, int bumps, int aborted) {
    }

    /** Thrown inside a transaction to roll it back on purpose. */
    static final class Rollback extends RuntimeException {
        Rollback() {
            super("deliberate rollback", null, false, false);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MappingPolicy.class, names = {"PAGE_CACHE", "FORCE_PMEM"})
    void concurrentTransactionsMatchTheModelBeforeAndAfterReopen(MappingPolicy policy) throws Exception {
        long seed = Long.getLong("engram.stress.seed", 0x57_2E_0009L) + policy.ordinal(); // fixed in CI: reproducible
        System.out.println("ConcurrencyStressTest " + policy + " seed: " + seed);
        Path dir = policy == MappingPolicy.FORCE_PMEM && Files.isDirectory(SHM)
                ? Files.createTempDirectory(SHM, "engram-stress-") : tmp;
        Path file = dir.resolve("stress.pool");
        PoolOptions options = PoolOptions.defaults().withSize(128L << 20).withPolicy(policy);
        try {
            Map<Long, String> expectedMap = new HashMap<>();
            List<List<Long>> ownExpected = new ArrayList<>();
            List<Long> sharedExpected = new ArrayList<>();
            int bumps = 0;
            int aborted = 0;
            try (ObjectPool pool = ObjectPool.create(file, TortureWorkload.LAYOUT, options)) {
                PersistentCollections c = PersistentCollections.of(pool);
                PersistentHashMap<Long, String> map = c.hashMap("shared-map", Codec.int64(), Codec.kryo(String.class));
                PersistentDeque<Long> shared = c.deque("shared-queue", Codec.int64());
                List<PersistentList<Long>> own = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    own.add(c.list("own-" + t, Codec.int64()));
                }
                map.put(COUNTER, "0");
                int ops = policy == MappingPolicy.PAGE_CACHE ? PAGE_CACHE_OPS : OPS;
                List<Model> models = runThreads(pool, map, shared, own, seed, ops);
                for (int t = 0; t < THREADS; t++) {
                    Model m = models.get(t);
                    expectedMap.putAll(m.map());
                    sharedExpected.addAll(m.sharedAppends());
                    ownExpected.add(m.own());
                    bumps += m.bumps();
                    aborted += m.aborted();
                }
                expectedMap.put(COUNTER, Integer.toString(bumps));
                assertMatches(c, expectedMap, sharedExpected, ownExpected, "before close, seed " + seed);
            }
            try (ObjectPool pool = ObjectPool.open(file, TortureWorkload.LAYOUT, options)) {
                PersistentCollections c = PersistentCollections.of(pool);
                assertMatches(c, expectedMap, sharedExpected, ownExpected, "after reopen, seed " + seed);
                TortureWorkload.assertHeapExact(pool, c, "after reopen, seed " + seed);
            }
            System.out.printf("ConcurrencyStressTest %s seed %d: %d threads x %d ops, %d counter bumps, %d shared"
                    + " appends, %d map entries, %d deliberate rollbacks%n", policy, seed, THREADS, policy == MappingPolicy.PAGE_CACHE ? PAGE_CACHE_OPS : OPS, bumps,
                    sharedExpected.size(), expectedMap.size(), aborted);
            assertThat(bumps).as("counter bumps happened").isPositive();
            assertThat(aborted).as("rollbacks happened").isPositive();
        } finally {
            if (!dir.equals(tmp)) {
                KillTortureTest.deleteTree(dir);
            }
        }
    }

    private static List<Model> runThreads(ObjectPool pool, PersistentHashMap<Long, String> map, PersistentDeque<Long> shared,
                                          List<PersistentList<Long>> own, long seed, int ops) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS + 1, r -> {
            Thread th = new Thread(r, "stress-" + System.identityHashCode(r));
            th.setDaemon(true); // a deadlocked worker must not keep the test JVM alive
            return th;
        });
        CyclicBarrier start = new CyclicBarrier(THREADS + 1);
        AtomicBoolean done = new AtomicBoolean();
        List<Future<Model>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(executor.submit(() -> work(pool, map, shared, own.get(thread), thread, seed, ops, start)));
        }
        Future<Integer> reader = executor.submit(() -> {
            start.await();
            int passes = 0;
            while (!done.get()) {
                for (Map.Entry<Long, String> e : map.entrySet()) {
                    if (e.getKey() != COUNTER) {
                        // weakly consistent, but never an uncommitted (rolled-back) value
                        assertThat(e.getValue()).startsWith("t" + e.getKey() / KEYS_PER_THREAD + "-").doesNotContain("rollback");
                    }
                }
                Long last = shared.peekLast();
                if (last != null) {
                    // the rolled-back transactions append -1: a reader must never see it
                    assertThat(last).as("newest committed append").isNotNegative();
                }
                passes++;
            }
            return passes;
        });
        executor.shutdown();
        List<Model> models = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            for (Future<Model> w : workers) {
                models.add(w.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            done.set(true);
            assertThat(reader.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)).isPositive();
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder dump = new StringBuilder("no progress within " + TIMEOUT_SECONDS + " s (seed " + seed
                    + "): deadlock or livelock; thread dump:\n");
            Thread.getAllStackTraces().forEach((th, stack) -> {
                dump.append('"').append(th.getName()).append("\" ").append(th.getState()).append('\n');
                for (StackTraceElement f : stack) {
                    dump.append("    at ").append(f).append('\n');
                }
            });
            System.out.println(dump);
            done.set(true);
            executor.shutdownNow();
            throw new AssertionError(dump.toString(), e);
        }
        return models;
    }

    private static Model work(ObjectPool pool, PersistentHashMap<Long, String> map, PersistentDeque<Long> shared,
                              PersistentList<Long> own, int thread, long seed, int ops, CyclicBarrier start) throws Exception {
        SplittableRandom r = new SplittableRandom(seed * 31 + thread);
        Map<Long, String> model = new HashMap<>();
        List<Long> appends = new ArrayList<>();
        List<Long> ownModel = new ArrayList<>();
        int bumps = 0;
        int aborted = 0;
        start.await();
        for (int i = 0; i < ops; i++) {
            long key = (long) thread * KEYS_PER_THREAD + r.nextInt(KEYS_PER_THREAD);
            long stamp = (long) thread << 32 | i;
            String value = "t" + thread + "-" + i + "-" + "v".repeat(r.nextInt(64));
            switch (r.nextInt(10)) {
                case 0, 1 -> {
                    bump(map);
                    bumps++;
                }
                case 2, 3, 4 -> {
                    pool.run(tx -> {
                        map.put(key, value);
                        shared.addLast(stamp);
                        own.add(stamp);
                    });
                    model.put(key, value);
                    appends.add(stamp);
                    ownModel.add(stamp);
                }
                case 5, 6 -> {
                    pool.run(tx -> {
                        map.put(key, value);
                        bump(map);
                        shared.addLast(stamp);
                    });
                    model.put(key, value);
                    bumps++;
                    appends.add(stamp);
                }
                case 7 -> {
                    try {
                        pool.run(tx -> {
                            map.put(key, "rollback");
                            bump(map);
                            shared.addLast(-1L);
                            own.add(-1L);
                            throw new Rollback();
                        });
                        throw new AssertionError("a transaction that threw committed");
                    } catch (Rollback expected) {
                        aborted++;
                    }
                }
                case 8 -> assertThat(map.remove(key)).as("remove own key %d, seed %d", key, seed).isEqualTo(model.remove(key));
                default -> assertThat(map.get(key)).as("own key %d, seed %d", key, seed).isEqualTo(model.get(key));
            }
        }
        return new Model(model, appends, ownModel, bumps, aborted);
    }

    /** One increment of the shared counter by compare-and-replace, retried until no other thread raced it. */
    private static void bump(PersistentHashMap<Long, String> map) {
        while (true) {
            String current = map.get(COUNTER);
            if (map.replace(COUNTER, current, Long.toString(Long.parseLong(current) + 1))) {
                return;
            }
        }
    }

    private static void assertMatches(PersistentCollections c, Map<Long, String> expectedMap, List<Long> sharedExpected,
                                      List<List<Long>> ownExpected, String context) {
        PersistentHashMap<Long, String> map = c.hashMap("shared-map", Codec.int64(), Codec.kryo(String.class));
        assertThat(new HashMap<>(map)).as("shared map, %s", context).isEqualTo(expectedMap);
        List<Long> shared = new ArrayList<>(c.deque("shared-queue", Codec.int64()));
        assertThat(shared).as("shared queue holds exactly the committed appends, %s", context)
                .containsExactlyInAnyOrderElementsOf(sharedExpected);
        for (int t = 0; t < THREADS; t++) {
            long thread = t;
            assertThat(shared.stream().filter(s -> s >> 32 == thread).toList())
                    .as("thread %d's appends to the shared queue in its order, %s", t, context)
                    .containsExactlyElementsOf(sharedExpected.stream().filter(s -> s >> 32 == thread).toList());
            assertThat(c.list("own-" + t, Codec.int64())).as("own list %d, %s", t, context)
                    .containsExactlyElementsOf(ownExpected.get(t));
        }
    }
}
