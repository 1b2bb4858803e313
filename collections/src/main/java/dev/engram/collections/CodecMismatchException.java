package dev.engram.collections;

import dev.engram.pool.ErrorCode;
import dev.engram.pool.LayoutMismatchException;

/**
 * A collection was opened with other codecs (or as another kind of collection) than the pool
 * recorded when it was created, or stored bytes cannot be read with the codec. Carries
 * {@link ErrorCode#LAYOUT_MISMATCH}.
 */
public class CodecMismatchException extends LayoutMismatchException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link ErrorCode#LAYOUT_MISMATCH}.
     *
     * @param message the collection, what was recorded and what was asked for
     */
    public CodecMismatchException(String message) {
        super(message);
    }

    /**
     * Creates the exception with reason code {@link ErrorCode#LAYOUT_MISMATCH}.
     *
     * @param message the collection, what was recorded and what was asked for
     * @param cause   the codec's own failure to read the bytes, or null
     */
    public CodecMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
