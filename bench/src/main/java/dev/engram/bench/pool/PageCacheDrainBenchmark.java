package dev.engram.bench.pool;

import dev.engram.bench.BenchFiles;
import dev.engram.bench.Flags;
import dev.engram.pool.medium.MappedFile;
import dev.engram.pool.medium.PageCacheMedium;
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
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Page-cache mode: one 8-byte store in a 64-byte record, then a drain, on a 16 MiB pool and on a
 * 4 GiB sparse pool on a disk file system. The drain must msync only the page dirtied, so the two
 * figures should match (DESIGN.md §2.1: cost follows dirty bytes, never pool size; target ratio
 * 4 GiB / 16 MiB ≤ 1.2).
 *
 * <p>Both pools write into the same 16 MiB working set at the same precomputed random offsets, and
 * that working set is allocated on disk before timing. Spreading the writes over the whole 4 GiB
 * would instead time ext4 allocating a block in a hole on nearly every write, a file-system cost
 * that any mmap-based store pays once per page, not the drain's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.ADD_OPENS})
@State(Scope.Thread)
public class PageCacheDrainBenchmark {
    static final long WORKING_SET = 16L << 20;
    static final int RECORD = 64;
    static final int OFFSETS = 1 << 12;

    /** Pool size in bytes: 16 MiB (the working set) or 4 GiB (sparse). */
    @Param({"16777216", "4294967296"})
    public long poolSize;

    private Path path;
    private FileChannel channel;
    private PageCacheMedium medium;
    private final long[] offsets = new long[OFFSETS];
    private int next;
    private long value;

    /** Instantiated by JMH, once per thread and trial. */
    public PageCacheDrainBenchmark() {
    }

    /**
     * Creates the sparse pool file on disk, allocates the working set's blocks and draws the offsets.
     *
     * @throws IOException if the file cannot be created, extended or mapped
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        path = BenchFiles.diskDir().resolve("pagecache-" + poolSize);
        channel = BenchFiles.createFresh(path);
        BenchFiles.extendSparse(channel, poolSize);
        medium = new PageCacheMedium(MappedFile.map(path, channel, FileChannel.MapMode.READ_WRITE, poolSize));
        // Allocate the working set's blocks now (see class comment), then start with nothing dirty.
        medium.fill(0, WORKING_SET, (byte) 0);
        medium.persist(0, WORKING_SET);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < OFFSETS; i++) {
            offsets[i] = random.nextLong(WORKING_SET / RECORD) * RECORD;
        }
    }

    /**
     * Closes the medium and deletes the file.
     *
     * @throws IOException if the file cannot be closed or deleted
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        medium.close();
        channel.close();
        Files.deleteIfExists(path);
    }

    /** One 64-byte record updated by an 8-byte store, then made durable: one page msync'ed. */
    @Benchmark
    public void writeDrain() {
        long offset = offsets[next++ & (OFFSETS - 1)];
        medium.putLong(offset, ++value);
        medium.persist(offset, RECORD);
    }
}
