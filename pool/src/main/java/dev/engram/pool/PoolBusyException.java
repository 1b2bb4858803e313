package dev.engram.pool;

/** The pool is open elsewhere; the message names the holder. */
public class PoolBusyException extends EngramException {
    private static final long serialVersionUID = 1L;

    public PoolBusyException(String message) {
        super(ErrorCode.BUSY, message);
    }

    public PoolBusyException(String message, Throwable cause) {
        super(ErrorCode.BUSY, message, cause);
    }
}
