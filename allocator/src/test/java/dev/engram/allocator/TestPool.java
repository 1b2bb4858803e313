package dev.engram.allocator;

import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MemoryMedium;

/**
 * A miniature pool for tests: a redo log at {@link #LOG}, destination slots (8 bytes each) at
 * {@link #SLOTS}, the heap from {@link #HEAP}. Growth goes through {@link MemoryMedium#grow}.
 */
final class TestPool implements AutoCloseable {
    static final long LOG = 0;
    static final long LOG_BYTES = 4096;
    static final long SLOTS = 4096;
    static final int SLOT_COUNT = 512;
    static final long HEAP = 8192;

    final Medium medium;
    PersistentHeap heap;
    RedoLog log;
    final long maxHeap;

    private TestPool(Medium medium, long maxHeap) {
        this.medium = medium;
        this.maxHeap = maxHeap;
    }

    /** A pool whose heap holds {@code chunks} chunks in zones of {@code chunksPerZone}, growable to {@code maxChunks}. */
    static TestPool create(int chunksPerZone, int chunks, int maxChunks) {
        final long size = heapSizeFor(chunksPerZone, chunks);
        final long max = heapSizeFor(chunksPerZone, maxChunks);
        final TestPool pool = new TestPool(MemoryMedium.allocate(HEAP + size), max);
        pool.log = RedoLog.format(pool.medium, LOG, LOG_BYTES);
        pool.heap = PersistentHeap.create(pool.medium, HEAP, size, max, chunksPerZone, pool::extend);
        return pool;
    }

    /** As {@link #create(int, int, int)}, with {@code exclusive} exclusive and {@code shared} shared arenas. */
    static TestPool createWithArenas(int chunksPerZone, int chunks, int exclusive, int shared) {
        final long size = heapSizeFor(chunksPerZone, chunks);
        final TestPool pool = new TestPool(MemoryMedium.allocate(HEAP + size), size);
        pool.log = RedoLog.format(pool.medium, LOG, LOG_BYTES);
        pool.heap = PersistentHeap.create(pool.medium, HEAP, size, size, chunksPerZone, null, exclusive, shared);
        return pool;
    }

    /**
     * Formats a fixed-size pool over {@code medium} (its whole size): the crash tests build the
     * initial state on the harness's medium instead of one of their own.
     */
    static TestPool format(Medium medium, int chunksPerZone) {
        final TestPool pool = new TestPool(medium, medium.size() - HEAP);
        pool.log = RedoLog.format(medium, LOG, LOG_BYTES);
        pool.heap = PersistentHeap.create(medium, HEAP, pool.maxHeap, pool.maxHeap, chunksPerZone, null);
        return pool;
    }

    /** Size of a medium that holds the log, the slots and a heap of {@code chunks} chunks. */
    static long mediumSizeFor(int chunksPerZone, int chunks) {
        return HEAP + heapSizeFor(chunksPerZone, chunks);
    }

    /** A pool over a medium that already holds one (as {@link #create} left it); recovers and opens. */
    static TestPool wrap(Medium medium) {
        final TestPool pool = new TestPool(medium, medium.size() - HEAP);
        pool.reopen();
        return pool;
    }

    static long heapSizeFor(int chunksPerZone, int chunks) {
        final int zones = (chunks + chunksPerZone - 1) / chunksPerZone;
        return HeapLayout.HEADER_SIZE + (long) (zones - 1) * ZoneLayout.zoneSize(chunksPerZone)
                + ZoneLayout.metadataSize(chunksPerZone) + (long) (chunks - (long) (zones - 1) * chunksPerZone) * HeapLayout.CHUNK_SIZE;
    }

    long extend(long minBytes) {
        final long newSize = Math.min(maxHeap, heap == null ? medium.size() - HEAP : Math.max(heap.size(), medium.size() - HEAP) + minBytes);
        if (newSize > medium.size() - HEAP) {
            medium.grow(HEAP + newSize);
        }
        return newSize;
    }

    static long slot(int i) {
        return SLOTS + 8L * i;
    }

    /** Recovers the log and reopens the heap over the same medium, as the pool would after a restart. */
    PersistentHeap reopen() {
        RedoLog.recover(medium, LOG, LOG_BYTES, SLOTS, medium.size());
        log = RedoLog.open(medium, LOG, LOG_BYTES);
        heap = PersistentHeap.open(medium, HEAP, medium.size() - HEAP, this::extend);
        return heap;
    }

    static PersistentHeap reopen(Medium medium) {
        RedoLog.recover(medium, LOG, LOG_BYTES, SLOTS, medium.size());
        return PersistentHeap.open(medium, HEAP, medium.size() - HEAP, null);
    }

    @Override
    public void close() {
        medium.close();
    }
}
