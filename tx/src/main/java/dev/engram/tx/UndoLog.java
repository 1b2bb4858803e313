package dev.engram.tx;

import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.medium.Medium;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import static dev.engram.tx.UndoLogLayout.*;

/**
 * The undo log of one lane: its format and nothing else (append, restore, invalidate, recover).
 * What is logged when, and when the log is drained, is {@link Transaction}'s business.
 *
 * <p>Persistence order: {@link #append} copies the data, then writes the entry header with its
 * checksum, and flushes both without draining; the caller drains once before the range changes.
 * {@link #invalidate} is one 8-byte store of the next generation, flushed and not drained: every
 * entry checksummed with the old generation is retired once that store is durable. That flush is
 * guarded by the span of the saved ranges ({@link Medium#flushShared(long, long, long, long)}).
 *
 * <p>Thread safety: none; a log belongs to one lane, which has one owner at a time.
 */
public final class UndoLog extends LanePadding {
    private static final int COPY_CHUNK = 1024;
    private final Medium medium;
    private final long base;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer scratch = ByteBuffer.allocate(CHECKSUM_INPUT).order(ByteOrder.LITTLE_ENDIAN);
    /** Saved bytes pass through here on their way into the log (see {@link #writeEntry}). */
    private final byte[] copyBuffer = new byte[COPY_CHUNK];
    private final CRC32C dataCrc = new CRC32C();

    /** Buffer bases and ends: index 0 is the inline log, then the overflow chain. */
    private long[] bufferBase = new long[4];
    private long[] bufferEnd = new long[4];
    private int bufferCount;
    private int current;
    private long position;
    private long generation;
    private long[] appended = new long[16];
    private int appendedCount;
    /** The span of the ranges the appended entries save: what a recovery of this log could write. */
    private long savedStart = Long.MAX_VALUE;
    private long savedEnd = Long.MIN_VALUE;

    private UndoLog(Medium medium, long base, long size) {
        this.medium = medium;
        this.base = base;
        bufferBase[0] = base;
        bufferEnd[0] = base + size;
        bufferCount = 1;
    }

    /**
     * Formats an empty log at {@code base} (generation 1, no overflow) and persists it.
     *
     * @param medium the pool's medium
     * @param base   pool offset of the lane's undo region
     * @param size   bytes in the undo region
     * @return the empty log
     */
    public static UndoLog format(Medium medium, long base, long size) {
        medium.fill(base, HEADER_LENGTH, (byte) 0);
        medium.putLong(generationOffset(base), 1);
        medium.persist(base, HEADER_LENGTH);
        UndoLog log = new UndoLog(medium, base, size);
        log.generation = 1;
        log.reset();
        return log;
    }

    /**
     * Opens a recovered log, loading its overflow chain; pointers read from the pool are checked
     * against {@code [heapStart, heapEnd)}.
     *
     * @param medium    the pool's medium
     * @param base      pool offset of the lane's undo region
     * @param size      bytes in the undo region
     * @param heapStart lowest pool offset an overflow buffer may have
     * @param heapEnd   end of the heap, exclusive
     * @return the log, empty, with its overflow buffers known
     * @throws dev.engram.pool.PoolCorruptedException if an overflow pointer or capacity is invalid
     */
    public static UndoLog open(Medium medium, long base, long size, long heapStart, long heapEnd) {
        UndoLog log = new UndoLog(medium, base, size);
        log.generation = medium.getLong(generationOffset(base));
        long next = medium.getLong(firstOverflowOffset(base));
        while (next != 0) {
            long capacity = checkBuffer(medium, base, next, heapStart, heapEnd);
            log.addBuffer(next, capacity);
            next = medium.getLong(nextOverflowOffset(next));
        }
        log.reset();
        return log;
    }

    private static long checkBuffer(Medium medium, long logBase, long buffer, long heapStart, long heapEnd) {
        if (buffer < heapStart || buffer >= heapEnd || (buffer & 7) != 0) {
            throw new PoolCorruptedException("undo log at offset=" + logBase + ": overflow buffer pointer " + buffer
                    + " lies outside the heap [" + heapStart + ", " + heapEnd + "); run check --repair");
        }
        long capacity = medium.getLong(capacityOffset(buffer));
        if (!isValidCapacity(capacity) || capacity > heapEnd - buffer) {
            throw new PoolCorruptedException("undo log at offset=" + logBase + ": overflow buffer at offset=" + buffer
                    + " has capacity " + capacity + ", expected " + MIN_BUFFER + ".." + (heapEnd - buffer));
        }
        return capacity;
    }

