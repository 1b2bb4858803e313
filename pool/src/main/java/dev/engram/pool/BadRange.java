package dev.engram.pool;

/**
 * A range of the pool file known to be bad (DESIGN.md §2.4), in bytes from the start of the file.
 *
 * @param offset first bad byte, {@code >= 0}
 * @param length bad bytes, {@code > 0}; {@code offset + length} does not overflow
 */
public record BadRange(long offset, long length) {
    public BadRange {
        if (offset < 0 || length <= 0 || offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("bad range must be non-empty, non-negative and not overflow: offset="
                    + offset + " length=" + length);
        }
    }

    /** One past the last bad byte. */
    public long end() {
        return offset + length;
    }

    /** True when {@code [off, off + len)} shares at least one byte with this range. */
    public boolean overlaps(long off, long len) {
        return len > 0 && off < end() && offset < off + len;
    }
}
