package dev.engram.examples.bank;

import dev.engram.collections.Codec;
import dev.engram.collections.PersistentCollections;
import dev.engram.collections.PersistentHashMap;
import dev.engram.collections.PersistentList;
import dev.engram.tx.TxEngine;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small bank kept in a pool: balances in a persistent hash map, every transfer in a persistent
 * list (the ledger). A transfer is one transaction over both collections, so after a crash the
 * ledger and the balances agree: either the whole transfer happened or none of it did.
 *
 * <p>Not thread-safe as a whole: the demo runs one transfer at a time. (The collections themselves
 * are safe for concurrent use.)
 */
public final class Bank {
    /**
     * One ledger line. Public because the record codec reads it through its public accessors.
     *
     * @param number the transfer's number, 1 for the first transfer in the pool
     * @param from   the debited account
     * @param to     the credited account
     * @param amount what moved, positive
     */
    public record Transfer(long number, String from, String to, long amount) {
    }

    private static final Codec<String> NAME = Codec.string(16);

    private final TxEngine engine;
    private final PersistentHashMap<String, Long> accounts;
    private final PersistentList<Transfer> ledger;

    /**
     * Opens (or creates, on first use) the bank's collections. Takes the transaction engine rather
     * than the {@code ObjectPool} so that crash tests can run it on crash images
     * ({@code ObjectPool.engine()} gives it for a pool file).
     *
     * @param engine the transaction layer of the pool holding the bank
     */
    public Bank(TxEngine engine) {
        this.engine = engine;
        PersistentCollections collections = PersistentCollections.of(engine);
        // Created on first use, found by name on every later open.
        this.accounts = collections.hashMap("accounts", NAME, Codec.int64());
        this.ledger = collections.list("ledger",
                Codec.record(Transfer.class, Codec.int64(), NAME, NAME, Codec.int64()));
    }

    /**
     * Opens the given accounts, all in one transaction.
     *
     * @param initial opening balance by account name
     */
    public void openAccounts(Map<String, Long> initial) {
        engine.transaction(tx -> {
            accounts.putAll(initial);
            return null;
        });
    }

    /**
     * Moves {@code amount} from one account to another and records it in the ledger.
     * {@code midway} runs after the debit and before the credit; the demo uses it to die there.
     *
     * @param from   the account to debit
     * @param to     the account to credit
     * @param amount what to move, 1 .. the balance of {@code from}
     * @param midway runs inside the transaction, between debit and credit
     * @return the ledger line written
     * @throws IllegalArgumentException when the amount is not positive or exceeds the balance
     */
    public Transfer transfer(String from, String to, long amount, Runnable midway) {
        return engine.transaction(tx -> {
            long balance = accounts.get(from);
            if (amount <= 0 || amount > balance) {
                // Thrown inside the transaction: nothing written so far survives it.
                throw new IllegalArgumentException("cannot move " + amount + " from " + from + ", balance=" + balance);
            }
            accounts.put(from, balance - amount);
            midway.run();
            accounts.put(to, accounts.get(to) + amount);
            Transfer t = new Transfer(ledger.size() + 1L, from, to, amount);
            ledger.add(t);
            return t;
        });
    }

    /**
     * Balances by account name.
     *
     * @return a sorted copy
     */
    public Map<String, Long> balances() {
        return new TreeMap<>(accounts);
    }

    /**
     * The sum of all balances; transfers never change it.
     *
     * @return the total
     */
    public long total() {
        return accounts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Transfers committed so far; the next one gets number {@code transfers() + 1}.
     *
     * @return the ledger's length
     */
    public int transfers() {
        return ledger.size();
    }

    /**
     * Every transfer, oldest first.
     *
     * @return a copy of the ledger
     */
    public List<Transfer> ledger() {
        return List.copyOf(ledger);
    }
}
