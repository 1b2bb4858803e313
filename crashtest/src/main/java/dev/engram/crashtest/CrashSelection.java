package dev.engram.crashtest;

import dev.engram.pool.Bits;

import java.util.Arrays;

/**
 * Which in-flight stores one crash image made durable: at crash point {@code point}, for each cache
 * line with stores in flight, the length of the durable prefix of that line's in-flight stores.
 * Together with the trace this determines the image exactly; {@link CrashReplay} rebuilds it.
 *
 * @param point     crash point: the ordinal of the drain it precedes, or the trace's drain count for
 *                  the end of the trace
 * @param lines     cache-line numbers (pool offset / 64), oldest in-flight store first
 * @param prefixes  durable prefix length per line
 * @param inFlight  in-flight stores per line (the most the prefix could have been)
 */
public record CrashSelection(int point, long[] lines, int[] prefixes, int[] inFlight) {
    /**
     * Checks that the arrays have one entry per line.
     *
     * @param point    crash point
     * @param lines    cache-line numbers
     * @param prefixes durable prefix length per line
     * @param inFlight in-flight stores per line
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public CrashSelection {
        if (lines.length != prefixes.length || lines.length != inFlight.length) {
            throw new IllegalArgumentException("lines, prefixes and inFlight must have one entry per line, lines="
                    + lines.length + " prefixes=" + prefixes.length + " inFlight=" + inFlight.length);
        }
    }

    /** {@return the total number of in-flight stores made durable} */
    public int durableStores() {
        return Arrays.stream(prefixes).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrashSelection s && s.point == point && Arrays.equals(s.lines, lines)
                && Arrays.equals(s.prefixes, prefixes) && Arrays.equals(s.inFlight, inFlight);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * point + Arrays.hashCode(lines)) + Arrays.hashCode(prefixes);
    }

    /** e.g. {@code line@0x40: 1/2, line@0x80: 0/1}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append("line@0x").append(Long.toHexString(lines[i] * Bits.CACHE_LINE)).append(": ")
                    .append(prefixes[i]).append('/').append(inFlight[i]);
        }
        return lines.length == 0 ? "no stores in flight" : sb.toString();
    }
}
