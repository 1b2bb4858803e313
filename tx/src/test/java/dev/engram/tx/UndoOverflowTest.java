package dev.engram.tx;

import dev.engram.allocator.HeapStats;
import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.engram.tx.EngineTestSupport.write;
import static dev.engram.tx.Fixture.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Undo-log overflow buffers on the allocator's real heap: a lane keeps at most its first buffer
 * (12 KiB with these 4 KiB lanes) between transactions, frees the rest when a transaction ends, and frees all of them on
 * close and on recovery, so a long-running program's heap usage returns to its baseline.
 */
class UndoOverflowTest {
    /** Two lanes of 4 KiB (an inline undo log of 3 KiB) over a heap large enough for big snapshots. */
    static final PoolOptions OPTIONS = Fixture.options().withSize(16 << 20);
    static final int BIG = 300 << 10;
    static final int SMALL = 40 << 10;

    @TempDir
    Path dir;

    /** A block of {@link #BIG} and one of {@link #SMALL} bytes, all 0xA, their offsets in root slots 0 and 1. */
    private byte[] image() {
        return Fixture.image(dir, CrashFixture.REAL, OPTIONS, e -> {
            e.transaction(tx -> {
                long big = tx.alloc(BIG, 1);
                long small = tx.alloc(SMALL, 1);
                tx.addRanges(new long[] {TxCrashTest.slot(e, 0), TxCrashTest.slot(e, 1)}, new long[] {8, 8});
                e.medium().putLong(TxCrashTest.slot(e, 0), big);
                e.medium().putLong(TxCrashTest.slot(e, 1), small);
                return null;
            });
            Fixture.fillPersist(e, TxCrashTest.block(e, 0), BIG, 0xA);
            Fixture.fillPersist(e, TxCrashTest.block(e, 1), SMALL, 0xA);
        });
    }

    private static List<Long> overflowBuffers(TxEngine e) {
        List<Long> buffers = new ArrayList<>();
        CrashFixture.heap(e).forEachObject(TxEngine.TYPE_UNDO_OVERFLOW, buffers::add);
        return buffers;
    }

    private static long firstOverflowWord(TxEngine e, int lane) {
        return UndoLogLayout.firstOverflowOffset(e.laneLayout().undoOffset(e.pool().laneOffset(lane)));
    }

    @Test
    void shouldReturnTheHeapToItsBaselineAfterManyLargeTransactions() {
        TxEngine e = Fixture.open(image(), CrashFixture.REAL);
        long big = TxCrashTest.block(e, 0);
        long small = TxCrashTest.block(e, 1);
        HeapStats baseline = CrashFixture.heap(e).stats();
        int[] sizes = {SMALL, 100 << 10, BIG, 8 << 10};
        HeapStats steady = null;
        long[] keptBlock = new long[1];
        for (int round = 0; round < 120; round++) {
            int size = sizes[round % sizes.length];
            long target = size <= SMALL ? small : big;
            int value = 0x10 + round % 64;
            if (round % 3 == 2) {
                assertThatThrownBy(() -> e.transaction(tx -> {
                    write(tx, e, target, size, 0xEE);
                    throw new IllegalStateException("abort round");
                })).hasMessage("abort round");
            } else {
                e.transaction(tx -> {
                    write(tx, e, target, size, value);
                    return null;
                });
                assertThat(all(e, target, size, value)).as("round " + round + " committed").isTrue();
            }
            List<Long> kept = overflowBuffers(e);
            assertThat(kept).as("buffers the lane keeps after round " + round).hasSizeLessThanOrEqualTo(1);
            for (long b : kept) {
                keptBlock[0] = e.heap().usableSize(b) + dev.engram.allocator.BlockHeaderLayout.HEADER_SIZE;
                assertThat(e.heap().usableSize(b)).isLessThanOrEqualTo(UndoOverflow.firstBufferSize(e.laneLayout().undoSize()) * 9 / 8);
            }
            HeapStats now = CrashFixture.heap(e).stats();
            assertThat(now.objectsUsed()).as("objects after round " + round).isEqualTo(baseline.objectsUsed() + kept.size());
            if (round == sizes.length * 3 - 1) {
                steady = now;
            } else if (steady != null && round % sizes.length == sizes.length - 1) {
                assertThat(now.freeBytes()).as("free bytes after round " + round + " (a leak shrinks them)")
                        .isEqualTo(steady.freeBytes());
            }
        }
        e.close();
        assertThat(overflowBuffers(e)).as("a closed pool holds no overflow buffer").isEmpty();
        assertThat(e.medium().getLong(firstOverflowWord(e, 0))).isZero();
        assertThat(e.medium().getLong(firstOverflowWord(e, 1))).isZero();
        HeapStats reopened = CrashFixture.heap(Fixture.open(Fixture.bytes(e), CrashFixture.REAL)).stats();
        assertThat(reopened.objectsUsed()).as("objects back to the baseline").isEqualTo(baseline.objectsUsed());
        assertThat(reopened.blockHeaderBytes()).isEqualTo(baseline.blockHeaderBytes());
        for (HeapStats.ClassStats c : reopened.classes()) {
            long before = baseline.classes().stream().filter(b -> b.classId() == c.classId())
                    .mapToLong(HeapStats.ClassStats::blocksUsed).sum();
            assertThat(c.blocksUsed()).as("blocks used in class " + c.classId()).isEqualTo(before);
        }
        // The allocator keeps a run formatted once its blocks are free (one per class the buffers
        // used), so free bytes end where the steady state was, plus the kept buffer's block.
        assertThat(reopened.freeBytes()).as("free bytes: the steady state plus the freed kept buffer")
                .isEqualTo(steady.freeBytes() + keptBlock[0]);
    }

