package dev.engram.tx;

/**
 * A persistent reference: the pool offset of an object's block (0 = null) and its class. Stable
 * across reopen; store {@link #offset()} in other objects to link them. Immutable value.
 */
public record Ref<T>(long offset, Class<T> type) {
    public boolean isNull() {
        return offset == 0;
    }
}
