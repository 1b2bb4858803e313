package dev.engram.allocator;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Volatile state of one run: which blocks are taken (published or reserved), which have a free in
 * flight, and who owns the run for reservations. Guarded by {@link #lock}; lock order: arena, then
 * chunk space, then runs by ascending {@link #runStart}.
 */
final class RunState {
    final ZoneState zone;
    final int chunk;
    final long runStart;
    final int cls;
    final int blockSize;
    final int blocks;
    final long dataStart;
    /** Bytes of the run's blocks: a block index times the block size is below this. */
    private final long dataBytes;
    private final Reciprocal perBlock;
    final ReentrantLock lock = new ReentrantLock();
    /** Bit set = block published or reserved; bits past the last block are set. */
    final long[] taken;
    /** Bit set = a free of the block is being published. */
    final long[] freeing;
    /**
     * The run's bitmap as it is on the media (bit set = block published): loaded with the run, changed
     * only together with a redo-log apply of the bitmap, under {@link #lock}. Lets a free check that
     * its block is published, and an apply know a bitmap word's value, without reading the media.
     */
    final long[] durable;
    int takenCount;
    int cursor;
    /** The run's chunk header is durable on the media. */
    volatile boolean persistent;
    /** The thread that zeroed and flushed a new run's bitmap (its drain is the one that completes it). */
    final Thread bitmapWriter = Thread.currentThread();
    /** An empty run being returned to the chunk space: no more reservations. */
    boolean retiring;
    Arena owner;
    boolean inPartial;
    int pendingFrees;

    RunState(ZoneState zone, int chunk, long runStart, int cls, boolean persistent) {
        this.zone = zone;
        this.chunk = chunk;
        this.runStart = runStart;
        this.cls = cls;
        this.blockSize = SizeClasses.blockSize(cls);
        this.blocks = SizeClasses.blocksPerRun(cls);
        this.dataStart = runStart + RunLayout.dataOffset(blocks);
        this.dataBytes = (long) blocks * blockSize;
        if (dataBytes > Reciprocal.MAX_EXACT_DIVIDEND || blockSize > Reciprocal.MAX_EXACT_DIVISOR) {
            throw new AssertionError("run of class " + cls + " too large for its block index arithmetic: "
                    + blocks + " blocks of " + blockSize + " bytes");
        }
        this.perBlock = new Reciprocal(blockSize);
        final int words = RunLayout.bitmapWords(blocks);
        this.taken = new long[words];
        this.freeing = new long[words];
        this.durable = new long[words];
        this.taken[words - 1] = RunLayout.tailMask(blocks);
        this.persistent = persistent;
    }

    /**
     * True when a block can be taken (the run is neither full nor retiring); when not, gives up
     * ownership, so that the next free offers the run to the arenas again. Caller holds {@link #lock}.
     */
    boolean hasRoomLocked() {
        if (hasFreeBlockLocked()) {
            return true;
        }
        owner = null;
        return false;
    }

    /** True when a block can be taken: the run is neither full nor retiring. Caller holds {@link #lock}. */
    boolean hasFreeBlockLocked() {
        return !retiring && takenCount < blocks;
    }

    /**
     * Takes the first free block at or after the word of the last take (the scan starts where the
     * previous one succeeded, so a run filling up is not rescanned from its start). Caller holds
     * {@link #lock} and saw {@link #hasRoomLocked} true.
     */
    int takeLocked() {
        final long[] bits = taken;
        final int words = bits.length;
        for (int n = 0, w = cursor; n < words; n++, w = w + 1 == words ? 0 : w + 1) {
            final long free = ~bits[w];
            if (free != 0) {
                final int bit = Long.numberOfTrailingZeros(free);
                bits[w] |= 1L << bit;
                takenCount++;
                cursor = w;
                return w * RunLayout.BITS_PER_WORD + bit;
            }
        }
        throw new IllegalStateException("run at offset=" + runStart + " counts " + takenCount + " of " + blocks
                + " blocks taken but has no free bit");
    }

    /**
     * {@return whether {@code block} is published (its bit set on the media) in a run not retiring}
     * False for a negative {@code block} (not a block boundary). Takes the run's lock.
     *
     * @param block a block index, or -1
     */
    boolean isPublished(int block) {
        if (block < 0) {
            return false;
        }
        lock.lock();
        try {
            return !retiring && isSet(durable, block);
        } finally {
            lock.unlock();
        }
    }

    /** {@return the durable (media) value of the bitmap word holding {@code block}} Caller holds {@link #lock}. */
    long durableWord(int block) {
        return durable[block / RunLayout.BITS_PER_WORD];
    }

    /**
     * Takes block {@code block} if it is free (neither published nor reserved) and the run is not
     * retiring; false otherwise. For reservations at a given address ({@link PersistentHeap#reserveFreeIn}).
     */
    boolean tryTakeBlock(int block) {
        lock.lock();
        try {
            if (retiring || block < 0 || block >= blocks || isSet(taken, block)) {
                return false;
            }
            set(taken, block);
            takenCount++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    long blockOffset(int block) {
        return dataStart + (long) block * blockSize;
    }

    long objectOffset(int block) {
        return blockOffset(block) + BlockHeaderLayout.HEADER_SIZE;
    }

    /** The block whose object starts at {@code objectOffset}, or -1 if none does. */
    int blockIndexOf(long objectOffset) {
        final long rel = objectOffset - BlockHeaderLayout.HEADER_SIZE - dataStart;
        if (rel < 0 || rel >= dataBytes) {
            return -1;
        }
        return (int) perBlock.exactQuotient(rel);
    }

    static boolean isSet(long[] bits, int block) {
        return (bits[block / RunLayout.BITS_PER_WORD] & RunLayout.bitMask(block)) != 0;
    }

    static void set(long[] bits, int block) {
        bits[block / RunLayout.BITS_PER_WORD] |= RunLayout.bitMask(block);
    }

    static void clear(long[] bits, int block) {
        bits[block / RunLayout.BITS_PER_WORD] &= ~RunLayout.bitMask(block);
    }
}
