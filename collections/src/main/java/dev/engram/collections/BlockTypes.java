package dev.engram.collections;

/**
 * Type numbers of the heap blocks the collections allocate, so that {@code objects(type)}, the CLI
 * and the leak checks can find them. They sit in a range below the transaction layer's own types;
 * an {@code ObjectLayout} must not register user classes in {@code 0xFE00..0xFE0F}.
 */
public final class BlockTypes {
    public static final int DIRECTORY = 0xFE00;
    public static final int DESCRIPTOR = 0xFE01;
    public static final int BLOB = 0xFE02;
    public static final int HASH_HEADER = 0xFE03;
    public static final int HASH_TABLE = 0xFE04;
    public static final int TREE_HEADER = 0xFE05;
    public static final int TREE_LEAF = 0xFE06;
    public static final int TREE_INNER = 0xFE07;
    public static final int LIST_HEADER = 0xFE08;
    public static final int LIST_ARRAY = 0xFE09;
    public static final int DEQUE_HEADER = 0xFE0A;
    public static final int DEQUE_ARRAY = 0xFE0B;
    /** Every type above, for checks that walk the heap. */
    public static final int[] ALL = {DIRECTORY, DESCRIPTOR, BLOB, HASH_HEADER, HASH_TABLE, TREE_HEADER, TREE_LEAF,
        TREE_INNER, LIST_HEADER, LIST_ARRAY, DEQUE_HEADER, DEQUE_ARRAY};

    private BlockTypes() {
    }
}
