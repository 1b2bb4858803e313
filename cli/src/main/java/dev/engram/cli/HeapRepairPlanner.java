package dev.engram.cli;

import dev.engram.allocator.BlockHeaderLayout;
import dev.engram.allocator.ChunkHeaderLayout;
import dev.engram.allocator.Corruption;
import dev.engram.allocator.HeapLayout;
import dev.engram.allocator.RunLayout;
import dev.engram.allocator.SizeClasses;
import dev.engram.allocator.ZoneLayout;
import dev.engram.pool.medium.MediumReader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the allocator's {@link Corruption} reports into repairs that lose no committed data, or
 * says there is none. The rules, each relying on information the allocator writes redundantly:
 * <ul>
 * <li>zone header: magic and index are constants of the zone's position: rewrite them.</li>
 * <li>run chunk header with a wrong size or flags: a run's length is fixed by its size class.</li>
 * <li>span chunk header with a wrong size or class: the span's block header records its size.</li>
 * <li>non-zero header inside a valid span or run (overlapping blocks): the outer one is confirmed
 *     by its own redundancy, so the inner word is cleared.</li>
 * <li>run bitmap with bits past the run: the word is rebuilt from the block headers of its blocks
 *     (a header is written before its bit is set; a freed block keeps its header, so the rebuild
 *     may resurrect a freed block as a leak, but never drops a live one).</li>
 * <li>block header of a live block: all-zero means the allocation never reached the media (the
 *     header is persisted before its bit), so the bit is cleared; a damaged non-zero size word is
 *     rewritten from the run's class or the span's length.</li>
 * </ul>
 * Everything else (a damaged heap header, an unknown chunk type) is reported as not repairable.
 */
final class HeapRepairPlanner {
    private final MediumReader r;
    private final HeapGeometry g;
    /** Bitmap words already planned for a rebuild: block-header findings inside them are covered. */
    private final Set<Long> rebuiltWords = new HashSet<>();

    HeapRepairPlanner(MediumReader reader, HeapGeometry geometry) {
        this.r = reader;
        this.g = geometry;
    }

    /** Plans repairs for all corruptions, bitmap rebuilds first so block findings can defer to them. */
    List<Finding> plan(List<Corruption> corruptions) {
        List<Finding> out = new ArrayList<>();
        for (Corruption c : corruptions) {
            if (c.structure().equals("run bitmap")) {
                out.add(new Finding("run-bitmap", c.offset(), c.toString(), bitmap(c.offset())));
            }
        }
        for (Corruption c : corruptions) {
            switch (c.structure()) {
                case "run bitmap" -> {
                    // planned above
                }
                case "zone header" -> out.add(new Finding("zone-header", c.offset(), c.toString(), zoneHeader(c.offset())));
                case "chunk header" -> out.add(new Finding("chunk-header", c.offset(), c.toString(), chunkHeader(c.offset())));
                case "block header" -> out.add(new Finding("block-header", c.offset(), c.toString(), blockHeader(c.offset())));
                case "heap header" -> out.add(new Finding("heap-header", c.offset(), c.toString(), null));
                default -> out.add(new Finding(c.structure().replace(' ', '-'), c.offset(), c.toString(), null));
            }
        }
        return out;
    }

    private Repair zoneHeader(long offset) {
        int z = g.zoneOf(offset);
        if (z < 0) {
            return null;
        }
        long base = g.chunk(z, 0).zoneBase();
        return new Repair("rewrite zone " + z + "'s header (magic and index follow from its position)", List.of(
                new Repair.Store(base + ZoneLayout.MAGIC_OFFSET, ZoneLayout.MAGIC),
                new Repair.Store(base + ZoneLayout.INDEX_OFFSET, indexWord(base, z))));
    }

    /** The 8-byte word holding the zone index: the index in its 4 bytes, the following 4 reserved bytes as read. */
    private long indexWord(long base, int zone) {
        long word = r.getLong(base + ZoneLayout.INDEX_OFFSET);
        return (word & 0xFFFF_FFFF_0000_0000L) | (zone & 0xFFFF_FFFFL);
    }

