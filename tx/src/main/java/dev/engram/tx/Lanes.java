package dev.engram.tx;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Hands lanes to threads without a global lock: each thread remembers the lane it used last and
 * claims it with one CAS; when that lane is taken it scans the others, and when every lane is
 * taken it spins until one is released.
 *
 * <p>Thread safety: {@link #acquire} and {@link #release} may be called from any thread; a lane
 * is owned by exactly one thread between the two.
 */
final class Lanes {
    /**
     * Ints per lane in {@link #busy}: a cache line each. Every transaction claims and releases its lane,
     * so two threads on neighbouring lanes would otherwise pull one line back and forth twice per
     * transaction.
     */
    private static final int STRIDE = 16;
    private final AtomicIntegerArray busy;
    private final ThreadLocal<int[]> preferred;
    private final int count;

    Lanes(int count) {
        this.count = count;
        this.busy = new AtomicIntegerArray(count * STRIDE);
        this.preferred = ThreadLocal.withInitial(() -> new int[] {(int) (Thread.currentThread().threadId() % count)});
    }

    int count() {
        return count;
    }

    /** Claims a free lane and returns its index. */
    int acquire() {
        int[] hint = preferred.get();
        int first = hint[0];
        while (true) {
            for (int k = 0; k < count; k++) {
                int lane = first + k < count ? first + k : first + k - count;
                if (busy.get(lane * STRIDE) == 0 && busy.compareAndSet(lane * STRIDE, 0, 1)) {
                    hint[0] = lane;
                    return lane;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** Returns a lane claimed by {@link #acquire}. */
    void release(int lane) {
        busy.setRelease(lane * STRIDE, 0);
    }

    /** True when no lane is held. */
    boolean allFree() {
        for (int i = 0; i < count; i++) {
            if (busy.get(i * STRIDE) != 0) {
                return false;
            }
        }
        return true;
    }
}
