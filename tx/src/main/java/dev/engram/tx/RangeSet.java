package dev.engram.tx;

import java.util.Arrays;

/**
 * The ranges a transaction has saved, as sorted, disjoint, non-adjacent intervals
 * {@code [start, end)}; adding a range reports only the parts not yet covered, and merges touching
 * intervals so that commit flushes each contiguous run once. Volatile; not thread safe.
 */
final class RangeSet extends LanePadding {
    /** Receives the uncovered parts of an added range, in address order. */
    interface GapVisitor {
        void gap(long start, long end);
    }

    /** Receives every interval. */
    interface RangeVisitor {
        void range(long start, long length);
    }

    private long[] starts = new long[8];
    private long[] ends = new long[8];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    /** First interval whose end is at or after {@code x}. */
    private int firstEndingAtOrAfter(long x) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** True when {@code [start, end)} is wholly covered. */
    boolean covers(long start, long end) {
        int i = firstEndingAtOrAfter(end);
        return i < size && starts[i] <= start;
    }

    /** Adds {@code [start, end)}, calling {@code visitor} for every uncovered part (may be null). */
    void add(long start, long end, GapVisitor visitor) {
        int i = firstEndingAtOrAfter(start);
        int j = i;
        long cursor = start;
        long mergedStart = start;
        long mergedEnd = end;
        while (j < size && starts[j] <= end) {
            if (starts[j] > cursor && visitor != null) {
                visitor.gap(cursor, starts[j]);
            }
            cursor = Math.max(cursor, ends[j]);
            mergedStart = Math.min(mergedStart, starts[j]);
            mergedEnd = Math.max(mergedEnd, ends[j]);
            j++;
        }
        if (cursor < end && visitor != null) {
            visitor.gap(cursor, end);
        }
        int removed = j - i;
        if (removed == 0) {
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                ends = Arrays.copyOf(ends, size * 2);
            }
            System.arraycopy(starts, i, starts, i + 1, size - i);
            System.arraycopy(ends, i, ends, i + 1, size - i);
            size++;
        } else if (removed > 1) {
            System.arraycopy(starts, j, starts, i + 1, size - j);
            System.arraycopy(ends, j, ends, i + 1, size - j);
            size -= removed - 1;
        }
        starts[i] = mergedStart;
        ends[i] = mergedEnd;
    }

    /** {@return the first byte of interval {@code i}, in address order} */
    long start(int i) {
        return starts[i];
    }

    /** {@return the end, exclusive, of interval {@code i}} */
    long end(int i) {
        return ends[i];
    }

    void forEach(RangeVisitor visitor) {
        for (int i = 0; i < size; i++) {
            visitor.range(starts[i], ends[i] - starts[i]);
        }
    }
}
