package dev.engram.tx;

import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static dev.engram.tx.EngineTestSupport.write;
import static dev.engram.tx.Fixture.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Crash tests of the engine: every drain point, with per-line prefixes of the stores in flight.
 * Each states the legal outcomes after recovery: all of the transaction, or none of it.
 */
class TxCrashTest {
    static final int BLOCKS = 3;
    static final int LEN = 192;

    @TempDir
    Path dir;

    /** Three blocks of 192 bytes filled with 0xA; block offsets stored in the root area words 8, 16, 24. */
    byte[] baseImage() {
        return Fixture.image(dir, e -> {
            long root = e.pool().rootAreaOffset();
            for (int i = 0; i < BLOCKS; i++) {
                long b = e.transaction(tx -> tx.zalloc(LEN, 1));
                Fixture.fillPersist(e, b, LEN, 0xA);
                e.medium().putLong(root + 8 + 8L * i, b);
                e.medium().persist(root + 8 + 8L * i, 8);
            }
        });
    }

    static long block(TxEngine e, int i) {
        return e.medium().getLong(e.pool().rootAreaOffset() + 8 + 8L * i);
    }

    record Run(byte[] base, List<RecordingMedium.Event> trace, byte[] end) {
    }

    Run record(byte[] image, Consumer<TxEngine> workload) {
        RecordingMedium rec = RecordingMedium.over(image);
        TxEngine e = Fixture.open(rec);
        rec.start();
        workload.accept(e);
        List<RecordingMedium.Event> trace = rec.stop();
        return new Run(rec.base(), trace, rec.bytes());
    }

    interface Invariant {
        void check(TxEngine recovered, String where);
    }

    static CrashSim.Result explore(Run run, Invariant invariant) {
        return CrashSim.explore(run.base(), run.trace(), (m, where) -> invariant.check(Fixture.open(m), where));
    }

    /** Each block is wholly 0xA (before) or wholly {@code after[i]}; all blocks agree on which. */
    static Invariant allOrNone(int... after) {
        return (e, where) -> {
            boolean before = true;
            boolean done = true;
            for (int i = 0; i < BLOCKS; i++) {
                long b = block(e, i);
                before &= all(e, b, LEN, 0xA);
                done &= all(e, b, LEN, i < after.length ? after[i] : 0xA);
            }
            if (!before && !done) {
                fail("neither before nor after at " + where);
            }
        };
    }

    @Test
    void shouldKeepASingleRangeTransactionAtomicAtEveryDrainPoint() {
        Run run = record(baseImage(), e -> e.transaction(tx -> {
            write(tx, e, block(e, 0), 64, 0xB);
            return null;
        }));
        CrashSim.Result r = explore(run, (e, where) -> {
            long b = block(e, 0);
            if (!(all(e, b, 64, 0xA) || all(e, b, 64, 0xB)) || !all(e, b + 64, LEN - 64, 0xA)) {
                fail("torn single range at " + where);
            }
        });
        assertThat(r.crashPoints()).isEqualTo(3);
        assertThat(r.images()).isGreaterThan(10);
    }

    @Test
    void shouldKeepAMultiRangeTransactionAtomic() {
        Run run = record(baseImage(), e -> e.transaction(tx -> {
            for (int i = 0; i < BLOCKS; i++) {
                write(tx, e, block(e, i), LEN, 0xB + i);
            }
            return null;
        }));
        CrashSim.Result r = explore(run, allOrNone(0xB, 0xC, 0xD));
        assertThat(r.crashPoints()).isEqualTo(BLOCKS + 2);
    }

    @Test
    void shouldKeepANestedTransactionAtomic() {
        Run run = record(baseImage(), e -> e.transaction(tx -> {
            write(tx, e, block(e, 0), LEN, 0xB);
            e.transaction(inner -> {
                write(inner, e, block(e, 1), LEN, 0xC);
                return null;
            });
            return null;
        }));
        explore(run, allOrNone(0xB, 0xC));
    }

