package dev.engram.collections;

import dev.engram.pool.ErrorCode;
import dev.engram.pool.EngramException;
import dev.engram.tx.Transaction;
import dev.engram.tx.TxEngine;
import dev.engram.tx.TxFunction;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * Runs one collection mutation under a write lock, as its own transaction or joined to the caller's.
 *
 * <p>Lock protocol: without a running transaction the lock is taken, the transaction runs and
 * commits, and the lock is released. Inside a caller's transaction the lock is taken (waiting at most
 * {@link #LOCK_TIMEOUT_MILLIS}) and held until the outermost transaction commits or aborts, so no
 * other thread sees or changes uncommitted bytes that a rollback would restore. A timeout (two
 * threads' transactions locking the same structures in opposite orders) aborts the caller's
 * transaction with {@link ErrorCode#ABORTED}.
 */
final class Guard {
    /** How long a mutation joined to a caller's transaction waits for a lock: {@code engram.collections.lockTimeoutMillis}. */
    static final long LOCK_TIMEOUT_MILLIS = Long.getLong("engram.collections.lockTimeoutMillis", 10_000L);

    private Guard() {
    }

    static <R> R write(TxEngine engine, Lock lock, TxFunction<R> body) {
        final boolean own = lock(engine, lock);
        try {
            return engine.transaction(body);
        } finally {
            if (own) {
                lock.unlock();
            }
        }
    }

    /**
     * The first half of {@link #write}, for a mutation that prepares its transaction body under the
     * lock (a reused body object): takes the lock and tells who releases it.
     *
     * @return true when there is no running transaction: the caller unlocks once its own transaction
     *         returned; false when the lock is held to the end of the running transaction (released by
     *         its commit or abort)
     */
    static boolean lock(TxEngine engine, Lock lock) {
        Transaction outer = engine.current();
        if (outer == null) {
            lock.lock();
            return true;
        }
        boolean locked;
        try {
            locked = lock.tryLock(LOCK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            // Thrown inside the caller's transaction body: the caller's transaction rolls back.
            throw new EngramException(ErrorCode.ABORTED, "collection lock not acquired within " + LOCK_TIMEOUT_MILLIS
                    + " ms inside a transaction on lane " + outer.lane() + " (another transaction holds it;"
                    + " update collections in one order in every transaction); the transaction is rolled back");
        }
        try {
            outer.onCommit(lock::unlock);
            outer.onAbort(lock::unlock);
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
        return false;
    }
}
