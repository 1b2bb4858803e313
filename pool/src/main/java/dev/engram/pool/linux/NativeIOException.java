package dev.engram.pool.linux;

import java.io.IOException;

/** An I/O failure from a native call, carrying errno so callers can pick a fallback. */
public final class NativeIOException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The errno value, part of the serialized form. */
    private final int errno;

    /**
     * Creates the exception.
     *
     * @param message the call, the file and strerror's text
     * @param errno   the errno value the native call set
     */
    public NativeIOException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** {@return the errno value the native call set, e.g. {@link Libc#EOPNOTSUPP}} */
    public int errno() {
        return errno;
    }
}