    @Test
    void shouldRestoreEverythingWhenATransactionAborts() {
        Run run = record(baseImage(), e -> {
            try {
                e.transaction(tx -> {
                    write(tx, e, block(e, 0), LEN, 0xB);
                    write(tx, e, block(e, 1), LEN, 0xC);
                    e.medium().flush(block(e, 0), LEN); // even data made durable early is undone
                    e.medium().drain();
                    tx.abort();
                    return null;
                });
            } catch (TransactionAbortedException expected) {
                // the abort is the point of the test
            }
        });
        CrashSim.Result r = explore(run, (e, where) -> {
            if (!all(e, block(e, 0), LEN, 0xA) || !all(e, block(e, 1), LEN, 0xA)) {
                fail("aborted transaction visible at " + where);
            }
        });
        assertThat(r.crashPoints()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void shouldPublishAllocationAndFreeWithTheCommit() {
        Run run = record(baseImage(), e -> e.transaction(tx -> {
            long old = block(e, 0);
            long fresh = tx.alloc(LEN, 1);
            e.medium().fill(fresh, LEN, (byte) 0xE);
            long slot = e.pool().rootAreaOffset() + 8;
            tx.addRange(slot, 8);
            e.medium().putLong(slot, fresh);
            tx.free(old);
            return null;
        }));
        long oldBlock = block(Fixture.open(run.base()), 0);
        explore(run, (e, where) -> {
            FakeHeap heap = (FakeHeap) e.heap();
            long b = block(e, 0);
            if (b == oldBlock) {
                assertThat(heap.isAllocated(b)).as("old block still allocated at " + where).isTrue();
                assertThat(all(e, b, LEN, 0xA)).as("old content at " + where).isTrue();
                long[] live = {0};
                heap.forEach(1, x -> live[0]++);
                assertThat(live[0]).as("no leaked block at " + where).isEqualTo(BLOCKS);
            } else {
                assertThat(heap.isAllocated(b)).as("new block allocated at " + where).isTrue();
                assertThat(heap.isAllocated(oldBlock)).as("old block freed at " + where).isFalse();
                assertThat(all(e, b, LEN, 0xE)).as("new content at " + where).isTrue();
            }
        });
    }

    @Test
    void shouldRecoverFromACrashDuringRecovery() {
        Run run = record(baseImage(), e -> e.transaction(tx -> {
            for (int i = 0; i < BLOCKS; i++) {
                write(tx, e, block(e, i), LEN, 0xB + i);
            }
            return null;
        }));
        Invariant inv = allOrNone(0xB, 0xC, 0xD);
        int[] nested = {0};
        int[] recoveriesWithWork = {0};
        CrashSim.explore(run.base(), run.trace(), (m, where) -> {
            RecordingMedium rec = new RecordingMedium(m);
            rec.start();
            TxEngine first = Fixture.open(rec);
            List<RecordingMedium.Event> trace = rec.stop();
            if (first.recoveredEntries() > 0) {
                recoveriesWithWork[0]++;
            }
            inv.check(first, where);
            CrashSim.Result r = CrashSim.explore(rec.base(), trace,
                    (m2, where2) -> inv.check(Fixture.open(m2), where + " / recovery " + where2));
            nested[0] += r.images();
        });
        assertThat(recoveriesWithWork[0]).isGreaterThan(0);
        assertThat(nested[0]).isGreaterThan(recoveriesWithWork[0]);
    }

    @Test
    void shouldNeedTwoDrainsForASmallTransaction() {
        byte[] image = baseImage();
        MemoryMedium m = MemoryMedium.allocate(image.length);
        m.segmentForHarness().copyFrom(java.lang.foreign.MemorySegment.ofArray(image));
        TxEngine e = Fixture.open(m);
        for (int round = 0; round < 3; round++) {
            long drains = m.counters().drains();
            int value = 0xB + round;
            e.transaction(tx -> {
                write(tx, e, block(e, 0), 64, value);
                return null;
            });
            assertThat(m.counters().drains() - drains).as("drains of small transaction " + round).isEqualTo(2);
        }
        long drains = m.counters().drains();
        e.transaction(tx -> {
            tx.addRange(block(e, 0), 64);
            tx.addRange(block(e, 1), 64);
            tx.addRange(block(e, 2), 64);
            return null;
        });
        assertThat(m.counters().drains() - drains).as("one drain per addRange plus one at commit").isEqualTo(4);
        drains = m.counters().drains();
        e.transaction(tx -> null);
        assertThat(m.counters().drains() - drains).as("empty transaction").isZero();
    }
}
