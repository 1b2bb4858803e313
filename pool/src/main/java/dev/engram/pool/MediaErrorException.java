package dev.engram.pool;

/**
 * A poisoned or vanished page was touched (SIGBUS on the mapping), or an access hit a range the
 * {@code BadBlockSource} lists as bad. Carries the pool offset of the access.
 */
public class MediaErrorException extends EngramException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public MediaErrorException(long offset, String message) {
        this(offset, message, null);
    }

    public MediaErrorException(long offset, String message, Throwable cause) {
        super(ErrorCode.MEDIA_ERROR, message + " (pool offset " + offset + ")", cause);
        this.offset = offset;
    }

    /** Pool offset of the access that failed. */
    public long offset() {
        return offset;
    }
}
