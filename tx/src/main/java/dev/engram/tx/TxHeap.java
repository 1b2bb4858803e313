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

    /**
     * Reserves a block of at least {@code size} usable bytes tagged {@code typeNum}, or {@link #NO_SPACE}.
     *
     * @param size    usable bytes wanted, positive
     * @param typeNum the block's type number
     * @return the block's pool offset, or {@link #NO_SPACE}
     */
    long reserve(long size, int typeNum);

    /**
     * Forgets a reservation that was never published.
     *
     * @param block a reserved, unpublished block
     */
    void cancel(long block);

    /**
     * Atomically and durably: marks {@code reserved[0..reservedCount)} allocated,
     * {@code freed[0..freedCount)} free, and stores {@code wordValues[i]} at {@code wordTargets[i]},
     * through the redo log of {@code lane}. All or none survives a crash. The caller has flushed and
     * drained, on this thread, everything it wrote into the reserved blocks (a commit's data drain).
     *
     * @param lane          the caller's lane, whose redo log is used
     * @param reserved      blocks reserved and not yet published
     * @param reservedCount how many of {@code reserved} to publish
     * @param freed         allocated blocks to free
     * @param freedCount    how many of {@code freed} to free
     * @param wordTargets   pool offsets of 8-byte words to store, 8-aligned
     * @param wordValues    the values to store there
     * @param wordCount     how many words to store
     * @throws IllegalArgumentException if a block is not pending or allocated, or a target is invalid
     */
    void publish(int lane, long[] reserved, int reservedCount, long[] freed, int freedCount,
                 long[] wordTargets, long[] wordValues, int wordCount);

    /**
     * {@link #publish}, for a caller that has stored into {@code [starts[i], ends[i])} (its saved
     * ranges and the reserved blocks' contents) but neither flushed nor drained them: the heap
     * checksums each range into the redo log as a witness, flushes it, and commits the log with one
     * drain for both; recovery replays the log only if every range is intact, so a crash that tore a
     * range discards the heap changes with it. Saves the caller's data drain. Returns false, having
     * changed nothing, when the heap cannot (no room in the log, ranges too large to checksum
     * cheaply, or a heap without witnesses); the caller then flushes, drains and calls
     * {@link #publish}.
     *
     * @param lane          the caller's lane, whose redo log is used
     * @param starts        first byte of each range the caller wrote
     * @param ends          end, exclusive, of each range
     * @param rangeCount    how many ranges
     * @param reserved      blocks reserved and not yet published
     * @param reservedCount how many of {@code reserved} to publish
     * @param freed         allocated blocks to free
     * @param freedCount    how many of {@code freed} to free
     * @param wordTargets   pool offsets of 8-byte words to store, 8-aligned
     * @param wordValues    the values to store there
     * @param wordCount     how many words to store
     * @return true when published; false when nothing was done
     * @throws IllegalArgumentException if a block is not pending or allocated, or a target is invalid
     */
    default boolean publishWitnessed(int lane, long[] starts, long[] ends, int rangeCount, long[] reserved,
                                     int reservedCount, long[] freed, int freedCount, long[] wordTargets,
                                     long[] wordValues, int wordCount) {
        return false;
    }

    /**
     * Reserves every free block (or free stretch of chunks) overlapping {@code [offset, offset + length)},
     * tagged {@code typeNum}, without touching their bytes beyond the heap's own block headers; returns
     * their offsets (none: nothing there is free). For quarantining known bad media. Heaps that cannot
     * reserve at a given address throw {@link UnsupportedOperationException}.
     *
     * @param offset  pool offset of the range's first byte
     * @param length  bytes in the range
     * @param typeNum type number the blocks are tagged with
     * @return the reserved blocks' offsets
     */
    default long[] reserveFreeIn(long offset, long length, int typeNum) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot reserve blocks at a given offset");
    }

    /**
     * Usable bytes of an allocated or reserved block; throws {@link IllegalArgumentException} for a non-block.
     *
     * @param block a block's pool offset
     * @return the usable bytes, at least the size reserved
     */
    long usableSize(long block);

    /**
     * Type number of an allocated block.
     *
     * @param block an allocated block's pool offset
     * @return the type number recorded at allocation
     */
    int typeNum(long block);

    /**
     * Calls {@code action} with every allocated block of {@code typeNum}, in address order.
     *
     * @param typeNum the type number to match
     * @param action  receives each block's pool offset
     */
    void forEach(int typeNum, LongConsumer action);

    /**
     * Lowest and highest (exclusive) offsets a block may occupy: bounds for checks of offsets read from the pool.
     *
     * @return the lowest pool offset a block may occupy
     */
    long heapStart();

    /** {@return the end of the heap, exclusive: no block reaches past it} */
    long heapEnd();

    /**
     * Opens (or formats) a heap over a pool's medium. {@code recover} replays the lanes' redo logs
     * before the heap's volatile state is built (DESIGN.md §3: redo first, then the heap).
     */
    interface Factory {
        /**
         * Formats a fresh heap and the lanes' redo regions.
         *
         * @param medium      the pool's medium
         * @param heapOffset  pool offset of the heap region
         * @param heapSize    bytes in the heap region
         * @param redoOffsets pool offset of each lane's redo region, by lane
         * @param redoSize    bytes in each redo region
         * @return the heap, empty
         */
        TxHeap format(Medium medium, long heapOffset, long heapSize, long[] redoOffsets, int redoSize);

        /**
         * Replays valid redo logs of every lane, then opens the heap. Idempotent.
         *
         * @param medium      the pool's medium
         * @param heapOffset  pool offset of the heap region
         * @param heapSize    bytes in the heap region
         * @param redoOffsets pool offset of each lane's redo region, by lane
         * @param redoSize    bytes in each redo region
         * @return the heap, recovered
         * @throws dev.engram.pool.PoolCorruptedException if a redo log entry or the heap header is invalid
         */
        TxHeap recoverAndOpen(Medium medium, long heapOffset, long heapSize, long[] redoOffsets, int redoSize);

        /**
         * True when the redo log at {@code redoOffset} is live: recovery would replay or discard it,
         * which writes. Reads only.
         *
         * @param medium     the pool's medium
         * @param redoOffset pool offset of the lane's redo region
         * @param redoSize   bytes in the redo region
         * @return true if opening the heap writable would replay or discard this redo log
         */
        boolean redoPending(Medium medium, long redoOffset, int redoSize);

        /**
         * Opens the heap for reading, without recovery (the caller checked that no redo log is
         * pending). {@code medium} refuses stores; {@link TxHeap#reserve} and
         * {@link TxHeap#publish} are never called on the result.
         *
         * @param medium     the pool's medium, refusing stores
         * @param heapOffset pool offset of the heap region
         * @param heapSize   bytes in the heap region
         * @return the heap, for reads only
         */
        TxHeap openReadOnly(Medium medium, long heapOffset, long heapSize);
    }
}
