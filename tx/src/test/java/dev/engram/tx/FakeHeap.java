package dev.engram.tx;

import dev.engram.pool.medium.Medium;

import java.util.function.LongConsumer;

/**
 * A test heap: a persistent bump allocator that never reuses space, with a small redo log per lane
 * so that publish is all-or-none. Stands in for the allocator's heap in tests of the transaction
 * engine.
 *
 * <pre>
 * heap:   0 bump (8) | 8..64 reserved | blocks from 64
 * block:  0 total size incl. header (8) | 8 typeNum &lt;&lt; 1 | allocated (8) | data from 16
 * redo:   0 valid = count &lt;&lt; 32 | crc (8) | 8..64 reserved | entries (target 8, value 8) from 64
 * </pre>
 */
final class FakeHeap implements TxHeap {
    static final int BLOCK_HEADER = 16;
    static final int HEAP_HEADER = 64;

    static final TxHeap.Factory FACTORY = new TxHeap.Factory() {
        @Override
        public TxHeap format(Medium medium, long heapOffset, long heapSize, long[] redoOffsets, int redoSize) {
            for (long r : redoOffsets) {
                medium.putLong(r, 0);
                medium.flush(r, 8);
            }
            medium.putLong(heapOffset, heapOffset + HEAP_HEADER);
            medium.persist(heapOffset, 8);
            return new FakeHeap(medium, heapOffset, heapSize, redoOffsets, redoSize);
        }

        @Override
        public TxHeap recoverAndOpen(Medium medium, long heapOffset, long heapSize, long[] redoOffsets, int redoSize) {
            for (long r : redoOffsets) {
                replay(medium, r, redoSize);
            }
            return new FakeHeap(medium, heapOffset, heapSize, redoOffsets, redoSize);
        }

        @Override
        public boolean redoPending(Medium medium, long redoOffset, int redoSize) {
            return medium.getLong(redoOffset) != 0;
        }

        @Override
        public TxHeap openReadOnly(Medium medium, long heapOffset, long heapSize) {
            return new FakeHeap(medium, heapOffset, heapSize, new long[0], 64);
        }
    };

    private final Medium medium;
    private final long heapOffset;
    private final long heapEnd;
    private final long[] redoOffsets;
    private final int redoCapacity;
    private long cursor;

    private FakeHeap(Medium medium, long heapOffset, long heapSize, long[] redoOffsets, int redoSize) {
        this.medium = medium;
        this.heapOffset = heapOffset;
        this.heapEnd = heapOffset + heapSize;
        this.redoOffsets = redoOffsets;
        this.redoCapacity = (redoSize - 64) / 16;
        this.cursor = medium.getLong(heapOffset);
    }

    static void replay(Medium medium, long redo, int redoSize) {
        long valid = medium.getLong(redo);
        if (valid == 0) {
            return;
        }
        int count = (int) (valid >>> 32);
        if (count > 0 && count <= (redoSize - 64) / 16 && medium.crc32c(redo + 64, count * 16L) == (int) valid) {
            for (int i = 0; i < count; i++) {
                long e = redo + 64 + i * 16L;
                long target = medium.getLong(e);
                medium.putLong(target, medium.getLong(e + 8));
                medium.flush(target, 8);
            }
            medium.drain();
        }
        medium.putLong(redo, 0);
        medium.persist(redo, 8);
    }

    @Override
    public synchronized long reserve(long size, int typeNum) {
        long total = ((size + 15) & ~15L) + BLOCK_HEADER;
        if (cursor + total > heapEnd || size > Integer.MAX_VALUE) {
            return NO_SPACE;
        }
        long header = cursor;
        medium.putLong(header, total);
        medium.putLong(header + 8, (long) typeNum << 1);
        medium.flush(header, BLOCK_HEADER);
        cursor += total;
        return header + BLOCK_HEADER;
    }

    @Override
    public void cancel(long block) {
        // nothing durable happened; the space is not reused
    }

    @Override
    public synchronized void publish(int lane, long[] reserved, int reservedCount, long[] freed, int freedCount,
                                     long[] wordTargets, long[] wordValues, int wordCount) {
        int count = reservedCount + freedCount + wordCount + 1;
        if (count > redoCapacity) {
            throw new IllegalStateException("fake redo log full: " + count + " > " + redoCapacity);
        }
        long redo = redoOffsets[lane];
        int i = 0;
        for (int k = 0; k < reservedCount; k++) {
            long h = reserved[k] - BLOCK_HEADER;
            i = entry(redo, i, h + 8, medium.getLong(h + 8) | 1);
        }
        for (int k = 0; k < freedCount; k++) {
            long h = freed[k] - BLOCK_HEADER;
            i = entry(redo, i, h + 8, medium.getLong(h + 8) & ~1L);
        }
        for (int k = 0; k < wordCount; k++) {
            i = entry(redo, i, wordTargets[k], wordValues[k]);
        }
        i = entry(redo, i, heapOffset, cursor);
        medium.flush(redo + 64, i * 16L);
        medium.drain();
        int crc = medium.crc32c(redo + 64, i * 16L);
        medium.putLong(redo, ((long) i << 32) | (crc & 0xFFFF_FFFFL));
        medium.persist(redo, 8);
        replay(medium, redo, redoCapacity * 16 + 64);
    }

    private int entry(long redo, int i, long target, long value) {
        long e = redo + 64 + i * 16L;
        medium.putLong(e, target);
        medium.putLong(e + 8, value);
        return i + 1;
    }

    private long header(long block) {
        long h = block - BLOCK_HEADER;
        if (h < heapOffset + HEAP_HEADER || block >= cursor || (h & 15) != 0) {
            throw new IllegalArgumentException("offset=" + block + " is not a block of the heap");
        }
        return h;
    }

    @Override
    public synchronized long usableSize(long block) {
        return medium.getLong(header(block)) - BLOCK_HEADER;
    }

    @Override
    public synchronized int typeNum(long block) {
        return (int) (medium.getLong(header(block) + 8) >>> 1);
    }

    boolean isAllocated(long block) {
        return (medium.getLong(header(block) + 8) & 1) != 0;
    }

    @Override
    public void forEach(int typeNum, LongConsumer action) {
        long end = medium.getLong(heapOffset);
        for (long h = heapOffset + HEAP_HEADER; h < end; h += medium.getLong(h)) {
            long word = medium.getLong(h + 8);
            if ((word & 1) != 0 && (int) (word >>> 1) == typeNum) {
                action.accept(h + BLOCK_HEADER);
            }
        }
    }

    /** Bytes handed out so far (published or not). */
    synchronized long used() {
        return cursor - heapOffset - HEAP_HEADER;
    }

    @Override
    public long heapStart() {
        return heapOffset + HEAP_HEADER;
    }

    @Override
    public long heapEnd() {
        return heapEnd;
    }
}
