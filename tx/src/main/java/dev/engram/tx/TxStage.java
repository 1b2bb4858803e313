package dev.engram.tx;

/** Where a transaction is (after PMDK's tx stages). Only {@link #WORK} accepts changes. */
public enum TxStage {
    /** No transaction on this thread. */
    NONE,
    /** Inside the transaction's body: ranges, allocations and frees are accepted. */
    WORK,
    /** Committed; commit callbacks are running. */
    ONCOMMIT,
    /** Rolled back (explicitly, by an exception, or by an inner abort); abort callbacks are running or ran. */
    ONABORT
}
