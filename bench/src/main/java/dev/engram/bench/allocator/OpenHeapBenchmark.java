package dev.engram.bench.allocator;

import dev.engram.allocator.PersistentHeap;
import dev.engram.allocator.RedoLog;
import dev.engram.allocator.Reservation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Opening a 1 GiB heap holding 1M objects of mixed small sizes: {@code open} alone (header only,
 * zones are lazy) and {@code openAndAllocate} (open plus the first allocation, which loads zone 0
 * and rebuilds its runs from their bitmaps).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens",
        "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class OpenHeapBenchmark {
    private static final long GIB = 1L << 30;
    private ForcedPmemHeap pool;
    private RedoLog log;

    /** Instantiated by JMH, once per trial. */
    public OpenHeapBenchmark() {
    }

    /** Creates a 1 GiB forced-pmem heap and publishes 1M objects of 32 to 272 bytes, 256 per redo log. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = ForcedPmemHeap.create(GIB);
        log = pool.log(0);
        final PersistentHeap heap = pool.heap;
        final Reservation[] batch = new Reservation[256];
        final long[] none = new long[batch.length];
        for (int done = 0; done < 1_000_000; done += batch.length) {
            for (int i = 0; i < batch.length; i++) {
                batch[i] = heap.reserve(32 + (done + i) % 7 * 40, (done + i) % 5);
            }
            heap.publish(batch, none, null, null, log);
        }
    }

    /** Closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** {@return the opened heap} Opens the heap: the header only. */
    @Benchmark
    public PersistentHeap open() {
        return PersistentHeap.open(pool.medium, ForcedPmemHeap.HEAP_OFFSET, GIB, null);
    }

    /**
     * {@return the reserved offset} Opens the heap and reserves (then cancels) one 64-byte object, which
     * loads zone 0.
     */
    @Benchmark
    public long openAndAllocate() {
        final PersistentHeap heap = PersistentHeap.open(pool.medium, ForcedPmemHeap.HEAP_OFFSET, GIB, null);
        final Reservation r = heap.reserve(64, 1);
        heap.cancel(r);
        return r.objectOffset();
    }
}
