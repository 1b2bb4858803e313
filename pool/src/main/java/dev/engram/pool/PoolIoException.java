package dev.engram.pool;

/** An operating-system call on the pool file failed. */
public class PoolIoException extends EngramException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#IO_ERROR}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public PoolIoException(String message) {
        super(ErrorCode.IO_ERROR, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#IO_ERROR}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public PoolIoException(String message, Throwable cause) {
        super(ErrorCode.IO_ERROR, message, cause);
    }
}
