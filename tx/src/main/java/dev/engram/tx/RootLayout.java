package dev.engram.tx;

/**
 * Descriptor of the object layer's page ({@code Pool.rootAreaOffset()}, 4 KiB).
 * <pre>
 * offset | size | field      | unit  | range / meaning
 * -------+------+------------+-------+---------------------------------------------
 *      0 |    8 | magic      |       | "ENGRTX\0\1" once the object layer formatted the pool
 *      8 |    8 | rootObject | bytes | pool offset of the root object's block, 0 = none
 *     16 | 4080 | reserved   |       | written as zero
 * </pre>
 */
public final class RootLayout {
    /** Offset in the root area of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset in the root area of the root object's pool offset. */
    public static final int ROOT_OBJECT_OFFSET = MAGIC_OFFSET + Long.BYTES;
    /** Bytes of the root area in use; the rest is reserved. */
    public static final int USED_LENGTH = ROOT_OBJECT_OFFSET + Long.BYTES;
    /** "ENGRTX\0\1" read as a little-endian long. */
    public static final long MAGIC = 0x0100_5854_5247_4E45L;

    private RootLayout() {
    }

    /**
     * {@return the pool offset of the magic word}
     *
     * @param rootArea pool offset of the root area
     */
    public static long magicOffset(long rootArea) {
        return rootArea + MAGIC_OFFSET;
    }

    /**
     * {@return the pool offset of the word holding the root object's offset}
     *
     * @param rootArea pool offset of the root area
     */
    public static long rootObjectOffset(long rootArea) {
        return rootArea + ROOT_OBJECT_OFFSET;
    }
}
