package dev.engram.tx;

import dev.engram.pool.OutOfBoundsException;
import dev.engram.pool.OutOfPoolMemoryException;
import dev.engram.pool.PoolClosedException;
import dev.engram.pool.PoolIoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.engram.tx.EngineTestSupport.write;
import static dev.engram.tx.Fixture.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TxEngineTest {
    @TempDir
    Path dir;

    private TxEngine engineWithBlock(long[] block) {
        byte[] image = Fixture.image(dir, e -> {
            block[0] = e.transaction(tx -> tx.zalloc(256, 1));
            Fixture.fillPersist(e, block[0], 256, 0xA);
        });
        return Fixture.open(image);
    }

    @Test
    void shouldCommitWritesAndReturnTheBodysValue() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        String r = e.transaction(tx -> {
            write(tx, e, b[0], 64, 0xB);
            return "done";
        });
        assertThat(r).isEqualTo("done");
        assertThat(all(e, b[0], 64, 0xB)).isTrue();
        assertThat(all(e, b[0] + 64, 192, 0xA)).isTrue();
    }

    @Test
    void shouldRollBackAndRethrowWhenTheBodyThrows() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        assertThatThrownBy(() -> e.transaction(tx -> {
            write(tx, e, b[0], 256, 0xB);
            throw new IllegalArgumentException("boom");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
        assertThat(all(e, b[0], 256, 0xA)).isTrue();
        assertThat(e.stage()).isEqualTo(TxStage.NONE);
    }

    @Test
    void shouldWrapCheckedExceptionsAfterRollingBack() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        assertThatThrownBy(() -> e.transaction(tx -> {
            write(tx, e, b[0], 8, 0xB);
            throw new IOException("disk");
        })).isInstanceOf(PoolIoException.class).hasMessageContaining("transaction rolled back: disk")
                .hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> e.transaction(tx -> {
            write(tx, e, b[0], 8, 0xB);
            throw new Exception("checked");
        })).isInstanceOf(TransactionAbortedException.class).hasMessageContaining("checked");
        assertThat(all(e, b[0], 256, 0xA)).isTrue();
    }

    @Test
    void shouldAbortTheWholeTransactionWhenAnInnerOneAborts() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> e.transaction(tx -> {
            tx.onAbort(() -> seen.add("abort"));
            tx.onCommit(() -> seen.add("commit"));
            write(tx, e, b[0], 64, 0xB);
            try {
                e.transaction(inner -> {
                    write(inner, e, b[0] + 64, 64, 0xC);
                    inner.abort();
                    return null;
                });
            } catch (TransactionAbortedException expected) {
                assertThat(expected).hasMessageContaining("aborted by the caller");
            }
            return null;
        })).isInstanceOf(TransactionAbortedException.class).hasMessageContaining("inner transaction");
        assertThat(all(e, b[0], 256, 0xA)).isTrue();
        assertThat(seen).containsExactly("abort");
    }

    @Test
    void shouldRejectChangesAfterAnInnerAbortWasCaught() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        assertThatThrownBy(() -> e.transaction(tx -> {
            try {
                e.transaction(inner -> {
                    inner.abort();
                    return null;
                });
            } catch (TransactionAbortedException expected) {
                // the outer body carries on, wrongly
            }
            tx.addRange(b[0], 8);
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessage("addRange needs a transaction in stage WORK, but it is in stage ONABORT");
    }

    @Test
    void shouldFlattenNestedTransactionsIntoTheOutermost() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        List<String> seen = new ArrayList<>();
        e.transaction(tx -> {
            write(tx, e, b[0], 64, 0xB);
            e.transaction(inner -> {
                assertThat(inner).isSameAs(tx);
                inner.onCommit(() -> seen.add("inner committed"));
                write(inner, e, b[0] + 64, 64, 0xC);
                return null;
            });
            assertThat(seen).isEmpty();
            return null;
        });
        assertThat(seen).containsExactly("inner committed");
        assertThat(all(e, b[0], 64, 0xB) && all(e, b[0] + 64, 64, 0xC)).isTrue();
    }

    @Test
    void shouldLeaveThePoolAsBeforeWhenTheHeapIsFullInsideATransaction() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        FakeHeap heap = (FakeHeap) e.heap();
        long usedBefore = heap.used();
        List<Long> blocks = new ArrayList<>();
        e.heap().forEach(1, blocks::add);
        assertThatThrownBy(() -> e.transaction(tx -> {
            write(tx, e, b[0], 256, 0xB);
            tx.alloc(1024, 1);
            return tx.alloc(64L << 20, 1);
        })).isInstanceOf(OutOfPoolMemoryException.class).hasMessageContaining("the transaction was rolled back");
        assertThat(all(e, b[0], 256, 0xA)).isTrue();
        List<Long> after = new ArrayList<>();
        e.heap().forEach(1, after::add);
        assertThat(after).isEqualTo(blocks);
        assertThat(heap.used()).isGreaterThan(usedBefore); // the cancelled 1 KiB reservation is volatile only
        assertThat(Fixture.open(Fixture.bytes(e)).heap().usableSize(b[0])).isEqualTo(256);
    }

    @Test
    void shouldRejectMisuseWithIllegalStateException() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        Transaction[] leaked = new Transaction[1];
        e.transaction(tx -> leaked[0] = tx);
        assertThatThrownBy(() -> leaked[0].addRange(b[0], 8)).isInstanceOf(IllegalStateException.class)
                .hasMessage("addRange needs a transaction in stage WORK, but it is in stage ONCOMMIT");
        assertThatThrownBy(() -> leaked[0].alloc(8, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> e.transaction(tx -> {
            tx.onCommit(() -> leaked[0].free(b[0]));
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessage("free needs a transaction in stage WORK, but it is in stage ONCOMMIT");
    }

    @Test
    void shouldRejectRangesOutsideTheHeapAndRootArea() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        assertThatThrownBy(() -> e.transaction(tx -> {
            tx.addRange(0, 8);
            return null;
        })).isInstanceOf(OutOfBoundsException.class).hasMessageContaining("range offset=0 length=8 is neither in the heap");
        assertThatThrownBy(() -> e.transaction(tx -> {
            tx.addRange(b[0], -1);
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("range length must not be negative, length=-1");
    }

    @Test
    void shouldRefuseTransactionsAfterClose() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        e.close();
        assertThatThrownBy(() -> e.transaction(tx -> null)).isInstanceOf(PoolClosedException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void shouldSnapshotARangeOnlyOnceAndMergeAdjacentRanges() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        e.transaction(tx -> {
            tx.addRange(b[0], 64);
            long drains = e.medium().counters().drains();
            tx.addRange(b[0], 64);
            tx.addRange(b[0] + 8, 16);
            assertThat(e.medium().counters().drains()).isEqualTo(drains);
            tx.addRange(b[0] + 32, 64); // half new: one more entry for [64, 96)
            assertThat(e.medium().counters().drains()).isEqualTo(drains + 1);
            return null;
        });
    }

    @Test
    void shouldSaveABatchOfRangesAndRestoreThemAllOnAbort() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        assertThatThrownBy(() -> e.transaction(tx -> {
            // overlapping and repeated ranges are saved once
            tx.addRanges(new long[] {b[0], b[0] + 32, b[0] + 192, b[0]}, new long[] {64, 64, 64, 16});
            e.medium().fill(b[0], 96, (byte) 0xB);
            e.medium().fill(b[0] + 192, 64, (byte) 0xC);
            throw new IllegalStateException("undo the batch");
        })).hasMessage("undo the batch");
        assertThat(all(e, b[0], 256, 0xA)).isTrue();
    }

    @Test
    void shouldCheckEveryRangeOfABatchBeforeSavingAny() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        e.transaction(tx -> {
            long drains = e.medium().counters().drains();
            long flushes = e.medium().counters().flushes();
            assertThatThrownBy(() -> tx.addRanges(new long[] {b[0], 0}, new long[] {64, 8}))
                    .isInstanceOf(OutOfBoundsException.class).hasMessageContaining("range offset=0 length=8");
            assertThatThrownBy(() -> tx.addRanges(new long[] {b[0], b[0] + 64}, new long[] {64, -1}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("range length must not be negative, lengths[1]=-1");
            assertThatThrownBy(() -> tx.addRanges(new long[] {b[0]}, new long[] {64, 8}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("one length per offset: offsets=1 lengths=2");
            assertThat(e.medium().counters().drains()).isEqualTo(drains);
            assertThat(e.medium().counters().flushes()).as("nothing saved").isEqualTo(flushes);
            assertThat(tx.covers(b[0], 64)).isFalse();
            return null;
        });
    }

    @Test
    void shouldSpillLargeRangesIntoOverflowBuffersAndRollThemBack() {
        long[] b = new long[1];
        byte[] image = Fixture.image(dir, e -> {
            b[0] = e.transaction(tx -> tx.zalloc(100_000, 1));
            Fixture.fillPersist(e, b[0], 100_000, 0xA);
        });
        TxEngine e = Fixture.open(image);
        assertThatThrownBy(() -> e.transaction(tx -> {
            write(tx, e, b[0], 100_000, 0xB);
            throw new IllegalStateException("undo it");
        })).hasMessage("undo it");
        assertThat(all(e, b[0], 100_000, 0xA)).isTrue();
        e.transaction(tx -> {
            write(tx, e, b[0], 100_000, 0xC);
            return null;
        });
        assertThat(all(e, b[0], 100_000, 0xC)).isTrue();
    }

    @Test
    void shouldAllocFreeAndReallocInsideATransaction() {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        FakeHeap heap = (FakeHeap) e.heap();
        long fresh = e.transaction(tx -> {
            long x = tx.zalloc(100, 2);
            assertThat(e.heap().usableSize(x)).isGreaterThanOrEqualTo(100);
            long y = tx.realloc(b[0], 512, 1);
            tx.free(x);
            return y;
        });
        assertThat(heap.isAllocated(fresh)).isTrue();
        assertThat(heap.isAllocated(b[0])).isFalse();
        assertThat(all(e, fresh, 256, 0xA)).isTrue();
        List<Long> type2 = new ArrayList<>();
        heap.forEach(2, type2::add);
        assertThat(type2).isEmpty();
        assertThatThrownBy(() -> e.transaction(tx -> {
            tx.free(fresh);
            tx.free(fresh);
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("freed twice");
        assertThat(heap.isAllocated(fresh)).isTrue();
    }

    @Test
    void shouldRejectUseFromAnotherThread() throws Exception {
        long[] b = new long[1];
        TxEngine e = engineWithBlock(b);
        Throwable[] seen = new Throwable[1];
        e.transaction(tx -> {
            Thread t = new Thread(() -> {
                try {
                    tx.addRange(b[0], 8);
                } catch (Throwable x) {
                    seen[0] = x;
                }
            }, "intruder");
            t.start();
            t.join();
            return null;
        });
        assertThat(seen[0]).isInstanceOf(IllegalStateException.class).hasMessageContaining("intruder");
    }
}
