package dev.engram.pool;

/** The selected path needs a JVM flag that was not given; the message names it. */
public class MissingJvmFlagException extends EngramException {
    private static final long serialVersionUID = 1L;

    public MissingJvmFlagException(String message) {
        super(ErrorCode.JVM_FLAG_MISSING, message);
    }

    public MissingJvmFlagException(String message, Throwable cause) {
        super(ErrorCode.JVM_FLAG_MISSING, message, cause);
    }
}
