package dev.engram.bench.collections;

import dev.engram.bench.BenchFiles;
import dev.engram.bench.Flags;
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
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Durable puts into the Java peers of issue #7, the same workload as {@link CollectionsBenchmark}'s
 * {@code putHash} with {@code batch=1}: each iteration loads {@code entries} fresh 8-byte keys (the
 * same key sequence) with 64-byte values into a new, empty store, one durable commit per put, and
 * the score is per put. The store is deleted after each iteration, so every iteration does the same
 * work.
 *
 * <p>Peers and their durable modes ({@link JavaPeers}): {@code lmdb} one write transaction per put,
 * default sync; {@code mapdb} mmap file store with its write-ahead log, commit per put;
 * {@code mvstore} commit and sync per put. All on {@link BenchFiles#shmDir()}, the tmpfs of Engram's
 * forced-pmem pools, where a sync has no device to wait for. {@code lmdb-disk} (not in the defaults)
 * puts LMDB on {@link BenchFiles#diskDir()}, where each commit waits for the disk: about a millisecond
 * here, so 1M puts take longer than the whole suite. Chronicle Map needs JVM flags the others do not:
 * {@link JavaPeersChronicleBenchmark}.
 *
 * <p>A full run is long: MapDB's commit creates, maps, syncs and deletes a log file (about 0.5 ms on
 * this VM), so each of its iterations takes minutes. {@code bench/run --quick} loads 20,000 entries
 * ({@code -p entries=20000 -opi 20000}).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.OPENS_NIO, Flags.EXPORTS_NIO_CH, "-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class JavaPeersBenchmark {
    /** JMH instantiates the state reflectively. */
    public JavaPeersBenchmark() {
    }

    /** The durable Java peer under test (its mode is stated in the report). */
    @Param({JavaPeers.LMDB, JavaPeers.MAPDB, JavaPeers.MVSTORE})
    public String peer;

    /**
     * Puts per load. The score is divided by JMH's operations per invocation, {@link
     * CollectionsBenchmark#ENTRIES} unless {@code -opi} says otherwise: the two must agree ({@link #checkOps}).
     */
    @Param({"1000000"})
    public int entries;

    private PeerMap map;
    private long[] keys;
    private byte[] value;

    static Path dirFor(String peer) {
        return peer.endsWith("-disk") ? BenchFiles.diskDir() : BenchFiles.shmDir();
    }

    /**
     * Refuses a run whose per-put score would be divided by another count than the puts made.
     *
     * @param params the run's JMH parameters
     */
    @Setup(Level.Trial)
    public void checkOps(BenchmarkParams params) {
        CollectionsBenchmark.checkOps(entries, params);
    }

    /**
     * Opens an empty store for the iteration.
     *
     * @throws IOException if its directory cannot be created
     */
    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        keys = CollectionsBenchmark.keys(entries);
        value = new byte[CollectionsBenchmark.VALUE_BYTES];
        String id = peer.endsWith("-disk") ? peer.substring(0, peer.length() - "-disk".length()) : peer;
        map = JavaPeers.open(id, dirFor(peer), entries, JavaPeers.Kind.HASH);
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Iteration)
    public void tearDown() {
        map.close();
    }

    /** Loads every entry, one durable commit per put: the time of one whole load.
     *
     * @return the number of puts (kept live for JMH)
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(CollectionsBenchmark.ENTRIES)
    public int put() {
        final PeerMap m = map;
        final byte[] v = value;
        for (long k : keys) {
            m.put(k, v);
        }
        return keys.length;
    }
}
