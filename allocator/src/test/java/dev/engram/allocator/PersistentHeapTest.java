package dev.engram.allocator;

import dev.engram.pool.OutOfPoolMemoryException;
import dev.engram.pool.PoolCorruptedException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersistentHeapTest {

    @Test
    void shouldAllocateStoreDestinationAndFreeClearingIt() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final long obj = p.heap.allocate(100, 5, TestPool.slot(0), p.log);
            assertThat(p.medium.getLong(TestPool.slot(0))).isEqualTo(obj);
            assertThat(obj % 16).isZero();
            assertThat(p.heap.usableSize(obj)).isEqualTo(SizeClasses.objectCapacity(SizeClasses.classOf(100)));
            assertThat(p.heap.typeNum(obj)).isEqualTo(5);
            p.heap.free(obj, TestPool.slot(0), p.log);
            assertThat(p.medium.getLong(TestPool.slot(0))).isZero();
            assertThatThrownBy(() -> p.heap.free(obj, 0, p.log)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offset=" + obj);
        }
    }

    /**
     * {@code allocate} writes nothing into the object, so its block header goes into the redo log and
     * no drain precedes the log's commit, unless the block starts a new run (whose zeroed bitmap must be
     * durable first): 2 fences, 3 for the first block of a run.
     */
    @Test
    void shouldAllocateWithTwoDrainsOnceTheRunExists() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            var before = p.medium.counters().snapshot();
            final long first = p.heap.allocate(40, 1, TestPool.slot(0), p.log);
            assertThat(p.medium.counters().snapshot().minus(before).drains()).as("a new run").isEqualTo(3);

            before = p.medium.counters().snapshot();
            final long second = p.heap.allocate(40, 1, TestPool.slot(1), p.log);
            assertThat(p.medium.counters().snapshot().minus(before).drains()).as("an existing run").isEqualTo(2);

            assertThat(p.medium.getLong(TestPool.slot(0))).isEqualTo(first);
            assertThat(p.medium.getLong(TestPool.slot(1))).isEqualTo(second);
            assertThat(p.heap.typeNum(second)).isEqualTo(1);
            assertThat(p.heap.usableSize(second)).isGreaterThanOrEqualTo(40);
        }
    }

    /**
     * An allocate and a free of a small object in an existing run: 4 drains (commit and apply each),
     * no cache line written back twice before one fence, and only the lines the protocol needs: the
     * log's entries and valid word at each commit, then bitmap word, destination and block header
     * (allocate) or bitmap word and destination (free).
     */
    @Test
    void shouldWriteBackNineLinesInFourDrainsPerAllocateAndFree() {
        final WriteBackLedger m = new WriteBackLedger(dev.engram.pool.medium.MemoryMedium.allocate(
                TestPool.mediumSizeFor(8, 4)));
        try (TestPool p = TestPool.format(m, 8)) {
            p.heap.free(p.heap.allocate(64, 1, TestPool.slot(0), p.log), TestPool.slot(0), p.log);
            for (int i = 0; i < 3; i++) {
                final long writeBacks = m.writeBacks();
                final long drains = m.drains();
                final long obj = p.heap.allocate(64, 1, TestPool.slot(0), p.log);
                p.heap.free(obj, TestPool.slot(0), p.log);
                assertThat(m.drains() - drains).isEqualTo(4);
                assertThat(m.writeBacks() - writeBacks).isEqualTo(9);
            }
            assertThat(m.repeats()).isZero();
            assertThat(p.medium.getLong(TestPool.slot(0))).isZero();
        }
    }

    @Test
    void shouldPublishAllocationsAndFreesInOneLog() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final long old = p.heap.allocate(40, 1, TestPool.slot(0), p.log);
            final Reservation a = p.heap.reserve(40, 1);
            final Reservation big = p.heap.reserve(600_000, 2);
            assertThat(a.isPending()).isTrue();
            final var before = p.medium.counters().snapshot();
            p.heap.publish(new Reservation[] {a, big}, new long[] {TestPool.slot(1), TestPool.slot(2)},
                    new long[] {old}, new long[] {TestPool.slot(0)}, p.log);
            // headers durable, log committed, log applied
            assertThat(p.medium.counters().snapshot().minus(before).drains()).isEqualTo(3);
            assertThat(p.medium.getLong(TestPool.slot(0))).isZero();
            assertThat(p.medium.getLong(TestPool.slot(1))).isEqualTo(a.objectOffset());
            assertThat(p.medium.getLong(TestPool.slot(2))).isEqualTo(big.objectOffset());
            assertThat(big.usableSize()).isEqualTo(3 * HeapLayout.CHUNK_SIZE - 16);
            assertThatThrownBy(() -> p.heap.publish(a, 0, p.log)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldDrainOnlyForCommitAndApplyWhenPublishingOnlyFrees() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final long obj = p.heap.allocate(40, 1, TestPool.slot(0), p.log);
            final var before = p.medium.counters().snapshot();
            p.heap.free(obj, TestPool.slot(0), p.log);
            assertThat(p.medium.counters().snapshot().minus(before).drains()).isEqualTo(2);
        }
    }

    @Test
    void shouldStayConsistentWhenTwoLanesAllocateAndFreeConcurrently() throws Exception {
        try (TestPool p = TestPool.create(8, 8, 8)) {
            // the second lane's log sits in the upper half of the slot area, which no test uses
            final RedoLog[] logs = {p.log, RedoLog.format(p.medium, TestPool.slot(256), 2048)};
            final Thread[] threads = new Thread[2];
            final Throwable[] failures = new Throwable[2];
            for (int t = 0; t < 2; t++) {
                final int lane = t;
                threads[t] = new Thread(() -> {
                    try {
                        for (int i = 0; i < 20_000; i++) {
                            final long obj = p.heap.allocate(64, lane, TestPool.slot(lane), logs[lane]);
                            p.heap.free(obj, TestPool.slot(lane), logs[lane]);
                        }
                    } catch (Throwable e) {
                        failures[lane] = e;
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).containsOnlyNulls();
            assertThat(p.heap.check().problems()).isEmpty();
            assertThat(p.heap.stats().objectsUsed()).isZero();
            assertThat(p.medium.getLong(TestPool.slot(0))).isZero();
            assertThat(p.medium.getLong(TestPool.slot(1))).isZero();
        }
    }

    @Test
    void freeRefusesWhatIsNotAPublishedBlock() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final long obj = p.heap.allocate(64, 1, TestPool.slot(0), p.log);
            final Reservation r = p.heap.reserve(64, 1);
            assertThatThrownBy(() -> p.heap.free(r.objectOffset(), 0, p.log)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offset=" + r.objectOffset());
            assertThatThrownBy(() -> p.heap.free(obj + 16, 0, p.log)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offset=" + (obj + 16));
            assertThatThrownBy(() -> p.heap.free(obj, 12, p.log)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("destination=12");
            p.heap.cancel(r);
            p.heap.free(obj, TestPool.slot(0), p.log);
            assertThat(p.log.size()).isZero();
            assertThat(p.heap.check().problems()).isEmpty();
            assertThat(p.heap.stats().objectsUsed()).isZero();
        }
    }

    /** A free on another thread of a block in a run a live thread allocates from returns it to that thread. */
    @Test
    void aBlockFreedByAnotherThreadIsReusedByTheRunsThread() throws Exception {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final RedoLog other = RedoLog.format(p.medium, TestPool.slot(256), 1024);
            final java.util.concurrent.SynchronousQueue<Long> toMain = new java.util.concurrent.SynchronousQueue<>();
            final java.util.concurrent.SynchronousQueue<Boolean> toOwner = new java.util.concurrent.SynchronousQueue<>();
            final Thread owner = new Thread(() -> {
                try {
                    toMain.put(p.heap.allocate(64, 1, TestPool.slot(1), other));
                    toOwner.take();
                    toMain.put(p.heap.allocate(64, 1, TestPool.slot(1), other));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            owner.start();
            final long first = toMain.take();
            p.heap.free(first, TestPool.slot(1), p.log);
            assertThat(p.medium.getLong(TestPool.slot(1))).isZero();
            toOwner.put(true);
            assertThat(toMain.take()).isEqualTo(first);
            owner.join();
            assertThat(p.medium.getLong(TestPool.slot(1))).isEqualTo(first);
            assertThat(p.heap.check().problems()).isEmpty();
            assertThat(p.heap.stats().objectsUsed()).isEqualTo(1);
        }
    }

    @Test
    void cancelledReservationLeavesNothingOnTheMedia() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final Reservation r = p.heap.reserve(64, 3);
            p.heap.cancel(r);
            final PersistentHeap reopened = p.reopen();
            final List<Long> objects = new ArrayList<>();
            reopened.forEachObject(objects::add);
            assertThat(objects).isEmpty();
            assertThat(reopened.stats().objectsUsed()).isZero();
        }
    }

    @Test
    void shouldIterateObjectsByTypeNumber() {
        try (TestPool p = TestPool.create(8, 16, 16)) {
            final List<Long> sevens = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                final long o = p.heap.allocate(i % 4 != 0 ? 32 : 300_000, i % 3 == 0 ? 7 : 9, TestPool.slot(i), p.log);
                if (i % 3 == 0) {
                    sevens.add(o);
                }
            }
            final List<Long> found = new ArrayList<>();
            p.reopen().forEachObject(7, found::add);
            assertThat(found).containsExactlyInAnyOrderElementsOf(sevens);
        }
    }

    @Test
    void shouldReallocInPlaceWhenItFitsAndMoveWithContentOtherwise() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final long obj = p.heap.allocate(20, 1, TestPool.slot(0), p.log);
            p.medium.putLong(obj, 0x1122334455667788L);
            assertThat(p.heap.realloc(obj, 30, 1, TestPool.slot(0), p.log)).isEqualTo(obj);
            final long moved = p.heap.realloc(obj, 1000, 1, TestPool.slot(0), p.log);
            assertThat(moved).isNotEqualTo(obj);
            assertThat(p.medium.getLong(moved)).isEqualTo(0x1122334455667788L);
            assertThat(p.medium.getLong(TestPool.slot(0))).isEqualTo(moved);
            assertThatThrownBy(() -> p.heap.usableSize(obj)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void fullHeapThrowsAtTheEdgeAndStaysUsable() {
        try (TestPool p = TestPool.create(8, 2, 2)) {
            assertThat(p.heap.tryReserve(3 * HeapLayout.CHUNK_SIZE, 1)).isNull();
            final List<Long> objs = new ArrayList<>();
            while (true) {
                final Reservation r = p.heap.tryReserve(4000, 1);
                if (r == null) {
                    break;
                }
                p.heap.publish(r, 0, p.log);
                objs.add(r.objectOffset());
            }
            assertThatThrownBy(() -> p.heap.allocate(4000, 1, 0, p.log)).isInstanceOf(OutOfPoolMemoryException.class)
                    .hasMessageContaining("no free block for an object of 4000 bytes");
            assertThat(p.heap.check().isConsistent()).isTrue();
            p.heap.free(objs.getFirst(), 0, p.log);
            assertThat(p.heap.allocate(4000, 1, 0, p.log)).isEqualTo(objs.getFirst());
        }
    }

    @Test
    void shouldGrowOnDemandUpToTheMaximumWithoutMovingObjects() {
        try (TestPool p = TestPool.create(4, 1, 10)) {
            final long first = p.heap.allocate(200_000, 1, TestPool.slot(0), p.log);
            final long sizeBefore = p.heap.size();
            final List<Long> objs = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                objs.add(p.heap.allocate(200_000, 1, 0, p.log));
            }
            assertThat(p.heap.size()).isGreaterThan(sizeBefore);
            assertThat(p.heap.chunks().zoneCount()).isEqualTo(3);
            assertThat(p.medium.getLong(TestPool.slot(0))).isEqualTo(first);
            assertThatThrownBy(() -> p.heap.allocate(200_000, 1, 0, p.log)).isInstanceOf(OutOfPoolMemoryException.class);
            final PersistentHeap reopened = p.reopen();
            assertThat(reopened.check().objects()).isEqualTo(10);
            assertThat(reopened.stats().freeChunks()).isZero();
        }
    }

    @Test
    void explicitGrowAddsFreeChunks() {
        try (TestPool p = TestPool.create(8, 2, 6)) {
            assertThat(p.heap.stats().chunks()).isEqualTo(2);
            assertThat(p.heap.grow(3 * HeapLayout.CHUNK_SIZE)).isEqualTo(3 * HeapLayout.CHUNK_SIZE);
            final HeapStats stats = p.heap.stats();
            assertThat(stats.chunks()).isEqualTo(5);
            assertThat(stats.freeChunks()).isEqualTo(5);
            assertThat(stats.largestFreeSpanChunks()).isEqualTo(5);
        }
    }

    @Test
    void openIsLazyZonesLoadOnFirstUse() {
        try (TestPool p = TestPool.create(2, 8, 8)) {
            for (int i = 0; i < 8; i++) {
                p.heap.allocate(200_000, 1, TestPool.slot(i), p.log);
            }
            final PersistentHeap reopened = p.reopen();
            assertThat(reopened.loadedZones()).isZero();
            reopened.free(p.medium.getLong(TestPool.slot(7)), TestPool.slot(7), p.log);
            assertThat(reopened.loadedZones()).isEqualTo(1);
            assertThat(reopened.stats().freeChunks()).isEqualTo(1);
            assertThat(reopened.loadedZones()).isEqualTo(4);
        }
    }

    @Test
    void statsReportClassesFreeSpaceAndFragmentation() {
        try (TestPool p = TestPool.create(8, 8, 8)) {
            final long a = p.heap.allocate(64, 1, 0, p.log);
            p.heap.allocate(300_000, 1, 0, p.log);
            final HeapStats s = p.heap.stats();
            final HeapStats.ClassStats c = s.classes().getFirst();
            assertThat(c.blockSize()).isEqualTo(80);
            assertThat(c.blocksUsed()).isEqualTo(1);
            assertThat(c.blocksFree()).isEqualTo(SizeClasses.blocksPerRun(3) - 1);
            assertThat(s.freeChunks()).isEqualTo(5);
            assertThat(s.largestAllocatableObject()).isEqualTo(5 * HeapLayout.CHUNK_SIZE - 16);
            assertThat(s.objectsThatFit(64)).isEqualTo((long) SizeClasses.blocksPerRun(3) * 6 - 1);
            assertThat(s.usedSpans()).isEqualTo(1);
            assertThat(s.fragmentation()).isZero();
            assertThat(p.heap.usableSize(a)).isEqualTo(64);
        }
    }

    @Test
    void chunkHeaderPointingOutsideTheZoneIsCorruptionOnUseAndInCheck() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final long hdr = ZoneLayout.chunkHeaderOffset(ZoneLayout.zoneBase(TestPool.HEAP, 8, 0), 2);
            p.medium.putLong(hdr, ChunkHeaderLayout.used(100));
            final PersistentHeap reopened = p.reopen();
            assertThat(reopened.check().problems()).singleElement().satisfies(c -> {
                assertThat(c.structure()).isEqualTo("chunk header");
                assertThat(c.offset()).isEqualTo(hdr);
                assertThat(c.expected()).isEqualTo("size 1..2 chunks");
            });
            assertThatThrownBy(() -> reopened.allocate(64, 1, 0, p.log)).isInstanceOf(PoolCorruptedException.class)
                    .hasMessageContaining("chunk header at offset=" + hdr)
                    .hasMessageContaining("expected size 1..2 chunks, actual size 100 chunks");
        }
    }

    @Test
    void bitmapBitPastTheRunIsCorruption() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final long obj = p.heap.allocate(64, 1, 0, p.log);
            final int blocks = SizeClasses.blocksPerRun(3);
            final long runStart = obj - 16 - RunLayout.dataOffset(blocks);
            final long lastWord = runStart + (long) (RunLayout.bitmapWords(blocks) - 1) * 8;
            p.medium.putLong(lastWord, 1L << 63);
            final PersistentHeap reopened = p.reopen();
            assertThatThrownBy(() -> reopened.free(obj, 0, p.log)).isInstanceOf(PoolCorruptedException.class)
                    .hasMessageContaining("run bitmap at offset=" + lastWord);
            assertThat(reopened.check().problems()).extracting(Corruption::structure).containsExactly("run bitmap");
        }
    }

    @Test
    void blockHeaderWithABadSizeIsReportedByCheckAndIteration() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final long obj = p.heap.allocate(64, 1, 0, p.log);
            p.medium.putLong(obj - 16, BlockHeaderLayout.packSizeWord(96, 3, 0));
            final HeapCheckReport report = p.heap.check();
            assertThat(report.problems()).singleElement().hasToString("block header at offset=" + (obj - 16)
                    + ": expected size 80 class 3 flags 0, actual size 96 class 3 flags 0");
            assertThatThrownBy(() -> p.heap.forEachObject(1, o -> { })).isInstanceOf(PoolCorruptedException.class);
        }
    }

    @Test
    void badHeapHeaderIsRefusedOnOpen() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            p.medium.putInt(TestPool.HEAP + HeapLayout.CHUNKS_PER_ZONE_OFFSET, 9);
            assertThatThrownBy(p::reopen).isInstanceOf(PoolCorruptedException.class)
                    .hasMessageContaining("heap header checksum invalid at offset=" + (TestPool.HEAP + 60));
        }
    }
}
