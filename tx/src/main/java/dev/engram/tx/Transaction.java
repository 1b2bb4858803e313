package dev.engram.tx;

import dev.engram.pool.EngramException;
import dev.engram.pool.OutOfPoolMemoryException;
import dev.engram.pool.medium.Medium;

import java.util.ArrayList;
import java.util.List;

/**
 * One transaction on one lane (DESIGN.md §4.1). Obtained only inside
 * {@link TxEngine#transaction}; nested calls flatten into the outermost, and an abort anywhere rolls
 * back the whole.
 *
 * <p>Persistence order:
 * <ol>
 *   <li>{@link #addRange}: the uncovered parts of the range are appended to the lane's undo log and
 *       flushed, then <b>one drain</b>; only then may the range change.</li>
 *   <li>Commit without allocations or frees: flush every saved range, <b>one drain</b> (the data is
 *       durable), then the log's generation store, flushed with {@code flushShared} but not drained. The transaction is
 *       durable at this thread's next drain (the lane's next snapshot), at any commit on any thread,
 *       at any thread's snapshot of bytes this log saved, at an explicit {@code drain()}, or at
 *       close. A crash before that rolls the whole transaction back (never a part of it). Small
 *       transaction: 2 fences.</li>
 *   <li>Commit with allocations or frees: one publish through the lane's redo log holding the heap
 *       changes <em>and</em> the generation store, so the undo log dies exactly when the allocations
 *       become real (no leak, no dangling pointer). The ranges are flushed and, while they are small,
 *       not drained: the redo log carries a checksum (witness) of each, its commit drain makes both
 *       durable, and recovery replays it only if the ranges are intact (else the undo log rolls them
 *       back). Larger ranges: flush, one drain, then the publish.</li>
 *   <li>Abort: copy the saved bytes back newest first, flush, one drain, then the generation store
 *       (flushed, not drained: rolling back again after a crash writes the same bytes); reservations
 *       are cancelled (volatile).</li>
 *   <li>Overflow buffers ({@link UndoOverflow}): a transaction whose snapshots outgrew the inline
 *       log frees the buffers the lane does not keep when it ends. On commit without heap work and
 *       on abort, the generation store is one of the stores of the first publish that frees them
 *       (durable when the transaction returns); after a commit with heap work they are freed once
 *       its publish, which carried the generation, returned.</li>
 * </ol>
 * Cross-lane safety of the undrained generation store rests on {@code Medium.flushShared}, guarded
 * by the span of the ranges the log saved: any later change of the same bytes passes through an
 * addRange, whose drain ({@code drainBeforeChanging} of that range) retires the earlier log first,
 * whichever thread and lane it runs on. Any other change that could meet those bytes goes through a
 * full drain first: a block becomes free, and so allocatable and writable without a snapshot, only
 * through the heap's publish, whose drains are full. The commit's drain is full too, which keeps
 * durability in commit order across threads: a transaction is never durable while one that
 * committed before it (and that it may have read from) is not.
 *
 * <p>Thread safety: a transaction belongs to the thread that started it; using it from another
 * thread is an {@link IllegalStateException}. No locks are taken: the lane is owned for the
 * duration, and the heap synchronizes its own reservations.
 */
public final class Transaction extends LanePadding {
    private final TxEngine engine;
    private final Medium medium;
    private final int lane;
    private final UndoLog log;
    private final UndoOverflow overflow;
    private final RangeSet ranges = new RangeSet();
    private final RangeSet.GapVisitor snapshotter = this::snapshot;
    private final RangeSet.RangeVisitor flusher;
    private long[] reserved = new long[8];
    private int reservedCount;
    private long[] freed = new long[8];
    private int freedCount;
    private long[] witnessStarts = new long[8];
    private long[] witnessEnds = new long[8];
    private final long[] wordTarget = new long[1];
    private final long[] wordValue = new long[1];
    private List<Runnable> onCommit;
    private List<Runnable> onAbort;
    private boolean snapshotted;
    /**
     * The thread whose retire of this lane's log may still be pending (a shared flush); null while the
     * lane has not retired a log since the pool was opened (recovery left nothing pending). A snapshot drain on another thread must complete that retire before the log's next
     * entries count, and a scoped drain completes only the caller's own retires: see {@link #drainSnapshots}.
     */
    private Thread retiredBy;
    TxStage stage = TxStage.NONE;
    Thread owner;
    int depth;

