package dev.engram.allocator;

import dev.engram.pool.PoolCorruptedException;

/**
 * One inconsistency found in heap metadata: the structure, its pool offset, what was expected and
 * what was read. {@link HeapCheckReport} collects them; the heap's own readers throw the first one.
 *
 * @param structure which structure (e.g. "chunk header", "run bitmap", "block header")
 * @param offset    pool offset of the bad field
 * @param expected  the valid value or range
 * @param actual    the value read
 */
public record Corruption(String structure, long offset, String expected, String actual) {
    /** {@return the exception the heap throws for this inconsistency, naming it and what to do} */
    public PoolCorruptedException toException() {
        return new PoolCorruptedException(toString() + "; run check() for a full report and restore the pool from a copy");
    }

    @Override
    public String toString() {
        return structure + " at offset=" + offset + ": expected " + expected + ", actual " + actual;
    }
}
