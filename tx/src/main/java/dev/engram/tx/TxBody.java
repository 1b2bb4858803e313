package dev.engram.tx;

/** A transaction body without a result. */
@FunctionalInterface
public interface TxBody {
    /**
     * Does the transaction's work.
     *
     * @param tx the running transaction
     * @throws Exception anything; it aborts the transaction (checked exceptions are wrapped when rethrown)
     */
    void run(Transaction tx) throws Exception;
}
