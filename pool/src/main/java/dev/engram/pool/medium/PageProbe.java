package dev.engram.pool.medium;

import dev.engram.pool.Bits;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Touches a mapped range through the bounds-checked segment before raw code (CPU cache-line
 * write-back) is allowed near it. Measured on JDK 25 (see {@code TruncatedWriteBackTest}): a CLWB of
 * a page the file no longer backs raises SIGBUS inside the write-back stub or the compiled intrinsic,
 * which the JVM does not translate, so the whole process dies. A segment read of the same page raises
 * a catchable {@link InternalError} instead; reading one byte per page first turns the crash into a
 * media error. Pages only vanish as a whole, so one byte per page is enough.
 *
 * <p>Limit: a page truncated by another process between the probe and the write-back still crashes
 * the JVM; the pool's exclusive lock (DESIGN.md §2.2) keeps cooperating processes out of that window.
 */
final class PageProbe {
    /**
     * Keeps the probe loads alive: the JIT may not drop a load whose value feeds a comparison with a
     * non-final field. The store into {@link #sink} happens only when the folded bytes equal this
     * value, so concurrent flushes do not fight over one cache line on every call.
     */
    private static byte keepAlive = (byte) 0xA5;
    @SuppressWarnings("unused")
    private static byte sink;

    private PageProbe() {
    }

    /**
     * Reads one byte of every page {@code [offset, offset + length)} touches, in order.
     *
     * @return -1 when every page could be read, else the offset of the first page that faulted
     */
    static long firstFaultingPage(MemorySegment mapping, long offset, long length) {
        long end = offset + length;
        long at = offset;
        byte acc = 0;
        try {
            while (at < end) {
                acc ^= mapping.get(ValueLayout.JAVA_BYTE, at);
                at = Bits.alignDown(at, Bits.PAGE_SIZE) + Bits.PAGE_SIZE;
            }
        } catch (InternalError fault) {
            return at;
        } finally {
            if (acc == keepAlive) {
                sink = acc;
            }
        }
        return -1;
    }
}
