package dev.engram.pool.medium;

import java.lang.foreign.MemorySegment;

/**
 * One way of writing CPU cache lines back to the medium (DESIGN.md §2.1). Implementations receive
 * ranges the medium has already bounds-checked against {@code mapping}.
 */
public interface CacheWriteBack {
    /**
     * Writes back the lines covering {@code [offset, offset + length)} of {@code mapping}. When it returns
     * the lines must be durable: a later fence on another core could not complete them (see
     * {@link Medium#drain}).
     *
     * @param mapping the whole mapping of the pool
     * @param offset  offset in {@code mapping} of the first byte, bounds-checked by the caller
     * @param length  bytes in the range, positive
     */
    void writeBack(MemorySegment mapping, long offset, long length);

    /** Keeps later stores after the preceding write-backs (they are complete already). */
    void fence();

    /** {@return which path this is} */
    WriteBackPath path();
}
