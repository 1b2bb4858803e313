package dev.engram.allocator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PersistentHeap#visitObjects}: every published object with its type and usable size, in address order. */
class VisitObjectsTest {
    record Seen(long offset, long type, long size) {
    }

    @Test
    void shouldVisitEveryPublishedObjectWithItsTypeAndUsableSizeInAddressOrder() {
        try (TestPool p = TestPool.create(8, 8, 8)) {
            List<Seen> expected = new ArrayList<>();
            long[] sizes = {16, 100, 600_000, 40, 3000};
            for (int i = 0; i < sizes.length; i++) {
                long o = p.heap.allocate(sizes[i], 10 + i, TestPool.slot(i), p.log);
                expected.add(new Seen(o, 10 + i, p.heap.usableSize(o)));
            }
            p.heap.free(expected.get(1).offset(), TestPool.slot(1), p.log);
            expected.remove(1);
            expected.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            List<Seen> seen = new ArrayList<>();
            p.reopen().visitObjects((o, t, s) -> seen.add(new Seen(o, t, s)));
            assertThat(seen).containsExactlyElementsOf(expected);
        }
    }
}
