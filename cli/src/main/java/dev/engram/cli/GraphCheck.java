package dev.engram.cli;

import dev.engram.allocator.BlockHeaderLayout;
import dev.engram.allocator.PersistentHeap;
import dev.engram.pool.BadRange;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.medium.MediumReader;
import dev.engram.tx.LaneLayout;
import dev.engram.tx.ObjectGraph;
import dev.engram.tx.TypeTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The object-graph half of {@code check}: leaked blocks (the library's {@link ObjectGraph} walk),
 * dangling reference words, and known bad ranges mapped to what they hit ({@link BadRangeClassifier})
 * with the repair each allows. Shared by the checker (on its private mapping) and the repairer (on
 * the pool, after recovery and the metadata repairs), so both see the same findings.
 *
 * <p>Repair rules: a leaked block is freed through the allocator's normal, redo-logged free path;
 * a bad range in free space (or in a leaked block, once freed) is quarantined: the free blocks and
 * chunks under it are allocated as {@link TypeTable#TYPE_QUARANTINE} so the allocator never hands
 * them out, their bytes untouched. A bad range in a live object or in metadata is reported only.
 */
final class GraphCheck {
    static final String WHAT_TO_DO_FOR_AN_OBJECT = "the data there may be lost and is left untouched; read the object"
            + " to see whether it is intact, restore it from a clone or backup, or delete it in the application and"
            + " run 'engram check --repair' again to quarantine the freed range";

    private static final String QUARANTINE = "quarantine: allocate the free blocks and chunks under the bad range as"
            + " type " + TypeTable.TYPE_QUARANTINE + " (quarantine), so the allocator never hands them out; their bytes"
            + " are not touched";

    /** Dangling-reference findings listed; past this a wrong declaration would bury the report. */
    static final int MAX_DANGLING = 100;

    private final MediumReader r;
    private final PoolHeader h;
    private final HeapGeometry g;
    private final ObjectGraph.Result graph;
    private final Set<Long> leaked = new TreeSet<>();
    private final Map<Long, String> typeNames = new HashMap<>();

    private GraphCheck(MediumReader r, PoolHeader h, HeapGeometry g, ObjectGraph.Result graph) {
        this.r = r;
        this.h = h;
        this.g = g;
        this.graph = graph;
        if (graph.complete()) {
            graph.leaks().forEach(b -> leaked.add(b.offset()));
        }
        TypeTable.read(r, h.rootAreaOffset()).entries().values().forEach(e -> typeNames.put((long) e.typeNum(), e.name()));
    }

    /** Walks the graph of a recovered pool whose heap metadata passed the check. */
    static GraphCheck walk(MediumReader r, PoolHeader h, long[] laneOffsets, PersistentHeap heap, HeapGeometry g) {
        LaneLayout ll = LaneLayout.of(h.laneSize());
        long[] undo = new long[laneOffsets.length];
        for (int i = 0; i < undo.length; i++) {
            undo[i] = ll.undoOffset(laneOffsets[i]);
        }
        return new GraphCheck(r, h, g, ObjectGraph.walk(r, h.rootAreaOffset(), undo, heap));
    }

    ObjectGraph.Result graph() {
        return graph;
    }

    String typeName(long type) {
        String builtin = TypeTable.builtinName(type);
        return builtin != null ? builtin : typeNames.getOrDefault(type, "");
    }

    private String typeLabel(long type) {
        String name = typeName(type);
        return "type " + type + (name.isEmpty() ? "" : " " + name);
    }

    private String describe(long object, long size, long type) {
        return Units.hex(object) + " (" + typeLabel(type) + ", " + size + " bytes)";
    }

    private static Map<String, Object> block(long offset, long size, long type, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offset", offset);
        m.put("size", size);
        m.put("type", type);
        m.put("typeName", name);
        return m;
    }

    /** Leak and dangling-reference findings, and notes on what the walk could not decide. */
    void leaks(List<Finding> findings, List<String> notes, Set<Long> leaksOnBadMedia) {
        int listed = 0;
        long inBlocks = graph.dangling().stream().filter(d -> d.from() != 0).count();
        for (ObjectGraph.Dangling d : graph.dangling()) {
            if (d.from() == 0) {
                continue; // the root pointer (its own finding) or a lane's overflow chain (recovery refuses it first)
            }
            if (listed++ == MAX_DANGLING) {
                notes.add((inBlocks - MAX_DANGLING) + " more dangling reference words not listed"
                        + " (a wrong reference declaration makes many)");
                break;
            }
            long type = r.getLong(BlockHeaderLayout.blockOffsetOf(d.from()) + BlockHeaderLayout.TYPE_OFFSET);
            String from = "block " + Units.hex(d.from()) + " (" + typeLabel(type) + ")";
            Map<String, Object> det = new LinkedHashMap<>();
            det.put("block", d.from());
            det.put("at", d.at());
            det.put("value", d.value());
            findings.add(new Finding("dangling-reference", d.at(), "the reference word at " + Units.hex(d.at()) + " in "
                    + from + " holds " + Units.hex(d.value()) + ", which is not the offset of a live object", null, det));
        }
        if (!graph.complete()) {
            notes.add("leaked blocks not claimed: " + String.join("; ", graph.reasons()));
            return;
        }
        for (ObjectGraph.Block b : graph.leaks()) {
            boolean bad = leaksOnBadMedia.contains(b.offset());
            findings.add(new Finding("leak", b.offset(), "leaked block " + describe(b.offset(), b.size(), b.type())
                    + ": no reference from the root reaches it",
                    Repair.byLibrary("free it through the allocator's redo-logged free path"
                            + (bad ? ", then quarantine its bad range" : "")),
                    block(b.offset(), b.size(), b.type(), typeName(b.type()))));
        }
        if (!graph.quarantined().isEmpty()) {
            long bytes = graph.quarantined().stream().mapToLong(ObjectGraph.Block::size).sum();
            notes.add(graph.quarantined().size() + " block(s) quarantined for bad media (" + bytes + " bytes)");
        }
    }

    /** Bad-block findings (one per range and what it hits); the leaked blocks hit are added to {@code leaksHit}. */
    void badBlocks(List<BadRange> ranges, List<Finding> findings, List<String> notes, Set<Long> leaksHit) {
        BadRangeClassifier classifier = new BadRangeClassifier(r, h, g);
        for (BadRange range : ranges) {
            String where = "bad range [" + Units.hex(range.offset()) + ", +" + range.length() + ")";
            List<BadRangeClassifier.Part> parts = classifier.classify(range);
            List<String> metadata = new ArrayList<>();
            List<BadRangeClassifier.Part> free = new ArrayList<>();
            Map<Long, List<BadRangeClassifier.Part>> objects = new LinkedHashMap<>();
            for (BadRangeClassifier.Part p : parts) {
                switch (p.kind()) {
                    case METADATA -> {
                        if (!metadata.contains(p.what())) {
                            metadata.add(p.what());
                        }
                    }
                    case FREE -> free.add(p);
                    case OBJECT -> objects.computeIfAbsent(p.object(), k -> new ArrayList<>()).add(p);
                    case UNUSED -> notes.add(where + " hits bytes the allocator never hands out (" + p.what() + ")");
                }
            }
            if (!metadata.isEmpty()) {
                Map<String, Object> det = details(range, "metadata");
                det.put("areas", metadata);
                findings.add(new Finding("bad-block", range.offset(), where + " hits metadata: " + String.join(", ", metadata)
                        + "; metadata cannot be rebuilt from elsewhere", null, det));
            }
            for (List<BadRangeClassifier.Part> hit : objects.values()) {
                objectHit(range, where, hit, findings, notes, leaksHit);
            }
            if (!free.isEmpty()) {
                Map<String, Object> det = details(range, "free");
                List<Map<String, Object>> units = new ArrayList<>();
                for (BadRangeClassifier.Part p : free) {
                    Map<String, Object> u = new LinkedHashMap<>();
                    u.put("start", p.start());
                    u.put("end", p.end());
                    u.put("what", p.what());
                    units.add(u);
                }
                det.put("free", units);
                findings.add(new Finding("bad-block", free.getFirst().start(), where + " lies in free space ("
                        + free.size() + (free.size() == 1 ? " unit: " : " units: ") + free.getFirst().what()
                        + (free.size() == 1 ? "" : ", ...") + ")", quarantine(), det));
            }
        }
    }

    private void objectHit(BadRange range, String where, List<BadRangeClassifier.Part> hit, List<Finding> findings,
                           List<String> notes, Set<Long> leaksHit) {
        BadRangeClassifier.Part p = hit.getFirst();
        long from = hit.getFirst().start();
        long to = hit.getLast().end();
        String bytes = from < p.object() ? "its block header and bytes [0, " + (to - p.object()) + ")"
                : "bytes [" + (from - p.object()) + ", " + (to - p.object()) + ")";
        String obj = describe(p.object(), p.size(), p.type());
        if (p.type() == TypeTable.TYPE_QUARANTINE) {
            notes.add(where + " is quarantined in block " + obj);
            return;
        }
        Map<String, Object> det;
        if (leaked.contains(p.object())) {
            leaksHit.add(p.object());
            det = details(range, "leaked");
            det.put("object", objectJson(p, from));
            findings.add(new Finding("bad-block", from, where + " hits " + bytes + " of leaked block " + obj,
                    Repair.byLibrary("free the leaked block (its leak finding), then " + QUARANTINE), det));
            return;
        }
        det = details(range, "object");
        det.put("object", objectJson(p, from));
        findings.add(new Finding("bad-block", from, where + " hits " + bytes + " of object " + obj + ": "
                + WHAT_TO_DO_FOR_AN_OBJECT, null, det));
    }

    private Map<String, Object> objectJson(BadRangeClassifier.Part p, long from) {
        Map<String, Object> o = block(p.object(), p.size(), p.type(), typeName(p.type()));
        o.put("headerHit", from < p.object());
        return o;
    }

    private static Map<String, Object> details(BadRange range, String hits) {
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("rangeOffset", range.offset());
        det.put("rangeLength", range.length());
        det.put("hits", hits);
        return det;
    }

    private static Repair quarantine() {
        return Repair.byLibrary(QUARANTINE);
    }

    /** Free parts of the bad ranges, one allocator unit each: what the repairer quarantines. */
    List<BadRangeClassifier.Part> freeParts(List<BadRange> ranges) {
        BadRangeClassifier classifier = new BadRangeClassifier(r, h, g);
        List<BadRangeClassifier.Part> out = new ArrayList<>();
        for (BadRange range : ranges) {
            for (BadRangeClassifier.Part p : classifier.classify(range)) {
                if (p.kind() == BadRangeClassifier.Kind.FREE) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
