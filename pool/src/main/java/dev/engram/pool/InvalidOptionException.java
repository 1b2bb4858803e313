package dev.engram.pool;

/** An option or argument given by the caller is invalid. */
public class InvalidOptionException extends EngramException {
    private static final long serialVersionUID = 1L;

    public InvalidOptionException(String message) {
        super(ErrorCode.INVALID_ARGUMENT, message);
    }

    public InvalidOptionException(String message, Throwable cause) {
        super(ErrorCode.INVALID_ARGUMENT, message, cause);
    }
}