    private void addBuffer(long buffer, long capacity) {
        if (bufferCount == bufferBase.length) {
            bufferBase = java.util.Arrays.copyOf(bufferBase, bufferCount * 2);
            bufferEnd = java.util.Arrays.copyOf(bufferEnd, bufferCount * 2);
        }
        bufferBase[bufferCount] = buffer;
        bufferEnd[bufferCount] = buffer + capacity;
        bufferCount++;
    }

    /** {@return the current generation: the one new entries are checksummed with} */
    public long generation() {
        return generation;
    }

    /** {@return the pool offset of the generation word} */
    public long generationWord() {
        return generationOffset(base);
    }

    /** {@return the number of entries appended since the last {@link #reset}} */
    public int appendedCount() {
        return appendedCount;
    }

    /** Forgets the appended entries (volatile): the next append starts at the inline log's first entry. */
    public void reset() {
        current = 0;
        position = base + HEADER_LENGTH;
        appendedCount = 0;
        savedStart = Long.MAX_VALUE;
        savedEnd = Long.MIN_VALUE;
    }

    /**
     * Appends entries saving {@code [target, target + length)}, splitting the range over buffers.
     * Flushes, never drains. Returns the bytes saved: less than {@code length} when the buffers are
     * full, and the caller must {@link #prepareOverflow link} another buffer and call again.
     *
     * @param target pool offset of the range to save
     * @param length bytes to save, positive
     * @return bytes saved, from the start of the range
     */
    public long append(long target, long length) {
        long saved = 0;
        while (saved < length) {
            long space = bufferEnd[current] - position;
            long fit = Math.min(length - saved, maxDataFor(space));
            if (fit <= 0) {
                if (current + 1 == bufferCount) {
                    return saved;
                }
                current++;
                position = bufferBase[current] + HEADER_LENGTH;
                continue;
            }
            writeEntry(position, target + saved, (int) fit);
            position += entrySize(fit);
            saved += fit;
        }
        return saved;
    }

    /**
     * Copies the range into the log through a heap buffer and checksums it there: the saved bytes are
     * read from the pool once, and the checksum never reads back log lines just stored (their stores
     * may still be waiting for a line the previous write-back evicted).
     */
    private void writeEntry(long entry, long target, int length) {
        long data = entry + ENTRY_DATA_OFFSET;
        dataCrc.reset();
        for (int done = 0; done < length; ) {
            int n = Math.min(length - done, copyBuffer.length);
            medium.getBytes(target + done, copyBuffer, 0, n);
            dataCrc.update(copyBuffer, 0, n);
            medium.putBytes(data + done, copyBuffer, 0, n);
            done += n;
        }
        int padded = (int) (entrySize(length) - ENTRY_DATA_OFFSET);
        if (padded > length) {
            medium.fill(data + length, padded - length, (byte) 0);
        }
        int checksum = checksum(generation, target, length, (int) dataCrc.getValue());
        medium.putLong(entry + ENTRY_TARGET_OFFSET, target);
        medium.putInt(entry + ENTRY_LENGTH_OFFSET, length);
        medium.putInt(entry + ENTRY_CHECKSUM_OFFSET, checksum);
        medium.flush(entry, ENTRY_DATA_OFFSET + padded);
        if (appendedCount == appended.length) {
            appended = java.util.Arrays.copyOf(appended, appendedCount * 2);
        }
        appended[appendedCount++] = entry;
        savedStart = Math.min(savedStart, target);
        savedEnd = Math.max(savedEnd, target + length);
    }

    /**
     * The entry checksum: generation, this log's base, target, length and the data's CRC. The base
     * ties an entry to its lane: an overflow buffer freed by one lane and linked later by another
     * still holds the first lane's entries, and their generation may well be the second lane's.
     */
    private int checksum(long gen, long target, int length, int dataCrc) {
        scratch.clear();
        scratch.putLong(gen).putLong(base).putLong(target).putInt(length).putInt(dataCrc);
        crc.reset();
        crc.update(scratch.array(), 0, CHECKSUM_INPUT);
        return (int) crc.getValue();
    }

    /**
     * Writes the header of a new overflow buffer at {@code buffer} (a reserved, unpublished block)
     * and persists it; the caller then publishes the block with the pointer returned by
     * {@link #tailPointer()} set to {@code buffer}, and calls {@link #linkOverflow}.
     *
     * @param buffer   pool offset of the reserved block
     * @param capacity bytes of the block the log may use, a multiple of 8
     */
    public void prepareOverflow(long buffer, long capacity) {
        medium.fill(buffer, HEADER_LENGTH, (byte) 0);
        medium.putLong(capacityOffset(buffer), capacity);
        medium.persist(buffer, HEADER_LENGTH);
    }

