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
    /** Size in bytes of the medium the structures live on: one page. */
    public static final long SIZE = 4096;

    /** Offset of account A's balance. */
    public static final long BALANCE_A = 0x040;
    /** Offset of account B's balance; A + B stays constant across transfers. */
    public static final long BALANCE_B = 0x080;
    /** Offset of the count of committed transfers, which may lag the balances but never lead them. */
    public static final long TRANSFERS = 0x0C0;
    /** Offset of the count of valid undo entries; 0 means no transaction is in flight. */
    public static final long UNDO_COUNT = 0x100;
    /** Offset of the first undo entry; see {@link #undoEntryOffset}. */
    public static final long UNDO_ENTRIES = 0x140;
    /** Undo entries the log holds. */
    public static final int UNDO_CAPACITY = 3;
    /** Bytes per undo entry: target offset (8), old value (8). */
    public static final int UNDO_ENTRY_SIZE = 16;
    /** Offset of the commit-word record's first payload word. */
    public static final long RECORD_DATA = 0x180;
    /** Payload words of the commit-word record. */
    public static final int RECORD_WORDS = 8;
    /** Offset of the record's commit word: 1 once {@link #RECORD_DATA} is complete. */
    public static final long RECORD_COMMIT = 0x1C0;
    /** Offset of the payload words that share a cache line with their commit word. */
    public static final long LINE_DATA = 0x200;
    /** Payload words at {@link #LINE_DATA}. */
    public static final int LINE_WORDS = 7;
    /** Offset of the commit word on the same line as {@link #LINE_DATA}. */
    public static final long LINE_COMMIT = LINE_DATA + LINE_WORDS * Long.BYTES;
    /** Offset of the (target, ~target) pointer pair updated in place. */
    public static final long POINTER = 0x240;
    /** Offset of the two (target, ~target) slots; see {@link #slot}. */
    public static final long SLOTS = 0x280;
    /** Bytes per slot. */
    public static final int SLOT_SIZE = 16;
    /** Offset of the selector word: which slot is current, 0 or 1. */
    public static final long SELECTOR = 0x2C0;
    /** Offset of the linked list's head: the first node's offset, 0 when empty. */
    public static final long HEAD = 0x300;
    /** Offset of an unaligned word that crosses the cache-line boundary at 0x380. */
    public static final long STRADDLING_WORD = 0x37C;
    /** Offset of the first list node; see {@link #node}. */
    public static final long NODES = 0x420;
    /** Bytes between consecutive nodes: one cache line each. */
    public static final int NODE_STRIDE = Bits.CACHE_LINE;
    /** Offset in a node of its value word. */
    public static final int NODE_VALUE = 0;
    /** Offset in a node of its next pointer, on another cache line than the value. */
    public static final int NODE_NEXT = 40;
    /** Bytes of a node that are used. */
    public static final int NODE_SIZE = NODE_NEXT + Long.BYTES;
    /** Nodes the layout has room for. */
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

    /**
     * {@return the offset of undo entry {@code i}'s target-offset word}
     *
     * @param i the entry, {@code 0 <= i < UNDO_CAPACITY} (not checked)
     */
    public static long undoEntryOffset(int i) {
        return UNDO_ENTRIES + (long) i * UNDO_ENTRY_SIZE;
    }

    /**
     * {@return the offset of undo entry {@code i}'s old-value word}
     *
     * @param i the entry, {@code 0 <= i < UNDO_CAPACITY} (not checked)
     */
    public static long undoEntryOld(int i) {
        return undoEntryOffset(i) + Long.BYTES;
    }

    /**
     * {@return the offset of slot {@code i}'s (target, ~target) pair}
     *
     * @param i the slot, 0 or 1 (not checked)
     */
    public static long slot(int i) {
        return SLOTS + (long) i * SLOT_SIZE;
    }

    /**
     * {@return the offset of node {@code i}}
     *
     * @param i the node, {@code 0 <= i < NODE_CAPACITY} (not checked)
     */
    public static long node(int i) {
        return NODES + (long) i * NODE_STRIDE;
    }
}
