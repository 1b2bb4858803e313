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
import java.util.concurrent.TimeUnit;

/**
 * Chronicle Map, persisted to a file on {@link BenchFiles#shmDir()}: the put workload of
 * {@link JavaPeersBenchmark} (a fresh map per iteration, {@code entries} puts, score per put). Its
 * durability is the page cache's: a put is a store into a shared mapping and nothing is ever synced,
 * so it survives a process crash but not a power loss or a kernel crash. The map is created with
 * {@code entries} as its capacity, as Chronicle Map requires.
 *
 * <p>A class of its own because Chronicle's libraries need JDK internals opened on JDK 25 (the
 * flags in {@link Flags}); the other suites' forks run without them. Gets:
 * {@link JavaPeersChronicleReadBenchmark}; Chronicle Map is unordered, so no scan.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.OPENS_LANG, Flags.OPENS_REFLECT, Flags.EXPORTS_NIO_CH,
        Flags.EXPORTS_JAVAC_FILE, Flags.EXPORTS_REF, "-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class JavaPeersChronicleBenchmark {
    /** JMH instantiates the state reflectively. */
    public JavaPeersChronicleBenchmark() {
    }

    /** Puts per load; must agree with JMH's operations per invocation (see {@link JavaPeersBenchmark}). */
    @Param({"1000000"})
    public int entries;

    private PeerMap map;
    private long[] keys;
    private byte[] value;

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
        map = JavaPeers.open(JavaPeers.CHRONICLE, BenchFiles.shmDir(), entries, JavaPeers.Kind.HASH);
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Iteration)
    public void tearDown() {
        map.close();
    }

    /** Loads every entry into an empty map: the time of one whole load, per put.
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
