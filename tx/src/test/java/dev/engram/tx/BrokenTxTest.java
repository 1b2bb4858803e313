package dev.engram.tx;

import dev.engram.pool.medium.Medium;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.engram.tx.Fixture.all;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliberately broken commit and abort protocols, scripted from the undo log's primitives: the
 * crash simulator must find an image that breaks "all or none" for each, so a passing crash test
 * means something.
 */
class BrokenTxTest {
    static final int LEN = 128;

    @TempDir
    Path dir;

    /** Each variant moves a 128-byte block from 0xA to 0xB (or, for aborts, must leave 0xA). */
    enum Variant {
        DATA_WRITTEN_BEFORE_SNAPSHOT_DURABLE((log, m, b) -> {
            log.append(b, LEN);
            m.fill(b, LEN, (byte) 0xB);
            m.drain();
            commitCorrectly(log, m, b);
        }),
        LOG_INVALIDATED_BEFORE_DATA_FLUSHED((log, m, b) -> {
            snapshot(log, m, b);
            m.fill(b, LEN, (byte) 0xB);
            log.invalidate();
            m.drain();
            m.flush(b, LEN);
            m.drain();
        }),
        MISSING_ADD_RANGE((log, m, b) -> {
            m.fill(b, LEN, (byte) 0xB);
            m.flush(b, LEN);
            m.drain();
        }),
        ONE_FENCE_COMMIT((log, m, b) -> {
            snapshot(log, m, b);
            m.fill(b, LEN, (byte) 0xB);
            m.flush(b, LEN);
            log.invalidate();
            m.drain();
        }),
        DATA_NEVER_FLUSHED((log, m, b) -> {
            snapshot(log, m, b);
            m.fill(b, LEN, (byte) 0xB);
            m.drain();
            log.invalidate();
            m.drain();
        }),
        SECOND_WRITE_OUTSIDE_SAVED_RANGE((log, m, b) -> {
            log.append(b, LEN / 2);
            m.drain();
            m.fill(b, LEN, (byte) 0xB);
            m.flush(b, LEN);
            m.drain();
            log.invalidate();
            m.drain();
        }),
        ABORT_INVALIDATES_BEFORE_RESTORE_DURABLE(true, (log, m, b) -> {
            snapshot(log, m, b);
            m.fill(b, LEN, (byte) 0xB);
            m.flush(b, LEN);
            m.drain();
            log.restoreAppended();
            log.invalidate();
            m.drain();
        });

        final boolean abort;
        final Script script;

        Variant(Script script) {
            this(false, script);
        }

        Variant(boolean abort, Script script) {
            this.abort = abort;
            this.script = script;
        }
    }

    interface Script {
        void run(UndoLog log, Medium m, long block);
    }

    static void snapshot(UndoLog log, Medium m, long b) {
        log.append(b, LEN);
        m.drain();
    }

    static void commitCorrectly(UndoLog log, Medium m, long b) {
        m.flush(b, LEN);
        m.drain();
        log.invalidate();
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void shouldCatchTheBrokenVariant(Variant variant) {
        long[] block = new long[1];
        byte[] image = Fixture.image(dir, e -> {
            block[0] = e.transaction(tx -> tx.zalloc(LEN, 1));
            Fixture.fillPersist(e, block[0], LEN, 0xA);
        });
        RecordingMedium rec = RecordingMedium.over(image);
        TxEngine e = Fixture.open(rec);
        LaneLayout lanes = e.laneLayout();
        UndoLog log = UndoLog.open(rec, lanes.undoOffset(e.pool().laneOffset(0)), lanes.undoSize(),
                e.heap().heapStart(), e.heap().heapEnd());
        rec.start();
        variant.script.run(log, rec, block[0]);
        List<RecordingMedium.Event> trace = rec.stop();
        int[] bad = {0};
        CrashSim.explore(rec.base(), trace, (m, where) -> {
            TxEngine x = Fixture.open(m);
            boolean before = all(x, block[0], LEN, 0xA);
            boolean after = !variant.abort && all(x, block[0], LEN, 0xB);
            if (!before && !after) {
                bad[0]++;
            }
        });
        assertThat(bad[0]).as("crash images that break all-or-none for " + variant).isPositive();
    }

    @ParameterizedTest
    @EnumSource(names = "DATA_WRITTEN_BEFORE_SNAPSHOT_DURABLE")
    void shouldPassTheSameScenarioWhenTheProtocolIsCorrect(Variant ignored) {
        long[] block = new long[1];
        byte[] image = Fixture.image(dir, e -> {
            block[0] = e.transaction(tx -> tx.zalloc(LEN, 1));
            Fixture.fillPersist(e, block[0], LEN, 0xA);
        });
        RecordingMedium rec = RecordingMedium.over(image);
        TxEngine e = Fixture.open(rec);
        LaneLayout lanes = e.laneLayout();
        UndoLog log = UndoLog.open(rec, lanes.undoOffset(e.pool().laneOffset(0)), lanes.undoSize(),
                e.heap().heapStart(), e.heap().heapEnd());
        rec.start();
        snapshot(log, rec, block[0]);
        rec.fill(block[0], LEN, (byte) 0xB);
        commitCorrectly(log, rec, block[0]);
        List<RecordingMedium.Event> trace = rec.stop();
        int[] bad = {0};
        CrashSim.explore(rec.base(), trace, (m, where) -> {
            TxEngine x = Fixture.open(m);
            if (!all(x, block[0], LEN, 0xA) && !all(x, block[0], LEN, 0xB)) {
                bad[0]++;
            }
        });
        assertThat(bad[0]).isZero();
    }
}
