package dev.engram.pool.linux;

import java.io.IOException;

/** An I/O failure from a native call, carrying errno so callers can pick a fallback. */
public final class NativeIOException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public NativeIOException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
