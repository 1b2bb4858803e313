package dev.engram.allocator;

import dev.engram.pool.Bits;
import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.UnsupportedFormatException;
import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumReader;

/**
 * Descriptor of the heap header, the first {@link #HEADER_SIZE} bytes of the heap region. Written
 * once when the heap is created and only read afterwards.
 *
 * <pre>
 * offset | size | field            | unit   | range / meaning
 * -------+------+------------------+--------+-------------------------------------------------
 *      0 |    8 | signature        | ASCII  | "ENGHEAP\0"
 *      8 |    4 | major version    |        | {@link #MAJOR_VERSION}; a different major is refused
 *     12 |    4 | minor version    |        | {@link #MINOR_VERSION}; newer minors are readable
 *     16 |    8 | chunk size       | bytes  | {@link #CHUNK_SIZE} (256 KiB)
 *     24 |    4 | chunks per zone  | chunks | 1 .. {@link #MAX_CHUNKS_PER_ZONE}
 *     28 |    4 | reserved         |        | 0
 *     32 |    8 | max heap size    | bytes  | the heap never grows past it; &ge; the size at creation
 *     40 |    8 | heap offset      | bytes  | pool offset of this header, guards against a moved region
 *     48 |   12 | reserved         |        | 0
 *     60 |    4 | checksum         | CRC32C | over bytes [0, 60)
 *     64 | 4032 | reserved         |        | 0 (room for later fields; zones start at {@link #HEADER_SIZE})
 * </pre>
 */
public final class HeapLayout {
    /** "ENGHEAP\0" read as a little-endian long. */
    public static final long SIGNATURE = 0x0050414548474E45L;
    /** Major version this code writes and reads; a header with another one is refused. */
    public static final int MAJOR_VERSION = 1;
    /** Minor version this code writes; newer minors are readable. */
    public static final int MINOR_VERSION = 0;
    /** Bytes per chunk: 256 KiB. */
    public static final long CHUNK_SIZE = 256 * 1024;
    /** Chunk indexes fit in 20 bits of the volatile span keys. */
    public static final int MAX_CHUNKS_PER_ZONE = 1 << 20;
    /** Chunks per zone unless the creator chooses otherwise: 1 GiB of chunks per zone. */
    public static final int DEFAULT_CHUNKS_PER_ZONE = 4096;

    /** Offset in the header of the signature (8 bytes). */
    public static final int SIGNATURE_OFFSET;
    /** Offset of the major version (4 bytes). */
    public static final int MAJOR_OFFSET;
    /** Offset of the minor version (4 bytes). */
    public static final int MINOR_OFFSET;
    /** Offset of the chunk size (8 bytes). */
    public static final int CHUNK_SIZE_OFFSET;
    /** Offset of the chunks per zone (4 bytes). */
    public static final int CHUNKS_PER_ZONE_OFFSET;
    /** Offset of the first reserved field (4 bytes, zero). */
    public static final int RESERVED_1_OFFSET;
    /** Offset of the maximum heap size (8 bytes). */
    public static final int MAX_SIZE_OFFSET;
    /** Offset of the recorded heap offset (8 bytes). */
    public static final int HEAP_OFFSET_OFFSET;
    /** Offset of the second reserved field (12 bytes, zero). */
    public static final int RESERVED_2_OFFSET;
    /** Offset of the CRC32C (4 bytes), the last field of the first cache line. */
    public static final int CHECKSUM_OFFSET;
    /** Bytes the checksum covers: everything before it. */
    public static final int CHECKED_LENGTH;
    /** Bytes the header occupies in the heap region: one page; zone 0 starts after it. */
    public static final int HEADER_SIZE = Bits.PAGE_SIZE;

    static {
        int offset = 0;
        SIGNATURE_OFFSET = offset;
        offset += Long.BYTES;
        MAJOR_OFFSET = offset;
        offset += Integer.BYTES;
        MINOR_OFFSET = offset;
        offset += Integer.BYTES;
        CHUNK_SIZE_OFFSET = offset;
        offset += Long.BYTES;
        CHUNKS_PER_ZONE_OFFSET = offset;
        offset += Integer.BYTES;
        RESERVED_1_OFFSET = offset;
        offset += Integer.BYTES;
        MAX_SIZE_OFFSET = offset;
        offset += Long.BYTES;
        HEAP_OFFSET_OFFSET = offset;
        offset += Long.BYTES;
        RESERVED_2_OFFSET = offset;
        offset += 12;
        CHECKSUM_OFFSET = offset;
        CHECKED_LENGTH = offset;
        offset += Integer.BYTES;
        if (offset != Bits.CACHE_LINE) {
            throw new AssertionError("heap header fields must fill one cache line, got " + offset);
        }
    }

    private HeapLayout() {
    }

