package dev.engram.reliability;

import dev.engram.allocator.HeapExtender;
import dev.engram.allocator.PersistentHeap;
import dev.engram.allocator.RedoLog;
import dev.engram.allocator.RedoLogLayout;
import dev.engram.pool.Bits;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.BadBlockSource;
import dev.engram.pool.UnsafeShutdownCounter;
import dev.engram.pool.medium.Medium;

/**
 * How the layers above the allocator use a pool, reduced to what these tests need (tx/ does not
 * exist yet): every lane region is one redo log; destinations of allocations are 8-byte slots in
 * the root area; the heap grows through {@link Pool#grow}.
 *
 * <p>Recovery order, as {@link RedoLog} requires: every lane's redo log first, then the heap.
 */
final class EngramStack {
    static final String LAYOUT = "fuzz";
    static final int CHUNKS_PER_ZONE = 4;

    private EngramStack() {
    }

    /** Options for every pool these tests create or open: page cache, no device counters or bad-block lists. */
    static PoolOptions options() {
        return PoolOptions.defaults().withLayout(LAYOUT).withPolicy(MappingPolicy.PAGE_CACHE)
                .withShutdownCounter(UnsafeShutdownCounter.NONE).withBadBlocks(BadBlockSource.NONE);
    }

    /** Destination slot {@code i} in the root area. */
    static long rootSlot(Pool pool, int i) {
        return pool.header().rootAreaOffset() + 8L * i;
    }

    /** Grows the pool by at least {@code minBytes}, never past its maximum nor past {@code cap} bytes. */
    static HeapExtender extender(Pool pool, long cap) {
        return minBytes -> {
            PoolHeader h = pool.header();
            long want = Bits.alignUp(h.poolSize() + Math.max(minBytes, 1L << 20), Bits.PAGE_SIZE);
            long target = Math.min(want, Math.min(cap, Bits.alignDown(h.maxPoolSize(), Bits.PAGE_SIZE)));
            if (target <= h.poolSize()) {
                return h.heapSize();
            }
            return pool.grow(target);
        };
    }

    /** Replays or discards every lane's redo log; targets may lie anywhere from the root area to the end. */
    static void recoverLanes(Pool pool, Medium m) {
        PoolHeader h = pool.header();
        for (int i = 0; i < h.laneCount(); i++) {
            RedoLog.recover(m, pool.laneOffset(i), h.laneSize(), h.rootAreaOffset(), h.poolSize());
        }
    }

    /** Recovers the lanes, then opens the heap (growth capped at {@code cap} bytes of pool). */
    static PersistentHeap recoverAndOpen(Pool pool, long cap) {
        Medium m = pool.medium();
        recoverLanes(pool, m);
        PoolHeader h = pool.header();
        return PersistentHeap.open(m, h.heapOffset(), h.heapSize(), extender(pool, cap));
    }

    /** True when a lane can hold a redo log of at least one entry. */
    static boolean lanesHoldRedoLogs(PoolHeader h) {
        return RedoLogLayout.capacityEntries(h.laneSize()) >= 1;
    }

    static RedoLog lane(Pool pool, int i) {
        return RedoLog.open(pool.medium(), pool.laneOffset(i), pool.header().laneSize());
    }
}
