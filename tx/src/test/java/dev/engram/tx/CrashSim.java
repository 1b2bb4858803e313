package dev.engram.tx;

import dev.engram.pool.medium.MemoryMedium;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds crash images from a recorded trace: at every drain (and at the end), the durable bytes
 * plus, per cache line, every prefix of the stores still in flight on that line (a line's stores
 * persist in program order; an unflushed line may be written back early). For each line, its
 * prefixes are tried with every other line durable-only and with every other line complete, and
 * the two extremes (nothing / everything in flight). Identical images are checked once.
 */
final class CrashSim {
    interface Checker {
        void check(MemoryMedium image, String where);
    }

    record Result(int crashPoints, int images) {
    }

    private CrashSim() {
    }

    static Result explore(byte[] base, List<RecordingMedium.Event> trace, Checker checker) {
        byte[] durable = base.clone();
        Map<Long, List<RecordingMedium.Store>> pending = new HashMap<>();
        Map<Long, Integer> flushedUpTo = new HashMap<>();
        Set<Integer> seen = new HashSet<>();
        int points = 0;
        int images = 0;
        for (int e = 0; e <= trace.size(); e++) {
            RecordingMedium.Event ev = e < trace.size() ? trace.get(e) : null;
            if (ev == null || ev instanceof RecordingMedium.Drain) {
                points++;
                images += crashAt(durable, pending, checker, seen, "event " + e + " of " + trace.size());
                if (ev == null) {
                    break;
                }
                for (Map.Entry<Long, Integer> f : flushedUpTo.entrySet()) {
                    List<RecordingMedium.Store> list = pending.get(f.getKey());
                    int n = f.getValue();
                    for (int i = 0; i < n; i++) {
                        apply(durable, list.get(i));
                    }
                    list.subList(0, n).clear();
                }
                flushedUpTo.clear();
            } else if (ev instanceof RecordingMedium.Store s) {
                pending.computeIfAbsent(s.offset() >>> 6, k -> new ArrayList<>()).add(s);
            } else if (ev instanceof RecordingMedium.Flush f) {
                for (long line = f.offset() >>> 6; line <= (f.offset() + f.length() - 1) >>> 6; line++) {
                    List<RecordingMedium.Store> list = pending.get(line);
                    if (list != null && !list.isEmpty()) {
                        flushedUpTo.put(line, list.size());
                    }
                }
            }
        }
        return new Result(points, images);
    }

    private static void apply(byte[] image, RecordingMedium.Store s) {
        System.arraycopy(s.bytes(), 0, image, (int) s.offset(), s.bytes().length);
    }

    private static int crashAt(byte[] durable, Map<Long, List<RecordingMedium.Store>> pending, Checker checker,
                               Set<Integer> seen, String where) {
        List<Long> lines = new ArrayList<>();
        for (Map.Entry<Long, List<RecordingMedium.Store>> p : pending.entrySet()) {
            if (!p.getValue().isEmpty()) {
                lines.add(p.getKey());
            }
        }
        lines.sort(null);
        byte[] all = durable.clone();
        for (long line : lines) {
            for (RecordingMedium.Store s : pending.get(line)) {
                apply(all, s);
            }
        }
        int count = 0;
        count += check(durable, checker, seen, where + ", durable only");
        count += check(all, checker, seen, where + ", everything in flight written back");
        for (long line : lines) {
            List<RecordingMedium.Store> stores = pending.get(line);
            for (int p = 1; p < stores.size() + 1; p++) {
                byte[] lo = durable.clone();
                byte[] hi = all.clone();
                int from = (int) (line << 6);
                System.arraycopy(durable, from, hi, from, Math.min(64, durable.length - from));
                for (int i = 0; i < p; i++) {
                    apply(lo, stores.get(i));
                    apply(hi, stores.get(i));
                }
                count += check(lo, checker, seen, where + ", line " + line + " prefix " + p + ", other lines durable");
                count += check(hi, checker, seen, where + ", line " + line + " prefix " + p + ", other lines complete");
            }
        }
        return count;
    }

    private static int check(byte[] image, Checker checker, Set<Integer> seen, String where) {
        if (!seen.add(Arrays.hashCode(image))) {
            return 0;
        }
        MemoryMedium m = MemoryMedium.allocate(image.length);
        try {
            m.segmentForHarness().copyFrom(MemorySegment.ofArray(image));
            checker.check(m, where);
        } finally {
            m.close();
        }
        return 1;
    }
}
