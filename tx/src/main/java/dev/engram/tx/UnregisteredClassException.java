package dev.engram.tx;

import dev.engram.pool.PoolCorruptedException;

/** A pool names a class id the layout does not register: nothing was instantiated. */
public class UnregisteredClassException extends PoolCorruptedException {
    private static final long serialVersionUID = 1L;

    public UnregisteredClassException(String message, Throwable cause) {
        super(message, cause);
    }
}
