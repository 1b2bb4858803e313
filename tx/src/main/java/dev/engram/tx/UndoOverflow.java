package dev.engram.tx;

/**
 * The overflow buffers of one lane's undo log: how they are allocated from the heap when the inline
 * log is full, and how they go back to it. The log's format is {@link UndoLog}'s; this class is the
 * policy and the persistence order.
 *
 * <p>Growth: a new buffer is at least {@link #firstBufferSize} (four times the lane's inline log),
 * at least twice the last one, and at least what the rest of the range needs, so a transaction that
 * saves {@code n} bytes links O(log n) buffers. Its header is persisted, then one publish through the lane's redo
 * log allocates it and stores the link to it: a crash leaves it either linked and allocated or
 * neither.
 *
 * <p>Release: after every transaction the lane keeps at most its first buffer, and only when that
 * one has the first-buffer size: a lane whose transactions now and then outgrow the inline log
 * does not pay an allocation and a free each time, and what the pool holds for all lanes stays
 * below {@code lanes * firstBufferSize} (768 KiB with the default 16 lanes of 16 KiB). The rest is freed tail first, {@link #FREE_BATCH} buffers per
 * publish, each publish freeing its buffers and storing 0 in the pointer that links the first of
 * them: at every crash point the chain is a prefix of what it was and every buffer on it is still
 * allocated. Close and recovery free every buffer, so a closed pool holds none.
 *
 * <p>Persistence order against the undo log's generation: a buffer may be freed only once no entry
 * in it can be valid after a crash, or recovery would roll back part of a transaction (the entries
 * in the freed buffers would be gone). So when a transaction ends by freeing buffers, the log's next
 * generation is one of the stores of the first free publish ({@link #release} with {@code retire}),
 * and a caller that retired the log with a flushed, undrained store drains before it frees.
 *
 * <p>Thread safety: none; used by the lane's owner only.
 */
final class UndoOverflow {
    /** Ratio of the first overflow buffer to the inline log. */
    static final int FIRST_BUFFER_RATIO = 4;
    /** Buffers freed per redo publish: at most 2 redo entries each plus 2 words, far below the smallest redo log. */
    static final int FREE_BATCH = 8;

    private static final long[] NONE = new long[0];

    private final TxHeap heap;
    private final int lane;
    private final UndoLog log;
    private final long firstSize;
    private final long[] blocks = new long[FREE_BATCH];
    private final long[] targets = new long[2];
    private final long[] values = new long[2];

    UndoOverflow(TxHeap heap, int lane, UndoLog log, int undoSize) {
        this.heap = heap;
        this.lane = lane;
        this.log = log;
        this.firstSize = firstBufferSize(undoSize);
    }

    /** Size of a lane's first overflow buffer, the one it may keep: four times its inline log. */
    static long firstBufferSize(int undoSize) {
        return Math.min((long) FIRST_BUFFER_RATIO * undoSize, UndoLogLayout.MAX_BUFFER) & ~63L;
    }

    /**
     * Links a new buffer with room for at least {@code need} more bytes of one range; false when the
     * heap has no block that size (nothing changed).
     */
    boolean grow(long need) {
        int count = log.overflowCount();
        long last = count == 0 ? 0 : log.overflowCapacity(count - 1);
        long wanted = Math.max(firstSize,
                Math.max(2 * last, UndoLogLayout.HEADER_LENGTH + UndoLogLayout.entrySize(need)));
        wanted = Math.min((wanted + 63) & ~63L, UndoLogLayout.MAX_BUFFER);
        long block = heap.reserve(wanted, TxEngine.TYPE_UNDO_OVERFLOW);
        if (block == TxHeap.NO_SPACE) {
            return false;
        }
        // the size asked for, not the block's: a first buffer keeps exactly firstSize
        long capacity = Math.min(heap.usableSize(block), wanted) & ~7L;
        log.prepareOverflow(block, capacity);
        targets[0] = log.tailPointer();
        values[0] = block;
        blocks[0] = block;
        // prepareOverflow persisted the buffer's header, and with it (same thread) the block header
        // reserve flushed: TxHeap.publish's "caller drained" contract holds
        heap.publish(lane, blocks, 1, NONE, 0, targets, values, 1);
        log.linkOverflow(block, capacity);
        return true;
    }

    /** How many buffers the lane keeps after a transaction: the first one, if it has the first-buffer size. */
    int retained() {
        return log.overflowCount() > 0 && log.overflowCapacity(0) <= firstSize ? 1 : 0;
    }

    /** True when the end of the transaction has buffers to free. */
    boolean hasSurplus() {
        return log.overflowCount() > retained();
    }

    /**
     * Frees every buffer after the first {@code keep}, tail first. With {@code retire}, the log's next
     * generation is stored by the first publish (atomically with its frees), or alone (flushed, not
     * drained: {@link UndoLog#invalidate}) when there is nothing to free; without it, the caller
     * guarantees no entry in the chain can be valid (the generation moved on and is durable).
     */
    void release(int keep, boolean retire) {
        if (!retire && log.appendedCount() != 0) {
            throw new IllegalStateException("lane " + lane + " holds " + log.appendedCount()
                    + " undo entries of a running transaction; its overflow buffers cannot be freed");
        }
        boolean generation = retire;
        while (log.overflowCount() > keep) {
            int count = log.overflowCount();
            int from = Math.max(keep, count - FREE_BATCH);
            int n = count - from;
            for (int i = 0; i < n; i++) {
                blocks[i] = log.overflowBuffer(from + i);
            }
            targets[0] = log.overflowLink(from);
            values[0] = 0;
            int words = 1;
            if (generation) {
                targets[1] = log.generationWord();
                values[1] = log.generation() + 1;
                words = 2;
            }
            heap.publish(lane, NONE, 0, blocks, n, targets, values, words);
            if (generation) {
                log.generationPublished(values[1]);
                generation = false;
            }
            log.truncateOverflow(from);
        }
        if (generation) {
            log.invalidate();
        }
    }
}
