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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Transactions on a forced-pmem pool in /dev/shm: a small transaction (one 64-byte range saved,
 * written, committed), an 8-range transaction, and a transactional 64-byte allocation (plus its
 * free, so the heap stays flat). Compare with PMDK 1.12's ~1.2 M small tx/s on this machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.ADD_EXPORTS, "-Dkryo.unsafe=false"})
public class TxBenchmark {
    private Path file;
    private ObjectPool pool;
    private MemoryBlock block;
    private long counter;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        file = Files.createTempFile(Path.of("/dev/shm"), "engram-tx-bench", ".pool");
        Files.delete(file);
        pool = ObjectPool.create(file, ObjectLayout.named("bench"), PoolOptions.defaults()
                .withSize(256L << 20).withPolicy(MappingPolicy.FORCE_PMEM));
        block = pool.transaction(tx -> pool.allocateBlock(8 * 64, 20));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pool.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long smallTx() {
        long v = ++counter;
        pool.run(tx -> {
            block.addToTransaction(0, 64);
            for (int i = 0; i < 64; i += 8) {
                block.setLong(i, v);
            }
        });
        return v;
    }

    @Benchmark
    public long eightRangeTx() {
        long v = ++counter;
        pool.run(tx -> {
            for (int r = 0; r < 8; r++) {
                block.addToTransaction(r * 64L, 64);
                block.setLong(r * 64L, v);
            }
        });
        return v;
    }

    @Benchmark
    public long allocTx() {
        long b = pool.transaction(tx -> tx.alloc(64, 21));
        pool.run(tx -> tx.free(b));
        return b;
    }
}
