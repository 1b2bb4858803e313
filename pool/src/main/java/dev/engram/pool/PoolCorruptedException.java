package dev.engram.pool;

/** A structure in the pool file failed validation. */
public class PoolCorruptedException extends EngramException {
    private static final long serialVersionUID = 1L;

    public PoolCorruptedException(String message) {
        super(ErrorCode.CORRUPTED, message);
    }

    public PoolCorruptedException(String message, Throwable cause) {
        super(ErrorCode.CORRUPTED, message, cause);
    }
}
