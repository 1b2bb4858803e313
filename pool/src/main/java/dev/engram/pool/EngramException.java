package dev.engram.pool;

/**
 * Root of every failure Engram reports. Each carries an {@link ErrorCode}; messages name the file,
 * the offset and what to do where those are known.
 */
public class EngramException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The stable reason code, part of the serialized form. */
    private final ErrorCode code;

    /**
     * Creates the exception; the message gets the code appended as {@code " [CODE]"}.
     *
     * @param code    the stable reason code
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public EngramException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * Creates the exception; the message gets the code appended as {@code " [CODE]"}.
     *
     * @param code    the stable reason code
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public EngramException(ErrorCode code, String message, Throwable cause) {
        super(message + " [" + code + "]", cause);
        this.code = code;
    }

    /** {@return the stable reason code of this failure} */
    public ErrorCode code() {
        return code;
    }
}
