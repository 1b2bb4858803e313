package dev.engram.bench.pool;

import dev.engram.bench.BenchFiles;
import dev.engram.bench.Flags;
import dev.engram.pool.medium.CpuCacheMedium;
import dev.engram.pool.medium.MappedFile;
import dev.engram.pool.medium.MediumKind;
import dev.engram.pool.medium.WriteBackPath;
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
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cost of making {@code size} bytes durable (store + flush + drain) through each CPU write-back path
 * on a forced-pmem file in tmpfs, beside a plain copy of the same bytes into the same mapping: the
 * copy is the physical limit, the difference is what persistence costs. The result picks
 * {@link WriteBackPath#DEFAULT}.
 *
 * <p>Each operation writes the next {@code size}-byte slot of a 64 MiB region, as the PMDK harness's
 * {@code persist_<size>} does with {@code pmem_memcpy_persist}, so neither side persists a line that
 * is already clean or keeps the whole working set in L1.
 *
 * <p>On tmpfs {@link WriteBackPath#MAPPED_FORCE} is an msync with nothing to write back (it is a CPU
 * write-back only on a MAP_SYNC mapping), so its figure here is a syscall, not a persistence cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.ADD_OPENS})
public class WriteBackBenchmark {
    static final long REGION = 64L << 20;

    /** Instantiated by JMH. */
    public WriteBackBenchmark() {
    }

    /** The mapping, the source bytes and the slot cursor both benchmark methods share. */
    @State(Scope.Thread)
    public abstract static class Region {
        /** Bytes persisted (or copied) per operation. */
        @Param({"64", "256", "4096", "1048576"})
        public int size;

        Arena arena;
        FileChannel channel;
        MappedFile file;
        MemorySegment src;
        long slots;
        long next;

        /** For subclasses; JMH creates the concrete states. */
        public Region() {
        }

        void open(String name) throws IOException {
            Path path = BenchFiles.shmDir().resolve(name);
            channel = BenchFiles.createFresh(path);
            file = MappedFile.map(path, channel, FileChannel.MapMode.READ_WRITE, REGION);
            // Touch every page first: tmpfs allocates on first write, and that fault is not what we time.
            file.segment().fill((byte) 1);
            arena = Arena.ofConfined();
            src = arena.allocate(size, 64);
            src.fill((byte) 0x5a);
            slots = REGION / size;
        }

        /** Offset of the next slot, wrapping at the end of the region. */
        final long nextOffset() {
            long slot = next;
            next = slot + 1 == slots ? 0 : slot + 1;
            return slot * size;
        }

        /**
         * Unmaps the region and closes the file; the file stays in tmpfs until the next trial replaces it.
         *
         * @throws IOException if the channel cannot be closed
         */
        @TearDown(Level.Trial)
        public void close() throws IOException {
            file.close();
            channel.close();
            arena.close();
        }
    }

    /** The state of {@link #persist}: the region behind a forced-pmem medium on one write-back path. */
    public static class Persisted extends Region {
        /** The {@link WriteBackPath} constant to bind. */
        @Param({"UNSAFE_WRITEBACK", "LIBPMEM", "MAPPED_FORCE"})
        public String path;

        CpuCacheMedium medium;

        /** Instantiated by JMH, once per thread and trial. */
        public Persisted() {
        }

        /**
         * Maps the region and binds the write-back path.
         *
         * @throws IOException if the file cannot be created or mapped
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open("writeback-" + path);
            medium = new CpuCacheMedium(MediumKind.FORCED_PMEM, file, WriteBackPath.valueOf(path).bind());
        }
    }

    /** The state of {@link #memcpy}: the same region, written through the raw mapping. */
    public static class Plain extends Region {
        MemorySegment mapping;

        /** Instantiated by JMH, once per thread and trial. */
        public Plain() {
        }

        /**
         * Maps the region.
         *
         * @throws IOException if the file cannot be created or mapped
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open("writeback-memcpy");
            mapping = file.segment();
        }
    }

    /**
     * Store, flush and drain through the medium: what {@code putBytesPersist} costs a caller.
     *
     * @param s the region and medium of this thread
     */
    @Benchmark
    public void persist(Persisted s) {
        long offset = s.nextOffset();
        s.medium.putSegment(offset, s.src);
        s.medium.persist(offset, s.size);
    }

    /**
     * The same bytes copied into the same mapping with no checks and no write-back: the floor.
     *
     * @param s the region of this thread
     */
    @Benchmark
    public void memcpy(Plain s) {
        MemorySegment.copy(s.src, 0, s.mapping, s.nextOffset(), s.size);
    }
}
