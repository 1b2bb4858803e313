package dev.engram.tx;

import dev.engram.pool.MediaFaults;
import dev.engram.pool.OutOfBoundsException;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolClosedException;
import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolIoException;
import dev.engram.pool.medium.Medium;

import java.io.IOException;
import java.util.List;

/**
 * The transaction layer of one pool: lanes, their undo logs, the heap, recovery, and the
 * per-thread current transaction.
 *
 * <p>Recovery order ({@link #open}), as in PMDK's lane boot: first the heap replays every lane's
 * redo log and only then builds its volatile state (a pending redo log may still change bitmaps and
 * chunk headers, and it may carry an undo log's generation store: a transaction whose redo log
 * committed is committed, and its undo log must not roll it back); then every lane's undo log is
 * rolled back (the heap is open, so overflow buffers are readable, and rollback only writes user
 * ranges), and the lane's overflow buffers are freed. Recovery runs on every writable open: it finds
 * nothing to do after a clean close, and a crash image attached for testing is recovered the same
 * way. A read-only pool is never recovered ({@link #openReadOnly}).
 *
 * <p>Lock order: none held across user code. Lanes are claimed with a CAS ({@link Lanes}); the
 * heap's own locks are taken inside its calls only.
 *
 * <p>Thread safety: {@link #transaction} may be called from any number of threads; independent
 * transactions run in parallel on different lanes. Two transactions writing the same bytes must be
 * ordered by the caller (a lock around each transaction), as with any shared memory.
 */
public final class TxEngine implements AutoCloseable {
    /** Type number of undo-log overflow buffers (user type numbers stay below it). */
    public static final int TYPE_UNDO_OVERFLOW = 0xFFFF;

    private final Pool pool;
    private final Medium medium;
    private final LaneLayout laneLayout;
    private final Lanes lanes;
    private final Transaction[] transactions;
    private final TxHeap heap;
    /**
     * This thread's running transaction, in a one-element holder: the holder is set once per thread and
     * the transaction swapped in and out of it, because {@code ThreadLocal.set}/{@code remove} on every
     * transaction made the thread-local map scan for stale entries each time (a tenth of a small
     * transaction's samples in a JFR profile).
     */
    private final ThreadLocal<Transaction[]> current = ThreadLocal.withInitial(() -> new Transaction[1]);
    private final long rootArea;
    private final long rootAreaEnd;
    private final long heapStart;
    private final long heapEnd;
    private final int recoveredEntries;
    private final boolean readOnly;
    private volatile boolean closed;

    private TxEngine(Pool pool, Medium medium, TxHeap heap, LaneLayout layout, UndoLog[] logs, int recoveredEntries,
                     boolean readOnly) {
        this.pool = pool;
        this.medium = medium;
        this.readOnly = readOnly;
        this.laneLayout = layout;
        this.heap = heap;
        this.lanes = new Lanes(logs.length);
        this.transactions = new Transaction[logs.length];
        for (int i = 0; i < logs.length; i++) {
            transactions[i] = new Transaction(this, medium, i, logs[i]);
        }
        this.rootArea = pool.rootAreaOffset();
        this.rootAreaEnd = rootArea + 4096;
        this.heapStart = heap.heapStart();
        this.heapEnd = heap.heapEnd();
        this.recoveredEntries = recoveredEntries;
    }

