package dev.engram.pool;

/**
 * A range of the pool file known to be bad (DESIGN.md §2.4), in bytes from the start of the file.
 *
 * @param offset first bad byte, {@code >= 0}
 * @param length bad bytes, {@code > 0}; {@code offset + length} does not overflow
 */
public record BadRange(long offset, long length) {
    /**
     * Validates the range.
     *
     * @param offset first bad byte
     * @param length bad bytes
     * @throws IllegalArgumentException if {@code offset} is negative, {@code length} is not positive or the end
     *                                  overflows
     */
    public BadRange {
        if (offset < 0 || length <= 0 || offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("bad range must be non-empty, non-negative and not overflow: offset="
                    + offset + " length=" + length);
        }
    }

    /** {@return one past the last bad byte} */
    public long end() {
        return offset + length;
    }

    /**
     * True when {@code [off, off + len)} shares at least one byte with this range.
     *
     * @param off first byte of the other range
     * @param len bytes in the other range; an empty range overlaps nothing
     * @return whether the ranges overlap
     */
    public boolean overlaps(long off, long len) {
        return len > 0 && off < end() && offset < off + len;
    }
}
