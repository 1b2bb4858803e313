package dev.engram.crashtest.corpus;

import dev.engram.pool.Bits;

/**
 * Where the reference structures of the seeded-bug corpus live on their 4 KiB medium. Every field
 * that a bug could reorder against another sits on its own 64-byte cache line, except where a
 * variant is about sharing a line.
 *
 * <pre>
 * offset | size | field            | unit  | meaning
 * 0x000  | 64   | reserved         | bytes | zero (offset 0 stands for "null")
 * 0x040  | 8    | BALANCE_A        | count | account A
 * 0x080  | 8    | BALANCE_B        | count | account B; A + B is constant
 * 0x0C0  | 8    | TRANSFERS        | count | committed transfers; may lag, must never lead
 * 0x100  | 8    | UNDO_COUNT       | count | valid undo entries, 0..UNDO_CAPACITY; 0 = no transaction
 * 0x140  | 48   | UNDO_ENTRIES     | bytes | UNDO_CAPACITY x (offset 8, old value 8)
 * 0x180  | 64   | RECORD_DATA      | words | 8 payload words of the commit-word record
 * 0x1C0  | 8    | RECORD_COMMIT    | flag  | 1 = RECORD_DATA is complete
 * 0x200  | 56   | LINE_DATA        | words | 7 payload words sharing one line with...
 * 0x238  | 8    | LINE_COMMIT      | flag  | ...their commit word
 * 0x240  | 16   | POINTER          | pair  | (target, ~target), updated in place
 * 0x280  | 32   | SLOTS            | pairs | two (target, ~target) slots
 * 0x2C0  | 8    | SELECTOR         | index | which slot is current, 0 or 1
 * 0x300  | 8    | HEAD             | bytes | offset of the list's first node, 0 = empty
 * 0x37C  | 8    | STRADDLING_WORD  | word  | an unaligned word crossing the 0x380 line boundary
 * 0x420  | 48   | NODE(i), i &lt; 4   | bytes | list node at 0x420 + 64 i: value at +0, next at +40
 *        |      |                  |       | (value and next on different lines)
 * </pre>
 */
public final class ReferenceLayout {
    public static final long SIZE = 4096;

    public static final long BALANCE_A = 0x040;
    public static final long BALANCE_B = 0x080;
    public static final long TRANSFERS = 0x0C0;
    public static final long UNDO_COUNT = 0x100;
    public static final long UNDO_ENTRIES = 0x140;
    public static final int UNDO_CAPACITY = 3;
    public static final int UNDO_ENTRY_SIZE = 16;
    public static final long RECORD_DATA = 0x180;
    public static final int RECORD_WORDS = 8;
    public static final long RECORD_COMMIT = 0x1C0;
    public static final long LINE_DATA = 0x200;
    public static final int LINE_WORDS = 7;
    public static final long LINE_COMMIT = LINE_DATA + LINE_WORDS * Long.BYTES;
    public static final long POINTER = 0x240;
    public static final long SLOTS = 0x280;
    public static final int SLOT_SIZE = 16;
    public static final long SELECTOR = 0x2C0;
    public static final long HEAD = 0x300;
    public static final long STRADDLING_WORD = 0x37C;
    public static final long NODES = 0x420;
    public static final int NODE_STRIDE = Bits.CACHE_LINE;
    public static final int NODE_VALUE = 0;
    public static final int NODE_NEXT = 40;
    public static final int NODE_SIZE = NODE_NEXT + Long.BYTES;
    public static final int NODE_CAPACITY = 4;

    static {
        if (LINE_COMMIT / Bits.CACHE_LINE != LINE_DATA / Bits.CACHE_LINE
                || STRADDLING_WORD / Bits.CACHE_LINE == (STRADDLING_WORD + 7) / Bits.CACHE_LINE
                || (NODES + NODE_VALUE) / Bits.CACHE_LINE == (NODES + NODE_NEXT) / Bits.CACHE_LINE
                || node(NODE_CAPACITY - 1) + NODE_SIZE > SIZE) {
            throw new ExceptionInInitializerError("reference layout does not have the line sharing it documents");
        }
    }

    private ReferenceLayout() {
    }

    public static long undoEntryOffset(int i) {
        return UNDO_ENTRIES + (long) i * UNDO_ENTRY_SIZE;
    }

    public static long undoEntryOld(int i) {
        return undoEntryOffset(i) + Long.BYTES;
    }

    public static long slot(int i) {
        return SLOTS + (long) i * SLOT_SIZE;
    }

    public static long node(int i) {
        return NODES + (long) i * NODE_STRIDE;
    }
}