    private Repair chunkHeader(long headerOffset) {
        HeapGeometry.ChunkRef c = g.chunkOfHeader(headerOffset);
        if (c == null) {
            return null;
        }
        long word = r.getLong(headerOffset);
        // A non-zero word inside another span or run: the overlap.
        HeapGeometry.ChunkRef outer = c.chunk() > 0 ? g.owner(r, g.chunk(c.zone(), c.chunk() - 1)) : null;
        if (outer != null && outer.chunk() + ChunkHeaderLayout.sizeChunks(r.getLong(outer.headerOffset())) > c.chunk()
                && confirmed(outer)) {
            return new Repair("clear the chunk header at chunk " + c.chunk() + " of zone " + c.zone() + ": it overlaps the "
                    + describe(outer) + ", whose own headers agree", List.of(new Repair.Store(headerOffset, ChunkHeaderLayout.FREE)));
        }
        int type = ChunkHeaderLayout.type(word);
        if (type == ChunkHeaderLayout.TYPE_RUN) {
            int cls = ChunkHeaderLayout.classId(word);
            if (cls >= SizeClasses.COUNT) {
                return null;
            }
            int n = SizeClasses.runChunks(cls);
            if (c.chunk() + n > c.chunkCount() || !innerFree(c, n)) {
                return null;
            }
            return new Repair("rewrite the run header of chunk " + c.chunk() + " of zone " + c.zone() + ": class " + cls
                    + " runs are " + n + " chunk(s)", List.of(new Repair.Store(headerOffset, ChunkHeaderLayout.run(cls, n))));
        }
        if (type == ChunkHeaderLayout.TYPE_USED) {
            long sizeWord = r.getLong(c.dataOffset() + BlockHeaderLayout.SIZE_WORD_OFFSET);
            long block = BlockHeaderLayout.blockSize(sizeWord);
            if (BlockHeaderLayout.classId(sizeWord) != BlockHeaderLayout.SPAN_CLASS || BlockHeaderLayout.flags(sizeWord) != 0
                    || block == 0 || block % HeapLayout.CHUNK_SIZE != 0) {
                return null;
            }
            long n = block / HeapLayout.CHUNK_SIZE;
            if (c.chunk() + n > c.chunkCount() || !innerFree(c, (int) n)) {
                return null;
            }
            return new Repair("rewrite the span header of chunk " + c.chunk() + " of zone " + c.zone() + " from its block header ("
                    + n + " chunk(s))", List.of(new Repair.Store(headerOffset, ChunkHeaderLayout.used((int) n))));
        }
        return null;
    }

    private boolean innerFree(HeapGeometry.ChunkRef c, int n) {
        for (int i = 1; i < n; i++) {
            if (r.getLong(g.chunk(c.zone(), c.chunk() + i).headerOffset()) != ChunkHeaderLayout.FREE) {
                return false;
            }
        }
        return true;
    }

    /** A span or run header whose redundant copy agrees: a run's size matches its class, a span's its block header. */
    private boolean confirmed(HeapGeometry.ChunkRef h) {
        long word = r.getLong(h.headerOffset());
        long n = ChunkHeaderLayout.sizeChunks(word);
        if (ChunkHeaderLayout.flags(word) != 0 || n < 1 || h.chunk() + n > h.chunkCount()) {
            return false;
        }
        if (ChunkHeaderLayout.type(word) == ChunkHeaderLayout.TYPE_RUN) {
            int cls = ChunkHeaderLayout.classId(word);
            return cls < SizeClasses.COUNT && SizeClasses.runChunks(cls) == n;
        }
        if (ChunkHeaderLayout.type(word) == ChunkHeaderLayout.TYPE_USED) {
            long sizeWord = r.getLong(h.dataOffset() + BlockHeaderLayout.SIZE_WORD_OFFSET);
            return sizeWord == BlockHeaderLayout.packSizeWord(n * HeapLayout.CHUNK_SIZE, BlockHeaderLayout.SPAN_CLASS, 0);
        }
        return false;
    }

    private static String describe(HeapGeometry.ChunkRef h) {
        return "span or run at chunk " + h.chunk() + " of zone " + h.zone();
    }

    /** The run (class, start, blocks) whose bitmap or blocks contain {@code offset}, or null. */
    private record Run(int cls, long start, int blocks) {
    }

