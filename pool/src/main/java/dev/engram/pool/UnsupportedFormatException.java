package dev.engram.pool;

/** The pool was written by a newer format version, or uses a feature flag this library does not know. */
public class UnsupportedFormatException extends EngramException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(String message) {
        super(ErrorCode.UNSUPPORTED_FORMAT, message);
    }

    public UnsupportedFormatException(String message, Throwable cause) {
        super(ErrorCode.UNSUPPORTED_FORMAT, message, cause);
    }
}
