package dev.engram.cli;

import dev.engram.allocator.HeapCheckReport;
import dev.engram.allocator.PersistentHeap;
import dev.engram.allocator.RedoLog;
import dev.engram.pool.BadBlockSource;
import dev.engram.pool.BadRange;
import dev.engram.pool.EngramException;
import dev.engram.pool.ErrorCode;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.medium.Medium;
import dev.engram.tx.AllocatorTxHeap;
import dev.engram.tx.LaneLayout;
import dev.engram.tx.TxEngine;
import dev.engram.tx.UndoLogLayout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The read-only half of {@code check}: finds every inconsistency the library's readers can see,
 * and plans the repair of each, without writing to the pool file.
 *
 * <p>Order: headers (the library's open picks a valid copy and says what was wrong with the
 * other), then lanes, then the heap, then the root pointer, the object graph (leaks) and bad
 * blocks. Lanes come before the heap because recovery changes the heap: a pending redo log
 * rewrites bitmaps and chunk headers. So recovery is <em>run</em> here, on the session's private
 * copy-on-write mapping, and the heap is checked as the next writable open will see it. The object
 * graph is walked only over a recovered heap whose metadata is sound: it trusts what it reads.
 */
final class PoolChecker {
    static final int STEPS = 6;

    /** Everything {@code check} reports. */
    record Result(List<Finding> findings, List<String> notes, Map<String, Object> summary) {
        boolean consistent() {
            return findings.isEmpty();
        }

        long repairable() {
            return findings.stream().filter(Finding::repairable).count();
        }
    }

    private PoolChecker() {
    }

    static Result check(Path path, BadBlockSource badBlocks, Progress progress) {
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        progress.phase("headers", 0, STEPS);
        PoolSession s;
        try {
            s = PoolSession.open(path, null);
        } catch (EngramException e) {
            if (e.code() != ErrorCode.CORRUPTED && e.code() != ErrorCode.UNSUPPORTED_FORMAT) {
                throw e;
            }
            findings.add(new Finding("header", 0, e.getMessage(), null));
            return new Result(findings, notes, summary);
        }
        try (s) {
            PoolHeader h = s.pool().header();
            if (s.info().headerRepaired() != null) {
                findings.add(new Finding("header-copy", -1, "one header copy is not usable: " + s.info().headerRepaired(),
                        Repair.byLibrary("rewrite both header copies from the valid, newest one")));
            }
            if (!s.info().cleanShutdownAtOpen()) {
                notes.add("the pool was not closed cleanly (a writer crashed or is still running elsewhere);"
                        + " recovery runs at the next writable open");
            }
            if (!s.hasObjectLayer()) {
                notes.add("no object layer: lanes and heap were not checked");
                return new Result(findings, notes, summary);
            }
            progress.phase("lanes", 1, STEPS);
            boolean recovered = lanes(s, h, findings, notes);
            progress.phase("heap", 2, STEPS);
            int beforeHeap = findings.size();
            HeapGeometry geometry = heap(s, h, findings, summary);
            progress.phase("root", 3, STEPS);
            boolean sound = recovered && geometry != null && findings.size() == beforeHeap;
            List<BadRange> ranges = badBlocks == null ? List.of() : badRanges(path, badBlocks);
            if (sound) {
                root(s, h, findings);
                progress.phase("object graph", 4, STEPS);
                GraphCheck graph = GraphCheck.walk(s.scratch(), h, laneOffsets(s), s.heap(), geometry);
                summary.put("reachable", graph.graph().reachable());
                summary.put("leaks", graph.graph().complete() ? (long) graph.graph().leaks().size() : -1L);
                progress.phase("bad blocks", 5, STEPS);
                List<Finding> bad = new ArrayList<>();
                Set<Long> leaksHit = new HashSet<>();
                graph.badBlocks(ranges, bad, notes, leaksHit);
                graph.leaks(findings, notes, leaksHit);
                findings.addAll(bad);
            } else {
                // The heap's own lookup throws at the first damaged structure: verify the root once the heap is sound.
                notes.add("not checked: the root pointer and leaked blocks (recovery or the heap metadata must be sound"
                        + " first)");
                progress.phase("bad blocks", 5, STEPS);
                for (BadBlockMapper.Hit hit : BadBlockMapper.map(s, ranges)) {
                    findings.add(new Finding("bad-block", hit.range().offset(), hit.describe(), null));
                }
            }
            return new Result(findings, notes, summary);
        } finally {
            progress.done();
        }
    }

    static long[] laneOffsets(PoolSession s) {
        long[] lanes = new long[s.pool().header().laneCount()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = s.pool().laneOffset(i);
        }
        return lanes;
    }

