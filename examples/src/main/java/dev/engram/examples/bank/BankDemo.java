package dev.engram.examples.bank;

import dev.engram.pool.EngramException;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolInfo;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What {@code ./demo} runs: creates (or reopens) {@code engram-demo.pool} in the current directory,
 * makes five transfers between four accounts, and prints the balances. Run it again and the
 * balances, the conserved total and the ledger are still there.
 *
 * <p>{@code --crash-at N} halts the JVM inside this run's N-th transfer, after the debit and before
 * the credit: the pool is left with a live undo log, and the next run rolls that transfer back.
 */
public final class BankDemo {
    static final String DEFAULT_POOL = "engram-demo.pool";
    static final ObjectLayout LAYOUT = ObjectLayout.named("engram-bank-demo");
    static final int TRANSFERS_PER_RUN = 5;
    static final Map<String, Long> OPENING = Map.of("alice", 1_000L, "bob", 1_000L, "carol", 1_000L, "dave", 1_000L);
    static final long OPENING_TOTAL = OPENING.values().stream().mapToLong(Long::longValue).sum();
    /** Exit status of a deliberate crash (what a shell shows for a SIGKILLed process). */
    static final int CRASH_STATUS = 137;

    private BankDemo() {
    }

    /**
     * Runs the demo once.
     *
     * @param args {@code [--pool FILE] [--crash-at N]}
     */
    public static void main(String[] args) {
        Path file = Path.of(DEFAULT_POOL);
        int crashAt = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--crash-at" -> crashAt = Integer.parseInt(value(args, ++i));
                case "--pool" -> file = Path.of(value(args, ++i));
                default -> {
                    System.err.println("usage: demo [--pool FILE] [--crash-at N]   (N = 1.." + TRANSFERS_PER_RUN + ")");
                    System.exit(2);
                }
            }
        }
        try {
            run(file, crashAt, System.out);
        } catch (EngramException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(1);
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println("demo: " + args[i - 1] + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /** One run of the demo; {@code crashAt} 0 means no crash. */
    static void run(Path file, int crashAt, PrintStream out) {
        boolean existed = Files.exists(file);
        PoolOptions options = PoolOptions.defaults().withSize(16L << 20).withPolicy(MappingPolicy.AUTO);
        try (ObjectPool pool = existed ? ObjectPool.open(file, LAYOUT, options) : ObjectPool.create(file, LAYOUT, options)) {
            PoolInfo info = pool.pool().info();
            Bank bank = new Bank(pool.engine());
            if (!existed) {
                bank.openAccounts(OPENING);
                out.printf("Created %s: %d accounts, %,d in total%n", file, OPENING.size(), OPENING_TOTAL);
            } else {
                out.printf("Reopened %s: %d transfers so far%n", file, bank.transfers());
                if (!info.cleanShutdownAtOpen()) {
                    reportRecovery(pool, bank, out);
                }
            }
            out.printf("medium: %s (%s)%n%n", info.mediumKind(), info.mediumReason());

            int first = bank.transfers() + 1;
            for (int i = 1; i <= TRANSFERS_PER_RUN; i++) {
                SplittableRandom r = new SplittableRandom(first + i - 1);   // same transfers for the same numbers, run after run
                List<String> names = List.copyOf(bank.balances().keySet());
                String from = firstWithMoney(bank, names, r.nextInt(names.size()));
                String to = names.get((names.indexOf(from) + 1 + r.nextInt(names.size() - 1)) % names.size());
                long amount = 1 + r.nextInt((int) Math.min(250, bank.balances().get(from)));
                Runnable midway = i == crashAt ? () -> crash(out, bank.transfers() + 1, from, amount) : () -> { };
                Bank.Transfer t = bank.transfer(from, to, amount, midway);
                out.printf("transfer %-4s %-5s -> %-5s %4d%n", "#" + t.number() + ":", t.from(), t.to(), t.amount());
            }
            // A small transaction is durable at the next drain (see Transaction); make this run's last one durable now.
            pool.drain();

            out.println();
            bank.balances().forEach((name, balance) -> out.printf("  %-6s %,6d%n", name, balance));
            long total = bank.total();
            out.printf("  total  %,6d (%s)%n", total, total == OPENING_TOTAL ? "conserved" : "NOT CONSERVED, expected " + OPENING_TOTAL);
            out.printf("transfers so far: %d%n", bank.transfers());
        }
        whatNext(file, out);
    }

    private static void reportRecovery(ObjectPool pool, Bank bank, PrintStream out) {
        int restored = pool.engine().recoveredEntries();
        if (restored > 0) {
            // Transfers run one at a time, so the one in flight was the one after the last committed.
            out.printf("recovered: rolled back transfer #%d (the last run died inside it; undo-log entries restored: %d)%n",
                    bank.transfers() + 1, restored);
        } else {
            out.println("recovered: the last run was not closed cleanly, but no transaction was in flight");
        }
        out.printf("  total after recovery: %,d (%s)%n", bank.total(), bank.total() == OPENING_TOTAL ? "conserved" : "NOT CONSERVED");
    }

    /** The first account at or after {@code start} (cyclically) with money in it. */
    private static String firstWithMoney(Bank bank, List<String> names, int start) {
        Map<String, Long> balances = bank.balances();
        for (int k = 0; k < names.size(); k++) {
            String name = names.get((start + k) % names.size());
            if (balances.get(name) > 0) {
                return name;
            }
        }
        throw new IllegalStateException("every account is empty: " + balances);
    }

    private static void crash(PrintStream out, long number, String from, long amount) {
        out.printf("crash: halting the JVM inside transfer #%d, after debiting %s %d (its undo log is live)%n", number, from, amount);
        out.println("run ./demo again to see recovery");
        out.flush();
        // halt, not exit: no shutdown hooks, no close; the pool is left exactly as a crash leaves it.
        Runtime.getRuntime().halt(CRASH_STATUS);
    }

    private static void whatNext(Path file, PrintStream out) {
        out.printf("%nWhat next%n");
        String[][] steps = {
            {"./demo", "run again: the balances and the ledger are still there"},
            {"./demo --crash-at 3", "die inside the 3rd transfer; the next ./demo recovers"},
            {"cli/bin/engram info " + file, "header, medium, heap"},
            {"cli/bin/engram check " + file, "consistency check (exit 0: consistent)"},
        };
        for (String[] step : steps) {
            out.printf("  %-40s %s%n", step[0], step[1]);
        }
    }
}
