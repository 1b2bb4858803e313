package dev.engram.cli;

import dev.engram.allocator.BlockHeaderLayout;
import dev.engram.allocator.HeapCheckReport;
import dev.engram.allocator.PersistentHeap;
import dev.engram.pool.BadRange;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolHeaderLayout;
import dev.engram.tx.TypeTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps known bad ranges to what they hit: a header copy, the root area, the lanes, heap metadata,
 * live objects (with type and size), free space or never-allocated bytes. The heap part is named
 * precisely ({@link BadRangeClassifier}) when the heap metadata is sound; otherwise live objects
 * are found by the heap's iteration and the rest is "free space or heap metadata".
 */
final class BadBlockMapper {
    private BadBlockMapper() {
    }

    /** One bad range and what lies under it. */
    record Hit(BadRange range, List<String> areas, List<Map<String, Object>> objects) {
        boolean hitsMetadata() {
            return areas.stream().anyMatch(a -> !a.equals("objects") && !a.equals("free space")
                    && !a.equals("quarantined") && !a.startsWith("never-allocated"));
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("offset", range.offset());
            m.put("length", range.length());
            m.put("areas", areas);
            m.put("objects", objects);
            return m;
        }

        String describe() {
            String what = String.join(", ", areas);
            if (!objects.isEmpty()) {
                List<String> os = new ArrayList<>();
                for (Map<String, Object> o : objects) {
                    os.add(Units.hex((Long) o.get("offset")) + " (type " + o.get("type") + ", " + o.get("size") + " bytes)");
                }
                what += ": " + String.join(", ", os);
            }
            return "bad range [" + Units.hex(range.offset()) + ", +" + range.length() + ") hits " + what;
        }
    }

    static List<Hit> map(PoolSession s, List<BadRange> ranges) {
        PoolHeader h = s.pool().header();
        BadRangeClassifier classifier = s.hasObjectLayer() ? classifier(s, h) : null;
        List<Hit> hits = new ArrayList<>();
        List<long[]> objects = null;
        for (BadRange r : ranges) {
            List<String> areas = new ArrayList<>();
            if (r.overlaps(PoolHeaderLayout.PRIMARY_OFFSET, PoolHeaderLayout.HEADER_LENGTH)) {
                areas.add("primary header");
            }
            if (r.overlaps(PoolHeaderLayout.BACKUP_OFFSET, PoolHeaderLayout.HEADER_LENGTH)) {
                areas.add("backup header");
            }
            if (r.overlaps(h.rootAreaOffset(), PoolHeaderLayout.ROOT_AREA_SIZE)) {
                areas.add("root area");
            }
            if (r.overlaps(h.laneAreaOffset(), h.laneAreaSize())) {
                areas.add("lanes " + laneList(h, r));
            }
            if (r.overlaps(h.laneAreaOffset() + h.laneAreaSize(), h.heapOffset() - h.laneAreaOffset() - h.laneAreaSize())) {
                areas.add("padding");
            }
            List<Map<String, Object>> hitObjects = new ArrayList<>();
            if (r.overlaps(h.heapOffset(), h.heapSize())) {
                if (!s.hasObjectLayer()) {
                    areas.add("heap (no object layer)");
                } else if (classifier != null) {
                    heapByClassifier(classifier, h, r, areas, hitObjects);
                } else {
                    if (objects == null) {
                        objects = liveObjects(s.heap());
                    }
                    for (long[] o : objects) {
                        if (r.overlaps(o[0], o[1])) {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("offset", BlockHeaderLayout.objectOffset(o[0]));
                            m.put("type", o[2]);
                            m.put("size", o[1] - BlockHeaderLayout.HEADER_SIZE);
                            m.put("headerHit", r.overlaps(o[0], BlockHeaderLayout.HEADER_SIZE));
                            hitObjects.add(m);
                        }
                    }
                    if (!hitObjects.isEmpty()) {
                        areas.add("objects");
                    }
                    if (coveredByObjects(r, h, objects) < Math.min(r.end(), h.heapOffset() + h.heapSize())
                            - Math.max(r.offset(), h.heapOffset())) {
                        areas.add(hitObjects.isEmpty() ? "free space or heap metadata" : "also free space or heap metadata");
                    }
                }
            }
            if (r.end() > h.poolSize()) {
                areas.add("past the end of the pool");
            }
            hits.add(new Hit(r, areas, hitObjects));
        }
        return hits;
    }

    /** A classifier when the heap metadata is sound (it trusts chunk headers and bitmaps), else null. */
    private static BadRangeClassifier classifier(PoolSession s, PoolHeader h) {
        if (!HeapCheckReport.run(s.reader(), h.heapOffset(), h.heapSize()).problems().isEmpty()) {
            return null;
        }
        HeapGeometry g = new HeapGeometry(h.heapOffset(), h.heapSize(), s.heap().chunksPerZone());
        return new BadRangeClassifier(s.reader(), h, g);
    }

    /** The heap part of a range, named precisely: heap metadata, objects, free space, never-allocated bytes. */
    private static void heapByClassifier(BadRangeClassifier classifier, PoolHeader h, BadRange r, List<String> areas,
                                         List<Map<String, Object>> hitObjects) {
        long lo = Math.max(r.offset(), h.heapOffset());
        long hi = Math.min(r.end(), h.heapOffset() + h.heapSize());
        for (BadRangeClassifier.Part p : classifier.classify(new BadRange(lo, hi - lo))) {
            String area = switch (p.kind()) {
                case METADATA -> "heap metadata (" + p.what() + ")";
                case OBJECT -> p.type() == TypeTable.TYPE_QUARANTINE ? "quarantined" : "objects";
                case FREE -> "free space";
                case UNUSED -> "never-allocated space (" + p.what() + ")";
            };
            if (!areas.contains(area)) {
                areas.add(area);
            }
            if (p.kind() == BadRangeClassifier.Kind.OBJECT
                    && hitObjects.stream().noneMatch(o -> o.get("offset").equals(p.object()))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("offset", p.object());
                m.put("type", p.type());
                m.put("size", p.size());
                m.put("headerHit", p.hitsBlockHeader());
                hitObjects.add(m);
            }
        }
    }

    private static long coveredByObjects(BadRange r, PoolHeader h, List<long[]> objects) {
        long covered = 0;
        for (long[] o : objects) {
            long lo = Math.max(o[0], r.offset());
            long hi = Math.min(o[0] + o[1], r.end());
            if (hi > lo) {
                covered += hi - lo;
            }
        }
        return covered;
    }

    private static String laneList(PoolHeader h, BadRange r) {
        long first = Math.max(0, (r.offset() - h.laneAreaOffset()) / h.laneSize());
        long last = Math.min(h.laneCount() - 1, (r.end() - 1 - h.laneAreaOffset()) / h.laneSize());
        return first == last ? String.valueOf(first) : first + "-" + last;
    }

    /** (block offset, block size, type) of every live object. */
    private static List<long[]> liveObjects(PersistentHeap heap) {
        List<long[]> out = new ArrayList<>();
        heap.forEachObject(o -> out.add(new long[] {BlockHeaderLayout.blockOffsetOf(o),
                heap.usableSize(o) + BlockHeaderLayout.HEADER_SIZE, heap.typeNum(o)}));
        return out;
    }
}
