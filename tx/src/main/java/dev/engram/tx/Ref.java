package dev.engram.tx;

/**
 * A persistent reference: the pool offset of an object's block (0 = null) and its class. Stable
 * across reopen; store {@link #offset()} in other objects to link them. Immutable value.
 *
 * @param <T>    the object's class
 * @param offset pool offset of the object's block, 0 for null
 * @param type   the class the object is read as
 */
public record Ref<T>(long offset, Class<T> type) {
    /** {@return whether this is the null reference (offset 0)} */
    public boolean isNull() {
        return offset == 0;
    }
}
