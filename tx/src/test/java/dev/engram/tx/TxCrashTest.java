package dev.engram.tx;

import dev.engram.crashtest.CrashChecker;
import dev.engram.crashtest.CrashExplorer;
import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.CrashStrategy;
import dev.engram.crashtest.Trace;
import dev.engram.crashtest.TracingMedium;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static dev.engram.tx.CrashFixture.all;
import static dev.engram.tx.CrashFixture.assertHeap;
import static dev.engram.tx.CrashFixture.open;
import static dev.engram.tx.EngineTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash tests of the engine on the allocator's real heap, explored by the project's crash harness:
 * every drain point, program-order prefixes of the stores in flight, seeded random per-line choices
 * and exhaustive subsets where small. Each checker opens the image as a pool opens (redo replay, heap
 * open, undo rollback) and states the legal outcomes: all of the transaction or none of it, a heap
 * that checks clean, and exactly the objects the outcome owns (no leak).
 */
class TxCrashTest {
    static final int BLOCKS = 3;
    static final int LEN = 192;
    static final int BEFORE = 0xA;
    /** The block pointers live in the root area after the object layer's own words. */
    static final int SLOTS = RootLayout.USED_LENGTH;
    static final long SEED = 0x7C_2025L;

    @TempDir
    Path dir;

    private String testName;
    private TestReporter reporter;

    @BeforeEach
    void names(TestInfo info, TestReporter reporter) {
        this.testName = info.getTestMethod().orElseThrow().getName();
        this.reporter = reporter;
    }

    static long slot(TxEngine e, int i) {
        return e.pool().rootAreaOffset() + SLOTS + 8L * i;
    }

    static long block(TxEngine e, int i) {
        return e.medium().getLong(slot(e, i));
    }

    /** Three published blocks of 192 bytes of 0xA, their offsets in the slots, committed by one transaction. */
    byte[] baseImage() {
        return CrashFixture.image(dir, e -> e.transaction(tx -> {
            for (int i = 0; i < BLOCKS; i++) {
                long b = tx.alloc(LEN, 1);
                e.medium().fill(b, LEN, (byte) BEFORE);
                tx.addRange(slot(e, i), 8);
                e.medium().putLong(slot(e, i), b);
            }
            return null;
        }));
    }

    static Set<Long> blocks(TxEngine e) {
        Set<Long> s = new HashSet<>();
        for (int i = 0; i < BLOCKS; i++) {
            s.add(block(e, i));
        }
        return s;
    }

    /** The legal outcomes of one workload, checked on a recovered engine. */
    interface Model {
        void check(TxEngine recovered);
    }

    private CrashReport explore(Trace trace, Model model) {
        return explore(trace, model, CrashFixture.explorer(SEED, 64, getClass().getName(), testName));
    }

    private CrashReport explore(Trace trace, Model model, CrashExplorer explorer) {
        return exploreImages(trace, image -> model.check(open(image)), explorer);
    }

    /** Explores with a checker that sees the raw crash image, before any recovery. */
    private CrashReport exploreImages(Trace trace, CrashChecker checker, CrashExplorer explorer) {
        CrashReport report = explorer.explore(trace, checker);
        reporter.publishEntry("crashtest.summary", report.summary());
        return CrashFixture.passed(testName, SEED, report);
    }

    /**
     * Block {@code i} is wholly {@code after[i]} in every block, or wholly 0xA in every block (blocks
     * past {@code after} stay 0xA); the heap holds exactly the three blocks.
     */
    static Model allOrNone(Set<Long> objects, int... after) {
        return e -> {
            boolean none = true;
            boolean allDone = true;
            for (int i = 0; i < BLOCKS; i++) {
                long b = block(e, i);
                none &= all(e, b, LEN, BEFORE);
                allDone &= all(e, b, LEN, i < after.length ? after[i] : BEFORE);
            }
            assertThat(none || allDone).as("blocks are all before or all after the transaction").isTrue();
            assertHeap(e, objects);
        };
    }

    private Set<Long> objectsOf(byte[] image) {
        return blocks(Fixture.open(image, CrashFixture.REAL));
    }

