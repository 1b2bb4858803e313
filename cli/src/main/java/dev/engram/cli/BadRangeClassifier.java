package dev.engram.cli;

import dev.engram.allocator.BlockHeaderLayout;
import dev.engram.allocator.ChunkHeaderLayout;
import dev.engram.allocator.HeapLayout;
import dev.engram.allocator.RunLayout;
import dev.engram.allocator.SizeClasses;
import dev.engram.allocator.ZoneLayout;
import dev.engram.pool.BadRange;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolHeaderLayout;
import dev.engram.pool.medium.MediumReader;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a bad range into what lies under each of its bytes, read from the pool's metadata through
 * the allocator's descriptors: pool metadata (header copies, root area, lanes), heap metadata (heap
 * header, zone header and chunk table, a run's bitmap), a live block (run block with its bit set,
 * or a used span), free space (a free run block, a free chunk), or bytes the allocator never hands
 * out (a run's unused tail, the heap's tail past its last chunk).
 *
 * <p>Needs a heap whose metadata passed the check: chunk headers and bitmaps are trusted as read.
 * Free parts come one per run block and one per stretch of free chunks, so that each is one
 * allocator unit (the quarantine reserves exactly it).
 */
final class BadRangeClassifier {
    enum Kind { METADATA, OBJECT, FREE, UNUSED }

    /**
     * A piece of a bad range.
     *
     * @param object object offset of the live block hit (OBJECT), else 0
     * @param size   the block's usable size (OBJECT), else 0
     * @param type   the block's type number (OBJECT), else 0
     */
    record Part(Kind kind, long start, long end, String what, long object, long size, long type) {
        boolean hitsBlockHeader() {
            return kind == Kind.OBJECT && start < object;
        }
    }

    private final MediumReader r;
    private final PoolHeader h;
    private final HeapGeometry g;

    BadRangeClassifier(MediumReader reader, PoolHeader header, HeapGeometry geometry) {
        this.r = reader;
        this.h = header;
        this.g = geometry;
    }

    List<Part> classify(BadRange range) {
        List<Part> parts = new ArrayList<>();
        long s = range.offset();
        long e = Math.min(range.end(), h.poolSize());
        fixed(parts, s, e, PoolHeaderLayout.PRIMARY_OFFSET, PoolHeaderLayout.HEADER_LENGTH, "primary header");
        fixed(parts, s, e, PoolHeaderLayout.BACKUP_OFFSET, PoolHeaderLayout.HEADER_LENGTH, "backup header");
        fixed(parts, s, e, h.rootAreaOffset(), PoolHeaderLayout.ROOT_AREA_SIZE, "root area");
        for (int lane = 0; lane < h.laneCount(); lane++) {
            fixed(parts, s, e, h.laneAreaOffset() + (long) lane * h.laneSize(), h.laneSize(), "lane " + lane);
        }
        long lanesEnd = h.laneAreaOffset() + (long) h.laneCount() * h.laneSize();
        fixed(parts, s, e, lanesEnd, h.heapOffset() - lanesEnd, "padding after the lanes");
        long lo = Math.max(s, h.heapOffset());
        long hi = Math.min(e, h.heapOffset() + h.heapSize());
        if (lo < hi) {
            heap(parts, lo, hi);
        }
        if (range.end() > h.poolSize()) {
            parts.add(new Part(Kind.METADATA, Math.max(s, h.poolSize()), range.end(), "past the end of the pool", 0, 0, 0));
        }
        return parts;
    }

    private static void fixed(List<Part> parts, long s, long e, long at, long length, String what) {
        long lo = Math.max(s, at);
        long hi = Math.min(e, at + length);
        if (lo < hi) {
            parts.add(new Part(Kind.METADATA, lo, hi, what, 0, 0, 0));
        }
    }

    private void heap(List<Part> parts, long lo, long hi) {
        fixed(parts, lo, hi, h.heapOffset(), HeapLayout.HEADER_SIZE, "heap header");
        long p = Math.max(lo, h.heapOffset() + HeapLayout.HEADER_SIZE);
        while (p < hi) {
            int z = g.zoneOf(p);
            if (z < 0) {
                parts.add(new Part(Kind.UNUSED, p, hi, "heap tail past the last chunk", 0, 0, 0));
                return;
            }
            HeapGeometry.ChunkRef first = g.chunk(z, 0);
            if (p < first.dataOffset()) {
                long end = Math.min(hi, first.dataOffset());
                parts.add(new Part(Kind.METADATA, p, end, "zone " + z + " metadata (header, chunk table)", 0, 0, 0));
                p = end;
                continue;
            }
            HeapGeometry.ChunkRef c = g.chunkOfData(p);
            HeapGeometry.ChunkRef owner = g.owner(r, c);
            if (owner == null) {
                long end = p;
                HeapGeometry.ChunkRef k = c;
                while (end < hi && k != null && g.owner(r, k) == null) {
                    end = k.dataOffset() + HeapLayout.CHUNK_SIZE;
                    k = k.chunk() + 1 < k.chunkCount() ? g.chunk(k.zone(), k.chunk() + 1) : null;
                }
                end = Math.min(end, hi);
                parts.add(new Part(Kind.FREE, p, end, "free chunks", 0, 0, 0));
                p = end;
                continue;
            }
            long word = r.getLong(owner.headerOffset());
            long ownerEnd = owner.dataOffset() + ChunkHeaderLayout.sizeChunks(word) * HeapLayout.CHUNK_SIZE;
            long end = Math.min(hi, ownerEnd);
            if (ChunkHeaderLayout.type(word) == ChunkHeaderLayout.TYPE_USED) {
                long block = owner.dataOffset();
                parts.add(object(p, end, block, ownerEnd - block));
            } else {
                run(parts, p, end, owner.dataOffset(), ChunkHeaderLayout.classId(word));
            }
            p = end;
        }
    }

    private Part object(long lo, long hi, long block, long blockSize) {
        long type = r.getLong(block + BlockHeaderLayout.TYPE_OFFSET);
        return new Part(Kind.OBJECT, lo, hi, "object", BlockHeaderLayout.objectOffset(block),
                blockSize - BlockHeaderLayout.HEADER_SIZE, type);
    }

    private void run(List<Part> parts, long lo, long hi, long runStart, int cls) {
        int blocks = SizeClasses.blocksPerRun(cls);
        int blockSize = SizeClasses.blockSize(cls);
        long dataStart = runStart + RunLayout.dataOffset(blocks);
        long dataEnd = dataStart + (long) blocks * blockSize;
        fixed(parts, lo, hi, runStart, dataStart - runStart, "bitmap of the run at " + Units.hex(runStart));
        long p = Math.max(lo, dataStart);
        while (p < Math.min(hi, dataEnd)) {
            int b = (int) ((p - dataStart) / blockSize);
            long block = dataStart + (long) b * blockSize;
            long end = Math.min(Math.min(hi, dataEnd), block + blockSize);
            boolean live = (r.getLong(RunLayout.bitmapWordOffset(runStart, b)) & RunLayout.bitMask(b)) != 0;
            parts.add(live ? object(p, end, block, blockSize) : new Part(Kind.FREE, p, end, "free block", 0, 0, 0));
            p = end;
        }
        long tail = Math.max(lo, dataEnd);
        if (tail < hi) {
            parts.add(new Part(Kind.UNUSED, tail, hi, "unused tail of the run at " + Units.hex(runStart), 0, 0, 0));
        }
    }
}
