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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The hardware control for the two-thread targets of #5 and #6: one 8-byte store, its cache line
 * written back and fenced, on one thread and on two threads at once, each thread on its own file
 * and line (nothing shared, no Engram logic beyond the medium). If two threads do not get more
 * fenced write-backs done than one, no allocator or transaction built on them can scale either.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.ADD_OPENS})
public class FenceScalingBenchmark {
    /** Instantiated by JMH. */
    public FenceScalingBenchmark() {
    }

    /** One thread's own file, mapped as forced pmem. */
    @State(Scope.Thread)
    public static class Line {
        Path path;
        FileChannel channel;
        CpuCacheMedium medium;
        long value;

        /** Instantiated by JMH, once per thread and trial. */
        public Line() {
        }

        /**
         * Maps a fresh 1 MiB file of this thread's own.
         *
         * @throws IOException if the file cannot be created or mapped
         */
        @Setup(Level.Trial)
        public void open() throws IOException {
            path = BenchFiles.shmDir().resolve("fence-scaling-" + Thread.currentThread().threadId());
            channel = BenchFiles.createFresh(path);
            MappedFile file = MappedFile.map(path, channel, FileChannel.MapMode.READ_WRITE, 1 << 20);
            file.segment().fill((byte) 0);
            medium = new CpuCacheMedium(MediumKind.FORCED_PMEM, file, WriteBackPath.UNSAFE_WRITEBACK.bind());
        }

        /**
         * Unmaps and deletes the file.
         *
         * @throws IOException if the file cannot be closed or deleted
         */
        @TearDown(Level.Trial)
        public void close() throws IOException {
            medium.close();
            channel.close();
            Files.deleteIfExists(path);
        }

        long persistOneLine() {
            long v = ++value;
            medium.putLong(4096, v);
            medium.flush(4096, Long.BYTES);
            medium.drain();
            return v;
        }
    }

    /**
     * {@return the value stored} Store, write back and fence one line, on one thread.
     *
     * @param s this thread's line
     */
    @Benchmark
    @Threads(1)
    public long persistLine1Thread(Line s) {
        return s.persistOneLine();
    }

    /**
     * {@return the value stored} The same on two threads at once, each on its own file.
     *
     * @param s this thread's line
     */
    @Benchmark
    @Threads(2)
    public long persistLine2Threads(Line s) {
        return s.persistOneLine();
    }
}