    @Test
    void shouldKeepASingleRangeTransactionAtomicInEveryCrashImage() throws Exception {
        byte[] image = baseImage();
        Set<Long> objects = objectsOf(image);
        Trace trace = CrashFixture.record(image, e -> e.transaction(tx -> {
            write(tx, e, block(e, 0), 64, 0xB);
            return null;
        }));

        CrashReport report = explore(trace, e -> {
            long b = block(e, 0);
            assertThat(all(e, b, 64, BEFORE) || all(e, b, 64, 0xB)).as("the saved range is before or after").isTrue();
            assertThat(all(e, b + 64, LEN - 64, BEFORE)).as("bytes outside the range never change").isTrue();
            assertThat(all(e, block(e, 1), LEN, BEFORE) && all(e, block(e, 2), LEN, BEFORE)).isTrue();
            assertHeap(e, objects);
        });

        // one drain after the snapshot, one at commit, and the end of the trace
        assertThat(report.crashPoints()).isEqualTo(3);
        assertThat(report.distinctImages()).isGreaterThan(3);
    }

    @Test
    void shouldKeepAMultiRangeTransactionAtomicInEveryCrashImage() throws Exception {
        byte[] image = baseImage();
        Trace trace = CrashFixture.record(image, e -> e.transaction(tx -> {
            for (int i = 0; i < BLOCKS; i++) {
                write(tx, e, block(e, i), LEN, 0xB + i);
            }
            return null;
        }));

        CrashReport report = explore(trace, allOrNone(objectsOf(image), 0xB, 0xC, 0xD));

        assertThat(report.crashPoints()).isEqualTo(BLOCKS + 2);
        assertThat(report.distinctImages()).isGreaterThan(BLOCKS + 2);
    }

    @Test
    void shouldKeepANestedTransactionAtomicInEveryCrashImage() throws Exception {
        byte[] image = baseImage();
        Trace trace = CrashFixture.record(image, e -> e.transaction(tx -> {
            write(tx, e, block(e, 0), LEN, 0xB);
            e.transaction(inner -> {
                write(inner, e, block(e, 1), LEN, 0xC);
                return null;
            });
            return null;
        }));

        CrashReport report = explore(trace, allOrNone(objectsOf(image), 0xB, 0xC));

        // the inner transaction adds its snapshot drain to the outer one; there is one commit
        assertThat(report.crashPoints()).isEqualTo(4);
    }

    @Test
    void shouldLeaveNothingOfAnAbortedTransactionInAnyCrashImage() throws Exception {
        byte[] image = baseImage();
        Set<Long> objects = objectsOf(image);
        Trace trace = CrashFixture.record(image, e -> {
            try {
                e.transaction(tx -> {
                    write(tx, e, block(e, 0), LEN, 0xB);
                    write(tx, e, block(e, 1), LEN, 0xC);
                    long fresh = tx.alloc(LEN, 2);
                    e.medium().fill(fresh, LEN, (byte) 0xE);
                    // new bytes made durable before the abort must be undone all the same
                    e.medium().persist(block(e, 0), LEN);
                    tx.abort();
                    return null;
                });
            } catch (TransactionAbortedException expected) {
                // the abort is the workload
            }
        });

        CrashReport report = explore(trace, e -> {
            for (int i = 0; i < BLOCKS; i++) {
                assertThat(all(e, block(e, i), LEN, BEFORE)).as("block " + i + " as before the transaction").isTrue();
            }
            assertHeap(e, objects);
        });

        // two snapshots, the early persist, the restore
        assertThat(report.crashPoints()).isEqualTo(5);
    }

    @Test
    void shouldPublishAnAllocationAndAFreeWithTheCommitInEveryCrashImage() throws Exception {
        byte[] image = baseImage();
        Set<Long> before = objectsOf(image);
        AtomicLong fresh = new AtomicLong();
        Trace trace = CrashFixture.record(image, allocAndFree(fresh));
        long old = block(Fixture.open(image, CrashFixture.REAL), 0);
        Set<Long> after = new HashSet<>(before);
        after.remove(old);
        after.add(fresh.get());

        CrashReport report = explore(trace, allocAndFreeModel(old, fresh.get(), before, after));

        assertThat(report.crashPoints()).isGreaterThanOrEqualTo(4);
    }

