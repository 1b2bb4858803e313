package dev.engram.pool;

/** An offset or length fell outside the mapping; nothing was read or written. */
public class OutOfBoundsException extends EngramException {
    private static final long serialVersionUID = 1L;

    public OutOfBoundsException(String message) {
        super(ErrorCode.OUT_OF_BOUNDS, message);
    }

    public OutOfBoundsException(String message, Throwable cause) {
        super(ErrorCode.OUT_OF_BOUNDS, message, cause);
    }
}
