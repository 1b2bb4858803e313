package dev.engram.allocator;

import dev.engram.pool.Bits;
import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumCounters;
import dev.engram.pool.medium.MediumKind;
import dev.engram.pool.medium.MemoryMedium;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-scope medium that forwards to a {@link MemoryMedium} and records every store (offset and
 * the bytes stored), flush and drain, so that crash images can be rebuilt: at drain {@code k} the
 * durable state is the base image plus every store that a flush covered before drain {@code k}.
 * Stand-in for the crashtest module's engine until it is available.
 */
final class RecordingMedium implements Medium {
    record Store(long offset, byte[] bytes) {
    }

    private final MemoryMedium live;
    private final byte[] base;
    final List<Store> stores = new ArrayList<>();
    /** For each store, the drain (1-based) that made it durable, or 0. */
    private final List<Integer> durableAt = new ArrayList<>();
    private final List<Integer> pending = new ArrayList<>();
    private final List<Integer> flushed = new ArrayList<>();
    /** Stores issued before each drain (index = drain - 1). */
    final List<Integer> storesAtDrain = new ArrayList<>();

    RecordingMedium(MemoryMedium live) {
        this.live = live;
        this.base = live.segmentForHarness().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    int drains() {
        return storesAtDrain.size();
    }

    /** The image after drain {@code drain}: durable stores only, or every store issued so far. */
    MemoryMedium image(int drain, boolean allIssued) {
        final MemoryMedium m = MemoryMedium.allocate(base.length);
        m.putBytes(0, base, 0, base.length);
        final int limit = drain == 0 ? 0 : storesAtDrain.get(drain - 1);
        for (int i = 0; i < stores.size(); i++) {
            final boolean include = allIssued ? i < limit : durableAt.get(i) != 0 && durableAt.get(i) <= drain;
            if (include) {
                final Store s = stores.get(i);
                m.putBytes(s.offset, s.bytes, 0, s.bytes.length);
            }
        }
        return m;
    }

    private void record(long offset, long length) {
        final byte[] bytes = new byte[(int) length];
        live.getBytes(offset, bytes, 0, (int) length);
        stores.add(new Store(offset, bytes));
        durableAt.add(0);
        pending.add(stores.size() - 1);
    }

    @Override
    public void flush(long offset, long length) {
        live.flush(offset, length);
        final long lo = Bits.alignDown(offset, Bits.CACHE_LINE);
        final long hi = Bits.alignUp(offset + length, Bits.CACHE_LINE);
        pending.removeIf(i -> {
            final Store s = stores.get(i);
            if (s.offset >= lo && s.offset + s.bytes.length <= hi) {
                flushed.add(i);
                return true;
            }
            return false;
        });
    }

    @Override
    public void drain() {
        live.drain();
        storesAtDrain.add(stores.size());
        for (int i : flushed) {
            durableAt.set(i, storesAtDrain.size());
        }
        flushed.clear();
    }

    @Override
    public void putByte(long offset, byte value) {
        live.putByte(offset, value);
        record(offset, 1);
    }

    @Override
    public void putShort(long offset, short value) {
        live.putShort(offset, value);
        record(offset, 2);
    }

    @Override
    public void putInt(long offset, int value) {
        live.putInt(offset, value);
        record(offset, 4);
    }

    @Override
    public void putLong(long offset, long value) {
        live.putLong(offset, value);
        record(offset, 8);
    }

    @Override
    public void putBytes(long offset, byte[] src, int srcIndex, int length) {
        live.putBytes(offset, src, srcIndex, length);
        record(offset, length);
    }

    @Override
    public void putSegment(long offset, MemorySegment src) {
        live.putSegment(offset, src);
        record(offset, src.byteSize());
    }

    @Override
    public void copy(long srcOffset, long dstOffset, long length) {
        live.copy(srcOffset, dstOffset, length);
        record(dstOffset, length);
    }

    @Override
    public void fill(long offset, long length, byte value) {
        live.fill(offset, length, value);
        record(offset, length);
    }

    @Override
    public void grow(long newSize) {
        throw new UnsupportedOperationException("crash scenarios run on a fixed-size heap");
    }

    @Override
    public MediumCounters counters() {
        return live.counters();
    }

    @Override
    public void close() {
        live.close();
    }

    @Override
    public long size() {
        return live.size();
    }

    @Override
    public byte getByte(long offset) {
        return live.getByte(offset);
    }

    @Override
    public short getShort(long offset) {
        return live.getShort(offset);
    }

    @Override
    public int getInt(long offset) {
        return live.getInt(offset);
    }

    @Override
    public long getLong(long offset) {
        return live.getLong(offset);
    }

    @Override
    public void getBytes(long offset, byte[] dst, int dstIndex, int length) {
        live.getBytes(offset, dst, dstIndex, length);
    }

    @Override
    public MemorySegment readOnlySlice(long offset, long length) {
        return live.readOnlySlice(offset, length);
    }

    @Override
    public int crc32c(long offset, long length) {
        return live.crc32c(offset, length);
    }

    @Override
    public MediumKind kind() {
        return live.kind();
    }
}