    /** {@return the pool offset of the pointer a new overflow buffer is linked through} */
    public long tailPointer() {
        return overflowLink(overflowCount());
    }

    /**
     * Records a published overflow buffer in the volatile chain.
     *
     * @param buffer   the buffer's pool offset, now published
     * @param capacity bytes of the buffer the log may use
     */
    public void linkOverflow(long buffer, long capacity) {
        addBuffer(buffer, capacity);
    }

    /** {@return the number of overflow buffers linked to this log (the inline log not counted)} */
    public int overflowCount() {
        return bufferCount - 1;
    }

    /**
     * {@return the pool offset of overflow buffer {@code i}}
     *
     * @param i the buffer's index, 0 for the first one linked
     * @throws IndexOutOfBoundsException if there is no buffer {@code i}
     */
    public long overflowBuffer(int i) {
        return bufferBase[checkOverflowIndex(i) + 1];
    }

    /**
     * {@return the capacity of overflow buffer {@code i}, header included}
     *
     * @param i the buffer's index, 0 for the first one linked
     * @throws IndexOutOfBoundsException if there is no buffer {@code i}
     */
    public long overflowCapacity(int i) {
        int b = checkOverflowIndex(i) + 1;
        return bufferEnd[b] - bufferBase[b];
    }

    /**
     * Pool offset of the pointer that links overflow buffer {@code i}: the log header's first-overflow
     * word for {@code i == 0}, else the next word of buffer {@code i - 1}. Storing 0 there unlinks
     * buffer {@code i} and every buffer after it.
     *
     * @param i the buffer's index, from 0 to {@link #overflowCount()} (the tail pointer)
     * @return the pool offset of the link word
     * @throws IndexOutOfBoundsException if {@code i} is out of that range
     */
    public long overflowLink(int i) {
        if (i < 0 || i > overflowCount()) {
            throw new IndexOutOfBoundsException("overflow link " + i + " of " + overflowCount() + " buffers");
        }
        return i == 0 ? firstOverflowOffset(base) : nextOverflowOffset(bufferBase[i]);
    }

    private int checkOverflowIndex(int i) {
        if (i < 0 || i >= overflowCount()) {
            throw new IndexOutOfBoundsException("overflow buffer " + i + " of " + overflowCount());
        }
        return i;
    }

    /**
     * Forgets overflow buffers {@code from} and later (volatile), after the caller durably unlinked
     * them through {@link #overflowLink overflowLink(from)}. Only between transactions.
     *
     * @param from index of the first buffer to forget
     * @throws IndexOutOfBoundsException if {@code from} is not between 0 and {@link #overflowCount()}
     * @throws IllegalStateException     if the log holds entries of a running transaction
     */
    public void truncateOverflow(int from) {
        if (from < 0 || from > overflowCount()) {
            throw new IndexOutOfBoundsException("overflow buffer " + from + " of " + overflowCount());
        }
        if (appendedCount != 0) {
            throw new IllegalStateException("undo log at offset=" + base + " still holds " + appendedCount
                    + " entries of a running transaction; retire it before unlinking overflow buffers");
        }
        bufferCount = from + 1;
        reset();
    }

    /** Copies every appended entry back to its range, newest first, flushing; no drain. */
    public void restoreAppended() {
        for (int i = appendedCount - 1; i >= 0; i--) {
            long entry = appended[i];
            long target = medium.getLong(entry + ENTRY_TARGET_OFFSET);
            int length = medium.getInt(entry + ENTRY_LENGTH_OFFSET);
            medium.copy(entry + ENTRY_DATA_OFFSET, target, length);
            medium.flush(target, length);
        }
    }

    /**
     * Stores the next generation and flushes it for any thread's next drain ({@code flushShared}),
     * without a drain; resets the volatile state. The flush is guarded by the span of the ranges the
     * entries saved: only a later change there could be undone by a recovery that still finds this
     * generation's entries valid, so only a drain before such a change must complete it.
     */
    public void invalidate() {
        generation++;
        medium.putLong(generationOffset(base), generation);
        if (appendedCount == 0) {
            medium.flushShared(generationOffset(base), Long.BYTES);
        } else {
            medium.flushShared(generationOffset(base), Long.BYTES, savedStart, savedEnd - savedStart);
        }
        reset();
    }

