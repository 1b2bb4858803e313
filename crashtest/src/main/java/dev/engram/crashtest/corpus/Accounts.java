package dev.engram.crashtest.corpus;

import dev.engram.pool.medium.Medium;

import static dev.engram.crashtest.corpus.Invariants.require;
import static dev.engram.crashtest.corpus.ReferenceLayout.BALANCE_A;
import static dev.engram.crashtest.corpus.ReferenceLayout.BALANCE_B;
import static dev.engram.crashtest.corpus.ReferenceLayout.TRANSFERS;
import static dev.engram.crashtest.corpus.ReferenceLayout.UNDO_CAPACITY;
import static dev.engram.crashtest.corpus.ReferenceLayout.UNDO_COUNT;
import static dev.engram.crashtest.corpus.ReferenceLayout.UNDO_ENTRIES;
import static dev.engram.crashtest.corpus.ReferenceLayout.UNDO_ENTRY_SIZE;
import static dev.engram.crashtest.corpus.ReferenceLayout.undoEntryOffset;
import static dev.engram.crashtest.corpus.ReferenceLayout.undoEntryOld;

/**
 * Reference structure 1: two balances and a transfer counter, changed together by a tiny undo-log
 * transaction. The correct protocol:
 * <ol>
 *   <li>write an undo entry (offset, old value) per word to change, persist the entries;</li>
 *   <li>persist UNDO_COUNT = number of entries (the log is now valid);</li>
 *   <li>write the new values, flush them all, drain;</li>
 *   <li>persist UNDO_COUNT = 0 (commit: the log is retired by one 8-byte store).</li>
 * </ol>
 * Recovery: if UNDO_COUNT is non-zero, restore the entries newest first, persist, retire the log.
 * Invariant after recovery: A + B = TOTAL, A = TOTAL - k * AMOUNT for some committed count k, and
 * TRANSFERS &lt;= k (the counter may lag behind, it must never lead).
 */
final class Accounts {
    static final long TOTAL = 100;
    static final long AMOUNT = 10;
    static final int TRANSFERS_PER_WORKLOAD = 3;

    private Accounts() {
    }

    static void setup(Medium m) {
        m.putLong(BALANCE_A, TOTAL);
        m.putLong(BALANCE_B, 0);
        m.putLong(TRANSFERS, 0);
        m.putLong(UNDO_COUNT, 0);
        m.persist(0, ReferenceLayout.SIZE);
    }

    static void recover(Medium m) {
        long n = m.getLong(UNDO_COUNT);
        if (n < 0 || n > UNDO_CAPACITY) {
            throw new IllegalStateException("undo log corrupted: count=" + n + " at offset " + UNDO_COUNT);
        }
        for (int i = (int) n - 1; i >= 0; i--) {
            long offset = m.getLong(undoEntryOffset(i));
            if (offset != BALANCE_A && offset != BALANCE_B && offset != TRANSFERS) {
                throw new IllegalStateException("undo entry " + i + " names offset " + offset + ", not a logged field");
            }
            m.putLong(offset, m.getLong(undoEntryOld(i)));
            m.flush(offset, Long.BYTES);
        }
        if (n > 0) {
            m.drain();
            m.putLongPersist(UNDO_COUNT, 0);
        }
    }

    static void recoverAndCheck(Medium m) {
        recover(m);
        long a = m.getLong(BALANCE_A);
        long b = m.getLong(BALANCE_B);
        long t = m.getLong(TRANSFERS);
        require(a + b == TOTAL, "A + B == " + TOTAL + ", A=" + a + " B=" + b);
        long done = TOTAL - a;
        require(done >= 0 && done % AMOUNT == 0 && done / AMOUNT <= TRANSFERS_PER_WORKLOAD,
                "A is a whole number of transfers, A=" + a);
        require(t >= 0 && t <= done / AMOUNT, "TRANSFERS never leads the balances, TRANSFERS=" + t + " A=" + a);
    }

    /** Runs {@code transfer} {@link #TRANSFERS_PER_WORKLOAD} times. */
    static void workload(Medium m, Transfer transfer) {
        for (int i = 0; i < TRANSFERS_PER_WORKLOAD; i++) {
            transfer.run(m);
        }
    }

    @FunctionalInterface
    interface Transfer {
        void run(Medium m);
    }

    private static void log(Medium m, int entry, long offset) {
        m.putLong(undoEntryOffset(entry), offset);
        m.putLong(undoEntryOld(entry), m.getLong(offset));
    }

    private static void writeNewValues(Medium m) {
        m.putLong(BALANCE_A, m.getLong(BALANCE_A) - AMOUNT);
        m.putLong(BALANCE_B, m.getLong(BALANCE_B) + AMOUNT);
        m.putLong(TRANSFERS, m.getLong(TRANSFERS) + 1);
    }

    private static void flushNewValues(Medium m) {
        m.flush(BALANCE_A, Long.BYTES);
        m.flush(BALANCE_B, Long.BYTES);
        m.flush(TRANSFERS, Long.BYTES);
    }

    private static void logAll(Medium m) {
        log(m, 0, BALANCE_A);
        log(m, 1, BALANCE_B);
        log(m, 2, TRANSFERS);
    }

