package dev.engram.pool.medium;

import java.lang.foreign.MemorySegment;

/**
 * One way of writing CPU cache lines back to the medium (DESIGN.md §2.1). Implementations receive
 * ranges the medium has already bounds-checked against {@code mapping}.
 */
public interface CacheWriteBack {
    /**
     * Starts writing back the lines covering {@code [offset, offset + length)} of {@code mapping}. The
     * lines are durable when this returns only if {@link #completesEachWriteBack()}; otherwise once the
     * same thread calls {@link #fence}.
     *
     * @param mapping the whole mapping of the pool
     * @param offset  offset in {@code mapping} of the first byte, bounds-checked by the caller
     * @param length  bytes in the range, positive
     */
    void writeBack(MemorySegment mapping, long offset, long length);

    /**
     * Waits until every write-back this thread started is complete, and keeps later stores after
     * them. A store fence orders only its own core's write-backs: see {@link Medium#flushShared} for
     * what crosses threads.
     */
    void fence();

    /**
     * {@return true when {@link #writeBack} fences by itself} Each call then costs a full write-back
     * round trip, and a range flushed on one thread is durable for every thread at once.
     */
    boolean completesEachWriteBack();

    /** {@return which path this is} */
    WriteBackPath path();
}
