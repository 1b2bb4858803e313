package dev.engram.pool.medium;

import dev.engram.pool.Bits;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The cache lines flushed with {@link Medium#flushShared}: write-backs that the next drain on
 * <em>any</em> thread performs and completes. A store fence completes only its own core's
 * write-backs, so the draining thread writes these lines back itself (a write-back acts on the line
 * wherever it is cached) just before it fences; the registering thread does not write them back at
 * all, so nothing of it is left in flight to slow its next locked instruction.
 *
 * <p>Meant for a few recurring lines, the log-retire words (one or two per lane): lines are
 * registered once and never removed, and the table is scanned on every drain that finds one
 * pending. When the table is full, {@link #register} refuses and the caller fences at once instead.
 *
 * <p>Per line, {@code requested} counts registrations and {@code completed} is the highest count a
 * fence has covered. A drain copies the counts it saw before its write-backs and raises
 * {@code completed} to them only after its fence, so a registration that races with the drain
 * stays pending for the next one. A drain on another thread than the registrar's writes the line
 * back but leaves it pending while the registrar is active (see {@link #drain}): no thread writes
 * another busy thread's counters.
 */
final class SharedFlushes {
    static final int CAPACITY = 256;
    /**
     * Longs per slot in {@link #counts}: one cache line each, so that lanes used by different threads
     * do not write the same line (a slot's counters change on every commit of its lane).
     */
    private static final int STRIDE = 8;
    private static final int COMPLETED = 1;
    private static final int REGISTRAR = 2;

    /** Line offset + 1, filled from index 0 without gaps; 0 = free. Read on every drain, written once. */
    private final AtomicLongArray lines = new AtomicLongArray(CAPACITY);
    /**
     * Per slot, at {@code slot * STRIDE}: registrations requested, at {@code + COMPLETED} the count a
     * fence covered, at {@code + REGISTRAR} the id of the thread that registered last.
     */
    private final AtomicLongArray counts = new AtomicLongArray(CAPACITY * STRIDE);
    /** Per draining thread: the requested counts its previous drain left pending, and scratch. */
    private final ThreadLocal<DrainerState> drainers = ThreadLocal.withInitial(DrainerState::new);

    /**
     * Marks every line of the range pending; the next drain on any thread writes it back. Returns
     * false (registering nothing further) when the table is full.
     *
     * <p>No locked instruction here (after the first registration of a line): on x86 a CAS or atomic
     * add waits for the core's outstanding write-backs like a fence, which is the cost a deferred
     * write-back exists to avoid. The count is bumped with a plain read and a release store, which is
     * exact because one line is registered by one thread at a time (a lane's retire word belongs to
     * the lane's owner; handing a lane over is a happens-before edge).
     */
    boolean register(long offset, long length) {
        long end = offset + length;
        long self = Thread.currentThread().threadId();
        for (long line = Bits.alignDown(offset, Bits.CACHE_LINE); line < end; line += Bits.CACHE_LINE) {
            int slot = slotOf(line);
            if (slot < 0) {
                return false;
            }
            int at = slot * STRIDE;
            if (counts.getPlain(at + REGISTRAR) != self) {
                counts.setRelease(at + REGISTRAR, self);
            }
            counts.setRelease(at, counts.getPlain(at) + 1);
        }
        return true;
    }

    /** The slot of {@code line}, claiming the first free one if the line is new; -1 when full. */
    private int slotOf(long line) {
        long key = line + 1;
        for (int i = 0; i < CAPACITY; i++) {
            long k = lines.get(i);
            if (k == key) {
                return i;
            }
            if (k == 0) {
                if (lines.compareAndSet(i, 0, key)) {
                    return i;
                }
                if (lines.get(i) == key) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Writes back every pending line through {@code writeBack}, then runs {@code fence}, then marks
     * what the fence covered complete. Returns the number of lines written back.
     *
     * <p>Who marks a line complete: its registrar, or any drainer that finds the same registration
     * still pending that its previous drain saw (the registrar has gone quiet). Any drainer could mark
     * it (its own write-back and fence covered the registration it read), but while the registrar is
     * busy that would write the registrar's counters from another core on every drain: two threads
     * committing on two lanes would pull each other's lines across cores twice per transaction. A
     * line left pending only costs the next drain a redundant write-back.
     */
    int drain(LineWriter writeBack, Runnable fence) {
        int used = 0;
        boolean anyPending = false;
        while (used < CAPACITY && lines.get(used) != 0) {
            anyPending |= counts.get(used * STRIDE) != counts.get(used * STRIDE + COMPLETED);
            used++;
        }
        if (!anyPending) {
            fence.run();
            return 0;
        }
        DrainerState me = drainers.get();
        long[] seen = me.seen;
        int written = 0;
        for (int i = 0; i < used; i++) {
            long want = counts.get(i * STRIDE);
            if (want != counts.get(i * STRIDE + COMPLETED)) {
                seen[i] = want;
                writeBack.writeBackLine(lines.get(i) - 1);
                written++;
            } else {
                seen[i] = 0;
            }
        }
        fence.run();
        long self = me.threadId;
        long[] previous = me.pendingBefore;
        for (int i = 0; i < used; i++) {
            long want = seen[i];
            if (want == 0) {
                previous[i] = 0;
                continue;
            }
            if (counts.get(i * STRIDE + REGISTRAR) == self || previous[i] == want) {
                long done;
                while ((done = counts.get(i * STRIDE + COMPLETED)) < want
                        && !counts.compareAndSet(i * STRIDE + COMPLETED, done, want)) {
                    Thread.onSpinWait();
                }
                previous[i] = 0;
            } else {
                previous[i] = want;
            }
        }
        return written;
    }

    /** One draining thread's view: what it left pending last time, and the per-drain scratch. */
    private static final class DrainerState {
        final long threadId = Thread.currentThread().threadId();
        final long[] seen = new long[CAPACITY];
        final long[] pendingBefore = new long[CAPACITY];
    }

    /** Writes back one line at a medium offset. */
    @FunctionalInterface
    interface LineWriter {
        void writeBackLine(long lineOffset);
    }
}
