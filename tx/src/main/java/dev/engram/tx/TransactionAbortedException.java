package dev.engram.tx;

import dev.engram.pool.EngramException;
import dev.engram.pool.ErrorCode;

/**
 * A transaction was rolled back: explicitly ({@link Transaction#abort}), because an inner
 * transaction aborted, or because its body threw a checked exception (the cause).
 * Carries {@link ErrorCode#ABORTED}.
 */
public class TransactionAbortedException extends EngramException {
    private static final long serialVersionUID = 1L;

    public TransactionAbortedException(String message) {
        super(ErrorCode.ABORTED, message);
    }

    public TransactionAbortedException(String message, Throwable cause) {
        super(ErrorCode.ABORTED, message, cause);
    }
}
