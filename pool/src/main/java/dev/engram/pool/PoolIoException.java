package dev.engram.pool;

/** An operating-system call on the pool file failed. */
public class PoolIoException extends EngramException {
    private static final long serialVersionUID = 1L;

    public PoolIoException(String message) {
        super(ErrorCode.IO_ERROR, message);
    }

    public PoolIoException(String message, Throwable cause) {
        super(ErrorCode.IO_ERROR, message, cause);
    }
}
