package dev.engram.collections;

import dev.engram.tx.References;
import dev.engram.tx.TypeTable;

import java.util.List;

/**
 * Type numbers of the heap blocks the collections allocate, so that {@code objects(type)}, the CLI
 * and the leak checks can find them. They sit in a range below the transaction layer's own types;
 * an {@code ObjectLayout} must not register user classes in {@code 0xFE00..0xFE0F}.
 *
 * <p>{@link #DECLARATIONS} tell the pool's type table where each keeps its references, so that
 * {@code engram check} can walk the collections from the root: exact words where the positions are
 * fixed (directory entries, hash segments, the tree's root, the list's array), a conservative scan
 * where they depend on the collection's codecs (tables, nodes and arrays hold cells that are either
 * a fixed-width encoding or a blob's offset), none in blobs and descriptors.
 */
public final class BlockTypes {
    /** Type of the directory block: the pool's root object, listing every collection. */
    public static final int DIRECTORY = 0xFE00;
    /** Type of a block holding a collection's codec descriptors. */
    public static final int DESCRIPTOR = 0xFE01;
    /** Type of a block holding one variable-width (Kryo) key or value. */
    public static final int BLOB = 0xFE02;
    /** Type of a hash map's header block. */
    public static final int HASH_HEADER = 0xFE03;
    /** Type of a hash map segment's table block. */
    public static final int HASH_TABLE = 0xFE04;
    /** Type of a sorted map's header block. */
    public static final int TREE_HEADER = 0xFE05;
    /** Type of a B+tree leaf node. */
    public static final int TREE_LEAF = 0xFE06;
    /** Type of a B+tree inner node. */
    public static final int TREE_INNER = 0xFE07;
    /** Type of a list's header block. */
    public static final int LIST_HEADER = 0xFE08;
    /** Type of a list's element array. */
    public static final int LIST_ARRAY = 0xFE09;
    /** Type of a deque's header block. */
    public static final int DEQUE_HEADER = 0xFE0A;
    /** Type of a deque's element array (a ring). */
    public static final int DEQUE_ARRAY = 0xFE0B;
    /** Every type above, for checks that walk the heap. */
    public static final int[] ALL = {DIRECTORY, DESCRIPTOR, BLOB, HASH_HEADER, HASH_TABLE, TREE_HEADER, TREE_LEAF,
        TREE_INNER, LIST_HEADER, LIST_ARRAY, DEQUE_HEADER, DEQUE_ARRAY};

    /** Reference layouts of every type above, recorded in the type table when a collection is created. */
    static final List<TypeTable.Entry> DECLARATIONS = List.of(
            new TypeTable.Entry(DIRECTORY, "directory", References.at().thenEvery(DirectoryLayout.HEADER_LENGTH,
                    DirectoryLayout.ENTRY_LENGTH, DirectoryLayout.COUNT_OFFSET, DirectoryLayout.ENTRY_HEADER,
                    DirectoryLayout.ENTRY_CODECS)),
            new TypeTable.Entry(DESCRIPTOR, "descriptor", References.none()),
            new TypeTable.Entry(BLOB, "blob", References.none()),
            new TypeTable.Entry(HASH_HEADER, "hash-header", References.at().thenEvery(HashLayout.HEADER_LENGTH,
                    HashLayout.SEGMENT_LENGTH, HashLayout.SEGMENTS_OFFSET, HashLayout.SEG_TABLE)),
            new TypeTable.Entry(HASH_TABLE, "hash-table", References.scan()),
            new TypeTable.Entry(TREE_HEADER, "tree-header", References.at(TreeLayout.ROOT_OFFSET)),
            new TypeTable.Entry(TREE_LEAF, "tree-leaf", References.scan()),
            new TypeTable.Entry(TREE_INNER, "tree-inner", References.scan()),
            new TypeTable.Entry(LIST_HEADER, "list-header", References.at(ArrayLayout.ARRAY_OFFSET)),
            new TypeTable.Entry(LIST_ARRAY, "list-array", References.scan()),
            new TypeTable.Entry(DEQUE_HEADER, "deque-header", References.at(ArrayLayout.ARRAY_OFFSET)),
            new TypeTable.Entry(DEQUE_ARRAY, "deque-array", References.scan()));

    private BlockTypes() {
    }
}
