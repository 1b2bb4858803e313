package dev.engram.bench.crashtest;

import dev.engram.crashtest.CrashChecker;
import dev.engram.crashtest.CrashExplorer;
import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.Trace;
import dev.engram.crashtest.TracingMedium;
import dev.engram.pool.Bits;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Distinct crash images checked per second by the crash engine (DESIGN.md §6), on a workload of
 * 1,000 small operations on a 1 MiB medium, with the default strategies (prefixes at every drain,
 * 64 seeded random per-line samples per drain, exhaustive up to 4096 combinations).
 *
 * <p>Each operation is a commit-word update: store a payload word on one of 512 lines, persist it,
 * then persist the commit word, plus every fourth operation an unflushed scratch store that stays in
 * flight (early write-back). The checker reads the commit word and the payload it names, so the
 * figure measures the engine (image building, dedup, restore), not a heavy recovery.
 *
 * <p>Result: {@code images} (an auxiliary counter, per second) is the headline figure; the primary
 * score is whole explorations per second. {@code checkerCalls} per second equals {@code images} per
 * second: one checker call per distinct image. {@code unflushedScratch=false} drops the scratch
 * stores, leaving only a few stores in flight per drain.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class CrashImagesBenchmark {
    static final long SIZE = 1 << 20;
    static final int OPERATIONS = 1_000;
    static final int SLOTS = 512;
    static final long COMMIT = 0;
    static final long SCRATCH = SIZE - Bits.PAGE_SIZE;

    /** Whether every fourth operation leaves an unflushed store in flight. */
    @Param({"true", "false"})
    public boolean unflushedScratch;

    private Trace trace;
    private final CrashExplorer explorer = CrashExplorer.defaults();

    /** Instantiated by JMH, once per thread and trial. */
    public CrashImagesBenchmark() {
    }

    static long slot(long i) {
        return Bits.CACHE_LINE * (1 + i % SLOTS);
    }

    private static final CrashChecker CHECKER = m -> {
        long c = m.getLong(COMMIT);
        if (c > 0) {
            long v = m.getLong(slot(c - 1));
            if (v != c && v != c + SLOTS) {
                throw new AssertionError("committed payload missing: commit=" + c + " payload=" + v);
            }
        }
    };

    /** Images checked, reported by JMH as a rate next to the primary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Images {
        /** Images checked in the iteration. */
        public long images;
        /** Checker calls in the iteration; equal to {@link #images}. */
        public long checkerCalls;

        /** Instantiated by JMH, once per thread and trial. */
        public Images() {
        }

        /** Resets the counters for the next iteration. */
        @Setup(Level.Iteration)
        public void clear() {
            images = 0;
            checkerCalls = 0;
        }
    }

    /**
     * Records the trace of the 1,000 operations, once per trial.
     *
     * @throws Exception if the workload fails
     */
    @Setup(Level.Trial)
    public void record() throws Exception {
        trace = TracingMedium.record(SIZE, m -> { }, m -> {
            for (long i = 0; i < OPERATIONS; i++) {
                m.putLong(slot(i), i + 1);
                m.persist(slot(i), Long.BYTES);
                m.putLongPersist(COMMIT, i + 1);
                if (unflushedScratch && i % 4 == 0) {
                    m.putLong(SCRATCH + (i % 64) * Long.BYTES, i);
                }
            }
        });
    }

    /**
     * {@return the report, so the exploration is not eliminated} One whole exploration of the trace.
     *
     * @param counter where the images and checker calls are counted
     * @throws IllegalStateException if the checker failed on an image (the workload is correct, so a bug)
     */
    @Benchmark
    public CrashReport exploreAll(Images counter) {
        CrashReport report = explorer.explore(trace, CHECKER);
        if (!report.passed()) {
            throw new IllegalStateException(report.summary());
        }
        counter.images += report.distinctImages();
        counter.checkerCalls += report.checkerCalls();
        return report;
    }
}
