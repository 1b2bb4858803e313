package dev.engram.crashtest;

import java.util.Arrays;

/**
 * Cache-line number to slot index (open addressing, linear probing, no boxing). Slots are handed
 * out densely from 0 in the order lines are first seen and are never removed: a trace touches a
 * bounded set of lines, and slot arrays are indexed by these numbers.
 */
final class LineTable {
    private static final long EMPTY = -1;

    private long[] lines = new long[256];
    private int[] slots = new int[256];
    private int size;

    LineTable() {
        Arrays.fill(lines, EMPTY);
    }

    /** The slot of {@code line}, or -1. */
    int get(long line) {
        int mask = lines.length - 1;
        int i = (int) CrashImage.mix(line) & mask;
        while (true) {
            long l = lines[i];
            if (l == line) {
                return slots[i];
            }
            if (l == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** The slot of {@code line}, allocating the next free slot number if it is new. */
    int getOrAdd(long line) {
        if ((size + 1) * 2 > lines.length) {
            rehash();
        }
        int mask = lines.length - 1;
        int i = (int) CrashImage.mix(line) & mask;
        while (true) {
            long l = lines[i];
            if (l == line) {
                return slots[i];
            }
            if (l == EMPTY) {
                lines[i] = line;
                slots[i] = size;
                return size++;
            }
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    private void rehash() {
        long[] oldLines = lines;
        int[] oldSlots = slots;
        lines = new long[oldLines.length * 2];
        slots = new int[oldLines.length * 2];
        Arrays.fill(lines, EMPTY);
        int mask = lines.length - 1;
        for (int j = 0; j < oldLines.length; j++) {
            if (oldLines[j] != EMPTY) {
                int i = (int) CrashImage.mix(oldLines[j]) & mask;
                while (lines[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                lines[i] = oldLines[j];
                slots[i] = oldSlots[j];
            }
        }
    }
}
