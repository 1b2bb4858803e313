package dev.engram.pool;

/** The heap has no free block of the requested size; the pool stays consistent and usable. */
public class OutOfPoolMemoryException extends EngramException {
    private static final long serialVersionUID = 1L;

    public OutOfPoolMemoryException(String message) {
        super(ErrorCode.OUT_OF_MEMORY, message);
    }

    public OutOfPoolMemoryException(String message, Throwable cause) {
        super(ErrorCode.OUT_OF_MEMORY, message, cause);
    }
}