    /** Runs recovery on the private mapping and reports what it would do; false if it would fail. */
    private static boolean lanes(PoolSession s, PoolHeader h, List<Finding> findings, List<String> notes) {
        if (!s.scratchWritable()) {
            notes.add("not checked: what recovery would do (the file is not writable, so no private copy-on-write"
                    + " mapping could be made)");
            return false;
        }
        LaneLayout ll;
        try {
            ll = LaneLayout.of(h.laneSize());
        } catch (EngramException e) {
            findings.add(new Finding("lanes", h.laneAreaOffset(), e.getMessage(), null));
            return false;
        }
        Medium m = s.scratch();
        List<Integer> liveRedo = new ArrayList<>();
        long[] undoGeneration = new long[h.laneCount()];
        for (int i = 0; i < h.laneCount(); i++) {
            long base = s.pool().laneOffset(i);
            if (RedoLog.isLive(m, ll.redoOffset(base))) {
                liveRedo.add(i);
            }
            undoGeneration[i] = m.getLong(ll.undoOffset(base) + UndoLogLayout.GENERATION_OFFSET);
        }
        int undone;
        try {
            TxEngine engine = TxEngine.open(Pool.attach(m, null), AllocatorTxHeap.FACTORY);
            undone = engine.recoveredEntries();
        } catch (EngramException e) {
            findings.add(new Finding("lane", offsetIn(e.getMessage()), "recovery would fail: " + e.getMessage(), null));
            return false;
        }
        // Rolling back a lane's undo log retires it with the next generation: that names the lanes.
        List<Integer> rolledBack = new ArrayList<>();
        for (int i = 0; i < h.laneCount(); i++) {
            if (m.getLong(ll.undoOffset(s.pool().laneOffset(i)) + UndoLogLayout.GENERATION_OFFSET) != undoGeneration[i]) {
                rolledBack.add(i);
            }
        }
        if (!liveRedo.isEmpty() || undone > 0) {
            StringBuilder what = new StringBuilder("lanes hold unfinished work");
            if (s.info().cleanShutdownAtOpen()) {
                what.append(" although the pool was closed cleanly");
            }
            what.append(": recovery would");
            if (!liveRedo.isEmpty()) {
                what.append(" replay (or discard, if torn) the redo logs of lanes ").append(liveRedo);
            }
            if (undone > 0) {
                what.append(liveRedo.isEmpty() ? "" : " and").append(" roll back ").append(undone)
                        .append(" undo entries of uncommitted transactions in lanes ").append(rolledBack);
            }
            findings.add(new Finding("lanes", h.laneAreaOffset(), what.toString(),
                    Repair.byLibrary("run recovery (redo logs, then undo logs), as the next writable open would")));
        }
        return true;
    }

    private static HeapGeometry heap(PoolSession s, PoolHeader h, List<Finding> findings, Map<String, Object> summary) {
        Medium m = s.scratch();
        HeapCheckReport rep = HeapCheckReport.run(m, h.heapOffset(), h.heapSize());
        summary.put("objects", rep.objects());
        summary.put("runs", rep.runs());
        summary.put("spans", rep.spans());
        summary.put("freeChunks", rep.freeChunks());
        HeapGeometry g = null;
        try {
            int cpz = PersistentHeap.open(m, h.heapOffset(), h.heapSize(), null).chunksPerZone();
            g = new HeapGeometry(h.heapOffset(), h.heapSize(), cpz);
        } catch (EngramException e) {
            // the heap header is bad: the report names it, and nothing else can be located
        }
        if (g == null) {
            for (var c : rep.problems()) {
                findings.add(new Finding(c.structure().replace(' ', '-'), c.offset(), c.toString(), null));
            }
            return null;
        }
        findings.addAll(new HeapRepairPlanner(m, g).plan(rep.problems()));
        return g;
    }

    private static void root(PoolSession s, PoolHeader h, List<Finding> findings) {
        long root = s.rootObject();
        if (root == 0) {
            return;
        }
        try {
            PersistentHeap.open(s.scratch(), h.heapOffset(), h.heapSize(), null).usableSize(root);
        } catch (IllegalArgumentException | EngramException e) {
            findings.add(new Finding("root", root, "the root pointer " + Units.hex(root) + " names no live object: "
                    + e.getMessage(), null));
        }
    }

    static List<BadRange> badRanges(Path path, BadBlockSource source) {
        try {
            return source.badRanges(path);
        } catch (IOException e) {
            throw new CliException(ExitCodes.IO_ERROR, "cannot read the bad-block list for " + path + ": " + e.getMessage(), e);
        }
    }

    /** The first "offset=N" in a library message, or -1. */
    static long offsetIn(String message) {
        int i = message == null ? -1 : message.indexOf("offset=");
        if (i < 0) {
            return -1;
        }
        int j = i + "offset=".length();
        int k = j;
        while (k < message.length() && Character.isDigit(message.charAt(k))) {
            k++;
        }
        return k > j ? Long.parseLong(message.substring(j, k)) : -1;
    }
}