    /** Moves block 0 to a fresh block of 0xE: alloc, fill, swing slot 0, free the old block. */
    private static Consumer<TxEngine> allocAndFree(AtomicLong fresh) {
        return e -> e.transaction(tx -> {
            long old = block(e, 0);
            long b = tx.alloc(LEN, 1);
            fresh.set(b);
            e.medium().fill(b, LEN, (byte) 0xE);
            tx.addRange(slot(e, 0), 8);
            e.medium().putLong(slot(e, 0), b);
            tx.free(old);
            return null;
        });
    }

    private static Model allocAndFreeModel(long old, long fresh, Set<Long> before, Set<Long> after) {
        return e -> {
            long b = block(e, 0);
            assertThat(b).as("slot 0 holds the old or the new block").isIn(old, fresh);
            if (b == old) {
                assertThat(all(e, old, LEN, BEFORE)).as("old content").isTrue();
                assertHeap(e, before);
            } else {
                assertThat(all(e, fresh, LEN, 0xE)).as("new content").isTrue();
                assertHeap(e, after);
            }
        };
    }

    /**
     * From every first-crash image of the workload, the recovery's own trace is explored too (a crash
     * during recovery, then recovery again). Bounded so the suite stays fast: prefixes and 8 seeded
     * random choices per point, and only where the first recovery wrote anything.
     */
    private void exploreCrashesDuringRecovery(Trace trace, Model model) {
        exploreCrashesDuringRecovery(trace, model, CrashFixture.explorer(SEED, 16, getClass().getName(), testName));
    }

    private void exploreCrashesDuringRecovery(Trace trace, Model model, CrashExplorer outerExplorer) {
        CrashExplorer inner = CrashExplorer.builder()
                .strategies(CrashStrategy.prefixes(), CrashStrategy.random(SEED, 8))
                .saveFailuresTo(CrashFixture.FAILURES.resolve(getClass().getName()).resolve(testName + "-recovery"))
                .build();
        long[] recoveriesWithWork = {0};
        long[] innerImages = {0};
        long[] innerPoints = {0};
        CrashReport outer = exploreImages(trace, image -> {
            // recover a copy of the first-crash image on a tracing medium: the recovery is checked
            // like any other, and its trace is what a second crash interrupts
            Trace recovery = TracingMedium.record(image.size(), m -> m.putSegment(0, image.readOnlySlice(0, image.size())),
                    m -> model.check(open(m)));
            if (recovery.eventCount() == 0) {
                return;
            }
            recoveriesWithWork[0]++;
            CrashReport r = inner.explore(recovery, m -> model.check(open(m)));
            r.assertPassed();
            assertThat(r.checkerCallsPerDistinctImage()).isEqualTo(1.0);
            innerImages[0] += r.distinctImages();
            innerPoints[0] += r.crashPoints();
        }, outerExplorer);
        String summary = recoveriesWithWork[0] + " first-crash images needed recovery; their recoveries had "
                + innerPoints[0] + " crash points and " + innerImages[0] + " distinct second-crash images checked";
        System.out.println(testName + " seed=" + SEED + ": " + summary);
        reporter.publishEntry("crashtest.recovery", summary);
        assertThat(outer.distinctImages()).isPositive();
        assertThat(recoveriesWithWork[0]).as("some first crashes leave work for recovery").isPositive();
        assertThat(innerImages[0]).as("second-crash images").isGreaterThan(recoveriesWithWork[0]);
    }

    @Test
    void shouldRecoverAMultiRangeTransactionAfterACrashDuringRecovery() throws Exception {
        byte[] image = baseImage();
        Trace trace = CrashFixture.record(image, e -> e.transaction(tx -> {
            for (int i = 0; i < BLOCKS; i++) {
                write(tx, e, block(e, i), LEN, 0xB + i);
            }
            return null;
        }));

        exploreCrashesDuringRecovery(trace, allOrNone(objectsOf(image), 0xB, 0xC, 0xD));
    }

    @Test
    void shouldRecoverAnAllocationAndAFreeAfterACrashDuringRecovery() throws Exception {
        byte[] image = baseImage();
        Set<Long> before = objectsOf(image);
        AtomicLong fresh = new AtomicLong();
        Trace trace = CrashFixture.record(image, allocAndFree(fresh));
        long old = block(Fixture.open(image, CrashFixture.REAL), 0);
        Set<Long> after = new HashSet<>(before);
        after.remove(old);
        after.add(fresh.get());

        exploreCrashesDuringRecovery(trace, allocAndFreeModel(old, fresh.get(), before, after));
    }

