package dev.engram.tx;

import dev.engram.allocator.HeapCheckReport;
import dev.engram.allocator.PersistentHeap;
import dev.engram.crashtest.CrashExplorer;
import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.CrashStrategy;
import dev.engram.crashtest.Trace;
import dev.engram.crashtest.TracingMedium;
import dev.engram.pool.Pool;
import dev.engram.pool.medium.Medium;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the tx crash tests share on top of the project's crash harness ({@code dev.engram.crashtest}):
 * pool images on the allocator's real heap, tracing a workload that runs on an engine opened over the
 * tracing medium, opening a crash image the way a pool opens for real, and the heap checks every
 * checker makes (consistent, nothing leaked).
 */
final class CrashFixture {
    static final TxHeap.Factory REAL = AllocatorTxHeap.FACTORY;

    /**
     * Where failing images are saved: the crash extension's default, so a failure of any module's
     * crash test lands in the same place and replays with {@code CrashReplay}. Nothing is written
     * while the tests pass.
     */
    static final Path FAILURES = Path.of(System.getProperty("engram.crashtest.failures", "target/crashtest-failures"));

    private CrashFixture() {
    }

    /** A pool image on the real heap after {@code setup} (see {@link Fixture#image}). */
    static byte[] image(Path dir, Consumer<TxEngine> setup) {
        return Fixture.image(dir, REAL, setup);
    }

    /**
     * Traces {@code workload} run on an engine opened over a copy of {@code image}. The trace includes
     * the open, which writes nothing on a cleanly closed image, so its crash points are the workload's.
     */
    static Trace record(byte[] image, Consumer<TxEngine> workload) throws Exception {
        return TracingMedium.record(image.length, m -> m.putBytes(0, image, 0, image.length),
                m -> workload.accept(open(m)));
    }

    /**
     * Opens a crash image as {@code ObjectPool.open} does: attach the pool, replay the redo logs, open
     * the heap, roll back the undo logs.
     */
    static TxEngine open(Medium image) {
        return TxEngine.open(Pool.attach(image, Fixture.LAYOUT), REAL);
    }

    static PersistentHeap heap(TxEngine e) {
        return ((AllocatorTxHeap) e.heap()).heap();
    }

    /** Every published object of any type, from the heap's metadata on the media. */
    static Set<Long> liveObjects(TxEngine e) {
        Set<Long> live = new TreeSet<>();
        heap(e).forEachObject(live::add);
        return live;
    }

    /** The heap walks clean and holds exactly {@code expected}: no corruption, no leak, no lost object. */
    static void assertHeap(TxEngine e, Set<Long> expected) {
        HeapCheckReport check = heap(e).check();
        assertThat(check.problems()).as("heap check").isEmpty();
        assertThat(liveObjects(e)).as("published objects (a leak or a lost object otherwise)")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * The explorer every tx crash test uses: prefixes at every drain, {@code samples} seeded random
     * per-line choices per point, exhaustive where a point has at most 4096 combinations.
     */
    static CrashExplorer explorer(long seed, int samples, String testClass, String test) {
        return CrashExplorer.builder()
                .strategies(CrashStrategy.prefixes(), CrashStrategy.random(seed, samples), CrashStrategy.exhaustive(4096),
                        CrashStrategy.lineLost())
                .saveFailuresTo(FAILURES.resolve(testClass).resolve(test))
                .build();
    }

    /** Prints the seed and what was checked (the surefire output keeps it), then fails on any bad image. */
    static CrashReport passed(String test, long seed, CrashReport report) {
        System.out.println(test + " seed=" + seed + ": " + report.summary());
        report.assertPassed();
        assertThat(report.checkerCallsPerDistinctImage()).as("each distinct image checked once").isEqualTo(1.0);
        return report;
    }

    /** True when every byte of the range equals {@code value}. */
    static boolean all(TxEngine e, long offset, long length, int value) {
        return Fixture.all(e, offset, length, value);
    }
}
