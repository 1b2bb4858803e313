package dev.engram.crashtest;

import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumCounters;
import dev.engram.pool.medium.MediumKind;
import dev.engram.pool.medium.MemoryMedium;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A {@link Medium} decorator that records every store, flush, drain and grow made through it, in
 * program order, for the crash engine (DESIGN.md §6). Reads pass straight through.
 *
 * <p>On construction it copies the delegate's contents: that is the trace's base image, the state
 * every crash image starts from. Each store is performed on the delegate first (so bounds checks and
 * failures are the delegate's, and a refused store is not recorded), then recorded as the aligned
 * 8-byte words it touched, read back from the delegate. Bulk stores ({@code putBytes}, {@code copy},
 * {@code fill}) are one event with one word record per granule.
 *
 * <p>The medium's size must be a multiple of 8 so that every granule lies inside it. Mutating methods
 * are synchronized: concurrent writers are recorded in one valid interleaving, which is the program
 * order the engine assumes. {@link #close} closes the delegate; the trace stays usable.
 */
public final class TracingMedium implements Medium {
    private static final int INITIAL_EVENTS = 1024;

    private final Medium delegate;
    private final MemorySegment base;

    private byte[] kinds = new byte[INITIAL_EVENTS];
    private long[] arg0 = new long[INITIAL_EVENTS];
    private long[] arg1 = new long[INITIAL_EVENTS];
    private int[] firstGranule = new int[INITIAL_EVENTS];
    private int events;
    private long[] granuleOffsets = new long[INITIAL_EVENTS];
    private long[] granuleValues = new long[INITIAL_EVENTS];
    private int granules;

    private TracingMedium(Medium delegate) {
        long size = delegate.size();
        checkGranular(size);
        this.delegate = delegate;
        this.base = Arena.ofAuto().allocate(Math.max(size, 1), Trace.GRANULE).asSlice(0, size);
        if (size > 0) {
            base.copyFrom(delegate.readOnlySlice(0, size));
        }
    }

    /**
     * Starts tracing {@code delegate}; its current contents become the base image.
     *
     * @param delegate the medium to trace; its size must be a multiple of 8
     * @return the tracing medium; write through it, not through {@code delegate}
     * @throws IllegalArgumentException if the delegate's size is not a multiple of 8
     */
    public static TracingMedium over(Medium delegate) {
        return new TracingMedium(delegate);
    }

    /**
     * Runs {@code setup} on a fresh zeroed memory medium of {@code size} bytes, then {@code workload}
     * on a tracing medium over it, and returns the trace (base image = the state after setup).
     *
     * @param size     bytes of the memory medium, a multiple of 8
     * @param setup    builds the initial state; not traced
     * @param workload the steps to trace
     * @return the trace of {@code workload}
     * @throws Exception whatever {@code setup} or {@code workload} throws
     */
    public static Trace record(long size, MediumAction setup, MediumAction workload) throws Exception {
        try (MemoryMedium memory = MemoryMedium.allocate(size)) {
            setup.run(memory);
            TracingMedium tracing = over(memory);
            workload.run(tracing);
            return tracing.trace();
        }
    }

    /** {@return the medium being traced} */
    public Medium delegate() {
        return delegate;
    }

    /** {@return a snapshot of what was recorded so far} Later events do not change it. */
    public synchronized Trace trace() {
        return new Trace(base, Arrays.copyOf(kinds, events), Arrays.copyOf(arg0, events),
                Arrays.copyOf(arg1, events), Arrays.copyOf(firstGranule, events), events,
                Arrays.copyOf(granuleOffsets, granules), Arrays.copyOf(granuleValues, granules), granules);
    }

    /** {@return the number of events recorded so far} */
    public synchronized int eventCount() {
        return events;
    }

    private static void checkGranular(long size) {
        if (size % Trace.GRANULE != 0) {
            throw new IllegalArgumentException("a traced medium's size must be a multiple of "
                    + Trace.GRANULE + " bytes, size=" + size);
        }
    }

    // ---- recording ----------------------------------------------------------------------------

    private int addEvent(byte kind, long a0, long a1) {
        if (events == kinds.length) {
            int n = events * 2;
            kinds = Arrays.copyOf(kinds, n);
            arg0 = Arrays.copyOf(arg0, n);
            arg1 = Arrays.copyOf(arg1, n);
            firstGranule = Arrays.copyOf(firstGranule, n);
        }
        int e = events++;
        kinds[e] = kind;
        arg0[e] = a0;
        arg1[e] = a1;
        firstGranule[e] = granules;
        return e;
    }

    /** Records a store already performed on the delegate, as the aligned words it left there. */
    private void recordStore(long offset, long length) {
        if (length <= 0) {
            return;
        }
        addEvent(Trace.STORE, offset, length);
        long end = Trace.alignUp(offset + length);
        int needed = granules + (int) ((end - Trace.alignDown(offset)) / Trace.GRANULE);
        if (needed > granuleOffsets.length) {
            int n = Math.max(needed, granuleOffsets.length * 2);
            granuleOffsets = Arrays.copyOf(granuleOffsets, n);
            granuleValues = Arrays.copyOf(granuleValues, n);
        }
        for (long g = Trace.alignDown(offset); g < end; g += Trace.GRANULE) {
            granuleOffsets[granules] = g;
            granuleValues[granules] = delegate.getLong(g);
            granules++;
        }
    }

    // ---- stores -------------------------------------------------------------------------------

    @Override
    public synchronized void putByte(long offset, byte value) {
        delegate.putByte(offset, value);
        recordStore(offset, Byte.BYTES);
    }

    @Override
    public synchronized void putShort(long offset, short value) {
        delegate.putShort(offset, value);
        recordStore(offset, Short.BYTES);
    }

    @Override
    public synchronized void putInt(long offset, int value) {
        delegate.putInt(offset, value);
        recordStore(offset, Integer.BYTES);
    }

    @Override
    public synchronized void putLong(long offset, long value) {
        delegate.putLong(offset, value);
        recordStore(offset, Long.BYTES);
    }

    @Override
    public synchronized void putBytes(long offset, byte[] src, int srcIndex, int length) {
        delegate.putBytes(offset, src, srcIndex, length);
        recordStore(offset, length);
    }

    @Override
    public synchronized void putSegment(long offset, MemorySegment src) {
        delegate.putSegment(offset, src);
        recordStore(offset, src.byteSize());
    }

    @Override
    public synchronized void copy(long srcOffset, long dstOffset, long length) {
        delegate.copy(srcOffset, dstOffset, length);
        recordStore(dstOffset, length);
    }

    @Override
    public synchronized void fill(long offset, long length, byte value) {
        delegate.fill(offset, length, value);
        recordStore(offset, length);
    }

    // ---- persistence --------------------------------------------------------------------------

    @Override
    public synchronized void flush(long offset, long length) {
        delegate.flush(offset, length);
        if (length > 0) {
            addEvent(Trace.FLUSH, offset, length);
        }
    }

    /** Traced as a flush: the crash model's drains are global, so the two differ only on real CPUs. */
    @Override
    public synchronized void flushShared(long offset, long length) {
        delegate.flushShared(offset, length);
        if (length > 0) {
            addEvent(Trace.FLUSH, offset, length);
        }
    }

    @Override
    public synchronized void drain() {
        delegate.drain();
        addEvent(Trace.DRAIN, 0, 0);
    }

    @Override
    public synchronized void grow(long newSize) {
        checkGranular(newSize);
        long before = delegate.size();
        delegate.grow(newSize);
        if (delegate.size() > before) {
            addEvent(Trace.GROW, delegate.size(), 0);
        }
    }

    @Override
    public MediumCounters counters() {
        return delegate.counters();
    }

    @Override
    public void close() {
        delegate.close();
    }

    // ---- reads pass through -------------------------------------------------------------------

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