    // ---- batched snapshots -------------------------------------------------------------------

    @Test
    void shouldKeepABatchOfRangesAtomicInEveryCrashImage() throws Exception {
        byte[] image = baseImage();
        Trace trace = CrashFixture.record(image, e -> e.transaction(tx -> {
            long[] offsets = new long[BLOCKS];
            long[] lengths = new long[BLOCKS];
            for (int i = 0; i < BLOCKS; i++) {
                offsets[i] = block(e, i);
                lengths[i] = LEN;
            }
            tx.addRanges(offsets, lengths);
            for (int i = 0; i < BLOCKS; i++) {
                e.medium().fill(block(e, i), LEN, (byte) (0xB + i));
            }
            return null;
        }));

        CrashReport report = explore(trace, allOrNone(objectsOf(image), 0xB, 0xC, 0xD));

        // one drain for the three snapshots, one at commit, and the end of the trace
        assertThat(report.crashPoints()).isEqualTo(3);
    }

    // ---- overflow buffers --------------------------------------------------------------------

    /**
     * Block 0 fills the 3 KiB inline log and most of the lane's first overflow buffer (12 KiB); block 1
     * fills that one and needs a second (24 KiB), which is freed at the end of the transaction.
     */
    static final int[] OVERFLOW_LEN = {12 << 10, 4 << 10};

    /** Two published blocks of {@link #OVERFLOW_LEN} bytes of 0xA in slots 0 and 1, on a 2 MiB pool. */
    byte[] overflowImage() {
        return Fixture.image(dir, CrashFixture.REAL, Fixture.options().withSize(2 << 20), e -> {
            e.transaction(tx -> {
                for (int i = 0; i < OVERFLOW_LEN.length; i++) {
                    long b = tx.alloc(OVERFLOW_LEN[i], 1);
                    tx.addRange(slot(e, i), 8);
                    e.medium().putLong(slot(e, i), b);
                }
                return null;
            });
            for (int i = 0; i < OVERFLOW_LEN.length; i++) {
                Fixture.fillPersist(e, block(e, i), OVERFLOW_LEN[i], BEFORE);
            }
        });
    }

    /** Writes 0xB into block 0 and 0xC into block 1, whole: the snapshots need two overflow buffers. */
    static void writeOverflowingBlocks(Transaction tx, TxEngine e) {
        write(tx, e, block(e, 0), OVERFLOW_LEN[0], 0xB);
        write(tx, e, block(e, 1), OVERFLOW_LEN[1], 0xC);
    }

    /**
     * Both overflow blocks wholly before or wholly after; the heap holds exactly {@code objects}
     * (recovery freed every overflow buffer, none leaked) and no lane links a buffer any more.
     */
    static Model overflowAllOrNone(Set<Long> objects) {
        return e -> {
            long b0 = block(e, 0);
            long b1 = block(e, 1);
            boolean none = all(e, b0, OVERFLOW_LEN[0], BEFORE) && all(e, b1, OVERFLOW_LEN[1], BEFORE);
            boolean after = all(e, b0, OVERFLOW_LEN[0], 0xB) && all(e, b1, OVERFLOW_LEN[1], 0xC);
            assertThat(none || after).as("blocks are all before or all after the transaction").isTrue();
            assertNoOverflowLinked(e);
            assertHeap(e, objects);
        };
    }

    static void assertNoOverflowLinked(TxEngine e) {
        for (int lane = 0; lane < e.pool().header().laneCount(); lane++) {
            long log = e.laneLayout().undoOffset(e.pool().laneOffset(lane));
            assertThat(e.medium().getLong(UndoLogLayout.firstOverflowOffset(log))).as("lane " + lane + " links no buffer")
                    .isZero();
        }
    }

    /**
     * The explorer of the overflow tests: their snapshots put hundreds of lines in flight, so the
     * exhaustive strategy stops at 256 combinations per point (prefixes and 64 seeded random choices
     * still run at every point).
     */
    private CrashExplorer overflowExplorer() {
        return CrashExplorer.builder()
                .strategies(CrashStrategy.prefixes(), CrashStrategy.random(SEED, 64), CrashStrategy.exhaustive(256))
                .saveFailuresTo(CrashFixture.FAILURES.resolve(getClass().getName()).resolve(testName))
                .build();
    }

