package dev.engram.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Sorting and merging of bad ranges, shared by the sources. */
final class BadRanges {
    private BadRanges() {
    }

    /** Sorted by offset, with overlapping or touching ranges merged; immutable. */
    static List<BadRange> normalize(List<BadRange> ranges) {
        List<BadRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(BadRange::offset));
        List<BadRange> out = new ArrayList<>();
        for (BadRange r : sorted) {
            if (!out.isEmpty() && r.offset() <= out.getLast().end()) {
                BadRange last = out.removeLast();
                out.add(new BadRange(last.offset(), Math.max(last.end(), r.end()) - last.offset()));
            } else {
                out.add(r);
            }
        }
        return List.copyOf(out);
    }
}
