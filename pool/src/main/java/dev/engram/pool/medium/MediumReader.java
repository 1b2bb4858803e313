package dev.engram.pool.medium;

import java.lang.foreign.MemorySegment;

/**
 * Read-only view of a medium: what recovery, {@code check} and the CLI get when they must not
 * write. Offsets are bytes from the pool start; every access is bounds-checked against the mapping
 * and fails with {@link dev.engram.pool.OutOfBoundsException} before touching memory.
 * All multi-byte values are little-endian.
 */
public interface MediumReader {
    /** Current size of the mapping in bytes. */
    long size();

    byte getByte(long offset);

    short getShort(long offset);

    int getInt(long offset);

    long getLong(long offset);

    void getBytes(long offset, byte[] dst, int dstIndex, int length);

    /**
     * A read-only segment over {@code [offset, offset + length)}; valid until the medium closes.
     * Bulk readers (checksums, dumps) use it so that the bound is checked once.
     */
    MemorySegment readOnlySlice(long offset, long length);

    /** CRC32C of the range, computed without copying. */
    int crc32c(long offset, long length);

    /** How the bytes reach durability. */
    MediumKind kind();
}
