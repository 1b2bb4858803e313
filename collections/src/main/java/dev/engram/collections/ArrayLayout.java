package dev.engram.collections;

/**
 * Descriptor of the header blocks of {@link PersistentList} ({@link BlockTypes#LIST_HEADER}) and
 * {@link PersistentDeque} ({@link BlockTypes#DEQUE_HEADER}); both keep their elements' cells in one
 * array block ({@link BlockTypes#LIST_ARRAY}, {@link BlockTypes#DEQUE_ARRAY}) of
 * {@code capacity * width} bytes.
 * <pre>
 * offset | size | field     | unit     | range / meaning
 * -------+------+-----------+----------+---------------------------------------------------
 *      0 |    8 | magic     |          | "ENGLIST1" or "ENGDEQU1"
 *      8 |    8 | head      | elements | deque: physical index of the first element (0..capacity); list: 0
 *     16 |    8 | size      | elements | 0..capacity
 *     24 |    8 | capacity  | elements | 0 or a power of two (deque), any (list)
 *     32 |    8 | array     | offset   | array block, 0 when capacity = 0
 *     40 |    4 | width     | bytes    | cell width
 *     44 |    4 | reserved  |          | zero
 * </pre>
 */
final class ArrayLayout {
    static final long LIST_MAGIC = 0x3154_5349_4C47_4E45L; // "ENGLIST1"
    static final long DEQUE_MAGIC = 0x3155_5145_4447_4E45L; // "ENGDEQU1"
    static final int MAGIC_OFFSET = 0;
    static final int HEAD_OFFSET;
    static final int SIZE_OFFSET;
    static final int CAPACITY_OFFSET;
    static final int ARRAY_OFFSET;
    static final int WIDTH_OFFSET;
    static final int HEADER_LENGTH;
    static final int INITIAL_CAPACITY = 8;

    static {
        int o = MAGIC_OFFSET + Long.BYTES;
        HEAD_OFFSET = o;
        o += Long.BYTES;
        SIZE_OFFSET = o;
        o += Long.BYTES;
        CAPACITY_OFFSET = o;
        o += Long.BYTES;
        ARRAY_OFFSET = o;
        o += Long.BYTES;
        WIDTH_OFFSET = o;
        o += Integer.BYTES;
        o += Integer.BYTES; // reserved
        HEADER_LENGTH = o;
        if (HEADER_LENGTH != 48) {
            throw new AssertionError("array header drifted: " + HEADER_LENGTH);
        }
    }

    private ArrayLayout() {
    }
}
