package dev.engram.examples.bank;

import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.ObjectPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BankTest {
    @TempDir
    Path dir;

    private ObjectPool create() {
        return ObjectPool.create(dir.resolve("bank.pool"), BankDemo.LAYOUT,
                PoolOptions.defaults().withSize(8L << 20).withPolicy(MappingPolicy.PAGE_CACHE));
    }

    @Test
    void shouldMoveMoneyAndRecordTheTransfer() {
        try (ObjectPool pool = create()) {
            Bank bank = new Bank(pool.engine());
            bank.openAccounts(Map.of("ann", 100L, "ben", 0L));
            Bank.Transfer t = bank.transfer("ann", "ben", 30, () -> { });
            assertThat(t).isEqualTo(new Bank.Transfer(1, "ann", "ben", 30));
            assertThat(bank.balances()).containsExactly(Map.entry("ann", 70L), Map.entry("ben", 30L));
            assertThat(bank.ledger()).containsExactly(t);
        }
    }

    @Test
    void shouldUndoTheDebitWhenTheTransferFailsMidway() {
        try (ObjectPool pool = create()) {
            Bank bank = new Bank(pool.engine());
            bank.openAccounts(Map.of("ann", 100L, "ben", 0L));
            assertThatThrownBy(() -> bank.transfer("ann", "ben", 30, () -> {
                throw new IllegalStateException("power cut");
            })).hasMessageContaining("power cut");
            assertThat(bank.balances()).containsExactly(Map.entry("ann", 100L), Map.entry("ben", 0L));
            assertThat(bank.transfers()).isZero();
        }
    }

    @Test
    void shouldRefuseAnOverdraftWithoutChangingAnything() {
        try (ObjectPool pool = create()) {
            Bank bank = new Bank(pool.engine());
            bank.openAccounts(Map.of("ann", 10L, "ben", 0L));
            assertThatThrownBy(() -> bank.transfer("ann", "ben", 11, () -> { }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot move 11 from ann, balance=10");
            assertThat(bank.total()).isEqualTo(10);
            assertThat(bank.transfers()).isZero();
        }
    }
}
