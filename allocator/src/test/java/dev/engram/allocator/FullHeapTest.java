package dev.engram.allocator;

import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A 1 GiB heap filled to the last block: object count, metadata share, and the heap after. */
class FullHeapTest {
    private static final long GIB = 1L << 30;
    private static final int BATCH = 512;

    @Test
    void oneGibHeapHoldsOverTwelveMillion64ByteObjectsWithMetadataUnderOnePercent() {
        try (MemoryMedium m = MemoryMedium.allocate(TestPool.HEAP + GIB)) {
            final RedoLog log = RedoLog.format(m, TestPool.LOG, TestPool.LOG_BYTES);
            final PersistentHeap heap = PersistentHeap.create(m, TestPool.HEAP, GIB);
            long count = 0;
            final Reservation[] batch = new Reservation[BATCH];
            final long[] none = new long[BATCH];
            boolean full = false;
            while (!full) {
                int n = 0;
                while (n < BATCH) {
                    final Reservation r = heap.tryReserve(64, 1);
                    if (r == null) {
                        full = true;
                        break;
                    }
                    batch[n++] = r;
                }
                heap.publish(java.util.Arrays.copyOf(batch, n), java.util.Arrays.copyOf(none, n), null, null, log);
                count += n;
            }
            final HeapStats stats = heap.stats();
            System.out.println("64-byte objects in a 1 GiB heap: " + count + ", metadata " + stats.metadataBytes()
                    + " bytes (" + String.format("%.3f%%", 100 * stats.metadataFraction()) + ")");
            assertThat(count).isGreaterThanOrEqualTo(12_000_000L);
            assertThat(stats.objectsUsed()).isEqualTo(count);
            assertThat(stats.objectsThatFit(64)).isZero();
            assertThat(stats.metadataFraction()).isLessThan(0.01);
            assertThat(stats.freeChunks()).isZero();

            final PersistentHeap reopened = PersistentHeap.open(m, TestPool.HEAP, GIB, null);
            assertThat(reopened.tryReserve(64, 1)).isNull();
            final List<Long> some = new ArrayList<>();
            reopened.forEachObject(o -> {
                if (some.size() < 3) {
                    some.add(o);
                }
            });
            reopened.free(some.get(1), 0, log);
            assertThat(reopened.allocate(64, 2, 0, log)).isEqualTo(some.get(1));
        }
    }

    @Test
    void metadataOfAOneGibHeapOfSmallestBlocksStaysUnderOnePercent() {
        try (MemoryMedium m = MemoryMedium.allocate(TestPool.HEAP + GIB)) {
            final RedoLog log = RedoLog.format(m, TestPool.LOG, TestPool.LOG_BYTES);
            final PersistentHeap heap = PersistentHeap.create(m, TestPool.HEAP, GIB);
            final int perRun = SizeClasses.blocksPerRun(0);
            final long chunks = heap.stats().chunks();
            for (long c = 0; c < chunks; c++) {
                heap.allocate(1, 1, 0, log);
                for (int i = 1; i < perRun; i++) {
                    heap.tryReserve(1, 1);
                }
            }
            final HeapStats stats = heap.stats();
            assertThat(stats.freeChunks()).isZero();
            assertThat(stats.classes()).singleElement().satisfies(c -> assertThat(c.runs()).isEqualTo(chunks));
            final long expected = HeapLayout.HEADER_SIZE + ZoneLayout.metadataSize(HeapLayout.DEFAULT_CHUNKS_PER_ZONE)
                    + chunks * RunLayout.dataOffset(perRun);
            assertThat(stats.metadataBytes()).isEqualTo(expected);
            assertThat(stats.metadataFraction()).isLessThan(0.01);
        }
    }
}
