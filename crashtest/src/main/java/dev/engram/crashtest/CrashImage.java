package dev.engram.crashtest;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The one in-memory image every crash image is built in: the base image plus the durable stores,
 * with the chosen in-flight stores overlaid and rolled back after each check. No copy of the image
 * is made per crash image.
 *
 * <p>It keeps a 128-bit content key of the image, updated on every word change as
 * {@code sum over changed words of f(offset, new) - f(offset, old)}. The sum telescopes, so the key
 * depends only on the current contents (relative to the base), not on the order or the crash point
 * that produced them: two equal images at different drains get the same key, which is how each
 * distinct image is checked once.
 *
 * <p>Not thread-safe; one explorer owns one image.
 */
final class CrashImage {
    private final MemorySegment image;
    private long keyA;
    private long keyB;
    private long[] undoOffsets = new long[64];
    private long[] undoValues = new long[64];
    private int undoCount;

    CrashImage(Trace trace) {
        long size = trace.finalSize();
        this.image = Arena.ofAuto().allocate(Math.max(size, 1), Trace.GRANULE).asSlice(0, size);
        MemorySegment.copy(trace.base(), 0, image, 0, trace.baseSize());
    }

    /** The first {@code size} bytes of the image, writable. */
    MemorySegment segment(long size) {
        return image.asSlice(0, size);
    }

    /** Applies a store that is durable for every later crash point; it is never rolled back. */
    void applyDurable(long offset, long value) {
        set(offset, value);
    }

    /** Applies an in-flight store for the current crash image; {@link #rollBack} undoes it. */
    void applyInFlight(long offset, long value) {
        long old = image.get(Trace.WORD, offset);
        if (old == value) {
            return;
        }
        if (undoCount == undoOffsets.length) {
            undoOffsets = Arrays.copyOf(undoOffsets, undoCount * 2);
            undoValues = Arrays.copyOf(undoValues, undoCount * 2);
        }
        undoOffsets[undoCount] = offset;
        undoValues[undoCount] = old;
        undoCount++;
        set(offset, value);
    }

    /** Undoes every in-flight store, newest first, leaving the durable state. */
    void rollBack() {
        for (int i = undoCount - 1; i >= 0; i--) {
            set(undoOffsets[i], undoValues[i]);
        }
        undoCount = 0;
    }

    /** First half of the content key (the size is mixed in: a grown image is another image). */
    long keyA(long size) {
        return keyA ^ mix(size + 0x3C6EF372FE94F82AL);
    }

    long keyB() {
        return keyB;
    }

    private void set(long offset, long value) {
        long old = image.get(Trace.WORD, offset);
        if (old == value) {
            return;
        }
        keyA += wordHashA(offset, value) - wordHashA(offset, old);
        keyB += wordHashB(offset, value) - wordHashB(offset, old);
        image.set(Trace.WORD, offset, value);
    }

    private static long wordHashA(long offset, long value) {
        return mix(value ^ mix(offset));
    }

    private static long wordHashB(long offset, long value) {
        return mix((value + 0x632BE59BD9B4E019L) * 0x9E3779B97F4A7C15L + mix(offset ^ 0x5851F42D4C957F2DL));
    }

    /** A 64-bit finaliser (the murmur3 constants); spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
