package dev.engram.pool;

/**
 * Root of every failure Engram reports. Each carries an {@link ErrorCode}; messages name the file,
 * the offset and what to do where those are known.
 */
public class EngramException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public EngramException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public EngramException(ErrorCode code, String message, Throwable cause) {
        super(message + " [" + code + "]", cause);
        this.code = code;
    }

    /** The stable reason code of this failure. */
    public ErrorCode code() {
        return code;
    }
}
