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
    private static final int GUARD_START = 3;
    private static final int GUARD_END = 4;
    /** The guard of a registration that did not name one: every later change waits for it. */
    static final long GUARD_ALL_START = 0;
    static final long GUARD_ALL_END = Long.MAX_VALUE;

    /** Line offset + 1, filled from index 0 without gaps; 0 = free. Read on every drain, written once. */
    private final AtomicLongArray lines = new AtomicLongArray(CAPACITY);
    /**
     * Per slot, at {@code slot * STRIDE}: registrations requested, at {@code + COMPLETED} the count a
     * fence covered, at {@code + REGISTRAR} the id of the thread that registered last, at
     * {@code + GUARD_START} and {@code + GUARD_END} the guard of the pending registrations (see
     * {@link #register(long, long, long, long)}).
     */
    private final AtomicLongArray counts = new AtomicLongArray(CAPACITY * STRIDE);
    /** Per draining thread: the requested counts its previous drain left pending, and scratch. */
    private final ThreadLocal<DrainerState> drainers = ThreadLocal.withInitial(DrainerState::new);

    /**
     * {@link #register(long, long, long, long)} with a guard that covers everything: every drain
     * completes the registration, whatever it is about to change.
     */
    boolean register(long offset, long length) {
        return register(offset, length, GUARD_ALL_START, GUARD_ALL_END);
    }

    /**
     * Marks every line of the range pending; the next drain on any thread whose scope overlaps the
     * guard {@code [guardStart, guardEnd)} writes it back (a full drain's scope is everything). Returns
     * false (registering nothing further) when the table is full.
     *
     * <p>The guard says which later changes must wait for this write-back: a log-retire word guards
     * the ranges its log would roll back, because only a change to those bytes can be undone by a
     * recovery that finds the log still valid. While an earlier registration of the line is pending,
     * the new guard is the union of both (the line's content then retires both).
     *
     * <p>No locked instruction here (after the first registration of a line): on x86 a CAS or atomic
     * add waits for the core's outstanding write-backs like a fence, which is the cost a deferred
     * write-back exists to avoid. The count is bumped with a plain read and a release store, which is
     * exact because one line is registered by one thread at a time (a lane's retire word belongs to
     * the lane's owner; handing a lane over is a happens-before edge). The guard is stored before the
     * count, so a drainer that reads the count and then the guard sees a guard at least as wide as that
     * registration's.
     */
    boolean register(long offset, long length, long guardStart, long guardEnd) {
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
            long requested = counts.getPlain(at);
            long start = guardStart;
            long stop = guardEnd;
            if (counts.get(at + COMPLETED) != requested) {
                start = Math.min(start, counts.getPlain(at + GUARD_START));
                stop = Math.max(stop, counts.getPlain(at + GUARD_END));
            }
            counts.setRelease(at + GUARD_START, start);
            counts.setRelease(at + GUARD_END, stop);
            counts.setRelease(at, requested + 1);
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
     * A full drain: {@link #drain(LineWriter, Runnable, long, long)} with a scope that overlaps every guard.
     */
    int drain(LineWriter writeBack, Runnable fence) {
        return drain(writeBack, fence, GUARD_ALL_START, GUARD_ALL_END);
    }

    /**
     * Writes back every pending line that this drain must complete, then runs {@code fence}, then
     * marks what the fence covered complete. Returns the number of lines written back.
     *
     * <p>Which lines: those whose guard overlaps {@code [scopeStart, scopeEnd)} (the bytes the caller
     * changes next), and every line the calling thread registered itself (its own, cheap to write
     * back, and the thread's next log append may depend on it). A line registered by another thread
     * whose guard lies elsewhere stays pending: writing it back would pull a line the other core keeps
     * writing, and nothing this caller changes can be undone by the log that line retires. A
     * registration that changes while it is read is taken as overlapping.
     *
     * <p>Who marks a line complete: its registrar, or any drainer that finds the same registration
     * still pending that its previous drain saw (the registrar has gone quiet). Any drainer could mark
     * it (its own write-back and fence covered the registration it read), but while the registrar is
     * busy that would write the registrar's counters from another core on every drain: two threads
     * committing on two lanes would pull each other's lines across cores twice per transaction. A
     * line left pending only costs the next drain a redundant write-back.
     */
    int drain(LineWriter writeBack, Runnable fence, long scopeStart, long scopeEnd) {
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
        long self = me.threadId;
        long[] seen = me.seen;
        int written = 0;
        for (int i = 0; i < used; i++) {
            int at = i * STRIDE;
            long want = counts.get(at);
            if (want != counts.get(at + COMPLETED) && mustComplete(at, want, self, scopeStart, scopeEnd)) {
                seen[i] = want;
                writeBack.writeBackLine(lines.get(i) - 1);
                written++;
            } else {
                seen[i] = 0;
            }
        }
        fence.run();
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

    /** True when the pending registration {@code want} at {@code at} concerns a drain of this scope. */
    private boolean mustComplete(int at, long want, long self, long scopeStart, long scopeEnd) {
        if (counts.get(at + REGISTRAR) == self) {
            return true;
        }
        long guardStart = counts.get(at + GUARD_START);
        long guardEnd = counts.get(at + GUARD_END);
        return counts.get(at) != want || (guardStart < scopeEnd && scopeStart < guardEnd);
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
