package dev.engram.tx;

import dev.engram.allocator.RedoLog;
import dev.engram.crashtest.CrashChecker;
import dev.engram.crashtest.MediumAction;
import dev.engram.crashtest.corpus.CrashVariant;
import dev.engram.crashtest.corpus.CrashVariantProvider;
import dev.engram.pool.medium.Medium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transaction layer's seeded bugs for the crash corpus ({@code CrashCorpus.all()} finds this
 * provider through {@code META-INF/services}): commit and abort protocols scripted from the real
 * {@link UndoLog}'s primitives on a real pool, each with one ordering mistake, next to the correct
 * scripts and the engine itself, which must pass.
 *
 * <p>Every workload moves one published 128-byte block from 0xA to 0xB (an abort must leave 0xA).
 * The checker opens the crash image as a pool opens (redo replay, heap open, undo rollback) and
 * requires the block wholly before or, for commits, wholly after; a clean heap holding exactly that
 * block.
 */
public final class TxCrashVariants implements CrashVariantProvider {
    static final int LEN = 128;
    static final int BEFORE = 0xA;
    static final int AFTER = 0xB;

    /** For {@link java.util.ServiceLoader}. */
    public TxCrashVariants() {
    }

    @Override
    public List<CrashVariant> variants() {
        return List.of(
                correct("tx-undo-commit", "snapshot + drain, write, flush + drain, invalidate",
                        TxCrashVariants::commitCorrectly, true),
                correct("tx-undo-abort", "snapshot + drain, write, restore + drain, invalidate",
                        TxCrashVariants::abortCorrectly, false),
                CrashVariant.correct("tx-engine-commit", "TxEngine.transaction with addRange and a write",
                        size(), TxCrashVariants::setup, TxCrashVariants::engineCommit, checker(true)),
                CrashVariant.correct("tx-engine-abort", "TxEngine.transaction that writes, then aborts",
                        size(), TxCrashVariants::setup, TxCrashVariants::engineAbort, checker(false)),

                broken("tx-data-before-snapshot-durable", "the range is written before its undo entry is drained",
                        TxCrashVariants::dataBeforeSnapshotDurable, true),
                broken("tx-log-invalidated-before-data-flushed", "the log is retired before the new data is flushed",
                        TxCrashVariants::logInvalidatedBeforeDataFlushed, true),
                broken("tx-missing-add-range", "the range is written with no undo entry at all",
                        TxCrashVariants::missingAddRange, true),
                broken("tx-one-fence-commit", "data flush and log retirement share one drain",
                        TxCrashVariants::oneFenceCommit, true),
                broken("tx-data-never-flushed", "the new data is drained but never flushed",
                        TxCrashVariants::dataNeverFlushed, true),
                broken("tx-write-outside-saved-range", "only half the written range was saved",
                        TxCrashVariants::writeOutsideSavedRange, true),
                broken("tx-abort-invalidates-before-restore-durable", "abort retires the log before the restore is drained",
                        TxCrashVariants::abortInvalidatesBeforeRestoreDurable, false),
                correctRedo("tx-commit-witnessed", "commit with heap work: the data flushed, not drained, and"
                        + " witnessed in the redo log that retires the undo log, one drain for both",
                        TxCrashVariants::witnessedCommit),
                brokenRedo("tx-commit-unwitnessed", "the redo log that retires the undo log commits in the data's"
                        + " drain without witnessing the data", TxCrashVariants::unwitnessedCommit));
    }

    // ---- the scripts ------------------------------------------------------------------------------

    interface Script {
        void run(UndoLog log, Medium m, long block);
    }

    /** A script that also uses lane 0's redo log, as a commit with heap work does. */
    interface RedoScript {
        void run(UndoLog log, RedoLog redo, Medium m, long block);
    }

    /** Transaction.commit's witnessed path: the generation store rides on the redo log. */
    static void witnessedCommit(UndoLog log, RedoLog redo, Medium m, long b) {
        snapshot(log, m, b);
        m.fill(b, LEN, (byte) AFTER);
        redo.witness(b, LEN);
        m.flush(b, LEN);
        redo.set(log.generationWord(), log.generation() + 1);
        redo.process();
    }

    static void unwitnessedCommit(UndoLog log, RedoLog redo, Medium m, long b) {
        snapshot(log, m, b);
        m.fill(b, LEN, (byte) AFTER);
        m.flush(b, LEN);
        redo.set(log.generationWord(), log.generation() + 1);
        redo.process();
    }

    static void snapshot(UndoLog log, Medium m, long b) {
        log.append(b, LEN);
        m.drain();
    }

    static void commitCorrectly(UndoLog log, Medium m, long b) {
        snapshot(log, m, b);
        m.fill(b, LEN, (byte) AFTER);
        m.flush(b, LEN);
        m.drain();
        log.invalidate();
        m.drain();
    }

    static void abortCorrectly(UndoLog log, Medium m, long b) {
        snapshot(log, m, b);
        m.fill(b, LEN, (byte) AFTER);
        m.flush(b, LEN);
        m.drain();
        log.restoreAppended();
        m.drain();
        log.invalidate();
        m.drain();
    }

    static void dataBeforeSnapshotDurable(UndoLog log, Medium m, long b) {
        log.append(b, LEN);
        m.fill(b, LEN, (byte) AFTER);
        m.drain();
        m.flush(b, LEN);
        m.drain();
        log.invalidate();
        m.drain();
    }

