package dev.engram.cli;

import dev.engram.allocator.HeapCheckReport;
import dev.engram.allocator.PersistentHeap;
import dev.engram.pool.EngramException;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.medium.Medium;
import dev.engram.tx.AllocatorTxHeap;
import dev.engram.tx.RootLayout;
import dev.engram.tx.TxEngine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The writing half of {@code check --repair}. Opens the pool writable (taking the exclusive lock,
 * so a pool open elsewhere is refused with PoolBusyException), which rewrites a damaged header
 * copy; runs recovery through the transaction layer; then applies the heap repairs planned by
 * {@link HeapRepairPlanner} against the recovered media, each store persisted, and reports every
 * action it took.
 *
 * <p>Why heap repairs come after recovery: a pending redo log may rewrite the very bitmaps and
 * chunk headers the planner looks at. Recovery opens the heap lazily (no zone is loaded), so the
 * stores below never disagree with volatile state: the heap is closed before anyone allocates.
 */
final class PoolRepairer {
    /** Fixing one structure can expose another behind it (a span header hid the chunks it covered). */
    private static final int MAX_PASSES = 4;

    private PoolRepairer() {
    }

    /** Returns the actions taken, in order; a failure after some actions throws with them in the message. */
    static List<String> repair(Path path, PoolChecker.Result before, Progress progress) {
        List<String> done = new ArrayList<>();
        progress.phase("open and recover", 0, 2);
        try (Pool pool = Pool.open(path, PoolOptions.defaults().withBadBlocks(p -> List.of()))) {
            if (pool.info().headerRepaired() != null) {
                done.add("header: rewrote both copies from the valid one (the other: " + pool.info().headerRepaired() + ")");
            }
            if (pool.reader().getLong(RootLayout.magicOffset(pool.rootAreaOffset())) != RootLayout.MAGIC) {
                return done;
            }
            TxEngine engine = TxEngine.open(pool, AllocatorTxHeap.FACTORY);
            try {
                if (before.findings().stream().anyMatch(f -> f.kind().equals("lanes"))) {
                    done.add("lanes: ran recovery: redo logs replayed or discarded, " + engine.recoveredEntries()
                            + " undo entries rolled back");
                }
                progress.phase("heap metadata", 1, 2);
                heap(pool, done);
            } finally {
                engine.close();
            }
        } catch (EngramException e) {
            if (done.isEmpty()) {
                throw e;
            }
            throw new CliException(Failures.exitCode(e), "repair stopped after: " + String.join("; ", done) + ". Then: "
                    + e.getMessage(), e);
        } finally {
            progress.done();
        }
        return done;
    }

    private static void heap(Pool pool, List<String> done) {
        PoolHeader h = pool.header();
        Medium m = pool.medium();
        HeapGeometry g;
        try {
            g = new HeapGeometry(h.heapOffset(), h.heapSize(),
                    PersistentHeap.open(m, h.heapOffset(), h.heapSize(), null).chunksPerZone());
        } catch (EngramException e) {
            return; // a bad heap header is not repairable; check reports it
        }
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            HeapCheckReport rep = HeapCheckReport.run(m, h.heapOffset(), h.heapSize());
            boolean changed = false;
            for (Finding f : new HeapRepairPlanner(m, g).plan(rep.problems())) {
                if (f.repair() == null || f.repair().stores().isEmpty()) {
                    continue;
                }
                for (Repair.Store st : f.repair().stores()) {
                    m.putLongPersist(st.offset(), st.value());
                }
                done.add(f.kind() + " at " + Units.hex(f.offset()) + ": " + f.repair().description());
                changed = true;
            }
            if (!changed) {
                return;
            }
        }
    }
}
