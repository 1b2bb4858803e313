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

    public CodecMismatchException(String message) {
        super(message);
    }

    public CodecMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
