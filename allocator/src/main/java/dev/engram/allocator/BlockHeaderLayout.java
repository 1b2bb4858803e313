package dev.engram.allocator;

/**
 * Descriptor of the 16-byte header in front of every object (run block or span). Written with
 * plain stores and flushed when the block is reserved, while the block is still free on the
 * media; the publish's first drain makes it durable before the bitmap bit or chunk header that
 * makes the block live.
 *
 * <pre>
 * offset | size | field       | unit  | range / meaning
 * -------+------+-------------+-------+----------------------------------------------------------
 *      0 |    8 | size word   |       | bits 0..47 block size in bytes (header included);
 *        |      |             |       | bits 48..55 class id, {@link #SPAN_CLASS} for a chunk span;
 *        |      |             |       | bits 56..63 flags, 0 (none defined; non-zero is corruption)
 *      8 |    8 | type number |       | the caller's type number, any value
 *     16 |  ... | object      | bytes | the object; its offset is the handle the heap returns
 * </pre>
 */
public final class BlockHeaderLayout {
    /** Offset in the header of the size word. */
    public static final int SIZE_WORD_OFFSET;
    /** Offset in the header of the type number. */
    public static final int TYPE_OFFSET;
    /** Bytes in the header: 16. */
    public static final int HEADER_SIZE;
    /** Class id recorded for a chunk span. */
    public static final int SPAN_CLASS = 0xFF;
    /** Bits of the size word that hold the block size. */
    public static final long SIZE_MASK = (1L << 48) - 1;
    /** Bit position of the class id in the size word (8 bits). */
    public static final int CLASS_SHIFT = 48;
    /** Bit position of the flags in the size word (8 bits). */
    public static final int FLAGS_SHIFT = 56;

    static {
        int offset = 0;
        SIZE_WORD_OFFSET = offset;
        offset += Long.BYTES;
        TYPE_OFFSET = offset;
        offset += Long.BYTES;
        HEADER_SIZE = offset;
        if (HEADER_SIZE != 16) {
            throw new AssertionError("block header must be 16 bytes, got " + HEADER_SIZE);
        }
    }

    private BlockHeaderLayout() {
    }

    /**
     * Packs the size word; see {@link #blockSize}, {@link #classId}, {@link #flags}.
     *
     * @param blockSize block bytes, header included, below 2^48 (asserted)
     * @param classId   the size class, or {@link #SPAN_CLASS}
     * @param flags     0
     * @return the size word
     */
    public static long packSizeWord(long blockSize, int classId, int flags) {
        assert blockSize >= 0 && blockSize <= SIZE_MASK : "blockSize=" + blockSize;
        assert classId >= 0 && classId <= 0xFF : "classId=" + classId;
        assert flags >= 0 && flags <= 0xFF : "flags=" + flags;
        return blockSize | ((long) classId << CLASS_SHIFT) | ((long) flags << FLAGS_SHIFT);
    }

    /**
     * {@return the block size in bytes packed in a size word, header included}
     *
     * @param sizeWord a size word
     */
    public static long blockSize(long sizeWord) {
        return sizeWord & SIZE_MASK;
    }

    /**
     * {@return the class id packed in a size word}
     *
     * @param sizeWord a size word
     */
    public static int classId(long sizeWord) {
        return (int) (sizeWord >>> CLASS_SHIFT) & 0xFF;
    }

    /**
     * {@return the flags packed in a size word; non-zero means corruption}
     *
     * @param sizeWord a size word
     */
    public static int flags(long sizeWord) {
        return (int) (sizeWord >>> FLAGS_SHIFT) & 0xFF;
    }

    /**
     * {@return the object's offset (the handle) for the block at {@code blockOffset}}
     *
     * @param blockOffset pool offset of the block's header
     */
    public static long objectOffset(long blockOffset) {
        return blockOffset + HEADER_SIZE;
    }

    /**
     * {@return the offset of the block header in front of the object at {@code objectOffset}}
     *
     * @param objectOffset an object's pool offset
     */
    public static long blockOffsetOf(long objectOffset) {
        return objectOffset - HEADER_SIZE;
    }

    /** Validates a size word read at {@code offset}: returns null when it matches the expected block. */
    static Corruption check(long sizeWord, long offset, long expectedBlockSize, int expectedClass) {
        if (flags(sizeWord) != 0 || classId(sizeWord) != expectedClass || blockSize(sizeWord) != expectedBlockSize) {
            return new Corruption("block header", offset,
                    "size " + expectedBlockSize + " class " + expectedClass + " flags 0",
                    "size " + blockSize(sizeWord) + " class " + classId(sizeWord) + " flags " + flags(sizeWord));
        }
        return null;
    }
}
