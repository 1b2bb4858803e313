package dev.engram.tx;

/** A transaction body that returns a value and may throw anything; see {@code ObjectPool#transaction}. */
@FunctionalInterface
public interface TxFunction<T> {
    T apply(Transaction tx) throws Exception;
}
