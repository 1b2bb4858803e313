package dev.engram.collections;

/**
 * Descriptor of the name directory block ({@link BlockTypes#DIRECTORY}), the pool's root object when
 * collections are used.
 * <pre>
 * offset | size      | field     | unit    | range / meaning
 * -------+-----------+-----------+---------+------------------------------------------------
 *      0 |         8 | magic     |         | "ENGCDIR1" (little-endian long {@link #MAGIC})
 *      8 |         4 | count     | entries | 0..capacity, entries in use (a dense prefix)
 *     12 |         4 | capacity  | entries | entries that fit in the block
 *     16 |        16 | reserved  |         | written as zero
 *     32 | 128 * cap | entries   |         | one per collection, below
 *
 * entry:
 *      0 |        98 | name      |         | Codec.string(48) encoding of the collection's name
 *     98 |         6 | reserved  |         | zero
 *    104 |         4 | kind      |         | 1 hash map, 2 sorted map, 3 list, 4 deque
 *    108 |         4 | reserved  |         | zero
 *    112 |         8 | header    | offset  | the collection's header block
 *    120 |         8 | codecs    | offset  | {@link BlockTypes#DESCRIPTOR} block: int32 length | UTF-8 "keyDescriptor;valueDescriptor"
 * </pre>
 */
final class DirectoryLayout {
    static final long MAGIC = 0x3152_4944_4347_4E45L; // "ENGCDIR1"
    static final int MAGIC_OFFSET = 0;
    static final int COUNT_OFFSET;
    static final int CAPACITY_OFFSET;
    static final int HEADER_LENGTH;
    static final int NAME_MAX_CHARS = 48;
    static final int ENTRY_NAME = 0;
    static final int ENTRY_KIND;
    static final int ENTRY_HEADER;
    static final int ENTRY_CODECS;
    static final int ENTRY_LENGTH;
    static final int INITIAL_CAPACITY = 8;

    static final int KIND_HASH_MAP = 1;
    static final int KIND_SORTED_MAP = 2;
    static final int KIND_LIST = 3;
    static final int KIND_DEQUE = 4;

    static {
        int offset = MAGIC_OFFSET + Long.BYTES;
        COUNT_OFFSET = offset;
        offset += Integer.BYTES;
        CAPACITY_OFFSET = offset;
        offset += Integer.BYTES;
        offset += 16; // reserved
        HEADER_LENGTH = offset;

        int e = ENTRY_NAME + 2 * NAME_MAX_CHARS + 2;
        e += 6; // reserved
        ENTRY_KIND = e;
        e += Integer.BYTES + 4; // kind + reserved
        ENTRY_HEADER = e;
        e += Long.BYTES;
        ENTRY_CODECS = e;
        e += Long.BYTES;
        ENTRY_LENGTH = e;
        if (HEADER_LENGTH != 32 || ENTRY_LENGTH != 128) {
            throw new AssertionError("directory layout drifted: header=" + HEADER_LENGTH + " entry=" + ENTRY_LENGTH);
        }
    }

    private DirectoryLayout() {
    }

    static long entryOffset(long directory, int index) {
        return directory + HEADER_LENGTH + (long) index * ENTRY_LENGTH;
    }

    static long blockSize(int capacity) {
        return HEADER_LENGTH + (long) capacity * ENTRY_LENGTH;
    }

    static String kindName(int kind) {
        return switch (kind) {
            case KIND_HASH_MAP -> "hash map";
            case KIND_SORTED_MAP -> "sorted map";
            case KIND_LIST -> "list";
            case KIND_DEQUE -> "deque";
            default -> "unknown kind " + kind;
        };
    }
}
