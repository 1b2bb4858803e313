package dev.engram.crashtest;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * What a {@link TracingMedium} recorded: the base image (the medium's contents when tracing began)
 * and the program-ordered events that followed. Immutable once built.
 *
 * <p>Storage is a handful of primitive arrays, not an object per event, so that a trace of 10^5
 * operations costs a few megabytes. Each event has a kind, two long arguments and, for stores, the
 * index of its first granule record:
 *
 * <pre>
 * kind   | arg0        | arg1    | granules
 * STORE  | offset      | length  | the 8-byte-aligned granules it touched, each with its value after the store
 * FLUSH  | offset      | length  | -
 * DRAIN  | -           | -       | -
 * GROW   | new size    | -       | -
 * </pre>
 *
 * <p>A granule record holds the whole aligned 8-byte word as it was right after the store: a store
 * of 1..7 bytes, an unaligned store and a bulk store all become one or more full-word writes. That
 * is what the crash engine persists, so it never invents bytes that were never in the cache line,
 * and the stored bytes themselves are recoverable from the words (for the pmreorder export).
 */
public final class Trace {
    /** Granule size: the unit x86 persists atomically (an aligned 8-byte store). */
    public static final int GRANULE = Long.BYTES;

    /** Event kind: a store of {@code length} bytes at {@code offset}. */
    public static final byte STORE = 1;
    /** Event kind: a flush of {@code [offset, offset + length)}. */
    public static final byte FLUSH = 2;
    /** Event kind: a drain, the fence; each one is a crash point. */
    public static final byte DRAIN = 3;
    /** Event kind: the medium grew to the size in {@code offset}. */
    public static final byte GROW = 4;

    static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment base;
    private final byte[] kinds;
    private final long[] arg0;
    private final long[] arg1;
    private final int[] firstGranule;
    private final int eventCount;
    private final long[] granuleOffsets;
    private final long[] granuleValues;
    private final int granuleCount;
    private final int drainCount;
    private final long finalSize;

    Trace(MemorySegment base, byte[] kinds, long[] arg0, long[] arg1, int[] firstGranule, int eventCount,
          long[] granuleOffsets, long[] granuleValues, int granuleCount) {
        this.base = base.asReadOnly();
        this.kinds = kinds;
        this.arg0 = arg0;
        this.arg1 = arg1;
        this.firstGranule = firstGranule;
        this.eventCount = eventCount;
        this.granuleOffsets = granuleOffsets;
        this.granuleValues = granuleValues;
        this.granuleCount = granuleCount;
        int drains = 0;
        long size = base.byteSize();
        for (int i = 0; i < eventCount; i++) {
            if (kinds[i] == DRAIN) {
                drains++;
            } else if (kinds[i] == GROW) {
                size = Math.max(size, arg0[i]);
            }
        }
        this.drainCount = drains;
        this.finalSize = size;
    }

    /** {@return the medium's contents when tracing began, read-only} */
    public MemorySegment base() {
        return base;
    }

    /** {@return the size in bytes of the medium when tracing began} */
    public long baseSize() {
        return base.byteSize();
    }

    /** {@return the largest size in bytes the medium reached (grows included)} */
    public long finalSize() {
        return finalSize;
    }

    /** {@return the number of events recorded} */
    public int eventCount() {
        return eventCount;
    }

    /** {@return the number of drains} The trace has {@code drainCount() + 1} crash points. */
    public int drainCount() {
        return drainCount;
    }

    /** {@return the number of granule records of all stores together} */
    public int granuleCount() {
        return granuleCount;
    }

    /**
     * {@link #STORE}, {@link #FLUSH}, {@link #DRAIN} or {@link #GROW}.
     *
     * @param event the event index, {@code 0 <= event < eventCount()}
     * @return the event's kind
     */
    public byte kind(int event) {
        return kinds[event];
    }

    /**
     * Offset of a store or flush; new size of a grow.
     *
     * @param event the event index, {@code 0 <= event < eventCount()}
     * @return the pool offset of a store or flush, the new size of a grow, 0 for a drain
     */
    public long offset(int event) {
        return arg0[event];
    }

    /**
     * Length in bytes of a store or flush.
     *
     * @param event the event index, {@code 0 <= event < eventCount()}
     * @return the length, 0 for a drain or grow
     */
    public long length(int event) {
        return arg1[event];
    }

    /**
     * Index of the first granule record of a store event.
     *
     * @param event the index of a {@link #STORE} event
     * @return the granule index, {@code 0 <= index < granuleCount()}
     */
    public int firstGranule(int event) {
        return firstGranule[event];
    }

    /**
     * Number of granule records of a store event.
     *
     * @param event the index of a {@link #STORE} event
     * @return how many aligned 8-byte words the store touched
     */
    public int granulesOf(int event) {
        long offset = arg0[event];
        long end = offset + arg1[event];
        return (int) ((alignUp(end) - alignDown(offset)) / GRANULE);
    }

    /**
     * Aligned pool offset of a granule record.
     *
     * @param granule the granule index, {@code 0 <= granule < granuleCount()}
     * @return the 8-byte-aligned pool offset of the word
     */
    public long granuleOffset(int granule) {
        return granuleOffsets[granule];
    }

    /**
     * The whole aligned word right after the store that produced this record.
     *
     * @param granule the granule index, {@code 0 <= granule < granuleCount()}
     * @return the word's value, as the 8 bytes at {@link #granuleOffset} read little-endian
     */
    public long granuleValue(int granule) {
        return granuleValues[granule];
    }

    static long alignDown(long offset) {
        return offset & -GRANULE;
    }

    static long alignUp(long offset) {
        return (offset + GRANULE - 1) & -GRANULE;
    }

    // raw arrays for TraceFile, which writes them as they are
    byte[] kinds() {
        return kinds;
    }

    long[] arg0() {
        return arg0;
    }

    long[] arg1() {
        return arg1;
    }

    int[] firstGranules() {
        return firstGranule;
    }

    long[] granuleOffsets() {
        return granuleOffsets;
    }

    long[] granuleValues() {
        return granuleValues;
    }

    @Override
    public String toString() {
        return "Trace[baseSize=" + baseSize() + ", events=" + eventCount + ", granules=" + granuleCount
                + ", drains=" + drainCount + "]";
    }
}
