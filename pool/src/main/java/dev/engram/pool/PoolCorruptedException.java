package dev.engram.pool;

/** A structure in the pool file failed validation. */
public class PoolCorruptedException extends EngramException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#CORRUPTED}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public PoolCorruptedException(String message) {
        super(ErrorCode.CORRUPTED, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#CORRUPTED}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public PoolCorruptedException(String message, Throwable cause) {
        super(ErrorCode.CORRUPTED, message, cause);
    }
}
