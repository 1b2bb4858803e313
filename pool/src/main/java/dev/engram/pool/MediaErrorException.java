package dev.engram.pool;

/**
 * A poisoned or vanished page was touched (SIGBUS on the mapping), or an access hit a range the
 * {@code BadBlockSource} lists as bad. Carries the pool offset of the access.
 */
public class MediaErrorException extends EngramException {
    private static final long serialVersionUID = 1L;

    /** Pool offset of the failed access, -1 if unknown; part of the serialized form. */
    private final long offset;

    /**
     * Creates the exception with reason code {@link ErrorCode#MEDIA_ERROR}.
     *
     * @param offset  pool offset of the access that failed, or -1 when the JVM did not report it
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public MediaErrorException(long offset, String message) {
        this(offset, message, null);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#MEDIA_ERROR}.
     *
     * @param offset  pool offset of the access that failed, or -1 when the JVM did not report it
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public MediaErrorException(long offset, String message, Throwable cause) {
        super(ErrorCode.MEDIA_ERROR, message + " (pool offset " + offset + ")", cause);
        this.offset = offset;
    }

    /** {@return the pool offset of the access that failed, or -1 when the JVM did not report it} */
    public long offset() {
        return offset;
    }
}
