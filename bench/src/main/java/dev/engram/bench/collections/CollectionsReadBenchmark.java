package dev.engram.bench.collections;

import dev.engram.bench.Flags;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Random gets from a loaded hash map and 100-entry range scans of a loaded sorted map
 * ({@code entries} entries, 8-byte keys, 64-byte values), Engram (forced pmem, page cache) beside
 * java.util. Loading uses {@link CollectionsBenchmark}'s setup with 1000 puts per transaction.
 * Reads flush nothing, so page-cache mode differs from forced pmem only in its load (about 8 minutes of
 * msyncs for 1M entries here); it is left out of the defaults: {@code -p impl=engram-pagecache} runs it.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.ADD_OPENS, "-Dkryo.unsafe=false", "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CollectionsReadBenchmark {
    /** {@code engram-pmem} (forced pmem on /dev/shm), {@code engram-pagecache} or {@code java.util}. */
    @Param({"engram-pmem", "java.util"})
    public String impl;

    /** Entries loaded into each map. */
    @Param({"1000000"})
    public int entries;

    private final CollectionsBenchmark maps = new CollectionsBenchmark();
    private int next;

    /**
     * Loads both maps, 1000 puts per transaction.
     *
     * @throws IOException if the pool cannot be created
     */
    @Setup(Level.Trial)
    public void load() throws IOException {
        maps.impl = impl;
        maps.entries = entries;
        maps.batch = 1000;
        maps.setUp();
        maps.putHash();
        maps.putSorted();
    }

    /**
     * Closes and deletes the pool.
     *
     * @throws IOException if the pool file cannot be deleted
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        maps.tearDown();
    }

    /** Instantiated by JMH, once per trial. */
    public CollectionsReadBenchmark() {
    }

    private long nextKey() {
        final int i = next;
        next = i + 1 == maps.keys.length ? 0 : i + 1;
        return maps.keys[i];
    }

    /** {@return the value found} One random get from the hash map. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte[] getHash() {
        return maps.hash.get(nextKey());
    }

    /**
     * One 100-entry ascending scan of the sorted map from a random key.
     *
     * @param bh consumes the entries
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void scanSorted100(Blackhole bh) {
        Iterator<Map.Entry<Long, byte[]>> it = maps.sorted.tailMap(nextKey(), true).entrySet().iterator();
        for (int n = 0; n < 100 && it.hasNext(); n++) {
            bh.consume(it.next());
        }
    }
}
