package dev.engram.pool;

/** DAX was required (MappingPolicy.REQUIRE_DAX) but the file cannot be mapped with MAP_SYNC. */
public class DaxUnavailableException extends EngramException {
    private static final long serialVersionUID = 1L;

    public DaxUnavailableException(String message) {
        super(ErrorCode.DAX_UNAVAILABLE, message);
    }

    public DaxUnavailableException(String message, Throwable cause) {
        super(ErrorCode.DAX_UNAVAILABLE, message, cause);
    }
}
