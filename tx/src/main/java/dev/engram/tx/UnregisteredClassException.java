package dev.engram.tx;

import dev.engram.pool.PoolCorruptedException;

/** A pool names a class id the layout does not register: nothing was instantiated. */
public class UnregisteredClassException extends PoolCorruptedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with reason code {@link dev.engram.pool.ErrorCode#CORRUPTED}.
     *
     * @param message the pool, the offset and the class id or Kryo's complaint
     * @param cause   Kryo's failure, or null when the id is simply not registered
     */
    public UnregisteredClassException(String message, Throwable cause) {
        super(message, cause);
    }
}