    Transaction(TxEngine engine, Medium medium, int lane, UndoLog log) {
        this.engine = engine;
        this.medium = medium;
        this.lane = lane;
        this.log = log;
        this.overflow = new UndoOverflow(engine.heap(), lane, log, engine.laneLayout().undoSize());
        this.flusher = medium::flush;
    }

    /** {@return the index of the lane this transaction holds} */
    public int lane() {
        return lane;
    }

    /** {@return the transaction's stage; {@link TxStage#WORK} while the body runs} */
    public TxStage stage() {
        return stage;
    }

    void begin(Thread thread) {
        owner = thread;
        stage = TxStage.WORK;
        depth = 0;
    }

    private void checkWork(String what) {
        if (stage != TxStage.WORK) {
            throw new IllegalStateException(what + " needs a transaction in stage WORK, but it is in stage " + stage);
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException(what + " called on thread " + Thread.currentThread().getName()
                    + ", but the transaction belongs to thread " + owner.getName());
        }
    }

    /**
     * Saves {@code [offset, offset + length)} before the caller changes it; parts already saved by
     * this transaction (or allocated in it) are not saved again. At most one drain.
     *
     * @param offset pool offset of the first byte, in the heap or the root area
     * @param length bytes; 0 does nothing
     * @throws IllegalArgumentException if {@code length} is negative
     * @throws dev.engram.pool.OutOfBoundsException if the range is neither in the heap nor in the root area
     * @throws dev.engram.pool.OutOfPoolMemoryException if the undo log needs an overflow buffer and the heap has
     *         none; the transaction was rolled back
     * @throws IllegalStateException if the transaction is not in stage WORK or belongs to another thread
     */
    public void addRange(long offset, long length) {
        checkWork("addRange");
        if (length <= 0) {
            if (length == 0) {
                return;
            }
            throw new IllegalArgumentException("range length must not be negative, length=" + length);
        }
        engine.checkTarget(offset, length);
        long end = offset + length;
        if (ranges.covers(offset, end)) {
            return;
        }
        snapshotted = false;
        ranges.add(offset, end, snapshotter);
        if (snapshotted) {
            drainSnapshots(offset, end);
        }
    }

    /**
     * Saves several ranges with one drain: {@code [offsets[i], offsets[i] + lengths[i])} for every
     * {@code i}, as {@link #addRange} would one by one, but the snapshots of all of them are flushed
     * first and drained once, so a mutation that knows up front the ranges it will change pays one
     * fence instead of one per range. Ranges may overlap or repeat; parts already saved are skipped.
     * Every range is checked before anything is saved: a bad one throws and saves none.
     *
     * @param offsets pool offset of each range
     * @param lengths bytes in each range, one per offset, none negative
     * @throws IllegalArgumentException if the arrays differ in length or a length is negative
     */
    public void addRanges(long[] offsets, long[] lengths) {
        checkWork("addRanges");
        if (offsets.length != lengths.length) {
            throw new IllegalArgumentException("one length per offset: offsets=" + offsets.length
                    + " lengths=" + lengths.length);
        }
        for (int i = 0; i < offsets.length; i++) {
            if (lengths[i] < 0) {
                throw new IllegalArgumentException("range length must not be negative, lengths[" + i + "]=" + lengths[i]);
            }
            if (lengths[i] > 0) {
                engine.checkTarget(offsets[i], lengths[i]);
            }
        }
        snapshotted = false;
        long start = Long.MAX_VALUE;
        long stop = Long.MIN_VALUE;
        for (int i = 0; i < offsets.length; i++) {
            long end = offsets[i] + lengths[i];
            if (lengths[i] > 0 && !ranges.covers(offsets[i], end)) {
                ranges.add(offsets[i], end, snapshotter);
                start = Math.min(start, offsets[i]);
                stop = Math.max(stop, end);
            }
        }
        if (snapshotted) {
            drainSnapshots(start, stop);
        }
    }

