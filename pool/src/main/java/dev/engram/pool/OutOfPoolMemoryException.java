package dev.engram.pool;

/** The heap has no free block of the requested size; the pool stays consistent and usable. */
public class OutOfPoolMemoryException extends EngramException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#OUT_OF_MEMORY}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public OutOfPoolMemoryException(String message) {
        super(ErrorCode.OUT_OF_MEMORY, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#OUT_OF_MEMORY}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public OutOfPoolMemoryException(String message, Throwable cause) {
        super(ErrorCode.OUT_OF_MEMORY, message, cause);
    }
}
