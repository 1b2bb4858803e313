package dev.engram.tx;

/** Small helpers for writing through a transaction in engine tests. */
final class EngineTestSupport {
    private EngineTestSupport() {
    }

    /** Saves the range, then stores {@code value} in each of its bytes (8 at a time). */
    static void write(Transaction tx, TxEngine e, long offset, long length, int value) {
        tx.addRange(offset, length);
        e.medium().fill(offset, length, (byte) value);
    }
}
