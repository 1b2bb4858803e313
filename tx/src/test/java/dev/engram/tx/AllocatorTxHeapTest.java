package dev.engram.tx;

import dev.engram.pool.OutOfPoolMemoryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.engram.tx.EngineTestSupport.write;
import static dev.engram.tx.Fixture.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine on the allocator's real heap: commit, abort, heap ops and a full heap (crashes: {@link TxCrashTest}). */
class AllocatorTxHeapTest {
    static final TxHeap.Factory REAL = AllocatorTxHeap.FACTORY;

    @TempDir
    Path dir;

    private byte[] imageWithRoot(int fill) {
        return Fixture.image(dir, REAL, e -> {
            long b = e.transaction(tx -> {
                long x = tx.zalloc(256, 1);
                e.medium().fill(x, 256, (byte) fill);
                long slot = Fixture.rootWord(e);
                tx.addRange(slot, 8);
                e.medium().putLong(slot, x);
                return x;
            });
            assertThat(e.heap().usableSize(b)).isGreaterThanOrEqualTo(256);
        });
    }

    /**
     * A transaction that allocates and links an object pays three fences: the snapshot, the redo
     * log's commit, which also makes the data durable (the log witnesses it), and the log's apply.
     * The first allocation of a class creates its run, whose zeroed bitmap is drained before the
     * log commits: one more, once.
     */
    @Test
    void shouldDrainThreeTimesForATransactionThatAllocatesAndLinks() {
        TxEngine e = Fixture.open(imageWithRoot(0xA), REAL);
        for (int round = 0; round < 3; round++) {
            long before = e.medium().counters().drains();
            e.transaction(tx -> {
                long x = tx.alloc(64, 2);
                e.medium().putLong(x, 42);
                long slot = Fixture.rootWord(e);
                tx.addRange(slot, 8);
                e.medium().putLong(slot, x);
                return x;
            });
            assertThat(e.medium().counters().drains() - before)
                    .as("round %d: snapshot of the root word, (new run's bitmap,) redo commit with the data, redo apply",
                            round)
                    .isEqualTo(round == 0 ? 4 : 3);
        }
    }

    /** Past the witness limit the data gets a drain of its own before the redo log commits. */
    @Test
    void shouldDrainTheDataSeparatelyWhenItIsTooLargeToWitness() {
        TxEngine e = Fixture.open(imageWithRoot(0xA), REAL);
        long before = e.medium().counters().drains();
        e.transaction(tx -> {
            long x = tx.alloc(AllocatorTxHeap.WITNESS_LIMIT + 64, 2);
            e.medium().fill(x, AllocatorTxHeap.WITNESS_LIMIT + 64, (byte) 7);
            long slot = Fixture.rootWord(e);
            tx.addRange(slot, 8);
            e.medium().putLong(slot, x);
            return x;
        });
        assertThat(e.medium().counters().drains() - before)
                .as("snapshot, commit data, redo commit, redo apply").isEqualTo(4);
    }

    @Test
    void shouldCommitAbortAllocAndFreeOnTheRealHeap() {
        TxEngine e = Fixture.open(imageWithRoot(0xA), REAL);
        long b = e.medium().getLong(Fixture.rootWord(e));
        assertThat(all(e, b, 256, 0xA)).isTrue();
        assertThatThrownBy(() -> e.transaction(tx -> {
            write(tx, e, b, 256, 0xB);
            tx.alloc(1000, 3);
            throw new IllegalStateException("no");
        })).hasMessage("no");
        assertThat(all(e, b, 256, 0xA)).isTrue();
        List<Long> type3 = new ArrayList<>();
        e.heap().forEach(3, type3::add);
        assertThat(type3).isEmpty();
        long moved = e.transaction(tx -> {
            long n = tx.realloc(b, 4096, 1);
            tx.addRange(Fixture.rootWord(e), 8);
            e.medium().putLong(Fixture.rootWord(e), n);
            return n;
        });
        List<Long> type1 = new ArrayList<>();
        e.heap().forEach(1, type1::add);
        assertThat(type1).containsExactly(moved);
        assertThat(all(e, moved, 256, 0xA)).isTrue();
    }

    @Test
    void shouldLeaveTheRealHeapAsBeforeWhenFullInsideATransaction() {
        TxEngine e = Fixture.open(imageWithRoot(0xA), REAL);
        long b = e.medium().getLong(Fixture.rootWord(e));
        assertThatThrownBy(() -> e.transaction(tx -> {
            write(tx, e, b, 256, 0xB);
            for (int i = 0; i < 1000; i++) {
                tx.alloc(64 << 10, 2);
            }
            return null;
        })).isInstanceOf(OutOfPoolMemoryException.class);
        assertThat(all(e, b, 256, 0xA)).isTrue();
        List<Long> type2 = new ArrayList<>();
        e.heap().forEach(2, type2::add);
        assertThat(type2).isEmpty();
        long again = e.transaction(tx -> tx.alloc(64 << 10, 2));
        assertThat(e.heap().usableSize(again)).isGreaterThanOrEqualTo(64 << 10);
    }
}
