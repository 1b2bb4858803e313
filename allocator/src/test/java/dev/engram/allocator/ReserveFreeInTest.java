package dev.engram.allocator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PersistentHeap#reserveFreeIn}: reserving the free blocks and chunks under a given range (bad-media quarantine). */
class ReserveFreeInTest {
    private static final long QUARANTINE = 0x1_0001;

    private static Reservation[] array(List<Reservation> rs) {
        return rs.toArray(new Reservation[0]);
    }

    private static void publishAll(TestPool p, List<Reservation> rs) {
        p.heap.publish(array(rs), new long[rs.size()], null, null, p.log);
    }

    @Test
    void shouldReserveTheFreeRunBlocksUnderTheRangeAndSkipLiveOnes() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final long a = p.heap.allocate(100, 5, TestPool.slot(0), p.log);
            final long b = p.heap.allocate(100, 5, TestPool.slot(1), p.log);
            final long c = p.heap.allocate(100, 5, TestPool.slot(2), p.log);
            final long blockSize = b - a;
            p.heap.free(b, TestPool.slot(1), p.log);
            // from the middle of a (live) through b (free) into c (live)
            final List<Reservation> rs = p.heap.reserveFreeIn(a + 40, c - a, QUARANTINE);
            assertThat(rs).extracting(Reservation::objectOffset).containsExactly(b);
            publishAll(p, rs);
            assertThat(p.heap.typeNum(b)).isEqualTo(QUARANTINE);
            assertThat(p.heap.typeNum(a)).isEqualTo(5);
            assertThat(blockSize).isEqualTo(SizeClasses.blockSize(SizeClasses.classOf(100)));
            final PersistentHeap reopened = p.reopen();
            final List<Long> quarantined = new ArrayList<>();
            reopened.forEachObject(QUARANTINE, quarantined::add);
            assertThat(quarantined).containsExactly(b);
            assertThat(reopened.check().problems()).isEmpty();
        }
    }

    @Test
    void shouldReserveExactlyTheFreeChunksUnderTheRangeAsOneSpan() {
        try (TestPool p = TestPool.create(8, 8, 8)) {
            final long big = p.heap.allocate(300_000, 5, TestPool.slot(0), p.log);   // chunks 0-1
            final long chunk0 = BlockHeaderLayout.blockOffsetOf(big);
            final long c3 = chunk0 + 3 * HeapLayout.CHUNK_SIZE;
            final List<Reservation> rs = p.heap.reserveFreeIn(c3 + 100, HeapLayout.CHUNK_SIZE, QUARANTINE);
            assertThat(rs).singleElement().satisfies(r -> {
                assertThat(r.blockOffset()).isEqualTo(c3);
                assertThat(r.usableSize()).isEqualTo(2 * HeapLayout.CHUNK_SIZE - BlockHeaderLayout.HEADER_SIZE);
            });
            publishAll(p, rs);
            // the free chunks before (2) and after (5..7) stay allocatable: a one-chunk run best-fits chunk 2
            assertThat(SizeClasses.runChunks(SizeClasses.classOf(100))).isEqualTo(1);
            final long next = p.heap.allocate(100, 6, TestPool.slot(1), p.log);
            assertThat((next - chunk0) / HeapLayout.CHUNK_SIZE).isEqualTo(2);
            final long after = p.heap.allocate(600_000, 6, TestPool.slot(2), p.log);
            assertThat(BlockHeaderLayout.blockOffsetOf(after)).isEqualTo(chunk0 + 5 * HeapLayout.CHUNK_SIZE);
            final PersistentHeap reopened = p.reopen();
            assertThat(reopened.check().problems()).isEmpty();
            assertThat(reopened.typeNum(rs.getFirst().objectOffset())).isEqualTo(QUARANTINE);
        }
    }

    @Test
    void shouldReserveNothingUnderLiveObjectsOrHeapMetadata() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final long big = p.heap.allocate(300_000, 5, TestPool.slot(0), p.log);
            assertThat(p.heap.reserveFreeIn(big, 1000, QUARANTINE)).isEmpty();
            assertThat(p.heap.reserveFreeIn(TestPool.HEAP, HeapLayout.HEADER_SIZE + 64, QUARANTINE)).isEmpty();
            assertThatThrownBy(() -> p.heap.reserveFreeIn(TestPool.HEAP - 8, 16, QUARANTINE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the heap");
        }
    }

    @Test
    void shouldLeaveNothingAllocatedWhenTheReservationsAreCancelled() {
        try (TestPool p = TestPool.create(8, 4, 4)) {
            final long a = p.heap.allocate(100, 5, TestPool.slot(0), p.log);
            final List<Reservation> rs = p.heap.reserveFreeIn(a + 200, 10_000, QUARANTINE);
            assertThat(rs).isNotEmpty();
            rs.forEach(p.heap::cancel);
            final long b = p.heap.allocate(100, 5, TestPool.slot(1), p.log);
            assertThat(b).isEqualTo(rs.getFirst().objectOffset());
            assertThat(p.reopen().stats().objectsUsed()).isEqualTo(2);
        }
    }
}