    private Run runAt(long offset) {
        HeapGeometry.ChunkRef c = g.chunkOfData(offset);
        if (c == null) {
            return null;
        }
        HeapGeometry.ChunkRef h = g.owner(r, c);
        if (h == null) {
            return null;
        }
        long word = r.getLong(h.headerOffset());
        if (ChunkHeaderLayout.type(word) != ChunkHeaderLayout.TYPE_RUN || !confirmed(h)) {
            return null;
        }
        int cls = ChunkHeaderLayout.classId(word);
        return new Run(cls, h.dataOffset(), SizeClasses.blocksPerRun(cls));
    }

    private Repair bitmap(long wordOffset) {
        Run run = runAt(wordOffset);
        if (run == null) {
            return null;
        }
        int words = RunLayout.bitmapWords(run.blocks);
        int w = (int) ((wordOffset - run.start - RunLayout.BITMAP_OFFSET) / Long.BYTES);
        if (w < 0 || w >= words) {
            return null;
        }
        int blockSize = SizeClasses.blockSize(run.cls);
        long expected = BlockHeaderLayout.packSizeWord(blockSize, run.cls, 0);
        long rebuilt = 0;
        int first = w * RunLayout.BITS_PER_WORD;
        int last = Math.min(run.blocks, first + RunLayout.BITS_PER_WORD);
        for (int b = first; b < last; b++) {
            long block = RunLayout.blockOffset(run.start, run.blocks, blockSize, b);
            if (r.getLong(block + BlockHeaderLayout.SIZE_WORD_OFFSET) == expected) {
                rebuilt |= RunLayout.bitMask(b);
            }
        }
        rebuiltWords.add(wordOffset);
        long old = r.getLong(wordOffset);
        return new Repair("rebuild bitmap word " + w + " of the class " + run.cls + " run at " + Units.hex(run.start)
                + " from its block headers: " + Long.bitCount(old) + " -> " + Long.bitCount(rebuilt)
                + " blocks live (a freed block whose header survives comes back as a leak)",
                List.of(new Repair.Store(wordOffset, rebuilt)));
    }

    private Repair blockHeader(long blockOffset) {
        long sizeWord = r.getLong(blockOffset + BlockHeaderLayout.SIZE_WORD_OFFSET);
        Run run = runAt(blockOffset);
        if (run != null) {
            int blockSize = SizeClasses.blockSize(run.cls);
            long rel = blockOffset - RunLayout.blockOffset(run.start, run.blocks, blockSize, 0);
            if (rel < 0 || rel % blockSize != 0) {
                return null;
            }
            int b = (int) (rel / blockSize);
            long wordOffset = RunLayout.bitmapWordOffset(run.start, b);
            if (rebuiltWords.contains(wordOffset)) {
                return Repair.byLibrary("covered by the rebuild of bitmap word " + (b / RunLayout.BITS_PER_WORD)
                        + " of this run");
            }
            if (sizeWord == 0) {
                long word = r.getLong(wordOffset);
                return new Repair("clear the bitmap bit of block " + b + " of the run at " + Units.hex(run.start)
                        + ": its header was never written, so no allocation of it was published",
                        List.of(new Repair.Store(wordOffset, word & ~RunLayout.bitMask(b))));
            }
            return new Repair("rewrite the size word of block " + b + " of the run at " + Units.hex(run.start)
                    + " from the run's class " + run.cls + " (the type word and data are kept)",
                    List.of(new Repair.Store(blockOffset + BlockHeaderLayout.SIZE_WORD_OFFSET,
                            BlockHeaderLayout.packSizeWord(blockSize, run.cls, 0))));
        }
        HeapGeometry.ChunkRef c = g.chunkOfData(blockOffset);
        if (c == null || c.dataOffset() != blockOffset) {
            return null;
        }
        long word = r.getLong(c.headerOffset());
        if (ChunkHeaderLayout.type(word) != ChunkHeaderLayout.TYPE_USED || ChunkHeaderLayout.flags(word) != 0) {
            return null;
        }
        long n = ChunkHeaderLayout.sizeChunks(word);
        return new Repair("rewrite the size word of the span at " + Units.hex(blockOffset) + " from its chunk header ("
                + n + " chunk(s))", List.of(new Repair.Store(blockOffset + BlockHeaderLayout.SIZE_WORD_OFFSET,
                BlockHeaderLayout.packSizeWord(n * HeapLayout.CHUNK_SIZE, BlockHeaderLayout.SPAN_CLASS, 0))));
    }
}
