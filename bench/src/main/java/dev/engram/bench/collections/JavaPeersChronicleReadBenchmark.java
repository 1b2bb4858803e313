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

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Random gets from a Chronicle Map loaded with {@code entries} entries, the get workload of
 * {@link JavaPeersReadBenchmark} (same keys, same lookup order, a fresh {@code byte[]} per get). Its
 * own class for the JVM flags Chronicle needs ({@link JavaPeersChronicleBenchmark}).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.OPENS_LANG, Flags.OPENS_REFLECT, Flags.EXPORTS_NIO_CH,
        Flags.EXPORTS_JAVAC_FILE, Flags.EXPORTS_REF, "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class JavaPeersChronicleReadBenchmark {
    /** JMH instantiates the state reflectively. */
    public JavaPeersChronicleReadBenchmark() {
    }

    /** Entries loaded before the reads. */
    @Param({"1000000"})
    public int entries;

    private PeerMap map;
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
        map = JavaPeersReadBenchmark.loaded(JavaPeers.CHRONICLE, JavaPeers.Kind.HASH, keys);
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Trial)
    public void close() {
        map.close();
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
        final int i = next;
        next = i + 1 == keys.length ? 0 : i + 1;
        return map.get(keys[i]);
    }
}
