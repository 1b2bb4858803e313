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

    /**
     * Creates the exception with reason code {@link ErrorCode#ABORTED}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public TransactionAbortedException(String message) {
        super(ErrorCode.ABORTED, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#ABORTED}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public TransactionAbortedException(String message, Throwable cause) {
        super(ErrorCode.ABORTED, message, cause);
    }
}
