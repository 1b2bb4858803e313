package dev.engram.crashtest;

import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumCounters;
import dev.engram.pool.medium.MediumKind;
import dev.engram.pool.medium.MemoryMedium;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The writable medium a checker receives: a {@link MemoryMedium} over the crash image that saves the
 * old bytes of every range before writing it, so that {@link #restore} can put the crash image back
 * after recovery ran on it. Restoring costs what recovery wrote, not the image size.
 *
 * <p>Flush and drain are accepted and counted (there is no durability to reach). {@link #grow} is
 * refused: the image is fixed at the size the medium had at the crash point. {@link #close} does
 * nothing, because the harness owns the image; a checker may open and close a pool on it freely.
 */
final class ImageMedium implements Medium {
    private MemoryMedium view;
    private long[] undoOffsets = new long[16];
    private int[] undoLengths = new int[16];
    private int undoCount;
    private byte[] undoBytes = new byte[1024];
    private int undoBytesUsed;

    /** Points the medium at a new slice of the image; the undo log must be empty. */
    void attach(MemorySegment slice) {
        this.view = MemoryMedium.wrap(slice);
    }


    /** Puts back every byte written since the last restore, newest write first. */
    void restore() {
        MemorySegment seg = view.segmentForHarness();
        int bytesEnd = undoBytesUsed;
        for (int i = undoCount - 1; i >= 0; i--) {
            int len = undoLengths[i];
            bytesEnd -= len;
            MemorySegment.copy(undoBytes, bytesEnd, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, undoOffsets[i], len);
        }
        undoCount = 0;
        undoBytesUsed = 0;
    }

    /** Saves {@code [offset, offset + length)} before a write; the view checks the bounds first. */
    private void save(long offset, long length) {
        if (length <= 0) {
            return;
        }
        if (length > Integer.MAX_VALUE - 16 || offset < 0 || offset > view.size() - length) {
            view.readOnlySlice(offset, length); // throws the medium's own out-of-bounds exception
        }
        int len = (int) length;
        if (undoCount == undoOffsets.length) {
            undoOffsets = Arrays.copyOf(undoOffsets, undoCount * 2);
            undoLengths = Arrays.copyOf(undoLengths, undoCount * 2);
        }
        if (undoBytesUsed + len > undoBytes.length) {
            undoBytes = Arrays.copyOf(undoBytes, Math.max(undoBytesUsed + len, undoBytes.length * 2));
        }
        view.getBytes(offset, undoBytes, undoBytesUsed, len);
        undoOffsets[undoCount] = offset;
        undoLengths[undoCount] = len;
        undoCount++;
        undoBytesUsed += len;
    }

    @Override
    public void putByte(long offset, byte value) {
        save(offset, Byte.BYTES);
        view.putByte(offset, value);
    }

    @Override
    public void putShort(long offset, short value) {
        save(offset, Short.BYTES);
        view.putShort(offset, value);
    }

    @Override
    public void putInt(long offset, int value) {
        save(offset, Integer.BYTES);
        view.putInt(offset, value);
    }

    @Override
    public void putLong(long offset, long value) {
        save(offset, Long.BYTES);
        view.putLong(offset, value);
    }

    @Override
    public void putBytes(long offset, byte[] src, int srcIndex, int length) {
        save(offset, length);
        view.putBytes(offset, src, srcIndex, length);
    }

    @Override
    public void putSegment(long offset, MemorySegment src) {
        save(offset, src.byteSize());
        view.putSegment(offset, src);
    }

    @Override
    public void copy(long srcOffset, long dstOffset, long length) {
        save(dstOffset, length);
        view.copy(srcOffset, dstOffset, length);
    }

    @Override
    public void fill(long offset, long length, byte value) {
        save(offset, length);
        view.fill(offset, length, value);
    }

    @Override
    public void flush(long offset, long length) {
        view.flush(offset, length);
    }

    @Override
    public void drain() {
        view.drain();
    }

    @Override
    public void grow(long newSize) {
        if (newSize > view.size()) {
            throw new IllegalStateException("a crash image cannot grow: recovery must work within the size the medium had"
                    + " at the crash, size=" + view.size() + " newSize=" + newSize);
        }
    }

    @Override
    public MediumCounters counters() {
        return view.counters();
    }

    @Override
    public void close() {
        // the harness owns the image and restores it after the check
    }

    @Override
    public long size() {
        return view.size();
    }

    @Override
    public byte getByte(long offset) {
        return view.getByte(offset);
    }

    @Override
    public short getShort(long offset) {
        return view.getShort(offset);
    }

    @Override
    public int getInt(long offset) {
        return view.getInt(offset);
    }

    @Override
    public long getLong(long offset) {
        return view.getLong(offset);
    }

    @Override
    public void getBytes(long offset, byte[] dst, int dstIndex, int length) {
        view.getBytes(offset, dst, dstIndex, length);
    }

    @Override
    public MemorySegment readOnlySlice(long offset, long length) {
        return view.readOnlySlice(offset, length);
    }

    @Override
    public int crc32c(long offset, long length) {
        return view.crc32c(offset, length);
    }

    @Override
    public MediumKind kind() {
        return MediumKind.MEMORY;
    }

    @Override
    public String toString() {
        return "CrashImageMedium[size=" + view.size() + "]";
    }
}
