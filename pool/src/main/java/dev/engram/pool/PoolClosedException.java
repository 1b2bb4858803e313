package dev.engram.pool;

/** The pool was closed, or refused further use after a fatal error. */
public class PoolClosedException extends EngramException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#CLOSED}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public PoolClosedException(String message) {
        super(ErrorCode.CLOSED, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#CLOSED}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public PoolClosedException(String message, Throwable cause) {
        super(ErrorCode.CLOSED, message, cause);
    }
}
