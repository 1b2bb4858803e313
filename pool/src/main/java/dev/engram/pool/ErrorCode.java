package dev.engram.pool;

/**
 * Stable reason codes carried by every {@link EngramException}, so that tests and the CLI can match
 * on the cause of a failure without parsing messages.
 */
public enum ErrorCode {
    /** A structure read from the pool failed validation (checksum, range, signature). */
    CORRUPTED,
    /** The pool is open elsewhere, in this JVM or another process. */
    BUSY,
    /** The heap has no block that fits the request. */
    OUT_OF_MEMORY,
    /** A poisoned or vanished page of the mapping was accessed, or a known bad block was hit. */
    MEDIA_ERROR,
    /** The pool was created for another layout than the one the caller asked for. */
    LAYOUT_MISMATCH,
    /** The pool's format version or feature flags are newer than this library understands. */
    UNSUPPORTED_FORMAT,
    /** An operating-system I/O call failed (missing file, permission, full disk). */
    IO_ERROR,
    /** DAX was required but the file cannot be mapped synchronously. */
    DAX_UNAVAILABLE,
    /** The caller passed an invalid option or argument. */
    INVALID_ARGUMENT,
    /** A JVM flag the chosen path needs was not given. */
    JVM_FLAG_MISSING,
    /** The pool (or the medium under it) was closed, or failed earlier and refuses further use. */
    CLOSED,
    /** An offset or length fell outside the mapping. */
    OUT_OF_BOUNDS,
    /** A transaction was aborted (explicitly, or by a failure inside it) and its changes rolled back. */
    ABORTED
}
