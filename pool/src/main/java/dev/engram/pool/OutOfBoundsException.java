package dev.engram.pool;

/** An offset or length fell outside the mapping; nothing was read or written. */
public class OutOfBoundsException extends EngramException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#OUT_OF_BOUNDS}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public OutOfBoundsException(String message) {
        super(ErrorCode.OUT_OF_BOUNDS, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#OUT_OF_BOUNDS}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public OutOfBoundsException(String message, Throwable cause) {
        super(ErrorCode.OUT_OF_BOUNDS, message, cause);
    }
}
