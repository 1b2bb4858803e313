package dev.engram.tx;

import dev.engram.crashtest.Trace;
import dev.engram.pool.Bits;
import dev.engram.pool.medium.MediumCounters;
import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.engram.tx.EngineTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order and the number of persistence operations of a transaction (DESIGN.md §4.1, STYLE.md §5):
 * fences counted through the medium's counters, store order read from the tracing medium's trace.
 */
class TxPersistenceOrderTest {
    static final int LEN = 192;

    @TempDir
    Path dir;

    /** Three published blocks of 192 bytes; their offsets in the root area slots. */
    private byte[] image() {
        return CrashFixture.image(dir, e -> e.transaction(tx -> {
            for (int i = 0; i < 3; i++) {
                long b = tx.alloc(LEN, 1);
                tx.addRange(TxCrashTest.slot(e, i), 8);
                e.medium().putLong(TxCrashTest.slot(e, i), b);
            }
            return null;
        }));
    }

    private static TxEngine openInMemory(byte[] image) {
        return Fixture.open(image, CrashFixture.REAL);
    }

    private static long drainsOf(TxEngine e, Runnable work) {
        MediumCounters counters = e.medium().counters();
        long before = counters.drains();
        work.run();
        return counters.drains() - before;
    }

    @Test
    void shouldDrainTwiceForASmallTransaction() {
        TxEngine e = openInMemory(image());
        assertThat(e.medium()).isInstanceOf(MemoryMedium.class);
        for (int round = 0; round < 3; round++) {
            int value = 0xB + round;
            long drains = drainsOf(e, () -> e.transaction(tx -> {
                write(tx, e, TxCrashTest.block(e, 0), 64, value);
                return null;
            }));
            assertThat(drains).as("drains of small transaction " + round + ": snapshot, commit").isEqualTo(2);
        }
    }

    @Test
    void shouldDrainOncePerAddRangeAndOnceAtCommitForThreeRanges() {
        TxEngine e = openInMemory(image());
        long drains = drainsOf(e, () -> e.transaction(tx -> {
            for (int i = 0; i < 3; i++) {
                tx.addRange(TxCrashTest.block(e, i), 64);
            }
            return null;
        }));
        assertThat(drains).isEqualTo(4);
    }

