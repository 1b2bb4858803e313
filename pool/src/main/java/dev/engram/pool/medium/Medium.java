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
 * drain began ({@link #drainBeforeChanging}: those whose guard overlaps the range it names). A range flushed with plain {@link #flush} on another thread may still be in flight on
 * CPU-cache media, because a store fence completes only its own core's write-backs (PMDK's
 * {@code pmem_drain} has the same rule): hand such work over with a drain on the flushing thread, or
 * flush the range again on the draining thread (a write-back acts on a line wherever it is cached).
 * Page-cache and memory media make every flushed range durable at any drain.
 */
public interface Medium extends MediumReader, AutoCloseable {
    /**
     * Stores one byte; not durable until flushed and drained.
     *
     * @param offset pool offset, in {@code [0, size())}
     * @param value  the byte
     * @throws dev.engram.pool.OutOfBoundsException if the byte lies outside the mapping
     * @throws dev.engram.pool.PoolClosedException  if the medium is closed or refuses writes after a failed drain
     */
    void putByte(long offset, byte value);

    /**
     * Stores a little-endian short; not durable until flushed and drained. Need not be aligned.
     *
     * @param offset pool offset of the first byte; the 2 bytes must lie inside the mapping
     * @param value  the value
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     * @throws dev.engram.pool.PoolClosedException  if the medium is closed or refuses writes after a failed drain
     */
    void putShort(long offset, short value);

    /**
     * Stores a little-endian int; not durable until flushed and drained. Need not be aligned.
     *
     * @param offset pool offset of the first byte; the 4 bytes must lie inside the mapping
     * @param value  the value
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     * @throws dev.engram.pool.PoolClosedException  if the medium is closed or refuses writes after a failed drain
     */
    void putInt(long offset, int value);

    /**
     * Stores a little-endian long; not durable until flushed and drained. An 8-byte-aligned store is
     * single-copy atomic on the media Engram supports, which is what publication words rely on.
     *
     * @param offset pool offset of the first byte; the 8 bytes must lie inside the mapping
     * @param value  the value
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     * @throws dev.engram.pool.PoolClosedException  if the medium is closed or refuses writes after a failed drain
     */
    void putLong(long offset, long value);

    /**
     * Stores {@code length} bytes of {@code src} starting at {@code srcIndex}; not durable until flushed
     * and drained.
     *
     * @param offset   pool offset of the first byte written
     * @param src      the source array
     * @param srcIndex index in {@code src} of the first byte
     * @param length   bytes to store
     * @throws dev.engram.pool.OutOfBoundsException if the destination lies outside the mapping
     * @throws IndexOutOfBoundsException            if {@code [srcIndex, srcIndex + length)} is not inside {@code src}
     * @throws dev.engram.pool.PoolClosedException  if the medium is closed or refuses writes after a failed drain
     */
    void putBytes(long offset, byte[] src, int srcIndex, int length);

    /**
     * Stores the whole of {@code src} at {@code offset}.
     *
     * Not durable until flushed and drained.
     *
     * @param offset pool offset of the first byte written
     * @param src    the bytes to store; its whole {@code byteSize()} is copied
     * @throws dev.engram.pool.OutOfBoundsException if the destination lies outside the mapping
     */
    void putSegment(long offset, MemorySegment src);

    /**
     * Copies {@code length} bytes inside the medium; the ranges may overlap.
     *
     * Not durable until flushed and drained.
     *
     * @param srcOffset pool offset of the first byte read
     * @param dstOffset pool offset of the first byte written
     * @param length    bytes to copy
     * @throws dev.engram.pool.OutOfBoundsException if either range lies outside the mapping
     */
    void copy(long srcOffset, long dstOffset, long length);

    /**
     * Sets {@code length} bytes at {@code offset} to {@code value}.
     *
     * Not durable until flushed and drained.
     *
     * @param offset pool offset of the first byte
     * @param length bytes to set
     * @param value  the byte written to each
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     */
    void fill(long offset, long length, byte value);

    /**
     * Starts making {@code [offset, offset + length)} durable. No ordering promise until {@link #drain}.
     *
     * An empty range is a no-op. A failure here is fatal: the medium refuses further writes and drains.
     *
     * @param offset pool offset of the first byte
     * @param length bytes in the range; every cache line (or page) it touches is written back
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     * @throws dev.engram.pool.MediaErrorException  if the write-back hits a bad page
     */
    void flush(long offset, long length);

    /**
     * Like {@link #flush}, but the next drain on any thread completes it, not only the calling
     * thread's. For small words that retire a log and whose durability another thread's drain may
     * have to guarantee (a later transaction on another lane, an explicit pool drain). CPU-cache media
     * may defer the write-back itself to that drain. Costs a little on every later drain, so keep it
     * to a few recurring words, each flushed by one thread at a time.
     *
     * @param offset pool offset of the first byte
     * @param length bytes in the range, positive
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     */
    default void flushShared(long offset, long length) {
        flush(offset, length);
    }

    /**
     * {@link #flushShared(long, long)} for a write-back that only changes to the guard range
     * {@code [guardOffset, guardOffset + guardLength)} must wait for: a drain by another thread that
     * declares, through {@link #drainBeforeChanging}, that it will change nothing in the guard may
     * leave it pending. For a log-retire word, the guard is every range the log would roll back: a
     * recovery that finds the log still valid writes only there. Media without per-thread drains
     * ignore the guard.
     *
     * @param offset      pool offset of the first byte
     * @param length      bytes in the range, positive
     * @param guardOffset first byte of the guard
     * @param guardLength bytes in the guard, not negative
     * @throws dev.engram.pool.OutOfBoundsException if the range lies outside the mapping
     */
    default void flushShared(long offset, long length, long guardOffset, long guardLength) {
        flushShared(offset, length);
    }

    /**
     * Waits until every range this thread flushed, and every range any thread flushed with
     * {@link #flushShared}, is durable (the fence; see the class comment for the threading rule).
     */
    void drain();

    /**
     * A drain for a caller that will next change only {@code [offset, offset + length)} (length 0:
     * nothing): like {@link #drain}, except that a range another thread flushed with
     * {@link #flushShared(long, long, long, long)} under a guard that does not overlap this range may
     * stay in flight. Everything this thread flushed, shared or not, is durable when it returns.
     *
     * <p>Why it exists: two threads committing on two lanes each leave a log-retire word for any
     * thread's next drain; a full drain writes back the other core's word on every transaction,
     * pulling a line that core keeps writing. A transaction that is about to change its own ranges
     * only needs the retire words guarding those ranges.
     *
     * @param offset pool offset of the first byte the caller will change
     * @param length bytes the caller will change, not negative
     */
    default void drainBeforeChanging(long offset, long length) {
        drain();
    }

    /**
     * {@link #flush} then {@link #drain}.
     *
     * @param offset pool offset of the first byte
     * @param length bytes in the range
     */
    default void persist(long offset, long length) {
        flush(offset, length);
        drain();
    }

    /**
     * Copies inside the medium and makes the destination durable.
     *
     * @param srcOffset pool offset of the first byte read
     * @param dstOffset pool offset of the first byte written
     * @param length    bytes to copy and persist
     */
    default void copyPersist(long srcOffset, long dstOffset, long length) {
        copy(srcOffset, dstOffset, length);
        persist(dstOffset, length);
    }

    /**
     * Stores {@code src} and makes it durable.
     *
     * @param offset   pool offset of the first byte written
     * @param src      the source array
     * @param srcIndex index in {@code src} of the first byte
     * @param length   bytes to store and persist
     */
    default void putBytesPersist(long offset, byte[] src, int srcIndex, int length) {
        putBytes(offset, src, srcIndex, length);
        persist(offset, length);
    }

    /**
     * Fills a range and makes it durable.
     *
     * @param offset pool offset of the first byte
     * @param length bytes to set and persist
     * @param value  the byte written to each
     */
    default void fillPersist(long offset, long length, byte value) {
        fill(offset, length, value);
        persist(offset, length);
    }

    /**
     * Stores one 8-byte word and makes it durable: the publication step of every log.
     *
     * @param offset pool offset of the word, 8-byte aligned so that the store cannot tear
     * @param value  the value
     */
    default void putLongPersist(long offset, long value) {
        putLong(offset, value);
        persist(offset, Long.BYTES);
    }

    /**
     * Extends the medium to {@code newSize} bytes (the file grows, the mapping follows). Offsets stay
     * valid; segments handed out before stay valid and coherent. Never shrinks.
     *
     * @param newSize the new size in bytes, not below {@link #size()}
     */
    void grow(long newSize);

    /**
     * Deterministic counters of flushes, drains, write-backs and msyncs.
     *
     * @return this medium's counters, live (they keep counting)
     */
    MediumCounters counters();

    /** Unmaps. Later accesses fail with {@link dev.engram.pool.PoolClosedException}. */
    @Override
    void close();
}
