package dev.engram.allocator;

/**
 * Descriptor of a chunk header: one 8-byte word in a zone's chunk-header table, packed and
 * unpacked only by the matched functions here.
 *
 * <pre>
 * bits  | field       | range / meaning
 * ------+-------------+-------------------------------------------------------------------------
 *  0..7 | type        | {@link #TYPE_FREE} (0), {@link #TYPE_USED} (a span holding one large object),
 *       |             | {@link #TYPE_RUN} (blocks of one size class)
 *  8..15| class id    | the run's size class (0 .. {@link SizeClasses#COUNT} - 1); 0 for free and used
 * 16..31| flags       | 0 (no flag defined; a non-zero value is corruption)
 * 32..63| size        | chunks the span or run covers, 1 .. chunks per zone; 0 for a free chunk
 * </pre>
 *
 * <p>Only the first chunk of a span or run carries a header; the headers of the chunks it covers
 * are zero. A free chunk's header is the all-zero word, so the heap never writes headers when it
 * grows (a file extension reads as zeros) and freeing a span is one 8-byte store.
 */
public final class ChunkHeaderLayout {
    /** Type of a free chunk (and of a chunk covered by a span or run). */
    public static final int TYPE_FREE = 0;
    /** Type of the first chunk of a span holding one large object. */
    public static final int TYPE_USED = 1;
    /** Type of the first chunk of a run of equal blocks. */
    public static final int TYPE_RUN = 2;

    /** Bit position of the type field (8 bits). */
    public static final int TYPE_SHIFT = 0;
    /** Bit position of the class id field (8 bits). */
    public static final int CLASS_SHIFT = 8;
    /** Bit position of the flags field (16 bits). */
    public static final int FLAGS_SHIFT = 16;
    /** Bit position of the size field (32 bits, chunks). */
    public static final int SIZE_SHIFT = 32;
    /** The header word of a free chunk. */
    public static final long FREE = 0L;

    private ChunkHeaderLayout() {
    }

    /**
     * Packs a header word; see {@link #type}, {@link #classId}, {@link #flags}, {@link #sizeChunks}.
     *
     * @param type       {@link #TYPE_FREE}, {@link #TYPE_USED} or {@link #TYPE_RUN}
     * @param classId    the run's size class, 0 otherwise
     * @param flags      0
     * @param sizeChunks chunks covered
     * @return the header word
     */
    public static long pack(int type, int classId, int flags, int sizeChunks) {
        assert type >= 0 && type <= 0xFF : "type=" + type;
        assert classId >= 0 && classId <= 0xFF : "classId=" + classId;
        assert flags >= 0 && flags <= 0xFFFF : "flags=" + flags;
        assert sizeChunks >= 0 : "sizeChunks=" + sizeChunks;
        return ((long) type << TYPE_SHIFT) | ((long) classId << CLASS_SHIFT) | ((long) flags << FLAGS_SHIFT)
                | ((long) sizeChunks << SIZE_SHIFT);
    }

    /**
     * {@return the header of a used span of {@code sizeChunks} chunks}
     *
     * @param sizeChunks chunks the span covers, at least 1
     */
    public static long used(int sizeChunks) {
        return pack(TYPE_USED, 0, 0, sizeChunks);
    }

    /**
     * {@return the header of a run of size class {@code classId} covering {@code sizeChunks} chunks}
     *
     * @param classId    the size class
     * @param sizeChunks chunks the run covers, {@link SizeClasses#runChunks} of the class
     */
    public static long run(int classId, int sizeChunks) {
        return pack(TYPE_RUN, classId, 0, sizeChunks);
    }

    /**
     * {@return the type field of a header word}
     *
     * @param word a header word
     */
    public static int type(long word) {
        return (int) (word >>> TYPE_SHIFT) & 0xFF;
    }

    /**
     * {@return the class id field of a header word}
     *
     * @param word a header word
     */
    public static int classId(long word) {
        return (int) (word >>> CLASS_SHIFT) & 0xFF;
    }

    /**
     * {@return the flags field of a header word; non-zero means corruption}
     *
     * @param word a header word
     */
    public static int flags(long word) {
        return (int) (word >>> FLAGS_SHIFT) & 0xFFFF;
    }

    /**
     * Size in chunks, as an unsigned 32-bit value (a corrupt word may exceed {@code int}).
     *
     * @param word a header word
     * @return the size field
     */
    public static long sizeChunks(long word) {
        return word >>> SIZE_SHIFT;
    }

    /**
     * Validates a header read at {@code offset} for a chunk at index {@code chunk} of a zone holding
     * {@code chunkCount} chunks; returns null when valid, else what is wrong.
     */
    static Corruption check(long word, long offset, int chunk, int chunkCount) {
        if (word == FREE) {
            return null;
        }
        final int type = type(word);
        final long size = sizeChunks(word);
        if (flags(word) != 0) {
            return new Corruption("chunk header", offset, "flags 0", "flags " + flags(word));
        }
        if (size < 1 || chunk + size > chunkCount) {
            return new Corruption("chunk header", offset, "size 1.." + (chunkCount - chunk) + " chunks",
                    "size " + size + " chunks (points outside the heap)");
        }
        switch (type) {
            case TYPE_USED -> {
                if (classId(word) != 0) {
                    return new Corruption("chunk header", offset, "class 0 for a used span", "class " + classId(word));
                }
                return null;
            }
            case TYPE_RUN -> {
                final int cls = classId(word);
                if (cls >= SizeClasses.COUNT) {
                    return new Corruption("chunk header", offset, "class < " + SizeClasses.COUNT, "class " + cls);
                }
                if (size != SizeClasses.runChunks(cls)) {
                    return new Corruption("chunk header", offset, "run of " + SizeClasses.runChunks(cls)
                            + " chunks for class " + cls, "size " + size + " chunks");
                }
                return null;
            }
            default -> {
                return new Corruption("chunk header", offset, "type 0, 1 or 2", "type " + type);
            }
        }
    }
}
