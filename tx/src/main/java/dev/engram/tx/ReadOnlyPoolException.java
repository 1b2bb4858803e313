package dev.engram.tx;

import dev.engram.pool.PoolIoException;

/**
 * A pool opened read-only ({@code PoolOptions.withReadOnly(true)}) was asked to change, or cannot be
 * read consistently without a recovery that would write. The message names the file and says what
 * to do. A subclass of the pool layer's {@link PoolIoException}, which {@code Pool.medium()} throws
 * for the same misuse one layer down, so one catch covers both.
 */
public class ReadOnlyPoolException extends PoolIoException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the pool file, the refused operation and what to do instead
     */
    public ReadOnlyPoolException(String message) {
        super(message);
    }
}
