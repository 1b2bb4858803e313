package dev.engram.bench.pool;

import dev.engram.bench.BenchFiles;
import dev.engram.bench.Flags;
import dev.engram.pool.medium.MappedFile;
import dev.engram.pool.medium.PageCacheMedium;
import dev.engram.pool.medium.SegmentMedium;
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

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the medium's always-on bounds checks (plus its closed and fail-stop checks) cost: 8-byte
 * reads and writes at precomputed random offsets through {@link SegmentMedium#getLong}/{@code putLong},
 * against the same accesses on the raw mapped {@link MemorySegment} (which keeps only the FFM's own
 * checks, the least any Java code can have without {@code sun.misc.Unsafe}).
 *
 * <p>{@code span} = 64 MiB is the case the target is about: a pool bigger than the caches. 16 KiB
 * keeps every line in L1, so there the checks have no cache miss to hide behind; it is reported for
 * information. Each invocation does {@value #OPS} accesses so the harness's own cost stays out.
 *
 * <p>There are {@value #OFFSETS} precomputed offsets, walked {@value #OPS} at a time: with only a
 * thousand distinct offsets the "64 MiB" case would touch 64 KiB of lines and run from L2.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.ADD_OPENS})
@State(Scope.Thread)
public class AccessorBenchmark {
    static final int OPS = 1024;
    static final int OFFSETS = 1 << 20;
    static final long MAPPING = 64L << 20;
    /** The layout the medium uses: little-endian, no alignment promise (pool offsets are untrusted). */
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Bytes of the mapping the random offsets fall in: 64 MiB (beyond the caches) or 16 KiB (in L1). */
    @Param({"67108864", "16384"})
    public long span;

    private FileChannel channel;
    private SegmentMedium medium;
    private MemorySegment raw;
    private final long[] offsets = new long[OFFSETS];
    private int cursor;

    /** Instantiated by JMH, once per thread and trial. */
    public AccessorBenchmark() {
    }

    /**
     * Maps a 64 MiB tmpfs file behind a page-cache medium and draws the offsets.
     *
     * @throws IOException if the file cannot be created or mapped
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        // The medium kind does not matter for loads and stores; page cache needs no JVM flag. tmpfs
        // keeps page faults and disk out of the figure.
        Path path = BenchFiles.shmDir().resolve("accessor");
        channel = BenchFiles.createFresh(path);
        MappedFile file = MappedFile.map(path, channel, FileChannel.MapMode.READ_WRITE, MAPPING);
        medium = new PageCacheMedium(file);
        raw = file.segment();
        raw.fill((byte) 3);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < OFFSETS; i++) {
            offsets[i] = random.nextLong(span / Long.BYTES) * Long.BYTES;
        }
    }

    /**
     * Closes the medium and the file.
     *
     * @throws IOException if the channel cannot be closed
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        medium.close();
        channel.close();
    }

    /** Start of this invocation's run of offsets; advances so consecutive invocations touch new lines. */
    private int window() {
        int from = cursor;
        cursor = (from + OPS) & (OFFSETS - 1);
        return from;
    }

    /** {@return a sum of the values read, so the reads are not eliminated} {@value #OPS} checked 8-byte reads. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long checkedGetLong() {
        long[] at = offsets;
        int from = window();
        SegmentMedium m = medium;
        long sum = 0;
        for (int i = from; i < from + OPS; i++) {
            sum += m.getLong(at[i]);
        }
        return sum;
    }

    /**
     * {@return a sum of the values read, so the reads are not eliminated} {@value #OPS} 8-byte reads from
     * the raw segment.
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long rawGetLong() {
        long[] at = offsets;
        int from = window();
        MemorySegment s = raw;
        long sum = 0;
        for (int i = from; i < from + OPS; i++) {
            sum += s.get(LONG, at[i]);
        }
        return sum;
    }

    /** {@value #OPS} checked 8-byte writes through the medium. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void checkedPutLong() {
        long[] at = offsets;
        int from = window();
        SegmentMedium m = medium;
        for (int i = from; i < from + OPS; i++) {
            m.putLong(at[i], i);
        }
    }

    /** {@value #OPS} 8-byte writes to the raw segment. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void rawPutLong() {
        long[] at = offsets;
        int from = window();
        MemorySegment s = raw;
        for (int i = from; i < from + OPS; i++) {
            s.set(LONG, at[i], i);
        }
    }
}
