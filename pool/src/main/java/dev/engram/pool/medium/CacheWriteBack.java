package dev.engram.pool.medium;

import java.lang.foreign.MemorySegment;

/**
 * One way of writing CPU cache lines back to the medium (DESIGN.md §2.1). Implementations receive
 * ranges the medium has already bounds-checked against {@code mapping}.
 */
public interface CacheWriteBack {
    /** Starts write-back of the lines covering {@code [offset, offset + length)} of {@code mapping}. */
    void writeBack(MemorySegment mapping, long offset, long length);

    /** Orders and completes every write-back started by this thread. */
    void fence();

    /** Which path this is. */
    WriteBackPath path();
}
