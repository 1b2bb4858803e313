package dev.engram.examples.bank;

import dev.engram.crashtest.junit.CrashScenario;
import dev.engram.crashtest.junit.CrashTest;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.medium.Medium;
import dev.engram.tx.AllocatorTxHeap;
import dev.engram.tx.ObjectPool;
import dev.engram.tx.TxEngine;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transfer is all or nothing at every crash point the x86 persistence rules allow: the harness
 * records the workload's stores, flushes and drains, builds every distinct crash image, runs
 * recovery on each and checks the invariant. (The worked example of docs/guide.md.)
 */
class BankCrashTest {
    static final Map<String, Long> BEFORE = Map.of("ann", 100L, "ben", 0L);
    static final Map<String, Long> AFTER = Map.of("ann", 70L, "ben", 30L);
    /** Images that showed the state before / after: both must occur, or the exploration proved nothing. */
    static final AtomicInteger[] SEEN = {new AtomicInteger(), new AtomicInteger()};

    @CrashTest(seed = 42)
    void transferIsAllOrNothing(CrashScenario s) {
        byte[] image = poolWithAccounts(BEFORE);
        s.size(image.length)
         .setup(m -> m.putBytes(0, image, 0, image.length))       // the state before: not traced
         .workload(m -> {                                          // traced: every store, flush, drain
             TxEngine engine = open(m);
             new Bank(engine).transfer("ann", "ben", 30, () -> { });
             engine.close();
         })
         .invariant(m -> {                                         // on every crash image
             Bank bank = new Bank(open(m));                        // opening runs recovery
             assertThat(bank.balances()).isIn(BEFORE, AFTER);
             assertThat(bank.transfers()).isEqualTo(bank.balances().equals(AFTER) ? 1 : 0);
             SEEN[bank.transfers()].incrementAndGet();
         });
    }

    @AfterAll
    static void bothOutcomesWereExplored() {
        assertThat(SEEN[0].get()).as("crash images showing the state before").isPositive();
        assertThat(SEEN[1].get()).as("crash images showing the state after").isPositive();
    }

    /** Opens the transaction layer over a crash image, recovering it. */
    static TxEngine open(Medium image) {
        return TxEngine.open(Pool.attach(image, BankDemo.LAYOUT.name()), AllocatorTxHeap.FACTORY);
    }

    /** The bytes of a small pool file holding the given accounts (the file is deleted). */
    static byte[] poolWithAccounts(Map<String, Long> accounts) {
        try {
            Path file = Files.createTempFile("bank-crash", ".pool");
            Files.delete(file);
            PoolOptions options = PoolOptions.defaults().withSize(4L << 20).withLanes(4, 16 << 10)
                    .withPolicy(MappingPolicy.PAGE_CACHE);
            try (ObjectPool pool = ObjectPool.create(file, BankDemo.LAYOUT, options)) {
                new Bank(pool.engine()).openAccounts(accounts);
            }
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
