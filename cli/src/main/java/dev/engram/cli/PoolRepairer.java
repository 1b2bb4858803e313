package dev.engram.cli;

import dev.engram.allocator.HeapCheckReport;
import dev.engram.allocator.PersistentHeap;
import dev.engram.pool.BadBlockSource;
import dev.engram.pool.BadRange;
import dev.engram.pool.EngramException;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.medium.Medium;
import dev.engram.tx.AllocatorTxHeap;
import dev.engram.tx.RootLayout;
import dev.engram.tx.ObjectGraph;
import dev.engram.tx.TxEngine;
import dev.engram.tx.TypeTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The writing half of {@code check --repair}. Opens the pool writable (taking the exclusive lock,
 * so a pool open elsewhere is refused with PoolBusyException), which rewrites a damaged header
 * copy; runs recovery through the transaction layer; then applies the heap repairs planned by
 * {@link HeapRepairPlanner} against the recovered media, each store persisted; then, on a heap
 * whose metadata is now sound, frees the leaked blocks and quarantines free space under known bad
 * ranges, both through transactions (the allocator's redo-logged publish, crash-safe). It reports
 * every action it took.
 *
 * <p>Only what the check before the repair planned (and {@code --dry-run} showed) is done: leaks it
 * listed that the walk, repeated on the repaired pool, still finds; bad ranges it marked
 * repairable. A leak the metadata repairs uncover is reported by the check that follows.
 *
 * <p>Why heap repairs come after recovery: a pending redo log may rewrite the very bitmaps and
 * chunk headers the planner looks at. Recovery opens the heap lazily (no zone is loaded), so the
 * stores below never disagree with volatile state: the heap is closed before anyone allocates.
 */
final class PoolRepairer {
    /** Fixing one structure can expose another behind it (a span header hid the chunks it covered). */
    private static final int MAX_PASSES = 4;
    /** Heap operations per transaction: each takes one or two redo-log entries, and a lane's log may hold 60. */
    private static final int BATCH = 16;

    private PoolRepairer() {
    }

    /** Returns the actions taken, in order; a failure after some actions throws with them in the message. */
    static List<String> repair(Path path, PoolChecker.Result before, BadBlockSource badBlocks, Progress progress) {
        List<String> done = new ArrayList<>();
        progress.phase("open and recover", 0, 3);
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
                progress.phase("heap metadata", 1, 3);
                heap(pool, done);
            } finally {
                engine.close();
            }
            progress.phase("leaks and bad blocks", 2, 3);
            graph(pool, before, badBlocks == null ? List.of() : PoolChecker.badRanges(path, badBlocks), done);
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

    /**
     * Frees the leaks {@code before} listed, then quarantines the free parts of the bad ranges it
     * marked repairable, on a freshly opened engine (the metadata repairs went around the last one).
     */
    private static void graph(Pool pool, PoolChecker.Result before, List<BadRange> ranges, List<String> done) {
        Set<Long> plannedLeaks = new HashSet<>();
        Set<Long> plannedRanges = new HashSet<>();
        for (Finding f : before.findings()) {
            if (f.kind().equals("leak")) {
                plannedLeaks.add(f.offset());
            } else if (f.kind().equals("bad-block") && f.repairable()) {
                plannedRanges.add((Long) f.details().get("rangeOffset"));
            }
        }
        if (plannedLeaks.isEmpty() && plannedRanges.isEmpty()) {
            return;
        }
        PoolHeader h = pool.header();
        Medium m = pool.medium();
        if (!HeapCheckReport.run(m, h.heapOffset(), h.heapSize()).problems().isEmpty()) {
            done.add("leaks and bad blocks: not repaired, the heap metadata is still inconsistent");
            return;
        }
        TxEngine engine = TxEngine.open(pool, AllocatorTxHeap.FACTORY);
        try {
            PersistentHeap heap = ((AllocatorTxHeap) engine.heap()).heap();
            HeapGeometry g = new HeapGeometry(h.heapOffset(), h.heapSize(), heap.chunksPerZone());
            long[] lanes = new long[h.laneCount()];
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = pool.laneOffset(i);
            }
            GraphCheck walk = GraphCheck.walk(m, h, lanes, heap, g);
            if (!plannedLeaks.isEmpty() && !walk.graph().complete()) {
                done.add("leaks: not freed, the object graph is no longer fully known: "
                        + String.join("; ", walk.graph().reasons()));
            } else {
                List<ObjectGraph.Block> leaks = walk.graph().leaks().stream()
                        .filter(b -> plannedLeaks.contains(b.offset())).toList();
                for (int i = 0; i < leaks.size(); i += BATCH) {
                    List<ObjectGraph.Block> batch = leaks.subList(i, Math.min(leaks.size(), i + BATCH));
                    engine.transaction(tx -> {
                        for (ObjectGraph.Block b : batch) {
                            tx.free(b.offset());
                        }
                        return null;
                    });
                    for (ObjectGraph.Block b : batch) {
                        done.add("leak at " + Units.hex(b.offset()) + ": freed the block (type " + b.type()
                                + (b.typeName().isEmpty() ? "" : " " + b.typeName()) + ", " + b.size() + " bytes)");
                    }
                }
            }
            List<BadRange> planned = ranges.stream().filter(r -> plannedRanges.contains(r.offset())).toList();
            List<BadRangeClassifier.Part> free = GraphCheck.walk(m, h, lanes, heap, g).freeParts(planned);
            for (int i = 0; i < free.size(); i += BATCH) {
                List<BadRangeClassifier.Part> batch = free.subList(i, Math.min(free.size(), i + BATCH));
                List<long[]> blocks = engine.transaction(tx -> {
                    List<long[]> got = new ArrayList<>();
                    for (BadRangeClassifier.Part p : batch) {
                        got.add(tx.allocFreeIn(p.start(), p.end() - p.start(), TypeTable.TYPE_QUARANTINE));
                    }
                    return got;
                });
                for (int k = 0; k < batch.size(); k++) {
                    BadRangeClassifier.Part p = batch.get(k);
                    for (long b : blocks.get(k)) {
                        done.add("bad-block at " + Units.hex(p.start()) + ": quarantined [" + Units.hex(p.start()) + ", "
                                + Units.hex(p.end()) + ") in block " + Units.hex(b) + " (" + heap.usableSize(b)
                                + " bytes, type " + TypeTable.TYPE_QUARANTINE + " quarantine)");
                    }
                }
            }
        } finally {
            engine.close();
        }
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
