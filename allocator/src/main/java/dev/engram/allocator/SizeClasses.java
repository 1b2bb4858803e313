package dev.engram.allocator;

/**
 * The size classes of run blocks. A block holds a 16-byte {@link BlockHeaderLayout header} and the
 * object; block sizes are multiples of 16 bytes:
 *
 * <ul>
 *   <li>32 .. 128 bytes in steps of 16 (classes 0..6): the rounding is at most 15 bytes, the
 *       alignment granularity;</li>
 *   <li>above 128 bytes, eight classes per power of two, {@code p + j * p / 8} for
 *       {@code j = 1..8}: a block is at most 12.5% larger than the request plus header;</li>
 *   <li>up to {@link #MAX_RUN_BLOCK} (256 KiB, class {@link #COUNT} - 1). Larger objects take chunk
 *       spans, rounded up to whole 256 KiB chunks.</li>
 * </ul>
 *
 * <p>A class's run covers {@link #runChunks} chunks, the fewest for which the blocks and bitmap
 * waste at most 1/8 of the run. The class of a size is computed, not searched, so
 * {@link #classOf} is a few instructions on the hot path. Tables are built once at class load.
 */
public final class SizeClasses {
    /** Block sizes are multiples of this many bytes, and objects are aligned to it. */
    public static final int GRANULE = 16;
    /** Smallest block in bytes (class 0): header plus 16 bytes of object. */
    public static final int MIN_BLOCK = 32;
    /** Largest run block in bytes (the last class); larger objects take chunk spans. */
    public static final long MAX_RUN_BLOCK = 256 * 1024;
    /** Number of size classes; class ids are {@code 0 .. COUNT - 1}. */
    public static final int COUNT = 95;
    /** Returned by {@link #classOf} for sizes served by chunk spans. */
    public static final int SPAN = -1;

    private static final int SMALL_CLASSES = 7;
    private static final int[] BLOCK_SIZE = new int[COUNT];
    private static final int[] RUN_CHUNKS = new int[COUNT];
    private static final int[] BLOCKS_PER_RUN = new int[COUNT];

    static {
        for (int cls = 0; cls < COUNT; cls++) {
            final int block = computeBlockSize(cls);
            BLOCK_SIZE[cls] = block;
            for (int chunks = 1; ; chunks++) {
                final long runBytes = chunks * HeapLayout.CHUNK_SIZE;
                final int blocks = RunLayout.blocksThatFit(runBytes, block);
                if (blocks >= 1 && runBytes - (long) blocks * block <= runBytes / 8) {
                    RUN_CHUNKS[cls] = chunks;
                    BLOCKS_PER_RUN[cls] = blocks;
                    break;
                }
            }
            if (cls > 0 && BLOCK_SIZE[cls] <= BLOCK_SIZE[cls - 1]) {
                throw new AssertionError("size classes must grow: class " + cls);
            }
        }
        if (BLOCK_SIZE[COUNT - 1] != MAX_RUN_BLOCK) {
            throw new AssertionError("last class must be " + MAX_RUN_BLOCK + ", got " + BLOCK_SIZE[COUNT - 1]);
        }
    }

    private SizeClasses() {
    }

    private static int computeBlockSize(int cls) {
        if (cls < SMALL_CLASSES) {
            return (cls + 2) * GRANULE;
        }
        final int k = cls - SMALL_CLASSES;
        final int log = 7 + k / 8;
        final int j = k % 8 + 1;
        return (1 << log) + j * (1 << (log - 3));
    }

    /**
     * The class whose blocks hold an object of {@code size} bytes plus its header, or {@link #SPAN}
     * when the object needs a chunk span. Sizes below 1 are treated as 1.
     *
     * @param size object bytes, not counting the header
     * @return the class id, or {@link #SPAN}
     */
    public static int classOf(long size) {
        final long block = (Math.max(size, 1) + BlockHeaderLayout.HEADER_SIZE + GRANULE - 1) & -GRANULE;
        if (block <= 128) {
            return (int) (block / GRANULE) - 2;
        }
        if (block > MAX_RUN_BLOCK) {
            return SPAN;
        }
        final int log = 63 - Long.numberOfLeadingZeros(block - 1);
        final int shift = log - 3;
        final int j = (int) ((block - (1L << log) + (1L << shift) - 1) >>> shift);
        return SMALL_CLASSES + (log - 7) * 8 + (j - 1);
    }

    /**
     * Block size in bytes, header included.
     *
     * @param cls a class id, {@code 0 <= cls < COUNT}
     * @return bytes per block
     */
    public static int blockSize(int cls) {
        return BLOCK_SIZE[cls];
    }

    /**
     * Largest object (without header) a block of this class holds.
     *
     * @param cls a class id, {@code 0 <= cls < COUNT}
     * @return {@link #blockSize} minus the 16-byte header
     */
    public static int objectCapacity(int cls) {
        return BLOCK_SIZE[cls] - BlockHeaderLayout.HEADER_SIZE;
    }

    /**
     * Chunks one run of this class covers.
     *
     * @param cls a class id, {@code 0 <= cls < COUNT}
     * @return the run's length in chunks
     */
    public static int runChunks(int cls) {
        return RUN_CHUNKS[cls];
    }

    /**
     * Blocks in one run of this class.
     *
     * @param cls a class id, {@code 0 <= cls < COUNT}
     * @return the number of blocks, at least 1
     */
    public static int blocksPerRun(int cls) {
        return BLOCKS_PER_RUN[cls];
    }

    /**
     * Chunks a span for an object of {@code size} bytes covers.
     *
     * @param size object bytes, not counting the header
     * @return the span's length in chunks
     */
    public static long spanChunks(long size) {
        return (size + BlockHeaderLayout.HEADER_SIZE + HeapLayout.CHUNK_SIZE - 1) / HeapLayout.CHUNK_SIZE;
    }
}