    /**
     * Formats lanes and heap of a freshly created pool.
     *
     * @param pool        a pool just created, open for writing
     * @param heapFactory the heap implementation to format in the pool's heap region
     * @return the engine, with empty undo and redo logs in every lane
     */
    public static TxEngine format(Pool pool, TxHeap.Factory heapFactory) {
        PoolHeader h = pool.header();
        LaneLayout layout = LaneLayout.of(h.laneSize());
        Medium medium = pool.medium();
        UndoLog[] logs = new UndoLog[h.laneCount()];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = UndoLog.format(medium, layout.undoOffset(pool.laneOffset(i)), layout.undoSize());
        }
        TxHeap heap = heapFactory.format(medium, h.heapOffset(), h.heapSize(), redoOffsets(pool, layout), layout.redoSize());
        return new TxEngine(pool, medium, heap, layout, logs, 0, false);
    }

    /**
     * Recovers (redo logs, heap, then undo logs) and opens the transaction layer of a pool; a
     * read-only pool is opened by {@link #openReadOnly} instead.
     *
     * @param pool        an open pool
     * @param heapFactory the heap implementation the pool was formatted with
     * @return the engine, with every lane's logs recovered
     * @throws dev.engram.pool.PoolCorruptedException if a log or the heap header fails validation
     */
    public static TxEngine open(Pool pool, TxHeap.Factory heapFactory) {
        if (pool.isReadOnly()) {
            return openReadOnly(pool, heapFactory);
        }
        PoolHeader h = pool.header();
        LaneLayout layout = LaneLayout.of(h.laneSize());
        Medium medium = pool.medium();
        // 1. redo logs, then the heap's volatile state
        TxHeap heap = heapFactory.recoverAndOpen(medium, h.heapOffset(), h.heapSize(), redoOffsets(pool, layout),
                layout.redoSize());
        // 2. undo logs: roll back every transaction that had not committed, then free the lane's
        //    overflow buffers (the rollback read them; the retired generation is durable by now)
        long rootArea = pool.rootAreaOffset();
        UndoLog[] logs = new UndoLog[h.laneCount()];
        int restored = 0;
        for (int i = 0; i < logs.length; i++) {
            logs[i] = openLog(pool, medium, heap, layout, i);
            restored += logs[i].recover(rootArea, heap.heapEnd());
            new UndoOverflow(heap, i, logs[i], layout.undoSize()).release(0, false);
        }
        return new TxEngine(pool, medium, heap, layout, logs, restored, false);
    }

    /**
     * Opens the transaction layer of a read-only pool without writing a byte: the heap and the logs
     * are read through a medium that refuses stores, and transactions are refused with
     * {@link ReadOnlyPoolException}.
     *
     * <p>Recovery is never done here, not even on a private copy: a pool whose redo log is live or
     * whose undo log holds valid entries (a transaction that did not finish) is refused with a
     * {@link ReadOnlyPoolException} that says to open it writable once or run
     * {@code engram check --repair}. Reading it as it is would show a half-done transaction, and a
     * private copy-on-write mapping needs write access to the file, which a read-only pool often
     * lacks. Overflow buffers still linked after a crash with no valid entries are no obstacle:
     * they are allocated blocks, and the next writable open frees them.
     *
     * @param pool        the pool, opened read-only
     * @param heapFactory opens the heap stored in the pool for reading
     * @return the engine, refusing every transaction and store
     * @throws ReadOnlyPoolException if a redo or undo log holds an unfinished transaction
     */
    public static TxEngine openReadOnly(Pool pool, TxHeap.Factory heapFactory) {
        PoolHeader h = pool.header();
        LaneLayout layout = LaneLayout.of(h.laneSize());
        Medium medium = new ReadOnlyMedium(pool.reader(), pool.path());
        long[] redo = redoOffsets(pool, layout);
        for (int i = 0; i < redo.length; i++) {
            if (heapFactory.redoPending(medium, redo[i], layout.redoSize())) {
                throw needsRecovery(pool, "the redo log of lane " + i + " holds a heap update that was not applied");
            }
        }
        TxHeap heap = heapFactory.openReadOnly(medium, h.heapOffset(), h.heapSize());
        long rootArea = pool.rootAreaOffset();
        UndoLog[] logs = new UndoLog[h.laneCount()];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = openLog(pool, medium, heap, layout, i);
            int pending = logs[i].pendingEntries(rootArea, heap.heapEnd());
            if (pending > 0) {
                throw needsRecovery(pool, "the undo log of lane " + i + " holds " + pending
                        + " entries of a transaction that did not finish");
            }
        }
        return new TxEngine(pool, medium, heap, layout, logs, 0, true);
    }

    private static ReadOnlyPoolException needsRecovery(Pool pool, String why) {
        return new ReadOnlyPoolException("pool " + pool.path() + " needs recovery before it can be read: " + why
                + "; a read-only open never writes, so open it writable once (or run 'engram check --repair')"
                + " and then open it read-only");
    }

    /**
     * Opens lane {@code lane}'s undo log and checks its overflow chain against the heap: every linked
     * buffer must be an allocated block of type {@link #TYPE_UNDO_OVERFLOW} at least as large as the
     * capacity its header records (a freed or foreign block is never read as a log).
     */
    private static UndoLog openLog(Pool pool, Medium medium, TxHeap heap, LaneLayout layout, int lane) {
        long base = layout.undoOffset(pool.laneOffset(lane));
        UndoLog log = UndoLog.open(medium, base, layout.undoSize(), heap.heapStart(), heap.heapEnd());
        for (int b = 0; b < log.overflowCount(); b++) {
            long buffer = log.overflowBuffer(b);
            long usable;
            int type;
            try {
                usable = heap.usableSize(buffer);
                type = heap.typeNum(buffer);
            } catch (IllegalArgumentException e) {
                throw new PoolCorruptedException("pool " + pool.path() + ": the undo log of lane " + lane
                        + " links overflow buffer " + b + " at offset=" + buffer + ", which is not an allocated block ("
                        + e.getMessage() + "); run 'engram check --repair'", e);
            }
            if (type != TYPE_UNDO_OVERFLOW || usable < log.overflowCapacity(b)) {
                throw new PoolCorruptedException("pool " + pool.path() + ": the undo log of lane " + lane
                        + " links overflow buffer " + b + " at offset=" + buffer + ", expected type " + TYPE_UNDO_OVERFLOW
                        + " and at least " + log.overflowCapacity(b) + " bytes, got type " + type + " and " + usable
                        + " bytes; run 'engram check --repair'");
            }
        }
        return log;
    }

    private static long[] redoOffsets(Pool pool, LaneLayout layout) {
        long[] offsets = new long[pool.header().laneCount()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = layout.redoOffset(pool.laneOffset(i));
        }
        return offsets;
    }

    /** {@return the pool this engine runs on} */
    public Pool pool() {
        return pool;
    }

    /** {@return the pool's writable medium} */
    public Medium medium() {
        return medium;
    }

    /** {@return the heap transactions allocate from} */
    public TxHeap heap() {
        return heap;
    }

    /** {@return where the undo and redo logs sit inside each lane} */
    public LaneLayout laneLayout() {
        return laneLayout;
    }

    /** {@return the number of undo entries rolled back when this engine was opened; 0 after a clean close} */
    public int recoveredEntries() {
        return recoveredEntries;
    }

    /** {@return the transaction running on this thread in stage {@link TxStage#WORK}, or null} */
    public Transaction current() {
        Transaction tx = current.get()[0];
        return tx != null && tx.stage == TxStage.WORK ? tx : null;
    }

    /** {@return the stage of this thread's transaction, {@link TxStage#NONE} outside one} */
    public TxStage stage() {
        Transaction tx = current.get()[0];
        return tx == null ? TxStage.NONE : tx.stage;
    }

    void checkTarget(long offset, long length) {
        if (offset >= heapStart && offset <= heapEnd - length) {
            return;
        }
        if (offset >= rootArea && offset <= rootAreaEnd - length) {
            return;
        }
        throw new OutOfBoundsException("range offset=" + offset + " length=" + length
                + " is neither in the heap [" + heapStart + ", " + heapEnd + ") nor in the root area ["
                + rootArea + ", " + rootAreaEnd + ")");
    }

    /**
     * Runs {@code body} in a transaction and returns its result. Inside a running transaction the
     * body joins it (flat nesting). Any exception aborts the whole transaction and is rethrown
     * (checked ones wrapped: {@link IOException} as {@link PoolIoException}, others as
     * {@link TransactionAbortedException}).
     *
     * Waits (spinning) while every lane is taken. Callbacks registered with {@link Transaction#onCommit} or
     * {@link Transaction#onAbort} run after the lane is released; their failures are rethrown too.
     *
     * @param <T>  the body's result type
     * @param body the work; it receives the transaction
     * @return what {@code body} returned
     * @throws PoolClosedException         if the engine is closed
     * @throws TransactionAbortedException if the body threw a checked exception (as the cause), called
     *                                     {@link Transaction#abort()}, or an inner transaction aborted
     * @throws PoolIoException             if the body threw an {@link IOException} (as the cause)
     * @throws IllegalStateException       if called inside a transaction that has already aborted
     */
    public <T> T transaction(TxFunction<T> body) {
        if (closed) {
            throw new PoolClosedException("pool " + pool.path() + " is closed; open it again to run transactions");
        }
        if (readOnly) {
            throw refuseReadOnly("a transaction");
        }
        Transaction[] slot = current.get();
        Transaction tx = slot[0];
        if (tx != null) {
            return nested(tx, body);
        }
        int lane = lanes.acquire();
        tx = transactions[lane];
        tx.begin(Thread.currentThread());
        slot[0] = tx;
        T result = null;
        Throwable failure = null;
        try {
            result = body.apply(tx);
            if (tx.stage == TxStage.ONABORT) {
                failure = new TransactionAbortedException("an inner transaction on lane " + lane
                        + " aborted, so the whole transaction was rolled back");
            } else {
                tx.commit();
            }
        } catch (Throwable t) {
            failure = t;
            if (tx.stage == TxStage.WORK) {
                try {
                    tx.rollback();
                } catch (Throwable r) {
                    t.addSuppressed(r);
                }
            }
        } finally {
            slot[0] = null;
        }
        List<Runnable> callbacks = tx.finish();
        lanes.release(lane);
        Throwable callbackFailure = runCallbacks(callbacks);
        if (failure != null) {
            if (callbackFailure != null) {
                failure.addSuppressed(callbackFailure);
            }
            throw map(failure);
        }
        if (callbackFailure != null) {
            throw map(callbackFailure);
        }
        return result;
    }

    private <T> T nested(Transaction tx, TxFunction<T> body) {
        if (tx.stage != TxStage.WORK) {
            throw new IllegalStateException("cannot start a transaction inside one in stage " + tx.stage);
        }
        tx.depth++;
        try {
            return body.apply(tx);
        } catch (Throwable t) {
            if (tx.stage == TxStage.WORK) {
                try {
                    tx.rollback();
                } catch (Throwable r) {
                    t.addSuppressed(r);
                }
            }
            throw map(t);
        } finally {
            tx.depth--;
        }
    }

    private static Throwable runCallbacks(List<Runnable> callbacks) {
        if (callbacks == null) {
            return null;
        }
        Throwable first = null;
        for (Runnable r : callbacks) {
            try {
                r.run();
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                } else {
                    first.addSuppressed(t);
                }
            }
        }
        return first;
    }

    private RuntimeException map(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof InternalError e && MediaFaults.isMediaFault(e)) {
            // C2 reports a SIGBUS late, past the medium's own translation (see MediaFaults).
            return MediaFaults.translate(e, "a transaction on pool " + pool.path());
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof IOException io) {
            return new PoolIoException("transaction rolled back: " + io.getMessage(), io);
        }
        return new TransactionAbortedException("transaction rolled back: " + t, t);
    }

    /**
     * Makes every flushed store durable: the durability point of the last commits (see
     * {@link Transaction}). Nothing to do on a read-only pool.
     */
    public void drain() {
        if (!readOnly) {
            medium.drain();
        }
    }

    /**
     * {@return true when the pool was opened read-only: reads work, transactions and stores are
     * refused}
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** The exception for {@code what} attempted on a read-only pool. */
    ReadOnlyPoolException refuseReadOnly(String what) {
        return new ReadOnlyPoolException("pool " + pool.path() + " was opened read-only: " + what
                + " is refused; open it without PoolOptions.withReadOnly(true) to change it");
    }

    /**
     * Refuses new transactions, frees the lanes' overflow buffers (a closed pool holds none) and
     * drains. Fails if a transaction is running. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!lanes.allFree()) {
            throw new IllegalStateException("cannot close pool " + pool.path() + " while a transaction is running");
        }
        closed = true;
        if (readOnly) {
            return;
        }
        // the last commits' generation stores must be durable before the buffers holding their
        // entries are freed (see UndoOverflow)
        medium.drain();
        boolean released = false;
        for (Transaction tx : transactions) {
            if (tx.hasOverflow()) {
                tx.releaseOverflow();
                released = true;
            }
        }
        if (released) {
            medium.drain();
        }
    }

    /** {@return whether {@link #close} was called} */
    public boolean isClosed() {
        return closed;
    }
}
