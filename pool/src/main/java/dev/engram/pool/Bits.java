package dev.engram.pool;

/**
 * Sizes and alignment arithmetic used across the layers. The {@code align*} helpers are meant for
 * fast paths: they expect non-negative values and a power-of-two alignment, and do not check.
 */
public final class Bits {
    /** Bytes in a long: the unit of single-copy-atomic stores and of structure alignment in the pool. */
    public static final int SIZE_OF_LONG = Long.BYTES;
    /** Bytes in a CPU cache line: the unit of write-back on DAX and forced-pmem media. */
    public static final int CACHE_LINE = 64;
    /** Bytes in a page: the unit of msync, mapping and pool growth. */
    public static final int PAGE_SIZE = 4096;

    private Bits() {
    }

    /**
     * Rounds {@code value} up to a multiple of {@code alignment} (a power of two).
     *
     * @param value     the value, not negative
     * @param alignment a power of two
     * @return the smallest multiple of {@code alignment} not below {@code value}
     */
    public static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /**
     * Rounds {@code value} down to a multiple of {@code alignment} (a power of two).
     *
     * @param value     the value, not negative
     * @param alignment a power of two
     * @return the largest multiple of {@code alignment} not above {@code value}
     */
    public static long alignDown(long value, long alignment) {
        return value & -alignment;
    }

    /**
     * {@return whether {@code value} is a multiple of {@code alignment}}
     *
     * @param value     the value
     * @param alignment a power of two (not checked)
     */
    public static boolean isAligned(long value, long alignment) {
        return (value & (alignment - 1)) == 0;
    }

    /**
     * {@return whether {@code value} is a positive power of two}
     *
     * @param value the value
     */
    public static boolean isPowerOfTwo(long value) {
        return value > 0 && (value & (value - 1)) == 0;
    }

    /**
     * Number of cache lines the range {@code [offset, offset + length)} touches; 0 for an empty range.
     *
     * @param offset pool offset of the first byte
     * @param length bytes in the range
     * @return the count of {@link #CACHE_LINE}-aligned lines overlapping the range
     */
    public static long cacheLinesSpanned(long offset, long length) {
        if (length <= 0) {
            return 0;
        }
        return (alignUp(offset + length, CACHE_LINE) - alignDown(offset, CACHE_LINE)) / CACHE_LINE;
    }
}
