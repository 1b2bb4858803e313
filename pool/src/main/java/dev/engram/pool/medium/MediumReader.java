package dev.engram.pool.medium;

import java.lang.foreign.MemorySegment;

/**
 * Read-only view of a medium: what recovery, {@code check} and the CLI get when they must not
 * write. Offsets are bytes from the pool start; every access is bounds-checked against the mapping
 * and fails with {@link dev.engram.pool.OutOfBoundsException} before touching memory.
 * All multi-byte values are little-endian.
 */
public interface MediumReader {
    /**
     * Current size of the mapping in bytes.
     *
     * @return the mapped length in bytes; grows when the pool grows, never shrinks
     */
    long size();

    /**
     * Reads one byte.
     *
     * @param offset pool offset, in {@code [0, size())}
     * @return the byte
     * @throws dev.engram.pool.OutOfBoundsException if the byte lies outside the mapping
     * @throws dev.engram.pool.MediaErrorException  if the page is poisoned or the file was truncated under the mapping
     */
    byte getByte(long offset);

    /**
     * Reads a little-endian short; need not be aligned.
     *
     * @param offset pool offset of the first byte; the 2 bytes must lie inside the mapping
     * @return the value
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     * @throws dev.engram.pool.MediaErrorException  if the page is poisoned or the file was truncated under the mapping
     */
    short getShort(long offset);

    /**
     * Reads a little-endian int; need not be aligned.
     *
     * @param offset pool offset of the first byte; the 4 bytes must lie inside the mapping
     * @return the value
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     * @throws dev.engram.pool.MediaErrorException  if the page is poisoned or the file was truncated under the mapping
     */
    int getInt(long offset);

    /**
     * Reads a little-endian long; need not be aligned.
     *
     * @param offset pool offset of the first byte; the 8 bytes must lie inside the mapping
     * @return the value
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     * @throws dev.engram.pool.MediaErrorException  if the page is poisoned or the file was truncated under the mapping
     */
    long getLong(long offset);

    /**
     * Copies {@code length} bytes from the medium into {@code dst}.
     *
     * @param offset   pool offset of the first byte read
     * @param dst      the destination array
     * @param dstIndex index in {@code dst} of the first byte written
     * @param length   bytes to copy
     * @throws dev.engram.pool.OutOfBoundsException if the source range lies outside the mapping
     * @throws IndexOutOfBoundsException            if {@code [dstIndex, dstIndex + length)} is not inside {@code dst}
     * @throws dev.engram.pool.MediaErrorException  if the page is poisoned or the file was truncated under the mapping
     */
    void getBytes(long offset, byte[] dst, int dstIndex, int length);

    /**
     * A read-only segment over {@code [offset, offset + length)}; valid until the medium closes.
     * Bulk readers (checksums, dumps) use it so that the bound is checked once.
     *
     * @param offset pool offset of the first byte
     * @param length bytes in the slice
     * @return a read-only segment whose offset 0 is pool offset {@code offset}
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     */
    MemorySegment readOnlySlice(long offset, long length);

    /**
     * CRC32C of the range, computed without copying.
     *
     * @param offset pool offset of the first byte
     * @param length bytes to checksum
     * @return the CRC32C value, as an int
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     * @throws dev.engram.pool.MediaErrorException  if a page in the range is poisoned
     */
    int crc32c(long offset, long length);

    /**
     * How the bytes reach durability.
     *
     * @return the kind of medium: DAX, page cache, forced pmem or memory
     */
    MediumKind kind();
}
