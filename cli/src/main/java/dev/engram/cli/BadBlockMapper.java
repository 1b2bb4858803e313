package dev.engram.cli;

import dev.engram.allocator.BlockHeaderLayout;
import dev.engram.allocator.PersistentHeap;
import dev.engram.pool.BadRange;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolHeaderLayout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps known bad ranges to what they hit: a header copy, the root area, the lanes, heap metadata,
 * live objects (with type and size) or free space.
 */
final class BadBlockMapper {
    private BadBlockMapper() {
    }

    /** One bad range and what lies under it. */
    record Hit(BadRange range, List<String> areas, List<Map<String, Object>> objects) {
        boolean hitsMetadata() {
            return areas.stream().anyMatch(a -> !a.equals("objects") && !a.equals("free space"));
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
