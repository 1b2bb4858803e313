package dev.engram.allocator;

import dev.engram.pool.Bits;

/**
 * Descriptor of a run: the chunks a {@link ChunkHeaderLayout#TYPE_RUN} header covers, holding
 * equal blocks of one size class. The run's class and length live in its chunk header (the run
 * header); the run's first bytes hold the persistent bitmap.
 *
 * <pre>
 * offset (from run start) | size              | field  | unit  | range / meaning
 * ------------------------+-------------------+--------+-------+-------------------------------------
 *                       0 | 8 * bitmapWords   | bitmap | words | bit i (word i/64, bit i%64) = block i
 *                         |                   |        |       | allocated; bits &ge; blocks are 0
 *             bitmapBytes | to cache line     | pad    |       | 0
 *              dataOffset | blockSize * n     | blocks |       | block i at dataOffset + i * blockSize
 *                     ... | rest              | tail   |       | unused (&le; 1/8 of the run)
 * </pre>
 *
 * <p>Bitmap words change only through the redo log (OR to allocate, AND to free), so a crash
 * never leaves a bit set without its destination store, or the reverse. A fresh run's bitmap is
 * zeroed and flushed before the chunk header naming the run is published.
 */
public final class RunLayout {
    /** Offset of the bitmap from the run start. */
    public static final int BITMAP_OFFSET = 0;
    /** Blocks tracked per bitmap word. */
    public static final int BITS_PER_WORD = Long.SIZE;

    private RunLayout() {
    }

    /**
     * {@return the number of 8-byte bitmap words {@code blocks} blocks need}
     *
     * @param blocks blocks in the run
     */
    public static int bitmapWords(int blocks) {
        return (blocks + BITS_PER_WORD - 1) / BITS_PER_WORD;
    }

    /**
     * Offset of block 0 from the run start: the bitmap rounded up to a cache line.
     *
     * @param blocks blocks in the run
     * @return bytes from the run start to block 0, a multiple of the cache line
     */
    public static long dataOffset(int blocks) {
        return Bits.alignUp(BITMAP_OFFSET + (long) bitmapWords(blocks) * Long.BYTES, Bits.CACHE_LINE);
    }

    /**
     * Offset of the bitmap word holding block {@code block}'s bit.
     *
     * @param runStart pool offset of the run
     * @param block    the block index
     * @return the pool offset of the word
     */
    public static long bitmapWordOffset(long runStart, int block) {
        return runStart + BITMAP_OFFSET + (long) (block / BITS_PER_WORD) * Long.BYTES;
    }

    /**
     * The bit of block {@code block} within its bitmap word.
     *
     * @param block the block index
     * @return a mask with the block's one bit set
     */
    public static long bitMask(int block) {
        return 1L << (block % BITS_PER_WORD);
    }

    /**
     * {@return the pool offset of block {@code block} of a run}
     *
     * @param runStart  pool offset of the run
     * @param blocks    blocks in the run
     * @param blockSize bytes per block
     * @param block     the block index
     */
    public static long blockOffset(long runStart, int blocks, int blockSize, int block) {
        return runStart + dataOffset(blocks) + (long) block * blockSize;
    }

    /**
     * The most blocks of {@code blockSize} that fit in a run of {@code runBytes} with their bitmap.
     *
     * @param runBytes  bytes in the run
     * @param blockSize bytes per block
     * @return the number of blocks, 0 if not even one fits
     */
    public static int blocksThatFit(long runBytes, int blockSize) {
        int n = (int) (runBytes / blockSize);
        while (n > 0 && dataOffset(n) + (long) n * blockSize > runBytes) {
            n--;
        }
        return n;
    }

    /**
     * Bitmap bits that must be zero in the last word (the bits past the last block).
     *
     * @param blocks blocks in the run
     * @return a mask of the last word's unused bits, 0 when the last word is full
     */
    public static long tailMask(int blocks) {
        final int used = blocks % BITS_PER_WORD;
        return used == 0 ? 0L : -1L << used;
    }
}
