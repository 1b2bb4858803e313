package dev.engram.pool.medium;

import java.util.Arrays;

/**
 * Page ranges flushed since the last drain, kept as a flat list of {@code [start, end)} pairs and
 * coalesced only when taken. The cost of a drain therefore follows the number and size of flushed
 * ranges, never the size of the pool (DESIGN.md §2.1).
 *
 * <p>Thread safety: {@link #add} and {@link #take} are synchronized; both are short.
 */
final class DirtyRanges {
    private static final long[] EMPTY = new long[0];

    private long[] pairs = new long[32];
    private int count; // number of longs used (2 per range)
    private long lastStart = -1;
    private long lastEnd = -1;

    /** Records {@code [start, end)}; both page-aligned. */
    synchronized void add(long start, long end) {
        // The common case is the same or the next range again: absorb it without growing the list.
        if (start >= lastStart && end <= lastEnd) {
            return;
        }
        if (count > 0 && start <= lastEnd && end >= lastStart) {
            lastStart = Math.min(lastStart, start);
            lastEnd = Math.max(lastEnd, end);
            pairs[count - 2] = lastStart;
            pairs[count - 1] = lastEnd;
            return;
        }
        if (count == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[count++] = start;
        pairs[count++] = end;
        lastStart = start;
        lastEnd = end;
    }

    /** Removes every range and returns them sorted and coalesced, as {@code [start, end)} pairs. */
    synchronized long[] take() {
        if (count == 0) {
            return EMPTY;
        }
        int n = count / 2;
        long[] taken = Arrays.copyOf(pairs, count);
        count = 0;
        lastStart = -1;
        lastEnd = -1;
        if (pairs.length > 4096) {
            pairs = new long[32]; // do not pin a large buffer after a burst
        }
        if (n == 1) {
            return taken;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(taken[2 * a], taken[2 * b]));
        long[] out = new long[taken.length];
        int used = 0;
        for (int k = 0; k < n; k++) {
            long s = taken[2 * order[k]];
            long e = taken[2 * order[k] + 1];
            if (used > 0 && s <= out[used - 1]) {
                out[used - 1] = Math.max(out[used - 1], e);
            } else {
                out[used++] = s;
                out[used++] = e;
            }
        }
        return Arrays.copyOf(out, used);
    }

    synchronized boolean isEmpty() {
        return count == 0;
    }
}
