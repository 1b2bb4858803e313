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
import java.util.concurrent.TimeUnit;

/**
 * Random gets and 100-entry range scans of the Java peers loaded with {@code entries} entries, the
 * workloads of {@link CollectionsReadBenchmark}: same keys, same order of lookups, values returned
 * as fresh {@code byte[]}. Loading commits 1000 puts at a time, as Engram's read suite does. Scans
 * run on the peer's sorted structure: LMDB's B+tree through a cursor, MVStore's MVMap through its
 * cursor, MapDB's BTreeMap (loaded beside the HTreeMap that serves the gets).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.OPENS_NIO, Flags.EXPORTS_NIO_CH, "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class JavaPeersReadBenchmark {
    /** JMH instantiates the state reflectively. */
    public JavaPeersReadBenchmark() {
    }

    static final int LOAD_BATCH = 1000;

    /** The durable Java peer under test (its mode is stated in the report). */
    @Param({JavaPeers.LMDB, JavaPeers.MAPDB, JavaPeers.MVSTORE})
    public String peer;

    /** Entries loaded before the reads. */
    @Param({"1000000"})
    public int entries;

    private PeerMap hash;
    private PeerMap sorted;
    private long[] keys;
    private int next;

    /**
     * Opens a store and loads the entries (in batches; loading is not measured).
     *
     * @throws IOException if the store cannot be created
     */
    @Setup(Level.Trial)
    public void load() throws IOException {
        keys = CollectionsBenchmark.keys(entries);
        hash = loaded(peer, JavaPeers.Kind.HASH, keys);
        sorted = JavaPeers.separateSorted(peer) ? loaded(peer, JavaPeers.Kind.SORTED, keys) : hash;
    }

    /** Opens {@code peer} and loads every key, {@value #LOAD_BATCH} puts per commit; checks the load. */
    static PeerMap loaded(String peer, JavaPeers.Kind kind, long[] keys) throws IOException {
        PeerMap m = JavaPeers.open(peer, JavaPeersBenchmark.dirFor(peer), keys.length, kind);
        byte[] value = new byte[CollectionsBenchmark.VALUE_BYTES];
        for (int from = 0; from < keys.length; from += LOAD_BATCH) {
            m.putAll(keys, from, Math.min(from + LOAD_BATCH, keys.length), value);
        }
        for (long k : new long[] {keys[0], keys[keys.length - 1]}) {
            byte[] v = m.get(k);
            if (v == null || v.length != CollectionsBenchmark.VALUE_BYTES) {
                m.close();
                throw new IllegalStateException(peer + " lost key " + k + " after loading " + keys.length + " entries");
            }
        }
        return m;
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Trial)
    public void close() {
        if (sorted != hash) {
            sorted.close();
        }
        hash.close();
    }

    private long nextKey() {
        final int i = next;
        next = i + 1 == keys.length ? 0 : i + 1;
        return keys[i];
    }

    /**
     * Gets the next key of the sequence.
     *
     * @return the value read
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte[] get() {
        return hash.get(nextKey());
    }

    /**
     * Reads 100 entries in key order from the next key of the sequence.
     *
     * @param bh consumes each entry
     * @return the entries read
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int scan100(Blackhole bh) {
        return sorted.scan(nextKey(), 100, (k, v) -> {
            bh.consume(k);
            bh.consume(v);
        });
    }
}
