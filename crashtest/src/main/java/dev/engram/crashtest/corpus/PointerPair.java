package dev.engram.crashtest.corpus;

import dev.engram.pool.medium.Medium;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.engram.crashtest.corpus.Invariants.require;
import static dev.engram.crashtest.corpus.ReferenceLayout.POINTER;
import static dev.engram.crashtest.corpus.ReferenceLayout.SELECTOR;
import static dev.engram.crashtest.corpus.ReferenceLayout.SLOT_SIZE;
import static dev.engram.crashtest.corpus.ReferenceLayout.STRADDLING_WORD;
import static dev.engram.crashtest.corpus.ReferenceLayout.slot;

/**
 * Reference structure 3: a 16-byte pointer (target, ~target), and an unaligned 8-byte word. Only an
 * aligned 8-byte store is failure-atomic on x86, so a 16-byte pointer must be switched through an
 * 8-byte selector between two slots (the correct form), never stored in place; and a word crossing a
 * cache line can tear. Invariant: every pair reachable is (t, ~t) with t the old or the new target.
 */
final class PointerPair {
    static final long OLD_TARGET = 0x1000;
    static final long NEW_TARGET = 0x2000;
    static final long OLD_WORD = 0x1111_1111_1111_1111L;
    static final long NEW_WORD = 0x2222_2222_2222_2222L;

    private PointerPair() {
    }

    static void setup(Medium m) {
        writePair(m, POINTER, OLD_TARGET);
        writePair(m, slot(0), OLD_TARGET);
        m.putLong(SELECTOR, 0);
        m.putLong(STRADDLING_WORD, OLD_WORD);
        m.persist(0, ReferenceLayout.SIZE);
    }

    static void writePair(Medium m, long offset, long target) {
        byte[] pair = ByteBuffer.allocate(SLOT_SIZE).order(ByteOrder.LITTLE_ENDIAN).putLong(target).putLong(~target).array();
        m.putBytes(offset, pair, 0, pair.length);
    }

    private static void checkPair(Medium m, long offset) {
        long target = m.getLong(offset);
        long check = m.getLong(offset + Long.BYTES);
        require(check == ~target && (target == OLD_TARGET || target == NEW_TARGET),
                "pointer at 0x" + Long.toHexString(offset) + " is whole, target=0x" + Long.toHexString(target)
                        + " check=0x" + Long.toHexString(check));
    }

    static void checkInPlace(Medium m) {
        checkPair(m, POINTER);
    }

    static void checkSlots(Medium m) {
        long selector = m.getLong(SELECTOR);
        require(selector == 0 || selector == 1, "selector is 0 or 1, selector=" + selector);
        checkPair(m, slot((int) selector));
    }

    static void checkStraddlingWord(Medium m) {
        long v = m.getLong(STRADDLING_WORD);
        require(v == OLD_WORD || v == NEW_WORD, "the word is old or new, got 0x" + Long.toHexString(v));
    }

    /** Torn 16-byte update: the pair is stored in place, two granules that may persist apart. */
    static void tornInPlace(Medium m) {
        writePair(m, POINTER, NEW_TARGET);
        m.persist(POINTER, SLOT_SIZE);
    }

    static void doubleSlot(Medium m) {
        writePair(m, slot(1), NEW_TARGET);
        m.persist(slot(1), SLOT_SIZE);
        m.putLongPersist(SELECTOR, 1);
    }

    /** The selector is switched before the new slot is written. */
    static void selectorBeforeSlot(Medium m) {
        m.putLongPersist(SELECTOR, 1);
        writePair(m, slot(1), NEW_TARGET);
        m.persist(slot(1), SLOT_SIZE);
    }

    /** An 8-byte store across a cache-line boundary: its halves persist independently. */
    static void straddlingWord(Medium m) {
        m.putLong(STRADDLING_WORD, NEW_WORD);
        m.persist(STRADDLING_WORD, Long.BYTES);
    }
}
