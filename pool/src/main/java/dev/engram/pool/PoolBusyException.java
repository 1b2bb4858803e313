package dev.engram.pool;

/** The pool is open elsewhere; the message names the holder. */
public class PoolBusyException extends EngramException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#BUSY}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public PoolBusyException(String message) {
        super(ErrorCode.BUSY, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#BUSY}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public PoolBusyException(String message, Throwable cause) {
        super(ErrorCode.BUSY, message, cause);
    }
}
