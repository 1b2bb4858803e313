package dev.engram.collections;

import dev.engram.tx.ObjectPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several threads run seeded random mixes of put, putIfAbsent, replace, remove and get on one
 * {@link PersistentHashMap} (each thread owns the keys {@code k % THREADS == thread}, so keys of all
 * threads share segments), bump one shared counter with compare-and-replace, and a reader iterates
 * meanwhile. Afterwards the pool is closed, reopened and compared with the union of the threads'
 * models; the counter must equal the number of successful increments.
 */
class HashMapConcurrencyTest {
    static final int THREADS = 4;
    static final int OPS = 4000;
    static final int KEYS = 2000;
    static final long COUNTER = -1L;

    final TestPools pools = TestPools.forcedPmem("engram-hmc-");

    @AfterEach
    void cleanUp() {
        pools.close();
    }

    @Test
    void shouldMatchTheModelAfterConcurrentMixedOperationsAndReopen() throws Exception {
        long seed = System.nanoTime();
        System.out.println("HashMapConcurrencyTest seed: " + seed);
        ObjectPool pool = pools.create(64 << 20);
        Path file = pool.pool().path();
        PersistentHashMap<Long, String> map = PersistentCollections.of(pool).hashMap("shared", Codec.int64(), Codec.string(20));
        map.put(COUNTER, "0");
        CyclicBarrier start = new CyclicBarrier(THREADS + 1);
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS + 1);
        List<Future<Map<Long, String>>> writers = new ArrayList<>();
        int[] increments = new int[THREADS];
        for (int t = 0; t < THREADS; t++) {
            final int thread = t;
            writers.add(executor.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed + thread);
                Map<Long, String> model = new HashMap<>();
                start.await();
                for (int i = 0; i < OPS; i++) {
                    long key = (long) random.nextInt(KEYS / THREADS) * THREADS + thread;
                    String value = "t" + thread + "-" + i;
                    switch (random.nextInt(6)) {
                        case 0, 1 -> assertThat(map.put(key, value)).as("seed " + seed).isEqualTo(model.put(key, value));
                        case 2 -> assertThat(map.putIfAbsent(key, value)).as("seed " + seed).isEqualTo(model.putIfAbsent(key, value));
                        case 3 -> assertThat(map.replace(key, value)).as("seed " + seed).isEqualTo(model.replace(key, value));
                        case 4 -> assertThat(map.remove(key)).as("seed " + seed).isEqualTo(model.remove(key));
                        default -> {
                            assertThat(map.get(key)).as("seed " + seed).isEqualTo(model.get(key));
                            while (true) {
                                String c = map.get(COUNTER);
                                if (map.replace(COUNTER, c, Long.toString(Long.parseLong(c) + 1))) {
                                    increments[thread]++;
                                    break;
                                }
                            }
                        }
                    }
                }
                return model;
            }));
        }
        Future<Integer> reader = executor.submit(() -> {
            start.await();
            int passes = 0;
            while (!done.get()) {
                for (Map.Entry<Long, String> e : map.entrySet()) {
                    // weakly consistent: every entry seen is a real key with a value its owner wrote
                    if (e.getKey() != COUNTER) {
                        assertThat(e.getValue()).startsWith("t" + (e.getKey() % THREADS) + "-");
                    }
                }
                passes++;
            }
            return passes;
        });
        Map<Long, String> expected = new HashMap<>();
        for (Future<Map<Long, String>> w : writers) {
            expected.putAll(w.get());
        }
        done.set(true);
        assertThat(reader.get()).isPositive();
        executor.shutdown();
        int total = 0;
        for (int n : increments) {
            total += n;
        }
        expected.put(COUNTER, Integer.toString(total));
        assertThat(new HashMap<>(map)).as("seed " + seed).isEqualTo(expected);

        pool.close();
        try (ObjectPool reopened = ObjectPool.open(file, TestPools.LAYOUT, pools.options(64 << 20))) {
            PersistentCollections c = PersistentCollections.of(reopened);
            PersistentHashMap<Long, String> again = c.hashMap("shared", Codec.int64(), Codec.string(20));
            assertThat(new HashMap<>(again)).as("after reopen, seed " + seed).isEqualTo(expected);
            assertThat(again.size()).isEqualTo(expected.size());
            CrashFixture.assertNoLeak(reopened.engine(), c);
        }
    }
}