    // ---- the correct transfer and its broken variants ---------------------------------------------

    static void correct(Medium m) {
        logAll(m);
        m.persist(UNDO_ENTRIES, UNDO_CAPACITY * UNDO_ENTRY_SIZE);
        m.putLongPersist(UNDO_COUNT, UNDO_CAPACITY);
        writeNewValues(m);
        flushNewValues(m);
        m.drain();
        m.putLongPersist(UNDO_COUNT, 0);
    }

    /** No log at all: each balance is persisted on its own. */
    static void noUndoLog(Medium m) {
        m.putLongPersist(BALANCE_A, m.getLong(BALANCE_A) - AMOUNT);
        m.putLongPersist(BALANCE_B, m.getLong(BALANCE_B) + AMOUNT);
        m.putLongPersist(TRANSFERS, m.getLong(TRANSFERS) + 1);
    }

    /** Publish before initialise: the log is declared valid before its entries are written. */
    static void countBeforeEntries(Medium m) {
        m.putLongPersist(UNDO_COUNT, UNDO_CAPACITY);
        logAll(m);
        m.persist(UNDO_ENTRIES, UNDO_CAPACITY * UNDO_ENTRY_SIZE);
        writeNewValues(m);
        flushNewValues(m);
        m.drain();
        m.putLongPersist(UNDO_COUNT, 0);
    }

    /** Missing drain: the new values are flushed but the commit is persisted in the same epoch. */
    static void missingDrainBeforeCommit(Medium m) {
        logAll(m);
        m.persist(UNDO_ENTRIES, UNDO_CAPACITY * UNDO_ENTRY_SIZE);
        m.putLongPersist(UNDO_COUNT, UNDO_CAPACITY);
        writeNewValues(m);
        flushNewValues(m);
        m.putLongPersist(UNDO_COUNT, 0);
    }

    /** Missing flush: the new values are never flushed before the commit. */
    static void missingFlushOfData(Medium m) {
        logAll(m);
        m.persist(UNDO_ENTRIES, UNDO_CAPACITY * UNDO_ENTRY_SIZE);
        m.putLongPersist(UNDO_COUNT, UNDO_CAPACITY);
        writeNewValues(m);
        m.drain();
        m.putLongPersist(UNDO_COUNT, 0);
    }

    /** Flush before write: the entries are flushed, then written, so the drain does not cover them. */
    static void flushBeforeWrite(Medium m) {
        m.flush(UNDO_ENTRIES, UNDO_CAPACITY * UNDO_ENTRY_SIZE);
        logAll(m);
        m.drain();
        m.putLongPersist(UNDO_COUNT, UNDO_CAPACITY);
        writeNewValues(m);
        flushNewValues(m);
        m.drain();
        m.putLongPersist(UNDO_COUNT, 0);
    }

    /** Log persisted after the data write: the new values may reach the media before the log. */
    static void dataBeforeLog(Medium m) {
        long a = m.getLong(BALANCE_A);
        long b = m.getLong(BALANCE_B);
        long t = m.getLong(TRANSFERS);
        writeNewValues(m);
        m.putLong(undoEntryOffset(0), BALANCE_A);
        m.putLong(undoEntryOld(0), a);
        m.putLong(undoEntryOffset(1), BALANCE_B);
        m.putLong(undoEntryOld(1), b);
        m.putLong(undoEntryOffset(2), TRANSFERS);
        m.putLong(undoEntryOld(2), t);
        m.persist(UNDO_ENTRIES, UNDO_CAPACITY * UNDO_ENTRY_SIZE);
        m.putLongPersist(UNDO_COUNT, UNDO_CAPACITY);
        flushNewValues(m);
        m.drain();
        m.putLongPersist(UNDO_COUNT, 0);
    }

    /**
     * Missing snapshot: TRANSFERS is changed without an undo entry, and the commit flushes only the
     * logged ranges, so TRANSFERS is never flushed. Only an early write-back of its unflushed line
     * makes it durable while the transaction is rolled back; pmreorder's model cannot see that.
     */
    static void missingSnapshot(Medium m) {
        log(m, 0, BALANCE_A);
        log(m, 1, BALANCE_B);
        m.persist(UNDO_ENTRIES, 2 * UNDO_ENTRY_SIZE);
        m.putLongPersist(UNDO_COUNT, 2);
        writeNewValues(m);
        m.flush(BALANCE_A, Long.BYTES);
        m.flush(BALANCE_B, Long.BYTES);
        m.drain();
        m.putLongPersist(UNDO_COUNT, 0);
    }

    /** Commit marker before the data is flushed: the log is retired, then the new values persisted. */
    static void commitBeforeDataFlushed(Medium m) {
        logAll(m);
        m.persist(UNDO_ENTRIES, UNDO_CAPACITY * UNDO_ENTRY_SIZE);
        m.putLongPersist(UNDO_COUNT, UNDO_CAPACITY);
        writeNewValues(m);
        m.putLongPersist(UNDO_COUNT, 0);
        flushNewValues(m);
        m.drain();
    }
}
