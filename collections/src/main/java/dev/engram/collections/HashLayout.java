package dev.engram.collections;

/**
 * Descriptor of {@link PersistentHashMap}'s blocks.
 *
 * <p>Header block ({@link BlockTypes#HASH_HEADER}):
 * <pre>
 * offset | size   | field        | unit    | range / meaning
 * -------+--------+--------------+---------+------------------------------------------------
 *      0 |      8 | magic        |         | "ENGHMAP1" ({@link #MAGIC})
 *      8 |      4 | segments     | count   | power of two, 2..4096
 *     12 |      4 | keyWidth     | bytes   | key cell width (codec width, or 8 for a blob offset)
 *     16 |      4 | valueWidth   | bytes   | value cell width
 *     20 |      4 | slotLength   | bytes   | 8 + keyWidth + valueWidth rounded up to 8
 *     24 |      8 | reserved     |         | zero
 *     32 | 32 * n | segment[n]   |         | below
 *
 * segment (32 bytes, one per segment):
 *      0 |      8 | table        | offset  | {@link BlockTypes#HASH_TABLE} block, 0 = none yet
 *      8 |      8 | capacity     | slots   | power of two, 0 when table = 0
 *     16 |      8 | count        | entries | live entries
 *     24 |      8 | used         | slots   | live + tombstone slots (count..capacity)
 * </pre>
 *
 * <p>Table block: {@code capacity} slots of {@code slotLength} bytes, linear probing:
 * <pre>
 *      0 |      8 | word         |         | high 32 bits: low 32 bits of the key hash; low 32 bits: state
 *        |        |              |         | 0 empty, 1 full, 2 tombstone
 *      8 | kw     | key cell     |         | {@link Cell}
 *  8+kw  | vw     | value cell   |         | {@link Cell}
 * </pre>
 * Only a full slot's cells mean anything: those of an empty or tombstone slot are free space and may
 * hold stale bytes (a removed entry's, or those of a rolled-back insert, which saves and restores
 * only the slot word).
 */
final class HashLayout {
    static final long MAGIC = 0x3150_414D_4847_4E45L; // "ENGHMAP1"
    static final int MAGIC_OFFSET = 0;
    static final int SEGMENTS_OFFSET;
    static final int KEY_WIDTH_OFFSET;
    static final int VALUE_WIDTH_OFFSET;
    static final int SLOT_LENGTH_OFFSET;
    static final int HEADER_LENGTH;

    static final int SEG_TABLE = 0;
    static final int SEG_CAPACITY = 8;
    static final int SEG_COUNT = 16;
    static final int SEG_USED = 24;
    static final int SEGMENT_LENGTH = 32;

    static final int SLOT_WORD = 0;
    static final int SLOT_KEY = 8;

    static final int EMPTY = 0;
    static final int FULL = 1;
    static final int TOMBSTONE = 2;

    static final int DEFAULT_SEGMENTS = 64;
    static final int INITIAL_CAPACITY = 8;

    static {
        int offset = MAGIC_OFFSET + Long.BYTES;
        SEGMENTS_OFFSET = offset;
        offset += Integer.BYTES;
        KEY_WIDTH_OFFSET = offset;
        offset += Integer.BYTES;
        VALUE_WIDTH_OFFSET = offset;
        offset += Integer.BYTES;
        SLOT_LENGTH_OFFSET = offset;
        offset += Integer.BYTES;
        offset += Long.BYTES; // reserved
        HEADER_LENGTH = offset;
        if (HEADER_LENGTH != 32) {
            throw new AssertionError("hash header drifted: " + HEADER_LENGTH);
        }
    }

    private HashLayout() {
    }

    static long segmentOffset(long header, int segment) {
        return header + HEADER_LENGTH + (long) segment * SEGMENT_LENGTH;
    }

    static long headerSize(int segments) {
        return HEADER_LENGTH + (long) segments * SEGMENT_LENGTH;
    }

    static int slotLength(int keyWidth, int valueWidth) {
        return (SLOT_KEY + keyWidth + valueWidth + 7) & ~7;
    }

    static long word(int hash32, int state) {
        return ((long) hash32 << 32) | (state & 0xFFFF_FFFFL);
    }

    static int state(long word) {
        return (int) word;
    }

    static int hash32(long word) {
        return (int) (word >>> 32);
    }
}