    /**
     * The drain after snapshots, before {@code [start, end)} changes. It must complete every retire
     * whose log could roll back bytes in that range (another lane's earlier transaction on the same
     * bytes) and this lane's own last retire (the entries just appended carry the next generation,
     * valid only once that retire is durable). A scoped drain does both when this thread retired the
     * lane last (or nobody did since open); after a hand-over from another thread, a full drain
     * completes that thread's retire.
     */
    private void drainSnapshots(long start, long end) {
        if (retiredBy == owner || retiredBy == null) {
            medium.drainBeforeChanging(start, end - start);
        } else {
            medium.drain();
            retiredBy = owner;
        }
    }

    /** True when {@code [offset, offset + length)} is already saved or freshly allocated here. */
    boolean covers(long offset, long length) {
        return ranges.covers(offset, offset + length);
    }

    private void snapshot(long start, long end) {
        long length = end - start;
        long done = log.append(start, length);
        while (done < length) {
            growLog(length - done);
            done += log.append(start + done, length - done);
        }
        snapshotted = true;
    }

    private void growLog(long need) {
        if (!overflow.grow(need)) {
            throw fail(new OutOfPoolMemoryException("undo log of lane " + lane + " needs an overflow buffer for "
                    + need + " more bytes and the heap has none; the transaction was rolled back"));
        }
    }

    // ---- heap ---------------------------------------------------------------------------------

    /**
     * Reserves a block of {@code size} bytes, allocated at commit and forgotten on abort. Contents undefined.
     *
     * The block needs no {@link #addRange}: it is flushed at commit.
     *
     * @param size    bytes wanted, positive
     * @param typeNum the block's type number
     * @return the block's pool offset
     * @throws IllegalArgumentException if {@code size} is not positive
     * @throws dev.engram.pool.OutOfPoolMemoryException if no block fits; the transaction was rolled back
     * @throws IllegalStateException if the transaction is not in stage WORK or belongs to another thread
     */
    public long alloc(long size, int typeNum) {
        checkWork("alloc");
        if (size <= 0) {
            throw new IllegalArgumentException("allocation size must be positive, size=" + size);
        }
        long block = engine.heap().reserve(size, typeNum);
        if (block == TxHeap.NO_SPACE) {
            throw fail(new OutOfPoolMemoryException("no free block of " + size + " bytes in the heap; the transaction"
                    + " was rolled back and the pool is as before it; free objects or create a larger pool"));
        }
        if (reservedCount == reserved.length) {
            reserved = java.util.Arrays.copyOf(reserved, reservedCount * 2);
        }
        reserved[reservedCount++] = block;
        // A fresh block needs no snapshot; the range set makes commit flush it.
        ranges.add(block, block + engine.heap().usableSize(block), null);
        return block;
    }

    /**
     * Allocates at commit every free block (or free stretch of chunks) that overlaps
     * {@code [offset, offset + length)}, tagged {@code typeNum}, and returns their offsets (empty when
     * nothing there is free); forgotten on abort. Their bytes are neither written nor flushed (only
     * the heap's block headers are): this is how known bad media is quarantined so that the
     * allocator never hands it out ({@link TypeTable#TYPE_QUARANTINE}).
     *
     * @param offset  pool offset of the range's first byte
     * @param length  bytes in the range
     * @param typeNum type number the blocks are tagged with
     * @return the reserved blocks' offsets, empty when nothing there is free
     */
    public long[] allocFreeIn(long offset, long length, int typeNum) {
        checkWork("allocFreeIn");
        long[] blocks = engine.heap().reserveFreeIn(offset, length, typeNum);
        for (long block : blocks) {
            if (reservedCount == reserved.length) {
                reserved = java.util.Arrays.copyOf(reserved, reservedCount * 2);
            }
            reserved[reservedCount++] = block;
        }
        return blocks;
    }

