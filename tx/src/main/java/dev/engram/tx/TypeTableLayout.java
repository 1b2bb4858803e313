package dev.engram.tx;

/**
 * Descriptor of one type-table entry (in the root area, {@link RootLayout#typeEntryOffset}): where
 * the blocks of one type number keep their persistent references, as {@link References} describes.
 * All offsets inside a block count from the object's first byte (the handle the heap returns).
 * <pre>
 * offset | size | field        | unit  | range / meaning
 * -------+------+--------------+-------+------------------------------------------------------------
 *      0 |    4 | typeNum      |       | the block type number the entry describes
 *      4 |    1 | kind         |       | 0 unknown, 1 none, 2 words, 3 scan ({@link References.Kind})
 *      5 |    1 | fixedCount   | count | 0..{@link #MAX_FIXED} fixed reference words in use
 *      6 |    2 | reserved     |       | zero
 *      8 |   16 | fixed        | bytes | {@link #MAX_FIXED} int32 offsets of 8-byte reference words
 *     24 |    4 | groupStart   | bytes | offset of the first element of the repeated group
 *     28 |    4 | groupStride  | bytes | element length, 8..; 0 = no repeated group
 *     32 |    4 | groupCountAt | bytes | offset of the int32 element count, -1 = as many elements as fit
 *     36 |    2 | groupRefA    | bytes | offset of a reference word inside each element, -1 = none
 *     38 |    2 | groupRefB    | bytes | a second one, -1 = none
 *     40 |   20 | name         |       | UTF-8, zero padded: for reports only
 *     60 |    4 | checksum     | crc   | CRC32C over bytes [0, 60)
 * </pre>
 * Kind "words": the references are exactly the fixed words and each element's group words; each
 * holds 0 or the offset of a live object. Kind "scan": any 8 bytes at any position of the block
 * may hold a reference (the block's layout depends on per-instance parameters); a value naming a
 * live object counts as one. Kind "none": the block holds no references. Kind "unknown": the
 * object layer cannot see them (a Kryo-serialized object); the entry only names the type.
 */
public final class TypeTableLayout {
    /** Offset in an entry of the type number it describes (int32). */
    public static final int TYPE_NUM_OFFSET;
    /** Offset in an entry of the kind: a {@link References.Kind} ordinal (1 byte). */
    public static final int KIND_OFFSET;
    /** Offset in an entry of the number of fixed reference words in use (1 byte). */
    public static final int FIXED_COUNT_OFFSET;
    /** Offset in an entry of the reserved bytes, zero (2 bytes). */
    public static final int RESERVED_OFFSET;
    /** Offset in an entry of the {@link #MAX_FIXED} int32 offsets of fixed reference words. */
    public static final int FIXED_OFFSET;
    /** Offset in an entry of the repeated group's first element offset (int32). */
    public static final int GROUP_START_OFFSET;
    /** Offset in an entry of the group element length, 0 = no group (int32). */
    public static final int GROUP_STRIDE_OFFSET;
    /** Offset in an entry of where blocks keep their group element count, -1 = as many as fit (int32). */
    public static final int GROUP_COUNT_AT_OFFSET;
    /** Offset in an entry of the first reference word's offset inside a group element, -1 = none (int16). */
    public static final int GROUP_REF_A_OFFSET;
    /** Offset in an entry of the second reference word's offset inside a group element, -1 = none (int16). */
    public static final int GROUP_REF_B_OFFSET;
    /** Offset in an entry of the type's name, UTF-8, zero padded ({@link #NAME_LENGTH} bytes). */
    public static final int NAME_OFFSET;
    /** Offset in an entry of its CRC32C over the bytes before it (4 bytes, the last field). */
    public static final int CHECKSUM_OFFSET;
    /** Length of an entry: one 64-byte cache line. */
    public static final int ENTRY_LENGTH;
    /** Fixed reference words an entry can hold. */
    public static final int MAX_FIXED = 4;
    /** Bytes of the name field; longer names are cut. */
    public static final int NAME_LENGTH = 20;

    static {
        int offset = 0;
        TYPE_NUM_OFFSET = offset;
        offset += Integer.BYTES;
        KIND_OFFSET = offset;
        offset += Byte.BYTES;
        FIXED_COUNT_OFFSET = offset;
        offset += Byte.BYTES;
        RESERVED_OFFSET = offset;
        offset += Short.BYTES;
        FIXED_OFFSET = offset;
        offset += MAX_FIXED * Integer.BYTES;
        GROUP_START_OFFSET = offset;
        offset += Integer.BYTES;
        GROUP_STRIDE_OFFSET = offset;
        offset += Integer.BYTES;
        GROUP_COUNT_AT_OFFSET = offset;
        offset += Integer.BYTES;
        GROUP_REF_A_OFFSET = offset;
        offset += Short.BYTES;
        GROUP_REF_B_OFFSET = offset;
        offset += Short.BYTES;
        NAME_OFFSET = offset;
        offset += NAME_LENGTH;
        CHECKSUM_OFFSET = offset;
        offset += Integer.BYTES;
        ENTRY_LENGTH = offset;
        if (ENTRY_LENGTH != 64) {
            throw new ExceptionInInitializerError("type-table entry must be one 64-byte line, got " + ENTRY_LENGTH);
        }
    }

    private TypeTableLayout() {
    }
}
