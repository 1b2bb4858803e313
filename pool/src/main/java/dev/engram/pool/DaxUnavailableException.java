package dev.engram.pool;

/** DAX was required (MappingPolicy.REQUIRE_DAX) but the file cannot be mapped with MAP_SYNC. */
public class DaxUnavailableException extends EngramException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#DAX_UNAVAILABLE}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     */
    public DaxUnavailableException(String message) {
        super(ErrorCode.DAX_UNAVAILABLE, message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#DAX_UNAVAILABLE}.
     *
     * @param message what failed, naming the file, the offset and what to do where known
     * @param cause   the underlying failure, or null
     */
    public DaxUnavailableException(String message, Throwable cause) {
        super(ErrorCode.DAX_UNAVAILABLE, message, cause);
    }
}