    /**
     * Adopts a generation stored by someone else (the heap's redo log at commit).
     *
     * @param gen the generation now durable in the generation word
     */
    public void generationPublished(long gen) {
        generation = gen;
        reset();
    }

    // ---- recovery ---------------------------------------------------------------------------

    /**
     * Rolls back the log at {@code base}: {@link #open} then {@link #recover(long, long)}.
     *
     * @param medium    the pool's medium
     * @param base      pool offset of the lane's undo region
     * @param size      bytes in the undo region
     * @param minTarget lowest pool offset an entry may restore
     * @param maxTarget end of the restorable range, exclusive
     * @param heapStart lowest pool offset an overflow buffer may have
     * @param heapEnd   end of the heap, exclusive
     * @return the number of entries restored, 0 for a retired log
     * @throws dev.engram.pool.PoolCorruptedException if an entry under a matching checksum, or an overflow
     *         pointer, is invalid
     */
    public static int recover(Medium medium, long base, long size, long minTarget, long maxTarget,
                              long heapStart, long heapEnd) {
        return open(medium, base, size, heapStart, heapEnd).recover(minTarget, maxTarget);
    }

    /**
     * Rolls back this (freshly opened) log: restores every entry valid under the current generation,
     * newest first, persists the ranges, then retires the log with the next generation (persisted).
     * Ranges outside {@code [minTarget, maxTarget)} are treated as corruption. Idempotent: a crash
     * before the generation store leaves the same valid entries, and restoring them again writes the
     * same bytes.
     *
     * @param minTarget lowest pool offset an entry may restore
     * @param maxTarget end of the restorable range, exclusive
     * @return the number of entries restored, 0 for a retired log
     * @throws dev.engram.pool.PoolCorruptedException if an entry under a matching checksum, or an overflow
     *         pointer, is invalid
     */
    public int recover(long minTarget, long maxTarget) {
        long[] found = validEntries(minTarget, maxTarget);
        for (int i = found.length - 1; i >= 0; i--) {
            long entry = found[i];
            long target = medium.getLong(entry + ENTRY_TARGET_OFFSET);
            int length = medium.getInt(entry + ENTRY_LENGTH_OFFSET);
            medium.copy(entry + ENTRY_DATA_OFFSET, target, length);
            medium.flush(target, length);
        }
        if (found.length > 0) {
            medium.drain();
            generation++;
            medium.putLong(generationOffset(base), generation);
            medium.persist(generationOffset(base), Long.BYTES);
        }
        reset();
        return found.length;
    }

    /**
     * Entries a recovery of this log would restore, counted without writing anything (a read-only
     * open refuses a pool where this is not zero).
     *
     * @param minTarget lowest pool offset an entry may restore
     * @param maxTarget end of the restorable range, exclusive
     * @return the number of entries valid under the current generation
     * @throws dev.engram.pool.PoolCorruptedException if an entry under a matching checksum names a range
     *         outside {@code [minTarget, maxTarget)}
     */
    public int pendingEntries(long minTarget, long maxTarget) {
        return validEntries(minTarget, maxTarget).length;
    }

    /** Offsets of the entries valid under the current generation, in append order, over every buffer. */
    private long[] validEntries(long minTarget, long maxTarget) {
        long gen = generation;
        long[] found = new long[16];
        int count = 0;
        for (int b = 0; b < bufferCount; b++) {
            long pos = bufferBase[b] + HEADER_LENGTH;
            long end = bufferEnd[b];
            while (end - pos >= ENTRY_DATA_OFFSET + 8) {
                long target = medium.getLong(pos + ENTRY_TARGET_OFFSET);
                long length = medium.getInt(pos + ENTRY_LENGTH_OFFSET) & 0xFFFF_FFFFL;
                if (length == 0 || entrySize(length) > end - pos) {
                    break;
                }
                int stored = medium.getInt(pos + ENTRY_CHECKSUM_OFFSET);
                int actual = checksum(gen, target, (int) length, medium.crc32c(pos + ENTRY_DATA_OFFSET, length));
                if (stored != actual) {
                    break;
                }
                if (target < minTarget || target > maxTarget - length) {
                    throw new PoolCorruptedException("undo log at offset=" + base + ": entry at offset=" + pos
                            + " names range [" + target + ", +" + length + ") outside [" + minTarget + ", "
                            + maxTarget + ") with a valid checksum; run check --repair");
                }
                if (count == found.length) {
                    found = java.util.Arrays.copyOf(found, count * 2);
                }
                found[count++] = pos;
                pos += entrySize(length);
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }
}