    static void logInvalidatedBeforeDataFlushed(UndoLog log, Medium m, long b) {
        snapshot(log, m, b);
        m.fill(b, LEN, (byte) AFTER);
        log.invalidate();
        m.drain();
        m.flush(b, LEN);
        m.drain();
    }

    static void missingAddRange(UndoLog log, Medium m, long b) {
        m.fill(b, LEN, (byte) AFTER);
        m.flush(b, LEN);
        m.drain();
    }

    static void oneFenceCommit(UndoLog log, Medium m, long b) {
        snapshot(log, m, b);
        m.fill(b, LEN, (byte) AFTER);
        m.flush(b, LEN);
        log.invalidate();
        m.drain();
    }

    static void dataNeverFlushed(UndoLog log, Medium m, long b) {
        snapshot(log, m, b);
        m.fill(b, LEN, (byte) AFTER);
        m.drain();
        log.invalidate();
        m.drain();
    }

    static void writeOutsideSavedRange(UndoLog log, Medium m, long b) {
        log.append(b, LEN / 2);
        m.drain();
        m.fill(b, LEN, (byte) AFTER);
        m.flush(b, LEN);
        m.drain();
        log.invalidate();
        m.drain();
    }

    static void abortInvalidatesBeforeRestoreDurable(UndoLog log, Medium m, long b) {
        snapshot(log, m, b);
        m.fill(b, LEN, (byte) AFTER);
        m.flush(b, LEN);
        m.drain();
        log.restoreAppended();
        log.invalidate();
        m.drain();
    }

    static void engineCommit(Medium m) {
        TxEngine e = CrashFixture.open(m);
        e.transaction(tx -> {
            EngineTestSupport.write(tx, e, block(e), LEN, AFTER);
            return null;
        });
        e.close();
    }

    static void engineAbort(Medium m) {
        TxEngine e = CrashFixture.open(m);
        try {
            e.transaction(tx -> {
                EngineTestSupport.write(tx, e, block(e), LEN, AFTER);
                e.medium().persist(block(e), LEN);
                tx.abort();
                return null;
            });
        } catch (TransactionAbortedException expected) {
            // the abort is the workload
        }
    }

    // ---- scaffolding ------------------------------------------------------------------------------

    private static CrashVariant correct(String name, String protocol, Script script, boolean commits) {
        return CrashVariant.correct(name, protocol, size(), TxCrashVariants::setup, scripted(script), checker(commits));
    }

    private static CrashVariant broken(String name, String bug, Script script, boolean commits) {
        return CrashVariant.broken(name, bug, size(), TxCrashVariants::setup, scripted(script), checker(commits));
    }

    private static CrashVariant correctRedo(String name, String protocol, RedoScript script) {
        return CrashVariant.correct(name, protocol, size(), TxCrashVariants::setup, scripted(script), checker(true));
    }

    private static CrashVariant brokenRedo(String name, String bug, RedoScript script) {
        return CrashVariant.broken(name, bug, size(), TxCrashVariants::setup, scripted(script), checker(true));
    }

    /** Runs a script on lane 0's undo log of an engine opened over the traced medium. */
    private static MediumAction scripted(Script script) {
        return scripted((log, redo, m, b) -> script.run(log, m, b));
    }

    /** Runs a script on lane 0's undo and redo logs of an engine opened over the traced medium. */
    private static MediumAction scripted(RedoScript script) {
        return m -> {
            TxEngine e = CrashFixture.open(m);
            LaneLayout lanes = e.laneLayout();
            long lane = e.pool().laneOffset(0);
            UndoLog log = UndoLog.open(m, lanes.undoOffset(lane), lanes.undoSize(),
                    e.heap().heapStart(), e.heap().heapEnd());
            RedoLog redo = RedoLog.open(m, lanes.redoOffset(lane), lanes.redoSize());
            script.run(log, redo, m, block(e));
        };
    }

    private static CrashChecker checker(boolean commits) {
        return image -> {
            TxEngine e = CrashFixture.open(image);
            long b = block(e);
            boolean before = Fixture.all(e, b, LEN, BEFORE);
            boolean after = commits && Fixture.all(e, b, LEN, AFTER);
            assertThat(before || after).as(commits ? "block wholly 0xA or wholly 0xB" : "block wholly 0xA after the abort")
                    .isTrue();
            CrashFixture.assertHeap(e, Set.of(b));
        };
    }

    static long block(TxEngine e) {
        return e.medium().getLong(TxCrashTest.slot(e, 0));
    }

    private static long size() {
        return Base.IMAGE.length;
    }

    private static void setup(Medium m) {
        m.putBytes(0, Base.IMAGE, 0, Base.IMAGE.length);
    }

    /** The base pool image, built once on first use: one published block of 0xA, its offset in slot 0. */
    private static final class Base {
        static final byte[] IMAGE = create();

        private static byte[] create() {
            try {
                Path dir = Files.createTempDirectory("engram-tx-variants");
                try {
                    return CrashFixture.image(dir, e -> e.transaction(tx -> {
                        long b = tx.alloc(LEN, 1);
                        e.medium().fill(b, LEN, (byte) BEFORE);
                        tx.addRange(TxCrashTest.slot(e, 0), 8);
                        e.medium().putLong(TxCrashTest.slot(e, 0), b);
                        return null;
                    }));
                } finally {
                    Files.delete(dir);
                }
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
    }
}
