package dev.engram.pool;

/** The pool was closed, or refused further use after a fatal error. */
public class PoolClosedException extends EngramException {
    private static final long serialVersionUID = 1L;

    public PoolClosedException(String message) {
        super(ErrorCode.CLOSED, message);
    }

    public PoolClosedException(String message, Throwable cause) {
        super(ErrorCode.CLOSED, message, cause);
    }
}
