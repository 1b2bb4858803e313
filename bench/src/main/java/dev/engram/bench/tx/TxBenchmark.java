package dev.engram.bench.tx;

import dev.engram.bench.Flags;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.MemoryBlock;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Transactions side by side with PMDK's {@code pmdk_bench} tx workloads (same shapes): a small
 * transaction (one 64-byte range snapshotted, written, committed), an 8-range transaction, and one
 * transaction per 64-byte allocation with the frees outside the measurement (as the C harness does).
 * One pool per trial shared by all threads; each thread has its own block, so the 2-thread run
 * measures independent transactions on two lanes. {@code mode} FORCE_PMEM runs on /dev/shm,
 * PAGE_CACHE on a disk file under /var/tmp (msync per drain), like PMDK with PMEM_IS_PMEM_FORCE=0.
 */
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.ADD_OPENS, "-Dkryo.unsafe=false"})
public class TxBenchmark {
    static final int TYPE_BLOCK = 20;
    static final int TYPE_ALLOC = 21;

    /** Instantiated by JMH. */
    public TxBenchmark() {
    }

    /** The pool all threads share. */
    @State(Scope.Benchmark)
    public static class PoolState {
        /** {@code FORCE_PMEM} (a pool on /dev/shm) or {@code PAGE_CACHE} (a pool under /var/tmp). */
        @Param({"FORCE_PMEM", "PAGE_CACHE"})
        public String mode;

        Path file;
        ObjectPool pool;

        /** Instantiated by JMH, once per trial. */
        public PoolState() {
        }

        /**
         * Creates a 1 GiB pool with the mode's mapping policy.
         *
         * @throws Exception if the pool cannot be created
         */
        @Setup(Level.Trial)
        public void open() throws Exception {
            MappingPolicy policy = MappingPolicy.valueOf(mode);
            Path dir = policy == MappingPolicy.PAGE_CACHE ? Path.of("/var/tmp") : Path.of("/dev/shm");
            file = Files.createTempFile(dir, "engram-tx-bench", ".pool");
            Files.delete(file);
            pool = ObjectPool.create(file, ObjectLayout.named("bench"), PoolOptions.defaults()
                    .withSize(1L << 30).withPolicy(policy));
        }

        /**
         * Closes the pool and deletes its file.
         *
         * @throws Exception if the pool cannot be closed or the file deleted
         */
        @TearDown(Level.Trial)
        public void close() throws Exception {
            pool.close();
            Files.deleteIfExists(file);
        }
    }

    /** One thread's block and the objects it allocated in the current iteration. */
    @State(Scope.Thread)
    public static class ThreadState {
        MemoryBlock block;
        long counter;
        long[] allocated = new long[1 << 16];
        int count;

        /** Instantiated by JMH, once per thread and trial. */
        public ThreadState() {
        }

        /**
         * Allocates this thread's 512-byte block.
         *
         * @param p the shared pool
         */
        @Setup(Level.Trial)
        public void allocate(PoolState p) {
            block = p.pool.transaction(tx -> p.pool.allocateBlock(8 * 64, TYPE_BLOCK));
        }

        /**
         * Frees what {@link #allocTx} allocated in the iteration, 1024 objects per transaction.
         *
         * @param p the shared pool
         */
        @TearDown(Level.Iteration)
        public void freeAllocated(PoolState p) {
            for (int from = 0; from < count; from += 1024) {
                int start = from;
                int end = Math.min(count, from + 1024);
                p.pool.run(tx -> {
                    for (int i = start; i < end; i++) {
                        tx.free(allocated[i]);
                    }
                });
            }
            count = 0;
        }

        void remember(long block) {
            if (count == allocated.length) {
                allocated = Arrays.copyOf(allocated, count * 2);
            }
            allocated[count++] = block;
        }
    }

    static long small(PoolState p, ThreadState t) {
        long v = ++t.counter;
        MemoryBlock b = t.block;
        p.pool.run(tx -> {
            b.addToTransaction(0, 64);
            for (int i = 0; i < 64; i += 8) {
                b.setLong(i, v);
            }
        });
        return v;
    }

    /**
     * {@return the value written} One thread: snapshot a 64-byte range, write it, commit.
     *
     * @param p the shared pool
     * @param t this thread's block
     */
    @Benchmark
    @Threads(1)
    public long smallTx(PoolState p, ThreadState t) {
        return small(p, t);
    }

    /**
     * {@return the value written} The small transaction on two threads and two lanes at once.
     *
     * @param p the shared pool
     * @param t this thread's block
     */
    @Benchmark
    @Threads(2)
    public long smallTx2Threads(PoolState p, ThreadState t) {
        return small(p, t);
    }

    /**
     * {@return the value written} Eight 64-byte ranges snapshotted and written in one transaction.
     *
     * @param p the shared pool
     * @param t this thread's block
     */
    @Benchmark
    @Threads(1)
    public long eightRangeTx(PoolState p, ThreadState t) {
        long v = ++t.counter;
        MemoryBlock b = t.block;
        p.pool.run(tx -> {
            for (int r = 0; r < 8; r++) {
                b.addToTransaction(r * 64L, 64);
                b.setLong(r * 64L, v);
            }
        });
        return v;
    }

    /**
     * {@return the new block's offset} One transaction allocating 64 bytes.
     *
     * @param p the shared pool
     * @param t this thread's record of the blocks to free
     */
    @Benchmark
    @Threads(1)
    public long allocTx(PoolState p, ThreadState t) {
        long b = p.pool.transaction(tx -> tx.alloc(64, TYPE_ALLOC));
        t.remember(b);
        return b;
    }
}
