package dev.engram.cli;

import dev.engram.allocator.ChunkHeaderLayout;
import dev.engram.allocator.HeapLayout;
import dev.engram.allocator.ZoneLayout;
import dev.engram.pool.medium.MediumReader;

/**
 * Locates heap structures by pool offset, for the repair planner and the bad-block mapper. All
 * arithmetic goes through the allocator's descriptors ({@link ZoneLayout}, {@link ChunkHeaderLayout});
 * this class holds no offsets of its own.
 *
 * @param heapOffset    pool offset of the heap region
 * @param heapSize      heap region size
 * @param chunksPerZone from the heap header (via {@code PersistentHeap.chunksPerZone()})
 */
record HeapGeometry(long heapOffset, long heapSize, int chunksPerZone) {
    /** A chunk: its zone, index, header word offset and data offset. */
    record ChunkRef(int zone, int chunk, int chunkCount, long zoneBase, long headerOffset, long dataOffset) {
    }

    int zones() {
        return ZoneLayout.zoneCount(chunksPerZone, heapSize);
    }

    /** The zone whose metadata or chunks contain {@code offset}, or -1. */
    int zoneOf(long offset) {
        int zones = zones();
        for (int z = 0; z < zones; z++) {
            long base = ZoneLayout.zoneBase(heapOffset, chunksPerZone, z);
            long end = ZoneLayout.zoneDataStart(heapOffset, chunksPerZone, z)
                    + (long) ZoneLayout.chunkCount(chunksPerZone, heapSize, z) * HeapLayout.CHUNK_SIZE;
            if (offset >= base && offset < end) {
                return z;
            }
        }
        return -1;
    }

    ChunkRef chunk(int zone, int chunk) {
        long base = ZoneLayout.zoneBase(heapOffset, chunksPerZone, zone);
        return new ChunkRef(zone, chunk, ZoneLayout.chunkCount(chunksPerZone, heapSize, zone), base,
                ZoneLayout.chunkHeaderOffset(base, chunk),
                ZoneLayout.chunkOffset(ZoneLayout.zoneDataStart(heapOffset, chunksPerZone, zone), chunk));
    }

    /** The chunk whose header word is at {@code headerOffset}, or null. */
    ChunkRef chunkOfHeader(long headerOffset) {
        int z = zoneOf(headerOffset);
        if (z < 0) {
            return null;
        }
        long table = ZoneLayout.chunkHeaderOffset(ZoneLayout.zoneBase(heapOffset, chunksPerZone, z), 0);
        long rel = headerOffset - table;
        if (rel < 0 || rel % ZoneLayout.CHUNK_HEADER_SIZE != 0) {
            return null;
        }
        int c = (int) (rel / ZoneLayout.CHUNK_HEADER_SIZE);
        return c < ZoneLayout.chunkCount(chunksPerZone, heapSize, z) ? chunk(z, c) : null;
    }

    /** The chunk whose data contains {@code offset}, or null (metadata, or outside the heap). */
    ChunkRef chunkOfData(long offset) {
        int z = zoneOf(offset);
        if (z < 0) {
            return null;
        }
        long data = ZoneLayout.zoneDataStart(heapOffset, chunksPerZone, z);
        if (offset < data) {
            return null;
        }
        return chunk(z, (int) ((offset - data) / HeapLayout.CHUNK_SIZE));
    }

    /**
     * The first chunk of the run or span covering {@code c} (its header is the nearest non-zero one
     * at or before {@code c} whose size reaches {@code c}), or null when {@code c} is free.
     */
    ChunkRef owner(MediumReader r, ChunkRef c) {
        for (int i = c.chunk(); i >= 0; i--) {
            ChunkRef h = chunk(c.zone(), i);
            long word = r.getLong(h.headerOffset());
            if (word != ChunkHeaderLayout.FREE) {
                return i + ChunkHeaderLayout.sizeChunks(word) > c.chunk() ? h : null;
            }
        }
        return null;
    }
}
