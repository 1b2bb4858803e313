package dev.engram.pool;

/** The pool was created with another layout name. */
public class LayoutMismatchException extends EngramException {
    private static final long serialVersionUID = 1L;

    public LayoutMismatchException(String message) {
        super(ErrorCode.LAYOUT_MISMATCH, message);
    }

    public LayoutMismatchException(String message, Throwable cause) {
        super(ErrorCode.LAYOUT_MISMATCH, message, cause);
    }
}
