package dev.engram.tx;

import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumCounters;
import dev.engram.pool.medium.MediumKind;
import dev.engram.pool.medium.MediumReader;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The {@link Medium} a read-only pool hands to the layers that take one (the heap, the object API,
 * collections): reads go to the pool's read-only view, and every store, flush, drain or growth is
 * refused with a {@link ReadOnlyPoolException} naming the file, before anything reaches the mapping.
 *
 * <p>Thread safety: as the underlying reader's (safe for concurrent reads).
 */
final class ReadOnlyMedium implements Medium {
    private final MediumReader reader;
    private final Path path;
    private final MediumCounters counters = new MediumCounters();

    ReadOnlyMedium(MediumReader reader, Path path) {
        this.reader = reader;
        this.path = path;
    }

    private ReadOnlyPoolException refused(String what) {
        return new ReadOnlyPoolException("pool " + path + " was opened read-only: " + what
                + " refused; open it without PoolOptions.withReadOnly(true) to change it");
    }

    private ReadOnlyPoolException refusedStore(long offset, long length) {
        return refused("a store of " + length + " bytes at offset=" + offset);
    }

    @Override
    public long size() {
        return reader.size();
    }

    @Override
    public byte getByte(long offset) {
        return reader.getByte(offset);
    }

    @Override
    public short getShort(long offset) {
        return reader.getShort(offset);
    }

    @Override
    public int getInt(long offset) {
        return reader.getInt(offset);
    }

    @Override
    public long getLong(long offset) {
        return reader.getLong(offset);
    }

    @Override
    public void getBytes(long offset, byte[] dst, int dstIndex, int length) {
        reader.getBytes(offset, dst, dstIndex, length);
    }

    @Override
    public MemorySegment readOnlySlice(long offset, long length) {
        return reader.readOnlySlice(offset, length);
    }

    @Override
    public int crc32c(long offset, long length) {
        return reader.crc32c(offset, length);
    }

    @Override
    public MediumKind kind() {
        return reader.kind();
    }

    @Override
    public void putByte(long offset, byte value) {
        throw refusedStore(offset, Byte.BYTES);
    }

    @Override
    public void putShort(long offset, short value) {
        throw refusedStore(offset, Short.BYTES);
    }

    @Override
    public void putInt(long offset, int value) {
        throw refusedStore(offset, Integer.BYTES);
    }

    @Override
    public void putLong(long offset, long value) {
        throw refusedStore(offset, Long.BYTES);
    }

    @Override
    public void putBytes(long offset, byte[] src, int srcIndex, int length) {
        throw refusedStore(offset, length);
    }

    @Override
    public void putSegment(long offset, MemorySegment src) {
        throw refusedStore(offset, src.byteSize());
    }

    @Override
    public void copy(long srcOffset, long dstOffset, long length) {
        throw refusedStore(dstOffset, length);
    }

    @Override
    public void fill(long offset, long length, byte value) {
        throw refusedStore(offset, length);
    }

    @Override
    public void flush(long offset, long length) {
        throw refused("a flush of " + length + " bytes at offset=" + offset);
    }

    @Override
    public void drain() {
        throw refused("a drain");
    }

    @Override
    public void grow(long newSize) {
        throw refused("growing to " + newSize + " bytes");
    }

    /** Always zero: nothing is ever flushed or drained through this medium. */
    @Override
    public MediumCounters counters() {
        return counters;
    }

    /** Nothing to release: the pool owns the mapping. */
    @Override
    public void close() {
    }
}
