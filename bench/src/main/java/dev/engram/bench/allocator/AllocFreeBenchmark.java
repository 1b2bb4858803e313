package dev.engram.bench.allocator;

import dev.engram.allocator.PersistentHeap;
import dev.engram.allocator.RedoLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Allocate + free of one object, each a publish through the redo log (two drains each: the log's
 * commit, whose entries carry the new block header, and its apply) on forced
 * pmem (CLWB + SFENCE on a /dev/shm mapping), one and two threads, each thread with its own lane.
 * Run with {@code --enable-native-access=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED}.
 */
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens",
        "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class AllocFreeBenchmark {
    /** Instantiated by JMH. */
    public AllocFreeBenchmark() {
    }

    /** The heap all threads share, on a 256 MiB forced-pmem pool. */
    @State(Scope.Benchmark)
    public static class Heap {
        /** Object bytes allocated and freed per operation. */
        @Param({"64", "256", "4096", "1048576"})
        public long size;
        ForcedPmemHeap pool;
        final AtomicInteger lanes = new AtomicInteger();

        /** Instantiated by JMH, once per trial. */
        public Heap() {
        }

        /** Creates the pool and its heap. */
        @Setup(Level.Trial)
        public void setUp() {
            pool = ForcedPmemHeap.create(256L << 20);
        }

        /** Closes the pool. */
        @TearDown(Level.Trial)
        public void tearDown() {
            pool.close();
        }
    }

    /** One thread's lane: its redo log and its destination word. */
    @State(Scope.Thread)
    public static class Lane {
        RedoLog log;
        long destination;
        PersistentHeap heap;

        /** Instantiated by JMH, once per thread and trial. */
        public Lane() {
        }

        /**
         * Takes the next free lane.
         *
         * @param h the shared heap
         */
        @Setup(Level.Trial)
        public void setUp(Heap h) {
            final int lane = h.lanes.getAndIncrement();
            log = h.pool.log(lane);
            destination = ForcedPmemHeap.destination(lane);
            heap = h.pool.heap;
        }
    }

    /**
     * {@return the object's offset} One allocate and one free on one thread.
     *
     * @param h    the shared heap
     * @param lane this thread's lane
     */
    @Benchmark
    @Threads(1)
    public long allocFree1Thread(Heap h, Lane lane) {
        return cycle(h, lane);
    }

    /**
     * {@return the object's offset} One allocate and one free on each of two threads, on their own lanes.
     *
     * @param h    the shared heap
     * @param lane this thread's lane
     */
    @Benchmark
    @Threads(2)
    public long allocFree2Threads(Heap h, Lane lane) {
        return cycle(h, lane);
    }

    private static long cycle(Heap h, Lane lane) {
        final long obj = lane.heap.allocate(h.size, 1, lane.destination, lane.log);
        lane.heap.free(obj, lane.destination, lane.log);
        return obj;
    }
}
