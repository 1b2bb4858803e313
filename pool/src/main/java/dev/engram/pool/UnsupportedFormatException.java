package dev.engram.pool;

/** The pool was written by a newer format version, or uses a feature flag this library does not know. */
public class UnsupportedFormatException extends EngramException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#UNSUPPORTED_FORMAT}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public UnsupportedFormatException(String message) {
        super(ErrorCode.UNSUPPORTED_FORMAT, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#UNSUPPORTED_FORMAT}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public UnsupportedFormatException(String message, Throwable cause) {
        super(ErrorCode.UNSUPPORTED_FORMAT, message, cause);
    }
}
