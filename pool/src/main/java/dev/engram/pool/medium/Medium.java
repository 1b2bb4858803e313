package dev.engram.pool.medium;

import java.lang.foreign.MemorySegment;

/**
 * The one abstraction every upper layer writes through (DESIGN.md §2.1): stores of primitives and
 * byte ranges at pool offsets, plus the persistence primitives.
 *
 * <p>Naming: {@code putXxx} is a store, not durable. {@link #flush} starts making a range durable
 * with no ordering promise; {@link #drain} waits until everything flushed so far is durable (the
 * fence); {@link #persist} is both. A method that persists says so in its name.
 *
 * <p>Thread safety: implementations are safe for concurrent use on disjoint ranges; callers order
 * writes to the same range themselves. A drain makes durable every range the <em>calling thread</em>
 * flushed before it, and every range <em>any</em> thread flushed with {@link #flushShared} before the
 * drain began. A range flushed with plain {@link #flush} on another thread may still be in flight on
 * CPU-cache media, because a store fence completes only its own core's write-backs (PMDK's
 * {@code pmem_drain} has the same rule): hand such work over with a drain on the flushing thread, or
 * flush the range again on the draining thread (a write-back acts on a line wherever it is cached).
 * Page-cache and memory media make every flushed range durable at any drain.
 */
public interface Medium extends MediumReader, AutoCloseable {
    void putByte(long offset, byte value);

    void putShort(long offset, short value);

    void putInt(long offset, int value);

    void putLong(long offset, long value);

    void putBytes(long offset, byte[] src, int srcIndex, int length);

    /** Stores the whole of {@code src} at {@code offset}. */
    void putSegment(long offset, MemorySegment src);

    /** Copies {@code length} bytes inside the medium; the ranges may overlap. */
    void copy(long srcOffset, long dstOffset, long length);

    /** Sets {@code length} bytes at {@code offset} to {@code value}. */
    void fill(long offset, long length, byte value);

    /** Starts making {@code [offset, offset + length)} durable. No ordering promise until {@link #drain}. */
    void flush(long offset, long length);

    /**
     * Like {@link #flush}, but the next drain on any thread completes it, not only the calling
     * thread's. For small words that retire a log and whose durability another thread's drain may
     * have to guarantee (a later transaction on another lane, an explicit pool drain). Costs a little
     * more than {@code flush} on every later drain, so keep it to a few recurring words.
     */
    default void flushShared(long offset, long length) {
        flush(offset, length);
    }

    /**
     * Waits until every range this thread flushed, and every range any thread flushed with
     * {@link #flushShared}, is durable (the fence; see the class comment for the threading rule).
     */
    void drain();

    /** {@link #flush} then {@link #drain}. */
    default void persist(long offset, long length) {
        flush(offset, length);
        drain();
    }

    /** Copies inside the medium and makes the destination durable. */
    default void copyPersist(long srcOffset, long dstOffset, long length) {
        copy(srcOffset, dstOffset, length);
        persist(dstOffset, length);
    }

    /** Stores {@code src} and makes it durable. */
    default void putBytesPersist(long offset, byte[] src, int srcIndex, int length) {
        putBytes(offset, src, srcIndex, length);
        persist(offset, length);
    }

    /** Fills a range and makes it durable. */
    default void fillPersist(long offset, long length, byte value) {
        fill(offset, length, value);
        persist(offset, length);
    }

    /** Stores one 8-byte word and makes it durable: the publication step of every log. */
    default void putLongPersist(long offset, long value) {
        putLong(offset, value);
        persist(offset, Long.BYTES);
    }

    /**
     * Extends the medium to {@code newSize} bytes (the file grows, the mapping follows). Offsets stay
     * valid; segments handed out before stay valid and coherent. Never shrinks.
     */
    void grow(long newSize);

    /** Deterministic counters of flushes, drains, write-backs and msyncs. */
    MediumCounters counters();

    /** Unmaps. Later accesses fail with {@link dev.engram.pool.PoolClosedException}. */
    @Override
    void close();
}
