package dev.engram.tx;

import dev.engram.pool.PoolHeaderLayout;

/**
 * Descriptor of the object layer's page ({@code Pool.rootAreaOffset()}, 4 KiB).
 * <pre>
 * offset | size | field       | unit    | range / meaning
 * -------+------+-------------+---------+---------------------------------------------------
 *      0 |    8 | magic       |         | "ENGRTX\0\1" once the object layer formatted the pool
 *      8 |    8 | rootObject  | bytes   | pool offset of the root object's block, 0 = none
 *     16 |    4 | typeCount   | entries | type-table entries in use, 0..{@link #TYPE_CAPACITY} (a dense prefix)
 *     20 |   44 | reserved    |         | written as zero
 *     64 | 4032 | typeEntries |         | {@link #TYPE_CAPACITY} entries of {@link TypeTableLayout#ENTRY_LENGTH}
 *        |      |             |         | bytes: where each block type keeps its persistent references
 * </pre>
 * Pools written before the type table existed hold zero at offsets 16..4095: an empty table, which
 * means "no block type's references are known" (leak detection then claims nothing).
 */
public final class RootLayout {
    /** Offset in the root area of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset in the root area of the root object's pool offset. */
    public static final int ROOT_OBJECT_OFFSET = MAGIC_OFFSET + Long.BYTES;
    /** Bytes of the root area in use; the rest is reserved. */
    public static final int USED_LENGTH = ROOT_OBJECT_OFFSET + Long.BYTES;
    /** Offset in the root area of the type table's entry count (4 bytes). */
    public static final int TYPE_COUNT_OFFSET = USED_LENGTH;
    /** Entries start on their own cache line. */
    public static final int TYPE_ENTRIES_OFFSET = 64;
    /** Size of the area. */
    public static final int AREA_SIZE = (int) PoolHeaderLayout.ROOT_AREA_SIZE;
    /** Type-table entries that fit in the area. */
    public static final int TYPE_CAPACITY;
    /** "ENGRTX\0\1" read as a little-endian long. */
    public static final long MAGIC = 0x0100_5854_5247_4E45L;

    static {
        TYPE_CAPACITY = (AREA_SIZE - TYPE_ENTRIES_OFFSET) / TypeTableLayout.ENTRY_LENGTH;
        if (TYPE_COUNT_OFFSET + Integer.BYTES > TYPE_ENTRIES_OFFSET
                || TYPE_ENTRIES_OFFSET + TYPE_CAPACITY * TypeTableLayout.ENTRY_LENGTH != AREA_SIZE) {
            throw new ExceptionInInitializerError("root area layout does not tile its 4 KiB: capacity=" + TYPE_CAPACITY);
        }
    }

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

    /**
     * {@return the pool offset of the type table's entry count}
     *
     * @param rootArea pool offset of the root area
     */
    public static long typeCountOffset(long rootArea) {
        return rootArea + TYPE_COUNT_OFFSET;
    }

    /**
     * {@return the pool offset of type-table entry {@code index}}
     *
     * @param rootArea pool offset of the root area
     * @param index    the entry's slot, 0..{@link #TYPE_CAPACITY} - 1 (not checked)
     */
    public static long typeEntryOffset(long rootArea, int index) {
        return rootArea + TYPE_ENTRIES_OFFSET + (long) index * TypeTableLayout.ENTRY_LENGTH;
    }
}
