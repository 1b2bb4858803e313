package dev.engram.pool;

/**
 * Sizes and alignment arithmetic used across the layers. The {@code align*} helpers are meant for
 * fast paths: they expect non-negative values and a power-of-two alignment, and do not check.
 */
public final class Bits {
    public static final int SIZE_OF_LONG = Long.BYTES;
    public static final int CACHE_LINE = 64;
    public static final int PAGE_SIZE = 4096;

    private Bits() {
    }

    /** Rounds {@code value} up to a multiple of {@code alignment} (a power of two). */
    public static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** Rounds {@code value} down to a multiple of {@code alignment} (a power of two). */
    public static long alignDown(long value, long alignment) {
        return value & -alignment;
    }

    public static boolean isAligned(long value, long alignment) {
        return (value & (alignment - 1)) == 0;
    }

    public static boolean isPowerOfTwo(long value) {
        return value > 0 && (value & (value - 1)) == 0;
    }

    /** Number of cache lines the range {@code [offset, offset + length)} touches; 0 for an empty range. */
    public static long cacheLinesSpanned(long offset, long length) {
        if (length <= 0) {
            return 0;
        }
        return (alignUp(offset + length, CACHE_LINE) - alignDown(offset, CACHE_LINE)) / CACHE_LINE;
    }
}
