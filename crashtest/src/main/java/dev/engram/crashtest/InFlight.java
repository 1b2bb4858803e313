package dev.engram.crashtest;

import java.util.Arrays;

/**
 * The stores in flight at one crash point, grouped by cache line. Lines are ordered by their oldest
 * in-flight store, and each line's stores are in program order, so a crash image is fully described
 * by one prefix length per line. Also lists all in-flight stores in global program order (for the
 * prefix strategy) with the line each belongs to. Arrays are reused from point to point.
 */
final class InFlight {
    private int lineCount;
    private long[] lines = new long[16];
    private int[] starts = new int[16];
    private int[] lengths = new int[16];
    private int[] flushed = new int[16];
    private int[] stores = new int[64];
    private int storeCount;
    private long[] ordered = new long[64];

    void reset(int expectedLines) {
        lineCount = 0;
        storeCount = 0;
        if (lines.length < expectedLines) {
            int n = Math.max(expectedLines, lines.length * 2);
            lines = new long[n];
            starts = new int[n];
            lengths = new int[n];
            flushed = new int[n];
        }
    }

    void addLine(long line, int[] src, int from, int count, int flushedCount) {
        if (storeCount + count > stores.length) {
            stores = Arrays.copyOf(stores, Math.max(storeCount + count, stores.length * 2));
        }
        System.arraycopy(src, from, stores, storeCount, count);
        lines[lineCount] = line;
        starts[lineCount] = storeCount;
        lengths[lineCount] = count;
        flushed[lineCount] = Math.min(flushedCount, count);
        lineCount++;
        storeCount += count;
    }

    /** Builds the program-order list: (granule record << 32 | line index), sorted. */
    void finish() {
        if (ordered.length < storeCount) {
            ordered = new long[Math.max(storeCount, ordered.length * 2)];
        }
        for (int i = 0; i < lineCount; i++) {
            for (int j = 0; j < lengths[i]; j++) {
                ordered[starts[i] + j] = ((long) stores[starts[i] + j] << 32) | i;
            }
        }
        Arrays.sort(ordered, 0, storeCount);
    }

    int lineCount() {
        return lineCount;
    }

    /** Cache-line number (offset / 64) of line {@code i}. */
    long line(int i) {
        return lines[i];
    }

    /** In-flight stores of line {@code i}. */
    int length(int i) {
        return lengths[i];
    }

    /** How many of line {@code i}'s in-flight stores a flush covered (they await the drain). */
    int flushed(int i) {
        return flushed[i];
    }

    /** The {@code j}-th in-flight store of line {@code i}, as a granule record index. */
    int store(int i, int j) {
        return stores[starts[i] + j];
    }

    int storeCount() {
        return storeCount;
    }

    /** Granule record of the {@code k}-th in-flight store in program order. */
    int orderedStore(int k) {
        return (int) (ordered[k] >>> 32);
    }

    /** Line index of the {@code k}-th in-flight store in program order. */
    int orderedLine(int k) {
        return (int) ordered[k];
    }

    /** Product of (length + 1) over the lines, saturating at {@code cap + 1}. */
    long combinations(long cap) {
        long product = 1;
        for (int i = 0; i < lineCount; i++) {
            product *= lengths[i] + 1L;
            if (product > cap) {
                return cap + 1;
            }
        }
        return product;
    }
}
