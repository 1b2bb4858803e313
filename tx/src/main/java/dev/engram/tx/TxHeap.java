package dev.engram.tx;

import dev.engram.pool.medium.Medium;

import java.util.function.LongConsumer;

/**
 * What the transaction layer needs from the persistent heap, and nothing more (the allocator's
 * reserve / publish / cancel, after PMDK's palloc). A block is named by the pool offset of its
 * first usable byte.
 *
 * <p>Contract: {@link #reserve} is volatile (nothing durable changes); {@link #publish} makes a set
 * of reservations allocated, a set of blocks free and a set of extra 8-byte stores happen all or
 * none through the lane's redo log, durably, before it returns; {@link #cancel} forgets a
 * reservation. Thread safety: every method may be called from any thread; one lane's publishes
 * are never concurrent (a lane has one owner at a time).
 */
public interface TxHeap {
    /** Returned by {@link #reserve} when no block fits: an expected "no", not an exception. */
    long NO_SPACE = 0;

    /** Reserves a block of at least {@code size} usable bytes tagged {@code typeNum}, or {@link #NO_SPACE}. */
    long reserve(long size, int typeNum);

    /** Forgets a reservation that was never published. */
    void cancel(long block);

    /**
     * Atomically and durably: marks {@code reserved[0..reservedCount)} allocated,
     * {@code freed[0..freedCount)} free, and stores {@code wordValues[i]} at {@code wordTargets[i]},
     * through the redo log of {@code lane}. All or none survives a crash.
     */
    void publish(int lane, long[] reserved, int reservedCount, long[] freed, int freedCount,
                 long[] wordTargets, long[] wordValues, int wordCount);

    /** Usable bytes of an allocated or reserved block; throws {@link IllegalArgumentException} for a non-block. */
    long usableSize(long block);

    /** Type number of an allocated block. */
    int typeNum(long block);

    /** Calls {@code action} with every allocated block of {@code typeNum}, in address order. */
    void forEach(int typeNum, LongConsumer action);

    /** Lowest and highest (exclusive) offsets a block may occupy: bounds for checks of offsets read from the pool. */
    long heapStart();

    long heapEnd();

    /**
     * Opens (or formats) a heap over a pool's medium. {@code recover} replays the lanes' redo logs
     * before the heap's volatile state is built (DESIGN.md §3: redo first, then the heap).
     */
    interface Factory {
        /** Formats a fresh heap and the lanes' redo regions. */
        TxHeap format(Medium medium, long heapOffset, long heapSize, long[] redoOffsets, int redoSize);

        /** Replays valid redo logs of every lane, then opens the heap. Idempotent. */
        TxHeap recoverAndOpen(Medium medium, long heapOffset, long heapSize, long[] redoOffsets, int redoSize);

        /**
         * True when the redo log at {@code redoOffset} is live: recovery would replay or discard it,
         * which writes. Reads only.
         */
        boolean redoPending(Medium medium, long redoOffset, int redoSize);

        /**
         * Opens the heap for reading, without recovery (the caller checked that no redo log is
         * pending). {@code medium} refuses stores; {@link TxHeap#reserve} and
         * {@link TxHeap#publish} are never called on the result.
         */
        TxHeap openReadOnly(Medium medium, long heapOffset, long heapSize);
    }
}
