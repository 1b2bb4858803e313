package dev.engram.allocator;

import dev.engram.pool.medium.MediumReader;

/**
 * Walks the heap's persistent structures from the media alone (no volatile state): zone headers,
 * chunk headers, run bitmaps and block headers. Every offset it reads comes from the layout
 * descriptors and is checked against the zone before use, so a corrupt header is reported, never
 * followed. Used by {@link PersistentHeap#check}, object iteration and zone loading.
 */
final class HeapWalker {
    /** Receives live objects and inconsistencies. */
    interface Visitor {
        void object(long objectOffset, long typeNum, long blockSize, int cls);

        /** Returns true to keep walking; the heap's own readers throw instead. */
        boolean corruption(Corruption c);

        default void run(long runStart, int cls, int takenBlocks) {
        }

        default void span(long chunkOffset, int chunks) {
        }

        default void freeChunks(int count) {
        }
    }

    private final MediumReader medium;
    private final long heapOffset;
    private final int chunksPerZone;
    private final long heapSize;

    HeapWalker(MediumReader medium, long heapOffset, int chunksPerZone, long heapSize) {
        this.medium = medium;
        this.heapOffset = heapOffset;
        this.chunksPerZone = chunksPerZone;
        this.heapSize = heapSize;
    }

    /**
     * Reads a run's bitmap into {@code into}; returns a corruption when a bit past the last block
     * is set (the bitmap disagrees with the run header).
     */
    static Corruption readBitmap(MediumReader medium, long runStart, int blocks, long[] into) {
        final int words = RunLayout.bitmapWords(blocks);
        for (int w = 0; w < words; w++) {
            into[w] = medium.getLong(runStart + RunLayout.BITMAP_OFFSET + (long) w * Long.BYTES);
        }
        final long tail = into[words - 1] & RunLayout.tailMask(blocks);
        if (tail != 0) {
            return new Corruption("run bitmap", runStart + (long) (words - 1) * Long.BYTES,
                    "no bit at or past block " + blocks + " (run of " + blocks + " blocks)",
                    "bits 0x" + Long.toHexString(tail));
        }
        return null;
    }

    /** Walks every zone; {@code readBlocks} also reads and checks each live block's header. */
    void walk(Visitor visitor, boolean readBlocks) {
        final int zones = ZoneLayout.zoneCount(chunksPerZone, heapSize);
        for (int zone = 0; zone < zones; zone++) {
            if (!walkZone(zone, visitor, readBlocks)) {
                return;
            }
        }
    }

    private boolean walkZone(int zone, Visitor v, boolean readBlocks) {
        final long base = ZoneLayout.zoneBase(heapOffset, chunksPerZone, zone);
        final long dataStart = ZoneLayout.zoneDataStart(heapOffset, chunksPerZone, zone);
        final int count = ZoneLayout.chunkCount(chunksPerZone, heapSize, zone);
        final long magic = medium.getLong(base + ZoneLayout.MAGIC_OFFSET);
        if (magic == 0) {
            v.freeChunks(count);
            return true;
        }
        if (magic != ZoneLayout.MAGIC) {
            return v.corruption(new Corruption("zone header", base, "magic 0x" + Long.toHexString(ZoneLayout.MAGIC),
                    "0x" + Long.toHexString(magic)));
        }
        final int index = medium.getInt(base + ZoneLayout.INDEX_OFFSET);
        if (index != zone && !v.corruption(new Corruption("zone header", base + ZoneLayout.INDEX_OFFSET,
                "zone index " + zone, "zone index " + index))) {
            return false;
        }
        long[] bitmap = new long[0];
        int c = 0;
        while (c < count) {
            final long hdr = ZoneLayout.chunkHeaderOffset(base, c);
            final long word = medium.getLong(hdr);
            final Corruption bad = ChunkHeaderLayout.check(word, hdr, c, count);
            if (bad != null) {
                if (!v.corruption(bad)) {
                    return false;
                }
                c++;
                continue;
            }
            if (word == ChunkHeaderLayout.FREE) {
                v.freeChunks(1);
                c++;
                continue;
            }
            final int size = (int) ChunkHeaderLayout.sizeChunks(word);
            for (int i = 1; i < size; i++) {
                final long inner = ZoneLayout.chunkHeaderOffset(base, c + i);
                final long innerWord = medium.getLong(inner);
                if (innerWord != 0 && !v.corruption(new Corruption("chunk header", inner,
                        "0 (chunk inside the span at chunk " + c + ")", "0x" + Long.toHexString(innerWord)))) {
                    return false;
                }
            }
            final long chunkOffset = ZoneLayout.chunkOffset(dataStart, c);
            if (ChunkHeaderLayout.type(word) == ChunkHeaderLayout.TYPE_USED) {
                v.span(chunkOffset, size);
                if (!visitBlock(v, chunkOffset, (long) size * HeapLayout.CHUNK_SIZE, BlockHeaderLayout.SPAN_CLASS, readBlocks)) {
                    return false;
                }
            } else {
                final int cls = ChunkHeaderLayout.classId(word);
                final int blocks = SizeClasses.blocksPerRun(cls);
                if (bitmap.length < RunLayout.bitmapWords(blocks)) {
                    bitmap = new long[RunLayout.bitmapWords(blocks)];
                }
                final Corruption badMap = readBitmap(medium, chunkOffset, blocks, bitmap);
                if (badMap != null && !v.corruption(badMap)) {
                    return false;
                }
                int taken = 0;
                final int blockSize = SizeClasses.blockSize(cls);
                for (int w = 0; w < RunLayout.bitmapWords(blocks); w++) {
                    long bits = bitmap[w] & (w == RunLayout.bitmapWords(blocks) - 1 ? ~RunLayout.tailMask(blocks) : -1L);
                    while (bits != 0) {
                        final int block = w * RunLayout.BITS_PER_WORD + Long.numberOfTrailingZeros(bits);
                        bits &= bits - 1;
                        taken++;
                        final long blockOffset = RunLayout.blockOffset(chunkOffset, blocks, blockSize, block);
                        if (!visitBlock(v, blockOffset, blockSize, cls, readBlocks)) {
                            return false;
                        }
                    }
                }
                v.run(chunkOffset, cls, taken);
            }
            c += size;
        }
        return true;
    }

    private boolean visitBlock(Visitor v, long blockOffset, long blockSize, int cls, boolean readBlocks) {
        if (!readBlocks) {
            v.object(BlockHeaderLayout.objectOffset(blockOffset), -1, blockSize, cls);
            return true;
        }
        final long sizeWord = medium.getLong(blockOffset + BlockHeaderLayout.SIZE_WORD_OFFSET);
        final Corruption bad = BlockHeaderLayout.check(sizeWord, blockOffset, blockSize, cls);
        if (bad != null) {
            return v.corruption(bad);
        }
        v.object(BlockHeaderLayout.objectOffset(blockOffset), medium.getLong(blockOffset + BlockHeaderLayout.TYPE_OFFSET),
                blockSize, cls);
        return true;
    }
}