    @Test
    void shouldDrainOnceForTheSnapshotsOfABatchOfRanges() {
        TxEngine e = openInMemory(image());
        MediumCounters counters = e.medium().counters();
        long[] offsets = new long[3];
        long[] lengths = new long[3];
        for (int i = 0; i < 3; i++) {
            offsets[i] = TxCrashTest.block(e, i);
            lengths[i] = 64;
        }
        MediumCounters.Snapshot[] batch = new MediumCounters.Snapshot[1];
        long total = drainsOf(e, () -> e.transaction(tx -> {
            MediumCounters.Snapshot before = counters.snapshot();
            tx.addRanges(offsets, lengths);
            batch[0] = counters.snapshot().minus(before);
            for (int i = 0; i < 3; i++) {
                e.medium().fill(offsets[i], 64, (byte) 0xB);
            }
            return null;
        }));
        assertThat(batch[0].drains()).as("one fence for three snapshots").isEqualTo(1);
        assertThat(batch[0].flushes()).as("one flush per undo entry").isEqualTo(3);
        assertThat(total).as("the batch's drain and the commit's (three addRange calls: 4)").isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            assertThat(Fixture.all(e, offsets[i], 64, 0xB)).isTrue();
        }
    }

    @Test
    void shouldNotDrainForABatchAlreadySaved() {
        TxEngine e = openInMemory(image());
        long b = TxCrashTest.block(e, 0);
        e.transaction(tx -> {
            tx.addRange(b, 128);
            long drains = drainsOf(e, () -> tx.addRanges(new long[] {b, b + 64, b + 8}, new long[] {64, 64, 0}));
            assertThat(drains).isZero();
            return null;
        });
    }

    /**
     * The persistence work of the small transaction DESIGN.md §4.1 budgets (one 64-byte addRange, a
     * write, commit), pinned: 3 flushes (the undo entry, the range, the generation word), 2 drains
     * (after the snapshot, before the generation store), and the lines they write back.
     */
    @Test
    void shouldPinTheFlushesDrainsAndLinesOfASmallTransaction() {
        TxEngine e = openInMemory(image());
        MediumCounters counters = e.medium().counters();
        long b = TxCrashTest.block(e, 0);
        for (int round = 0; round < 3; round++) {
            int value = 0xB + round;
            MediumCounters.Snapshot before = counters.snapshot();
            e.transaction(tx -> {
                write(tx, e, b, 64, value);
                return null;
            });
            MediumCounters.Snapshot work = counters.snapshot().minus(before);
            System.out.println("small transaction " + round + ": " + work);
            assertThat(work.flushes()).as("flushes").isEqualTo(3);
            assertThat(work.drains()).as("drains").isEqualTo(2);
            // entry (16-byte header + 64 bytes of data) spans 2 lines, the range 1 (if aligned), the generation 1
            assertThat(work.linesWrittenBack()).as("lines").isEqualTo((b & (Bits.CACHE_LINE - 1)) == 0 ? 4 : 5);
        }
    }

    @Test
    void shouldNotDrainForAnEmptyTransaction() {
        TxEngine e = openInMemory(image());
        assertThat(drainsOf(e, () -> e.transaction(tx -> null))).isZero();
    }

    @Test
    void shouldNotDrainAgainForARangeAlreadySaved() {
        TxEngine e = openInMemory(image());
        long drains = drainsOf(e, () -> e.transaction(tx -> {
            long b = TxCrashTest.block(e, 0);
            tx.addRange(b, 64);
            tx.addRange(b + 8, 32);
            return null;
        }));
        assertThat(drains).isEqualTo(2);
    }

    @Test
    void shouldCountTheSameDrainsInTheTraceAsTheMediumCounters() throws Exception {
        byte[] image = image();
        long counted = drainsOf(openInMemory(image), () -> { });
        long[] inWorkload = new long[1];
        Trace trace = CrashFixture.record(image, e -> inWorkload[0] = drainsOf(e, () -> e.transaction(tx -> {
            write(tx, e, TxCrashTest.block(e, 0), 64, 0xB);
            return null;
        })));
        assertThat(counted).as("opening a clean image drains nothing").isZero();
        assertThat(trace.drainCount()).isEqualTo(2).isEqualTo((int) inWorkload[0]);
    }

    /**
     * The undo entry is written and flushed, and a drain follows, before the first store to its range;
     * the range is flushed and drained before the commit; the commit is one 8-byte store to the log's
     * generation word, the last store of the transaction, flushed and left for the next drain.
     */
    @Test
    void shouldPersistTheSnapshotBeforeTheFirstWriteAndCommitWithOneStoreLast() throws Exception {
        byte[] image = image();
        long[] range = new long[2];
        long[] log = new long[2];
        Trace trace = CrashFixture.record(image, e -> e.transaction(tx -> {
            LaneLayout lanes = e.laneLayout();
            log[0] = lanes.undoOffset(e.pool().laneOffset(tx.lane()));
            log[1] = log[0] + lanes.undoSize();
            range[0] = TxCrashTest.block(e, 0);
            range[1] = range[0] + 64;
            write(tx, e, range[0], 64, 0xB);
            return null;
        }));
        long generationWord = UndoLogLayout.generationOffset(log[0]);

        int firstDataStore = -1;
        int lastLogStore = -1;
        int lastStore = -1;
        for (int i = 0; i < trace.eventCount(); i++) {
            if (trace.kind(i) != Trace.STORE) {
                continue;
            }
            lastStore = i;
            if (overlaps(trace, i, range[0], range[1]) && firstDataStore < 0) {
                firstDataStore = i;
            }
            if (overlaps(trace, i, log[0] + UndoLogLayout.HEADER_LENGTH, log[1]) && firstDataStore < 0) {
                lastLogStore = i;
            }
        }
        assertThat(lastLogStore).as("undo entry stored").isNotNegative();
        assertThat(firstDataStore).as("range stored").isGreaterThan(lastLogStore);
        int entryFlush = next(trace, lastLogStore, Trace.FLUSH);
        int snapshotDrain = next(trace, entryFlush, Trace.DRAIN);
        assertThat(flushCovers(trace, entryFlush, trace.offset(lastLogStore))).isTrue();
        assertThat(snapshotDrain).as("drain between the entry's flush and the first write").isLessThan(firstDataStore);

        // the last store: the generation word, alone, after the data was flushed and drained
        assertThat(trace.offset(lastStore)).isEqualTo(generationWord);
        assertThat(trace.length(lastStore)).isEqualTo(Long.BYTES);
        int dataFlush = next(trace, firstDataStore, Trace.FLUSH);
        assertThat(flushCovers(trace, dataFlush, range[0])).isTrue();
        int commitDrain = next(trace, dataFlush, Trace.DRAIN);
        assertThat(commitDrain).isLessThan(lastStore);
        int commitFlush = next(trace, lastStore, Trace.FLUSH);
        assertThat(flushCovers(trace, commitFlush, generationWord)).isTrue();
        assertThat(next(trace, lastStore, Trace.DRAIN)).as("no drain after the commit store").isEqualTo(-1);
    }

    private static boolean overlaps(Trace t, int event, long start, long end) {
        return t.offset(event) < end && t.offset(event) + t.length(event) > start;
    }

    private static boolean flushCovers(Trace t, int flush, long offset) {
        long line = offset & -Bits.CACHE_LINE;
        return flush >= 0 && t.offset(flush) <= line + Bits.CACHE_LINE - 1 && t.offset(flush) + t.length(flush) > line;
    }

    /** The first event of {@code kind} after {@code from}, or -1. */
    private static int next(Trace t, int from, byte kind) {
        for (int i = from + 1; i < t.eventCount(); i++) {
            if (t.kind(i) == kind) {
                return i;
            }
        }
        return -1;
    }
}