    /**
     * {@link #alloc} with the block's bytes zeroed.
     *
     * @param size    bytes wanted, positive
     * @param typeNum the block's type number
     * @return the block's pool offset
     * @throws dev.engram.pool.OutOfPoolMemoryException if no block fits; the transaction was rolled back
     */
    public long zalloc(long size, int typeNum) {
        long block = alloc(size, typeNum);
        medium.fill(block, engine.heap().usableSize(block), (byte) 0);
        return block;
    }

    /**
     * Frees {@code block} at commit; a block reserved in this transaction is released at once.
     *
     * @param block the block's pool offset; 0 does nothing
     * @throws IllegalArgumentException if {@code block} is not an allocated block or is freed twice
     * @throws IllegalStateException if the transaction is not in stage WORK or belongs to another thread
     */
    public void free(long block) {
        checkWork("free");
        if (block == 0) {
            return;
        }
        for (int i = 0; i < reservedCount; i++) {
            if (reserved[i] == block) {
                engine.heap().cancel(block);
                reserved[i] = reserved[--reservedCount];
                return;
            }
        }
        engine.heap().usableSize(block);
        for (int i = 0; i < freedCount; i++) {
            if (freed[i] == block) {
                throw new IllegalArgumentException("block at offset=" + block + " freed twice in one transaction");
            }
        }
        if (freedCount == freed.length) {
            freed = java.util.Arrays.copyOf(freed, freedCount * 2);
        }
        freed[freedCount++] = block;
    }

    /**
     * A new block of {@code size} bytes holding the old block's bytes (as many as fit); the old block is freed.
     *
     * @param block   the old block, or 0 to just allocate
     * @param size    bytes wanted, positive
     * @param typeNum the new block's type number
     * @return the new block's pool offset
     * @throws dev.engram.pool.OutOfPoolMemoryException if no block fits; the transaction was rolled back
     */
    public long realloc(long block, long size, int typeNum) {
        if (block == 0) {
            return alloc(size, typeNum);
        }
        long oldSize = engine.heap().usableSize(block);
        long fresh = alloc(size, typeNum);
        medium.copy(block, fresh, Math.min(oldSize, engine.heap().usableSize(fresh)));
        free(block);
        return fresh;
    }

    // ---- callbacks and abort -----------------------------------------------------------------

    /**
     * Runs {@code action} after the outermost transaction committed (for volatile state).
     *
     * @param action what to run; its exceptions are rethrown by {@link TxEngine#transaction} after the lane is released
     */
    public void onCommit(Runnable action) {
        checkWork("onCommit");
        if (onCommit == null) {
            onCommit = new ArrayList<>();
        }
        onCommit.add(action);
    }

    /**
     * Runs {@code action} after the transaction was rolled back (for volatile state).
     *
     * @param action what to run; its exceptions are added to the transaction's failure as suppressed
     */
    public void onAbort(Runnable action) {
        checkWork("onAbort");
        if (onAbort == null) {
            onAbort = new ArrayList<>();
        }
        onAbort.add(action);
    }

    /** Rolls the whole transaction back now and throws {@link TransactionAbortedException}. */
    public void abort() {
        checkWork("abort");
        rollback();
        throw new TransactionAbortedException("transaction on lane " + lane + " aborted by the caller");
    }

    /** A resource failure: roll back, then hand back the typed exception for the caller to throw. */
    private EngramException fail(EngramException e) {
        rollback();
        return e;
    }

    // ---- outcome ------------------------------------------------------------------------------