    @Test
    void shouldKeepTheFirstBufferAndReuseItWithoutAllocating() {
        TxEngine e = Fixture.open(image(), CrashFixture.REAL);
        long small = TxCrashTest.block(e, 1);
        e.transaction(tx -> {
            write(tx, e, small, 8 << 10, 0xB);
            return null;
        });
        List<Long> kept = overflowBuffers(e);
        assertThat(kept).hasSize(1);
        long drains = e.medium().counters().drains();
        e.transaction(tx -> {
            write(tx, e, small, 8 << 10, 0xC);
            return null;
        });
        assertThat(overflowBuffers(e)).isEqualTo(kept);
        assertThat(e.medium().counters().drains() - drains).as("snapshot and commit only: no allocation, no free")
                .isEqualTo(2);
    }

    @Test
    void shouldFreeEveryBufferOfATransactionThatOutgrowsTheKeptOne() {
        TxEngine e = Fixture.open(image(), CrashFixture.REAL);
        long big = TxCrashTest.block(e, 0);
        e.transaction(tx -> {
            write(tx, e, big, BIG, 0xB);
            // 3 KiB inline, then 297 KiB: one buffer sized for the rest of the range, larger than a first buffer
            assertThat(overflowBuffers(e)).hasSize(1);
            return null;
        });
        assertThat(overflowBuffers(e)).as("a buffer larger than the kept size is freed at commit").isEmpty();
        assertThat(all(e, big, BIG, 0xB)).isTrue();
    }

    @Test
    void shouldRollBackAndFreeTheBuffersOnRecovery() {
        TxEngine e = Fixture.open(image(), CrashFixture.REAL);
        long big = TxCrashTest.block(e, 0);
        byte[][] crash = new byte[1][];
        e.transaction(tx -> {
            write(tx, e, big, 100 << 10, 0xB);
            crash[0] = Fixture.bytes(e);
            return null;
        });
        TxEngine recovered = Fixture.open(crash[0], CrashFixture.REAL);
        assertThat(recovered.recoveredEntries()).isPositive();
        assertThat(all(recovered, big, BIG, 0xA)).isTrue();
        assertThat(overflowBuffers(recovered)).isEmpty();
        assertThat(recovered.medium().getLong(firstOverflowWord(recovered, 0))
                | recovered.medium().getLong(firstOverflowWord(recovered, 1))).isZero();
        CrashFixture.assertHeap(recovered, java.util.Set.of(big, TxCrashTest.block(recovered, 1)));
    }

    @Test
    void shouldRefuseAChainThatLinksAFreedOrForeignBlock() {
        TxEngine e = Fixture.open(image(), CrashFixture.REAL);
        long small = TxCrashTest.block(e, 1);
        e.medium().putLong(UndoLogLayout.capacityOffset(small), 4096);
        e.medium().putLong(UndoLogLayout.nextOverflowOffset(small), 0);
        e.medium().putLong(firstOverflowWord(e, 0), small);
        byte[] foreign = Fixture.bytes(e);
        assertThatThrownBy(() -> Fixture.open(foreign, CrashFixture.REAL)).isInstanceOf(PoolCorruptedException.class)
                .hasMessageContaining("the undo log of lane 0 links overflow buffer 0 at offset=" + small)
                .hasMessageContaining("expected type " + TxEngine.TYPE_UNDO_OVERFLOW);

        TxEngine f = Fixture.open(image(), CrashFixture.REAL);
        f.transaction(tx -> {
            write(tx, f, TxCrashTest.block(f, 1), 8 << 10, 0xB);
            return null;
        });
        long buffer = overflowBuffers(f).getFirst();
        int lane = f.medium().getLong(firstOverflowWord(f, 0)) == buffer ? 0 : 1;
        f.close();
        f.medium().putLong(firstOverflowWord(f, lane), buffer);
        byte[] freed = Fixture.bytes(f);
        assertThatThrownBy(() -> Fixture.open(freed, CrashFixture.REAL)).isInstanceOf(PoolCorruptedException.class)
                .hasMessageContaining("links overflow buffer 0 at offset=" + buffer + ", which is not an allocated block");
    }

    @Test
    void shouldNotAcceptEntriesAnotherLaneLeftInABufferItLinks() {
        MemoryMedium m = MemoryMedium.allocate(1 << 20);
        long data = 1 << 19;
        long buffer = 1 << 18;
        m.fill(data, 4096, (byte) 0x5A);
        UndoLog a = UndoLog.format(m, 0, 256);
        UndoLog b = UndoLog.format(m, 4096, 256);
        assertThat(b.generation()).isEqualTo(a.generation());
        a.prepareOverflow(buffer, 8192);
        a.linkOverflow(buffer, 8192);
        long saved = a.append(data, 2048);
        assertThat(saved).isEqualTo(2048);
        assertThat(a.pendingEntries(data, 1 << 20)).isEqualTo(2);
        // lane B links the same block (as if lane A had freed it and B allocated it), same generation
        b.linkOverflow(buffer, 8192);
        assertThat(b.pendingEntries(data, 1 << 20)).as("entries checksummed with lane A's log base").isZero();
    }
}