    private Set<Long> overflowObjectsOf(byte[] image) {
        TxEngine e = Fixture.open(image, CrashFixture.REAL);
        return Set.of(block(e, 0), block(e, 1));
    }

    @Test
    void shouldCommitAnOverflowingTransactionAndFreeItsBuffersInEveryCrashImage() throws Exception {
        byte[] image = overflowImage();
        Set<Long> objects = overflowObjectsOf(image);
        Trace trace = CrashFixture.record(image, e -> {
            e.transaction(tx -> {
                writeOverflowingBlocks(tx, e);
                return null;
            });
            // the lane kept its first buffer; close frees it
            e.close();
        });

        CrashReport report = explore(trace, overflowAllOrNone(objects), overflowExplorer());

        // two buffers linked (a persisted header and a publish each), two snapshots, the commit, the
        // publish freeing the second buffer with the generation, close freeing the first
        assertThat(report.crashPoints()).isGreaterThanOrEqualTo(12);
    }

    @Test
    void shouldAbortAnOverflowingTransactionAndFreeItsBuffersInEveryCrashImage() throws Exception {
        byte[] image = overflowImage();
        Set<Long> objects = overflowObjectsOf(image);
        Trace trace = CrashFixture.record(image, e -> {
            try {
                e.transaction(tx -> {
                    writeOverflowingBlocks(tx, e);
                    tx.abort();
                    return null;
                });
            } catch (TransactionAbortedException expected) {
                // the abort is the workload
            }
            e.close();
        });

        CrashReport report = explore(trace, e -> {
            assertThat(all(e, block(e, 0), OVERFLOW_LEN[0], BEFORE) && all(e, block(e, 1), OVERFLOW_LEN[1], BEFORE))
                    .as("blocks as before the transaction").isTrue();
            assertNoOverflowLinked(e);
            assertHeap(e, objects);
        }, overflowExplorer());

        assertThat(report.crashPoints()).isGreaterThanOrEqualTo(12);
    }

    @Test
    void shouldPublishAnAllocationWithAnOverflowingTransactionInEveryCrashImage() throws Exception {
        byte[] image = overflowImage();
        Set<Long> before = overflowObjectsOf(image);
        AtomicLong fresh = new AtomicLong();
        Trace trace = CrashFixture.record(image, e -> e.transaction(tx -> {
            writeOverflowingBlocks(tx, e);
            long b = tx.alloc(LEN, 1);
            fresh.set(b);
            e.medium().fill(b, LEN, (byte) 0xE);
            tx.addRange(slot(e, 2), 8);
            e.medium().putLong(slot(e, 2), b);
            return null;
        }));
        Set<Long> after = new HashSet<>(before);
        after.add(fresh.get());

        CrashReport report = explore(trace, e -> {
            long b = block(e, 2);
            boolean none = b == 0 && all(e, block(e, 0), OVERFLOW_LEN[0], BEFORE);
            boolean done = b == fresh.get() && all(e, b, LEN, 0xE) && all(e, block(e, 0), OVERFLOW_LEN[0], 0xB)
                    && all(e, block(e, 1), OVERFLOW_LEN[1], 0xC);
            assertThat(none || done).as("the allocation and the writes are all there or none").isTrue();
            assertNoOverflowLinked(e);
            assertHeap(e, none ? before : after);
        }, overflowExplorer());

        assertThat(report.crashPoints()).isGreaterThanOrEqualTo(12);
    }

    @Test
    void shouldRecoverAnOverflowingTransactionAfterACrashDuringRecovery() throws Exception {
        byte[] image = overflowImage();
        Trace trace = CrashFixture.record(image, e -> e.transaction(tx -> {
            writeOverflowingBlocks(tx, e);
            return null;
        }));

        // first crashes: 4 seeded random choices per point (each recovery's own crashes are then explored)
        exploreCrashesDuringRecovery(trace, overflowAllOrNone(overflowObjectsOf(image)), CrashExplorer.builder()
                .strategies(CrashStrategy.random(SEED, 4))
                .saveFailuresTo(CrashFixture.FAILURES.resolve(getClass().getName()).resolve(testName))
                .build());
    }
}
