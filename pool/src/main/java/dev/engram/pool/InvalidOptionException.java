package dev.engram.pool;

/** An option or argument given by the caller is invalid. */
public class InvalidOptionException extends EngramException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#INVALID_ARGUMENT}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public InvalidOptionException(String message) {
        super(ErrorCode.INVALID_ARGUMENT, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#INVALID_ARGUMENT}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public InvalidOptionException(String message, Throwable cause) {
        super(ErrorCode.INVALID_ARGUMENT, message, cause);
    }
}
