package dev.engram.pool.medium;

import dev.engram.pool.Bits;
import dev.engram.pool.MediaErrorException;
import dev.engram.pool.OutOfBoundsException;
import dev.engram.pool.PoolClosedException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * A medium whose bytes live in one {@link MemorySegment}: the accessors, bounds checks and
 * failure translation shared by every mapped medium. Subclasses supply {@link #flush} and
 * {@link #drain}.
 *
 * <p>Failure rules: an access outside {@code [0, size)} is refused before memory is touched; a
 * SIGBUS on the mapping (the JDK's {@link InternalError}) becomes {@link MediaErrorException} with
 * the offset; an access after {@link #close} becomes {@link PoolClosedException}. After a failed
 * drain the medium is fail-stop: every later write and drain rethrows the first failure.
 *
 * <p>Limit, measured on JDK 25: once C2 has compiled an accessor into its caller, the JVM reports the
 * SIGBUS asynchronously, at the caller's next safepoint poll, outside this class's catch. The layers
 * above therefore also guard their public entry points with {@link dev.engram.pool.MediaFaults}.
 */
public abstract class SegmentMedium implements Medium {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int CRC_CHUNK = 64 << 10;

    private final MediumKind kind;
    private final MediumCounters counters = new MediumCounters();
    private final String name;
    /*
     * Two views of the mapping. The accessors read the plain field, which the JIT can keep in a
     * register across a loop; it may lag a grow on another thread, which is harmless because a grow
     * only ever publishes a larger segment and older mappings stay valid until close (a segment's own
     * fields are final, so a racy read still sees a whole one). Only when an access misses the
     * plain view is the volatile one read.
     */
    private MemorySegment segment;
    private volatile MemorySegment latest;
    // Fail-stop: the plain flag is what writes test; the volatile field carries the failure across threads.
    private boolean failed;
    private volatile RuntimeException failure;

    /**
     * Wraps a mapping; the subclass owns the mapping and unmaps it on close.
     *
     * @param kind    how stores on this medium become durable
     * @param name    what is mapped (usually the file path), for messages
     * @param segment the mapping, whose offset 0 is pool offset 0
     */
    protected SegmentMedium(MediumKind kind, String name, MemorySegment segment) {
        this.kind = kind;
        this.name = name;
        this.segment = segment;
        this.latest = segment;
    }

    @Override
    public final long size() {
        return latest.byteSize();
    }

    @Override
    public final MediumKind kind() {
        return kind;
    }

    @Override
    public final MediumCounters counters() {
        return counters;
    }

    /**
     * What this medium maps, for messages.
     *
     * @return the name given at construction, usually the file path
     */
    public final String name() {
        return name;
    }

    /**
     * The newest segment; replaced on {@link #grow}.
     *
     * @return the segment covering the whole current mapping
     */
    protected final MemorySegment segment() {
        return latest;
    }

    /**
     * Installs a larger segment after the subclass extended the backing store.
     *
     * @param larger the new mapping, covering at least the old one; the old one must stay valid until close
     */
    protected final void replaceSegment(MemorySegment larger) {
        this.latest = larger;
        this.segment = larger;
    }

    // ---- bounds and failure translation -------------------------------------------------------

    /**
     * The segment to access {@code [offset, offset + length)} through, refusing a range outside the
     * mapping. The fast path is one comparison in long arithmetic against the plain view.
     *
     * @param offset pool offset of the first byte
     * @param length bytes in the range, not negative
     * @return the segment to use, which covers the range
     * @throws OutOfBoundsException if the range is not inside {@code [0, size())}
     */
    protected final MemorySegment checkBounds(long offset, long length) {
        MemorySegment s = segment;
        if (offset < 0 || length < 0 || offset > s.byteSize() - length) {
            return checkBoundsSlow(offset, length);
        }
        return s;
    }

    private MemorySegment checkBoundsSlow(long offset, long length) {
        MemorySegment s = latest;
        segment = s;
        long size = s.byteSize();
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new OutOfBoundsException("access outside the mapping of " + name
                    + ": offset=" + offset + " length=" + length + " size=" + size);
        }
        return s;
    }

    /**
     * The JDK's "already closed" from a segment access, as the pool's typed exception.
     *
     * @param e the exception the segment access threw
     * @return the exception to throw, naming this medium
     */
    protected final PoolClosedException closed(IllegalStateException e) {
        return new PoolClosedException("medium " + name + " is closed", e);
    }

    /**
     * Translates the JDK's report of a SIGBUS on the mapping into the pool's typed exception.
     *
     * @param offset pool offset of the access that faulted
     * @param e      the {@link InternalError} the access threw
     * @return the exception to throw, naming this medium and the offset
     */
    protected final MediaErrorException mediaError(long offset, InternalError e) {
        return new MediaErrorException(offset, "media error (SIGBUS) reading or writing " + name
                + ": the page is poisoned or the file was truncated under the mapping", e);
    }

    /**
     * Records a fatal persistence failure; every later write and drain rethrows it.
     *
     * @param e the failure
     * @return {@code e}, so that callers can write {@code throw failStop(e)}
     */
    protected final RuntimeException failStop(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
        failed = true;
        return e;
    }

    /**
     * Refuses writes after a persistence failure. The failing thread sees it at once; other threads see
     * it at their next drain at the latest (which reads the volatile field), so no write of theirs is
     * made durable after the failure.
     */
    protected final void checkWritable() {
        if (failed) {
            refuseWrite();
        }
    }

    private void refuseWrite() {
        throw new PoolClosedException("medium " + name + " refused a write after an earlier persistence failure", failure);
    }

    // ---- reads --------------------------------------------------------------------------------

    @Override
    public final byte getByte(long offset) {
        MemorySegment s = checkBounds(offset, 1);
        try {
            return s.get(ValueLayout.JAVA_BYTE, offset);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final short getShort(long offset) {
        MemorySegment s = checkBounds(offset, Short.BYTES);
        try {
            return s.get(SHORT, offset);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final int getInt(long offset) {
        MemorySegment s = checkBounds(offset, Integer.BYTES);
        try {
            return s.get(INT, offset);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final long getLong(long offset) {
        MemorySegment s = checkBounds(offset, Long.BYTES);
        try {
            return s.get(LONG, offset);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void getBytes(long offset, byte[] dst, int dstIndex, int length) {
        MemorySegment s = checkBounds(offset, length);
        java.util.Objects.checkFromIndexSize(dstIndex, length, dst.length);
        try {
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset, dst, dstIndex, length);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final MemorySegment readOnlySlice(long offset, long length) {
        MemorySegment s = checkBounds(offset, length);
        try {
            return s.asSlice(offset, length).asReadOnly();
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final int crc32c(long offset, long length) {
        MemorySegment s = checkBounds(offset, length);
        CRC32C crc = new CRC32C();
        // Copy through a small heap buffer rather than handing the mapping to the CRC32C intrinsic: a
        // SIGBUS inside MemorySegment.copy becomes a catchable InternalError, inside the intrinsic's
        // stub it kills the JVM (found by the reliability fuzzing with a truncated file).
        byte[] buffer = new byte[(int) Math.min(length, CRC_CHUNK)];
        long done = 0;
        try {
            while (done < length) {
                int n = (int) Math.min(length - done, buffer.length);
                MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset + done, buffer, 0, n);
                crc.update(buffer, 0, n);
                done += n;
            }
        } catch (InternalError e) {
            throw mediaError(offset + done, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
        return (int) crc.getValue();
    }

    // ---- writes -------------------------------------------------------------------------------

    @Override
    public final void putByte(long offset, byte value) {
        MemorySegment s = checkBounds(offset, 1);
        checkWritable();
        try {
            s.set(ValueLayout.JAVA_BYTE, offset, value);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void putShort(long offset, short value) {
        MemorySegment s = checkBounds(offset, Short.BYTES);
        checkWritable();
        try {
            s.set(SHORT, offset, value);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void putInt(long offset, int value) {
        MemorySegment s = checkBounds(offset, Integer.BYTES);
        checkWritable();
        try {
            s.set(INT, offset, value);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void putLong(long offset, long value) {
        MemorySegment s = checkBounds(offset, Long.BYTES);
        checkWritable();
        try {
            s.set(LONG, offset, value);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void putBytes(long offset, byte[] src, int srcIndex, int length) {
        MemorySegment s = checkBounds(offset, length);
        java.util.Objects.checkFromIndexSize(srcIndex, length, src.length);
        checkWritable();
        try {
            MemorySegment.copy(src, srcIndex, s, ValueLayout.JAVA_BYTE, offset, length);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void putSegment(long offset, MemorySegment src) {
        long length = src.byteSize();
        MemorySegment s = checkBounds(offset, length);
        checkWritable();
        try {
            MemorySegment.copy(src, 0, s, offset, length);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void copy(long srcOffset, long dstOffset, long length) {
        checkBounds(srcOffset, length);
        // A segment valid for the destination is at least as new as the one the source was checked in.
        MemorySegment s = checkBounds(dstOffset, length);
        checkWritable();
        try {
            MemorySegment.copy(s, srcOffset, s, dstOffset, length);
        } catch (InternalError e) {
            throw mediaError(dstOffset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void fill(long offset, long length, byte value) {
        MemorySegment s = checkBounds(offset, length);
        checkWritable();
        try {
            s.asSlice(offset, length).fill(value);
        } catch (InternalError e) {
            throw mediaError(offset, e);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    // ---- persistence --------------------------------------------------------------------------

    @Override
    public final void flush(long offset, long length) {
        checkBounds(offset, length);
        checkWritable();
        if (length == 0) {
            return;
        }
        counters.onFlush(linesFor(offset, length));
        try {
            flushChecked(offset, length);
        } catch (InternalError e) {
            throw failStop(mediaError(offset, e));
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void flushShared(long offset, long length) {
        checkBounds(offset, length);
        checkWritable();
        if (length == 0) {
            return;
        }
        counters.onFlush(linesFor(offset, length));
        try {
            flushSharedChecked(offset, length);
        } catch (InternalError e) {
            throw failStop(mediaError(offset, e));
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void flushShared(long offset, long length, long guardOffset, long guardLength) {
        checkBounds(offset, length);
        checkWritable();
        if (guardLength < 0) {
            throw new IllegalArgumentException("guard length must not be negative, guardLength=" + guardLength);
        }
        if (length == 0) {
            return;
        }
        counters.onFlush(linesFor(offset, length));
        try {
            flushSharedChecked(offset, length, guardOffset, guardOffset + guardLength);
        } catch (InternalError e) {
            throw failStop(mediaError(offset, e));
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void drain() {
        beforeDrain();
        try {
            drainChecked();
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    @Override
    public final void drainBeforeChanging(long offset, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, length=" + length);
        }
        beforeDrain();
        try {
            drainCheckedBeforeChanging(offset, offset + length);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    private void beforeDrain() {
        if (failure != null) {
            failed = true;
            refuseWrite();
        }
        counters.onDrain();
    }

    /**
     * Cache lines this medium's flush hands to the CPU; page-cache media count none.
     *
     * @param offset pool offset of the first byte flushed
     * @param length bytes flushed, positive
     * @return the count added to {@link MediumCounters#linesWrittenBack()}
     */
    protected long linesFor(long offset, long length) {
        return Bits.cacheLinesSpanned(offset, length);
    }

    /**
     * Flush of a range already bounds-checked and non-empty.
     *
     * @param offset pool offset of the first byte
     * @param length bytes in the range, positive
     */
    protected abstract void flushChecked(long offset, long length);

    /**
     * {@link #flushShared} of a range already bounds-checked and non-empty. Media whose drain is not
     * per thread (page cache, memory) need nothing beyond a flush.
     *
     * @param offset pool offset of the first byte, already bounds-checked
     * @param length bytes in the range, positive
     */
    protected void flushSharedChecked(long offset, long length) {
        flushChecked(offset, length);
    }

    /**
     * {@link #flushShared(long, long, long, long)} of a range already bounds-checked and non-empty.
     * Media whose drain is not per thread ignore the guard.
     *
     * @param offset     pool offset of the first byte, already bounds-checked
     * @param length     bytes in the range, positive
     * @param guardStart first byte of the guard
     * @param guardEnd   end of the guard, exclusive
     */
    protected void flushSharedChecked(long offset, long length, long guardStart, long guardEnd) {
        flushSharedChecked(offset, length);
    }

    /** The fence; a failure here must go through {@link #failStop}. */
    protected abstract void drainChecked();

    /**
     * The fence of {@link #drainBeforeChanging}; media whose drain is not per thread drain fully.
     *
     * @param scopeStart first byte the caller will change
     * @param scopeEnd   end of the bytes the caller will change, exclusive
     */
    protected void drainCheckedBeforeChanging(long scopeStart, long scopeEnd) {
        drainChecked();
    }

    /**
     * Counts one msync of {@code bytes}; for page-cache media.
     *
     * @param bytes bytes the msync covered
     */
    protected final void recordMsync(long bytes) {
        counters.onMsync(bytes);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + kind + ", size=" + size() + "]";
    }
}