    /**
     * Smallest heap region that holds the header, one zone's metadata and one chunk.
     *
     * @param chunksPerZone chunks per zone
     * @return bytes
     */
    public static long minHeapSize(int chunksPerZone) {
        return HEADER_SIZE + ZoneLayout.metadataSize(chunksPerZone) + CHUNK_SIZE;
    }

    /** Writes and persists a fresh header at {@code heapOffset}. */
    static void writePersist(Medium medium, long heapOffset, int chunksPerZone, long maxSize) {
        medium.fill(heapOffset, HEADER_SIZE, (byte) 0);
        medium.putLong(heapOffset + SIGNATURE_OFFSET, SIGNATURE);
        medium.putInt(heapOffset + MAJOR_OFFSET, MAJOR_VERSION);
        medium.putInt(heapOffset + MINOR_OFFSET, MINOR_VERSION);
        medium.putLong(heapOffset + CHUNK_SIZE_OFFSET, CHUNK_SIZE);
        medium.putInt(heapOffset + CHUNKS_PER_ZONE_OFFSET, chunksPerZone);
        medium.putLong(heapOffset + MAX_SIZE_OFFSET, maxSize);
        medium.putLong(heapOffset + HEAP_OFFSET_OFFSET, heapOffset);
        medium.putInt(heapOffset + CHECKSUM_OFFSET, medium.crc32c(heapOffset, CHECKED_LENGTH));
        medium.persist(heapOffset, HEADER_SIZE);
    }

    /** The validated header fields. */
    record Header(int chunksPerZone, long maxSize) {
    }

    /**
     * Reads and validates the header: signature, version, checksum, chunk size, zone size, the
     * recorded offset and the maximum size against the region the caller gave.
     */
    static Header read(MediumReader medium, long heapOffset, long heapSize) {
        if (heapSize < HEADER_SIZE || heapOffset < 0 || heapOffset > medium.size() - heapSize) {
            throw new PoolCorruptedException("heap region outside the medium: heapOffset=" + heapOffset
                    + " heapSize=" + heapSize + " mediumSize=" + medium.size());
        }
        final long signature = medium.getLong(heapOffset + SIGNATURE_OFFSET);
        if (signature != SIGNATURE) {
            throw corrupt("signature", heapOffset + SIGNATURE_OFFSET, hex(SIGNATURE), hex(signature));
        }
        final int checksum = medium.getInt(heapOffset + CHECKSUM_OFFSET);
        final int actual = medium.crc32c(heapOffset, CHECKED_LENGTH);
        if (checksum != actual) {
            throw corrupt("checksum", heapOffset + CHECKSUM_OFFSET, Integer.toHexString(actual),
                    Integer.toHexString(checksum));
        }
        final int major = medium.getInt(heapOffset + MAJOR_OFFSET);
        if (major != MAJOR_VERSION) {
            throw new UnsupportedFormatException("heap format major version " + major
                    + " is not supported by this library (major " + MAJOR_VERSION + ") at offset " + heapOffset);
        }
        final long chunkSize = medium.getLong(heapOffset + CHUNK_SIZE_OFFSET);
        if (chunkSize != CHUNK_SIZE) {
            throw corrupt("chunk size", heapOffset + CHUNK_SIZE_OFFSET, Long.toString(CHUNK_SIZE), Long.toString(chunkSize));
        }
        final int chunksPerZone = medium.getInt(heapOffset + CHUNKS_PER_ZONE_OFFSET);
        checkChunksPerZone(chunksPerZone, heapOffset + CHUNKS_PER_ZONE_OFFSET);
        final long recordedOffset = medium.getLong(heapOffset + HEAP_OFFSET_OFFSET);
        if (recordedOffset != heapOffset) {
            throw corrupt("heap offset", heapOffset + HEAP_OFFSET_OFFSET, Long.toString(heapOffset),
                    Long.toString(recordedOffset));
        }
        final long maxSize = medium.getLong(heapOffset + MAX_SIZE_OFFSET);
        if (maxSize < heapSize) {
            throw corrupt("max heap size", heapOffset + MAX_SIZE_OFFSET, ">= " + heapSize, Long.toString(maxSize));
        }
        return new Header(chunksPerZone, maxSize);
    }

    static void checkChunksPerZone(int chunksPerZone, long offset) {
        if (chunksPerZone < 1 || chunksPerZone > MAX_CHUNKS_PER_ZONE) {
            throw corrupt("chunks per zone", offset, "1.." + MAX_CHUNKS_PER_ZONE, Integer.toString(chunksPerZone));
        }
    }

    static PoolCorruptedException corrupt(String field, long offset, String expected, String actual) {
        return new PoolCorruptedException("heap header " + field + " invalid at offset=" + offset
                + ": expected " + expected + ", actual " + actual + "; the heap cannot be opened, restore the pool from a copy");
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
