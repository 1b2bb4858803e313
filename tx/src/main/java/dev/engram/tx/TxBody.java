package dev.engram.tx;

/** A transaction body without a result. */
@FunctionalInterface
public interface TxBody {
    void run(Transaction tx) throws Exception;
}