    void commit() {
        boolean heapOps = reservedCount != 0 || freedCount != 0;
        boolean logged = log.appendedCount() != 0;
        if (heapOps && !ranges.isEmpty() && publishWitnessed(logged)) {
            finishCommit();
            return;
        }
        if (!ranges.isEmpty()) {
            ranges.forEach(flusher);
            // A full drain, though every retire guarding these ranges was completed by their snapshot
            // drains: this transaction's own retire store may reach the media any time after it is
            // made (a cache eviction needs no fence), so every retire of a transaction that
            // committed before it must be durable first. Otherwise a crash could keep this
            // transaction and roll back one it read from: a state that never existed.
            medium.drain();
        } else if (reservedCount != 0) {
            medium.drain(); // the heap's publish relies on the reservations' headers being drained here
        }
        if (heapOps) {
            int words = 0;
            if (logged) {
                wordTarget[0] = log.generationWord();
                wordValue[0] = log.generation() + 1;
                words = 1;
            }
            engine.heap().publish(lane, reserved, reservedCount, freed, freedCount, wordTarget, wordValue, words);
            if (logged) {
                log.generationPublished(wordValue[0]);
            } else {
                log.reset();
            }
        } else if (logged) {
            retireLog();
        }
        finishCommit();
    }

    private void finishCommit() {
        stage = TxStage.ONCOMMIT;
        clearWork();
        // after a commit with heap work the generation is durable (its publish carried it); the
        // commit stands even if freeing the surplus buffers fails, which the next end or recovery retries
        overflow.release(overflow.retained(), false);
    }

    /**
     * Commit with heap work in one drain fewer: the saved ranges and the reserved blocks are flushed
     * but not drained, and the heap's redo log carries a checksum (witness) of each, so that its
     * commit drain makes data and log durable together, and a crash that tore the data discards
     * the log (the undo log, still valid, then rolls the data back). False when the heap declines
     * (see {@link TxHeap#publishWitnessed}); nothing was done then.
     */
    private boolean publishWitnessed(boolean logged) {
        int n = ranges.size();
        if (witnessStarts.length < n) {
            witnessStarts = new long[Math.max(n, witnessStarts.length * 2)];
            witnessEnds = new long[witnessStarts.length];
        }
        for (int i = 0; i < n; i++) {
            witnessStarts[i] = ranges.start(i);
            witnessEnds[i] = ranges.end(i);
        }
        int words = 0;
        if (logged) {
            wordTarget[0] = log.generationWord();
            wordValue[0] = log.generation() + 1;
            words = 1;
        }
        if (!engine.heap().publishWitnessed(lane, witnessStarts, witnessEnds, n, reserved, reservedCount,
                freed, freedCount, wordTarget, wordValue, words)) {
            return false;
        }
        if (logged) {
            log.generationPublished(wordValue[0]);
        } else {
            log.reset();
        }
        return true;
    }

    void rollback() {
        if (log.appendedCount() != 0) {
            log.restoreAppended();
            medium.drain();
            retireLog();
        } else {
            log.reset();
        }
        for (int i = reservedCount - 1; i >= 0; i--) {
            engine.heap().cancel(reserved[i]);
        }
        stage = TxStage.ONABORT;
        clearWork();
        overflow.release(overflow.retained(), false);
    }

    /**
     * Retires the undo log: the next generation, stored alone (flushed, not drained), or, when the
     * transaction leaves overflow buffers to free, stored by the first publish that frees them (see
     * {@link UndoOverflow}: no buffer is freed while its entries may still be valid).
     */
    private void retireLog() {
        overflow.release(overflow.retained(), true);
        retiredBy = owner;
    }

    /** Frees every overflow buffer of the lane (close); the log holds no valid entry and that is durable. */
    void releaseOverflow() {
        overflow.release(0, false);
    }

    /** True when the lane has overflow buffers linked. */
    boolean hasOverflow() {
        return log.overflowCount() > 0;
    }

    private void clearWork() {
        ranges.clear();
        reservedCount = 0;
        freedCount = 0;
    }

    /** Takes the callbacks of the outcome reached and resets the transaction for the lane's next use. */
    List<Runnable> finish() {
        List<Runnable> callbacks = stage == TxStage.ONCOMMIT ? onCommit : onAbort;
        onCommit = null;
        onAbort = null;
        owner = null;
        return callbacks;
    }
}
