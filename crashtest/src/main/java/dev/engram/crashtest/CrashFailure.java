package dev.engram.crashtest;

import java.nio.file.Path;

/**
 * One crash image on which the checker failed.
 *
 * @param point      crash point: the ordinal of the drain it precedes, or the trace's drain count for
 *                   the end of the trace
 * @param traceEvent the trace event of the crash point: the drain, or the event count at the end
 * @param endOfTrace whether the crash point is the end of the trace rather than a drain
 * @param strategy   name of the strategy that produced the image
 * @param seed       the strategy's seed (0 for deterministic strategies)
 * @param sample     which image of the strategy at this point (prefix length, sample or combination number)
 * @param selection  the durable prefix per in-flight cache line: the subset that made this image
 * @param cause      what the checker threw
 * @param savedAs    the saved failure's properties file (next to its {@code .pool} image and the
 *                   trace), or null when the explorer saves nothing
 */
public record CrashFailure(int point, int traceEvent, boolean endOfTrace, String strategy, long seed, long sample,
                           CrashSelection selection, Throwable cause, Path savedAs) {

    /** {@return one line naming the crash point, the subset, the seed, the cause and where it was saved} */
    public String describe() {
        String at = endOfTrace ? "the end of the trace (point " + point + ")"
                : "drain #" + point + " (trace event " + traceEvent + ")";
        return "crash at " + at + ", strategy " + strategy + (seed != 0 ? " seed=" + seed : "") + " sample=" + sample
                + ", durable prefixes [" + selection + "]: " + cause
                + (savedAs != null ? " (saved as " + savedAs + ")" : "");
    }

    @Override
    public String toString() {
        return describe();
    }
}
