package dev.engram.bench.collections;

import dev.engram.bench.Flags;
import dev.engram.collections.Codec;
import dev.engram.collections.PersistentCollections;
import dev.engram.collections.PersistentHashMap;
import dev.engram.collections.PersistentSortedMap;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Put and get of {@code entries} entries (8-byte key, 64-byte value) and a 100-entry range scan of a
 * sorted map: Engram's persistent maps in forced-pmem (/dev/shm) and page-cache mode beside
 * java.util.HashMap / TreeMap. The Java durable peers run the same workloads in {@link JavaPeersBenchmark},
 * {@link JavaPeersReadBenchmark} and {@link JavaPeersChronicleBenchmark}.
 *
 * <p>{@code batch} = puts per transaction: 1 is one durable transaction per put; 1000 joins 1000 puts
 * into the caller's transaction (what a bulk load would do, and what page-cache mode needs: each
 * drain there is an msync).
 *
 * <p>Scores are per put ({@code @OperationsPerInvocation} = the 1M entries; {@code bench/run --quick} loads
 * fewer with {@code -p entries=N -opi N}). Page-cache mode is not in
 * the default parameters: at one transaction per put each put costs msyncs (about 3 ms here), so a
 * 1M load would take close to an hour; run it with {@code -p impl=engram-pagecache -p batch=1000}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.ADD_OPENS, "-Dkryo.unsafe=false", "-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class CollectionsBenchmark {
    static final int VALUE_BYTES = 64;
    static final int ENTRIES = 1_000_000;

    /** {@code engram-pmem} (forced pmem on /dev/shm), {@code engram-pagecache} or {@code java.util}. */
    @Param({"engram-pmem", "java.util"})
    public String impl;

    /**
     * Puts per load. The score is divided by JMH's operations per invocation, {@link #ENTRIES} unless
     * {@code -opi} says otherwise: the two must agree ({@link #checkOps}).
     */
    @Param({"1000000"})
    public int entries;

    /** Puts per transaction: 1 (one durable transaction per put) or 1000 (joined into the caller's). */
    @Param({"1", "1000"})
    public int batch;

    Path dir;
    ObjectPool pool;
    Map<Long, byte[]> hash;
    NavigableMap<Long, byte[]> sorted;
    byte[] value;
    long[] keys;

    /**
     * Refuses a run whose per-put score would be divided by another count than the puts made.
     *
     * @param params the run's JMH parameters
     */
    @Setup(Level.Trial)
    public void checkOps(BenchmarkParams params) {
        checkOps(entries, params);
    }

    /** Refuses a run whose per-put score would be divided by a count other than the puts made. */
    static void checkOps(int entries, BenchmarkParams params) {
        if (params.getOpsPerInvocation() != entries) {
            throw new IllegalArgumentException("entries=" + entries + " but JMH divides by " + params.getOpsPerInvocation()
                    + " operations per invocation: pass -opi " + entries + " with -p entries=" + entries);
        }
    }

    /**
     * Draws the keys and creates empty maps (an Engram pool of 2 GiB, sparse, for the Engram modes).
     *
     * @throws IOException if the pool's directory cannot be created
     */
    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        value = new byte[VALUE_BYTES];
        keys = keys(entries);
        if (impl.equals("java.util")) {
            hash = new HashMap<>();
            sorted = new TreeMap<>();
            return;
        }
        boolean pmem = impl.equals("engram-pmem");
        dir = Files.createTempDirectory(pmem ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir")), "engram-cb-");
        PoolOptions options = PoolOptions.defaults().withSize(2048L << 20).withSparse(true)
                .withPolicy(pmem ? MappingPolicy.FORCE_PMEM : MappingPolicy.PAGE_CACHE);
        pool = ObjectPool.create(dir.resolve("bench.pool"), ObjectLayout.named("bench"), options);
        PersistentCollections c = PersistentCollections.of(pool);
        PersistentHashMap<Long, byte[]> h = c.hashMap("h", Codec.int64(), Codec.bytes(VALUE_BYTES));
        PersistentSortedMap<Long, byte[]> s = c.sortedMap("s", Codec.int64(), Codec.bytes(VALUE_BYTES));
        hash = h;
        sorted = s;
    }

    /**
     * The benchmark's keys: {@code n} distinct pseudo-random longs (xorshift64 from a fixed seed), the
     * same sequence in every run and for every implementation, Engram's and the peers'.
     */
    static long[] keys(int n) {
        long[] keys = new long[n];
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            keys[i] = x;
        }
        return keys;
    }

    /**
     * Closes and deletes the pool, if any.
     *
     * @throws IOException if the pool file cannot be deleted
     */
    @TearDown(Level.Iteration)
    public void tearDown() throws IOException {
        if (pool != null) {
            pool.close();
            Files.deleteIfExists(dir.resolve("bench.pool"));
            Files.deleteIfExists(dir);
            pool = null;
        }
    }

    /** Instantiated by JMH, once per trial; {@link CollectionsReadBenchmark} creates one too. */
    public CollectionsBenchmark() {
    }

    private void load(Map<Long, byte[]> map) {
        if (pool == null || batch == 1) {
            for (long k : keys) {
                map.put(k, value);
            }
            return;
        }
        for (int from = 0; from < keys.length; from += batch) {
            final int start = from;
            pool.run(tx -> {
                for (int i = start; i < Math.min(start + batch, keys.length); i++) {
                    map.put(keys[i], value);
                }
            });
        }
    }

    /**
     * Loads every entry into the hash map: the time of one whole load.
     *
     * @return the map's size, so the load is not eliminated
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(ENTRIES)
    public int putHash() {
        load(hash);
        return hash.size();
    }

    /**
     * Loads every entry into the sorted map (random key order).
     *
     * @return the map's size, so the load is not eliminated
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(ENTRIES)
    public int putSorted() {
        load(sorted);
        return sorted.size();
    }
}
