package dev.engram.tx;

import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumCounters;
import dev.engram.pool.medium.MediumKind;
import dev.engram.pool.medium.MemoryMedium;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A medium over a {@link MemoryMedium} that records every store (split into aligned 8-byte pieces,
 * the x86 atomicity unit), flush and drain, for {@link CrashSim}. Test-only stand-in until the
 * crashtest module's tracing medium is available.
 */
final class RecordingMedium implements Medium {
    sealed interface Event permits Store, Flush, Drain {
    }

    record Store(long offset, byte[] bytes) implements Event {
    }

    record Flush(long offset, long length) implements Event {
    }

    record Drain() implements Event {
    }

    private final MemoryMedium inner;
    private final List<Event> events = new ArrayList<>();
    private boolean recording;
    private byte[] base;

    RecordingMedium(MemoryMedium inner) {
        this.inner = inner;
    }

    static RecordingMedium over(byte[] image) {
        MemoryMedium m = MemoryMedium.allocate(image.length);
        m.segmentForHarness().copyFrom(MemorySegment.ofArray(image));
        return new RecordingMedium(m);
    }

    /** Starts recording; the current bytes become the base image. */
    synchronized void start() {
        base = inner.segmentForHarness().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        events.clear();
        recording = true;
    }

    synchronized List<Event> stop() {
        recording = false;
        return List.copyOf(events);
    }

    byte[] base() {
        return base;
    }

    byte[] bytes() {
        return inner.segmentForHarness().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    private synchronized void stored(long offset, long length) {
        if (!recording || length <= 0) {
            return;
        }
        long end = offset + length;
        long pos = offset;
        while (pos < end) {
            long next = Math.min(end, (pos & ~7L) + 8);
            byte[] b = new byte[(int) (next - pos)];
            inner.getBytes(pos, b, 0, b.length);
            events.add(new Store(pos, b));
            pos = next;
        }
    }

    @Override public long size() { return inner.size(); }
    @Override public byte getByte(long o) { return inner.getByte(o); }
    @Override public short getShort(long o) { return inner.getShort(o); }
    @Override public int getInt(long o) { return inner.getInt(o); }
    @Override public long getLong(long o) { return inner.getLong(o); }
    @Override public void getBytes(long o, byte[] d, int i, int l) { inner.getBytes(o, d, i, l); }
    @Override public MemorySegment readOnlySlice(long o, long l) { return inner.readOnlySlice(o, l); }
    @Override public int crc32c(long o, long l) { return inner.crc32c(o, l); }
    @Override public MediumKind kind() { return inner.kind(); }

    @Override public void putByte(long o, byte v) { inner.putByte(o, v); stored(o, 1); }
    @Override public void putShort(long o, short v) { inner.putShort(o, v); stored(o, 2); }
    @Override public void putInt(long o, int v) { inner.putInt(o, v); stored(o, 4); }
    @Override public void putLong(long o, long v) { inner.putLong(o, v); stored(o, 8); }
    @Override public void putBytes(long o, byte[] s, int i, int l) { inner.putBytes(o, s, i, l); stored(o, l); }
    @Override public void putSegment(long o, MemorySegment s) { inner.putSegment(o, s); stored(o, s.byteSize()); }
    @Override public void copy(long s, long d, long l) { inner.copy(s, d, l); stored(d, l); }
    @Override public void fill(long o, long l, byte v) { inner.fill(o, l, v); stored(o, l); }

    @Override
    public synchronized void flush(long o, long l) {
        inner.flush(o, l);
        if (recording) {
            events.add(new Flush(o, l));
        }
    }

    @Override
    public synchronized void drain() {
        inner.drain();
        if (recording) {
            events.add(new Drain());
        }
    }

    @Override public void grow(long newSize) { throw new UnsupportedOperationException("recording medium does not grow"); }
    @Override public MediumCounters counters() { return inner.counters(); }
    @Override public void close() { inner.close(); }
}
