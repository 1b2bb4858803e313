package dev.engram.pool;

/** The pool was created with another layout name. */
public class LayoutMismatchException extends EngramException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#LAYOUT_MISMATCH}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public LayoutMismatchException(String message) {
        super(ErrorCode.LAYOUT_MISMATCH, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#LAYOUT_MISMATCH}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public LayoutMismatchException(String message, Throwable cause) {
        super(ErrorCode.LAYOUT_MISMATCH, message, cause);
    }
}
