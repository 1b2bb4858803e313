package dev.engram.allocator;

import dev.engram.pool.Bits;
import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumCounters;
import dev.engram.pool.medium.MediumKind;

import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;

/**
 * A {@link Medium} decorator that counts cache-line write-backs as CPU-cache media perform them: a
 * {@code flush} writes its lines back at once, a {@code flushShared} leaves them pending until the
 * next drain (on any thread), which writes every pending line back before its fence. A line written
 * back twice between two fences costs a second write-back latency on the machines Engram is
 * measured on, so {@link #repeats} counts those. Single-threaded use only.
 */
final class WriteBackLedger implements Medium {
    private final Medium delegate;
    /** Lines written back since the last drain. */
    private final Set<Long> epoch = new HashSet<>();
    /** Lines flushed with {@code flushShared} since the last drain. */
    private final Set<Long> pendingShared = new HashSet<>();
    private long writeBacks;
    private long repeats;
    private long drains;

    WriteBackLedger(Medium delegate) {
        this.delegate = delegate;
    }

    /** {@return lines written back so far, counting each write-back} */
    long writeBacks() {
        return writeBacks;
    }

    /** {@return write-backs of a line already written back since the last drain} */
    long repeats() {
        return repeats;
    }

    /** {@return drains so far} */
    long drains() {
        return drains;
    }

    private void writeBack(long line) {
        writeBacks++;
        if (!epoch.add(line)) {
            repeats++;
        }
    }

    @Override
    public void flush(long offset, long length) {
        delegate.flush(offset, length);
        for (long line = Bits.alignDown(offset, Bits.CACHE_LINE); line < offset + length; line += Bits.CACHE_LINE) {
            writeBack(line);
        }
    }

    @Override
    public void flushShared(long offset, long length) {
        delegate.flushShared(offset, length);
        for (long line = Bits.alignDown(offset, Bits.CACHE_LINE); line < offset + length; line += Bits.CACHE_LINE) {
            pendingShared.add(line);
        }
    }

    @Override
    public void drain() {
        delegate.drain();
        for (long line : pendingShared) {
            writeBack(line);
        }
        pendingShared.clear();
        epoch.clear();
        drains++;
    }

    @Override
    public void putByte(long offset, byte value) {
        delegate.putByte(offset, value);
    }

    @Override
    public void putShort(long offset, short value) {
        delegate.putShort(offset, value);
    }

    @Override
    public void putInt(long offset, int value) {
        delegate.putInt(offset, value);
    }

    @Override
    public void putLong(long offset, long value) {
        delegate.putLong(offset, value);
    }

    @Override
    public void putBytes(long offset, byte[] src, int srcIndex, int length) {
        delegate.putBytes(offset, src, srcIndex, length);
    }

    @Override
    public void putSegment(long offset, MemorySegment src) {
        delegate.putSegment(offset, src);
    }

    @Override
    public void copy(long srcOffset, long dstOffset, long length) {
        delegate.copy(srcOffset, dstOffset, length);
    }

    @Override
    public void fill(long offset, long length, byte value) {
        delegate.fill(offset, length, value);
    }

    @Override
    public void grow(long newSize) {
        delegate.grow(newSize);
    }

    @Override
    public MediumCounters counters() {
        return delegate.counters();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public byte getByte(long offset) {
        return delegate.getByte(offset);
    }

    @Override
    public short getShort(long offset) {
        return delegate.getShort(offset);
    }

    @Override
    public int getInt(long offset) {
        return delegate.getInt(offset);
    }

    @Override
    public long getLong(long offset) {
        return delegate.getLong(offset);
    }

    @Override
    public void getBytes(long offset, byte[] dst, int dstIndex, int length) {
        delegate.getBytes(offset, dst, dstIndex, length);
    }

    @Override
    public MemorySegment readOnlySlice(long offset, long length) {
        return delegate.readOnlySlice(offset, length);
    }

    @Override
    public int crc32c(long offset, long length) {
        return delegate.crc32c(offset, length);
    }

    @Override
    public MediumKind kind() {
        return delegate.kind();
    }
}
