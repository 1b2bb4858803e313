package dev.engram.pool;

/** The selected path needs a JVM flag that was not given; the message names it. */
public class MissingJvmFlagException extends EngramException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#JVM_FLAG_MISSING}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public MissingJvmFlagException(String message) {
        super(ErrorCode.JVM_FLAG_MISSING, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#JVM_FLAG_MISSING}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public MissingJvmFlagException(String message, Throwable cause) {
        super(ErrorCode.JVM_FLAG_MISSING, message, cause);
    }
}
