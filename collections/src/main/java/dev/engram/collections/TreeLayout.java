package dev.engram.collections;

/**
 * Descriptor of {@link BTree}'s blocks. Leaves target {@value #LEAF_TARGET} bytes (32 cache lines),
 * inner nodes {@value #INNER_TARGET} bytes (a page).
 *
 * <p>Header block ({@link BlockTypes#TREE_HEADER}):
 * <pre>
 * offset | size | field         | unit    | range / meaning
 * -------+------+---------------+---------+---------------------------------------------
 *      0 |    8 | magic         |         | "ENGBTRE1" ({@link #MAGIC})
 *      8 |    8 | root          | offset  | root node (leaf when height = 1), 0 = empty tree
 *     16 |    8 | size          | entries | 0..
 *     24 |    4 | height        | levels  | 0 when empty, 1 = root is a leaf
 *     28 |    4 | keyWidth      | bytes   | key cell width
 *     32 |    4 | valueWidth    | bytes   | value cell width
 *     36 |    4 | leafCapacity  | entries | entries per leaf
 *     40 |    4 | innerCapacity | keys    | keys per inner node
 *     44 |    4 | reserved      |         | zero
 * </pre>
 * Leaf ({@link BlockTypes#TREE_LEAF}):
 * <pre>
 *      0 |    4 | count         | entries | 0..leafCapacity (only the root leaf may be empty)
 *      4 |    4 | reserved      |         | zero
 *      8 |    8 | prev          | offset  | previous leaf in key order, 0 = first
 *     16 |    8 | next          | offset  | next leaf, 0 = last
 *     24 |    8 | reserved      |         | zero
 *     32 |  n*e | entries       |         | sorted; each: key cell (keyWidth) | value cell (valueWidth)
 * </pre>
 * Inner ({@link BlockTypes#TREE_INNER}), child i holds keys k with key[i-1] &lt;= k &lt; key[i]:
 * <pre>
 *      0 |    4 | count         | keys    | 1..innerCapacity
 *      4 |   28 | reserved      |         | zero
 *     32 | 8(c+1) | children    | offset  | count + 1 in use
 *  32+8(c+1) | c*keyWidth | keys |        | count in use, sorted
 * </pre>
 */
final class TreeLayout {
    static final long MAGIC = 0x3145_5254_4247_4E45L; // "ENGBTRE1"
    static final int LEAF_TARGET = 2048;
    static final int INNER_TARGET = 4096;

    static final int MAGIC_OFFSET = 0;
    static final int ROOT_OFFSET;
    static final int SIZE_OFFSET;
    static final int HEIGHT_OFFSET;
    static final int KEY_WIDTH_OFFSET;
    static final int VALUE_WIDTH_OFFSET;
    static final int LEAF_CAPACITY_OFFSET;
    static final int INNER_CAPACITY_OFFSET;
    static final int HEADER_LENGTH;

    static final int NODE_COUNT = 0;
    static final int LEAF_PREV = 8;
    static final int LEAF_NEXT = 16;
    static final int LEAF_LINKS_END = 24;
    static final int NODE_HEADER = 32;

    static {
        int o = MAGIC_OFFSET + Long.BYTES;
        ROOT_OFFSET = o;
        o += Long.BYTES;
        SIZE_OFFSET = o;
        o += Long.BYTES;
        HEIGHT_OFFSET = o;
        o += Integer.BYTES;
        KEY_WIDTH_OFFSET = o;
        o += Integer.BYTES;
        VALUE_WIDTH_OFFSET = o;
        o += Integer.BYTES;
        LEAF_CAPACITY_OFFSET = o;
        o += Integer.BYTES;
        INNER_CAPACITY_OFFSET = o;
        o += Integer.BYTES;
        o += Integer.BYTES; // reserved
        HEADER_LENGTH = o;
        if (HEADER_LENGTH != 48) {
            throw new AssertionError("tree header drifted: " + HEADER_LENGTH);
        }
    }

    private TreeLayout() {
    }

    static int leafCapacity(int entryWidth) {
        return Math.max(4, (LEAF_TARGET - NODE_HEADER) / entryWidth);
    }

    static int innerCapacity(int keyWidth) {
        return Math.max(4, (INNER_TARGET - NODE_HEADER - Long.BYTES) / (Long.BYTES + keyWidth));
    }

    static long leafBytes(int capacity, int entryWidth) {
        return NODE_HEADER + (long) capacity * entryWidth;
    }

    static long innerBytes(int capacity, int keyWidth) {
        return NODE_HEADER + (capacity + 1L) * Long.BYTES + (long) capacity * keyWidth;
    }

    static long entry(long leaf, int index, int entryWidth) {
        return leaf + NODE_HEADER + (long) index * entryWidth;
    }

    static long child(long inner, int index) {
        return inner + NODE_HEADER + (long) index * Long.BYTES;
    }

    static long key(long inner, int index, int capacity, int keyWidth) {
        return inner + NODE_HEADER + (capacity + 1L) * Long.BYTES + (long) index * keyWidth;
    }
}
