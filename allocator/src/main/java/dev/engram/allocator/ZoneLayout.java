package dev.engram.allocator;

import dev.engram.pool.Bits;

/**
 * Descriptor of a zone: a metadata block (zone header plus the chunk-header table) followed by up
 * to {@code chunksPerZone} chunks of {@link HeapLayout#CHUNK_SIZE} bytes. Zones follow the heap
 * header back to back; the last zone may be partial (it holds as many whole chunks as the heap
 * size allows, and gains chunks when the heap grows).
 *
 * <pre>
 * zone metadata, at zoneBase(i):
 * offset | size          | field              | unit   | range / meaning
 * -------+---------------+--------------------+--------+------------------------------------------
 *      0 |             8 | magic              | ASCII  | "ENGZONE\0"; all-zero = zone never initialized
 *      8 |             4 | zone index         |        | i
 *     12 |            52 | reserved           |        | 0
 *     64 | 8 * chunks    | chunk-header table | words  | one {@link ChunkHeaderLayout} word per chunk
 *    ... | to page       | padding            |        | 0; chunk 0 starts page-aligned
 * </pre>
 *
 * <p>Chunk {@code c} of zone {@code i} starts at {@code zoneDataStart(i) + c * CHUNK_SIZE}. A zone
 * whose header is all zero has not been initialized yet (the heap grew into it and the process
 * stopped before the heap touched it); its table is zeroed and its header written before first use.
 */
public final class ZoneLayout {
    /** "ENGZONE\0" read as a little-endian long. */
    public static final long MAGIC = 0x00454E4F5A474E45L;
    /** Offset in the zone header of the magic. */
    public static final int MAGIC_OFFSET;
    /** Offset in the zone header of the zone index (4 bytes). */
    public static final int INDEX_OFFSET;
    /** Offset in the zone header of the reserved bytes (52, zero). */
    public static final int RESERVED_OFFSET;
    /** Offset in the zone of the chunk-header table: one cache line after the zone base. */
    public static final int CHUNK_TABLE_OFFSET;
    /** Bytes per chunk header. */
    public static final int CHUNK_HEADER_SIZE = Long.BYTES;

    static {
        int offset = 0;
        MAGIC_OFFSET = offset;
        offset += Long.BYTES;
        INDEX_OFFSET = offset;
        offset += Integer.BYTES;
        RESERVED_OFFSET = offset;
        offset += 52;
        CHUNK_TABLE_OFFSET = offset;
        if (CHUNK_TABLE_OFFSET != Bits.CACHE_LINE) {
            throw new AssertionError("zone header must fill one cache line, got " + CHUNK_TABLE_OFFSET);
        }
    }

    private ZoneLayout() {
    }

    /**
     * Bytes of zone metadata (header + table + padding) for {@code chunksPerZone}.
     *
     * @param chunksPerZone chunks per zone
     * @return bytes of metadata, a multiple of the page size
     */
    public static long metadataSize(int chunksPerZone) {
        return Bits.alignUp(CHUNK_TABLE_OFFSET + (long) CHUNK_HEADER_SIZE * chunksPerZone, Bits.PAGE_SIZE);
    }

    /**
     * Bytes a full zone spans.
     *
     * @param chunksPerZone chunks per zone
     * @return metadata plus {@code chunksPerZone} chunks, in bytes
     */
    public static long zoneSize(int chunksPerZone) {
        return metadataSize(chunksPerZone) + (long) chunksPerZone * HeapLayout.CHUNK_SIZE;
    }

    /**
     * Pool offset of zone {@code zone}'s header.
     *
     * @param heapOffset    pool offset of the heap region
     * @param chunksPerZone chunks per zone
     * @param zone          the zone index, from 0
     * @return the pool offset
     */
    public static long zoneBase(long heapOffset, int chunksPerZone, int zone) {
        return heapOffset + HeapLayout.HEADER_SIZE + (long) zone * zoneSize(chunksPerZone);
    }

    /**
     * Pool offset of chunk 0 of zone {@code zone}.
     *
     * @param heapOffset    pool offset of the heap region
     * @param chunksPerZone chunks per zone
     * @param zone          the zone index, from 0
     * @return the pool offset, page-aligned
     */
    public static long zoneDataStart(long heapOffset, int chunksPerZone, int zone) {
        return zoneBase(heapOffset, chunksPerZone, zone) + metadataSize(chunksPerZone);
    }

    /**
     * {@return the pool offset of chunk {@code chunk}'s header in the zone at {@code zoneBase}}
     *
     * @param zoneBase pool offset of the zone header
     * @param chunk    the chunk index in the zone
     */
    public static long chunkHeaderOffset(long zoneBase, int chunk) {
        return zoneBase + CHUNK_TABLE_OFFSET + (long) chunk * CHUNK_HEADER_SIZE;
    }

    /**
     * {@return the pool offset of chunk {@code chunk} of the zone whose chunk 0 is at {@code zoneDataStart}}
     *
     * @param zoneDataStart pool offset of the zone's chunk 0
     * @param chunk         the chunk index in the zone
     */
    public static long chunkOffset(long zoneDataStart, int chunk) {
        return zoneDataStart + (long) chunk * HeapLayout.CHUNK_SIZE;
    }

    /**
     * Number of zones a heap of {@code heapSize} bytes holds (each with at least one chunk).
     *
     * @param chunksPerZone chunks per zone
     * @param heapSize      bytes in the heap region
     * @return the number of zones; a trailing remainder too small for one chunk is not a zone
     */
    public static int zoneCount(int chunksPerZone, long heapSize) {
        final long afterHeader = heapSize - HeapLayout.HEADER_SIZE;
        if (afterHeader <= 0) {
            return 0;
        }
        final long zoneSize = zoneSize(chunksPerZone);
        final long full = afterHeader / zoneSize;
        final long rest = afterHeader - full * zoneSize;
        return (int) (full + (rest >= metadataSize(chunksPerZone) + HeapLayout.CHUNK_SIZE ? 1 : 0));
    }

    /**
     * Number of chunks zone {@code zone} holds in a heap of {@code heapSize} bytes.
     *
     * @param chunksPerZone chunks per zone
     * @param heapSize      bytes in the heap region
     * @param zone          the zone index
     * @return chunks in the zone, 0 for a zone beyond the heap
     */
    public static int chunkCount(int chunksPerZone, long heapSize, int zone) {
        final long dataStart = HeapLayout.HEADER_SIZE + (long) zone * zoneSize(chunksPerZone) + metadataSize(chunksPerZone);
        final long available = heapSize - dataStart;
        if (available < HeapLayout.CHUNK_SIZE) {
            return 0;
        }
        return (int) Math.min(chunksPerZone, available / HeapLayout.CHUNK_SIZE);
    }
}
