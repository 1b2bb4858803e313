package dev.engram.tx;

/**
 * A transaction body that returns a value and may throw anything; see {@code ObjectPool#transaction}.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TxFunction<T> {
    /**
     * Does the transaction's work.
     *
     * @param tx the running transaction
     * @return the transaction's result
     * @throws Exception anything; it aborts the transaction (checked exceptions are wrapped when rethrown)
     */
    T apply(Transaction tx) throws Exception;
}
