package dev.engram.pool.medium;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Deterministic counts of the persistence work a medium did. Tests pin them (fences per
 * transaction, msyncs per drain) and benchmarks report them; they never depend on timing.
 *
 * <p>Why per-thread cells with plain stores, not {@code LongAdder}: on x86 a locked instruction (a
 * CAS, an atomic add, a volatile store) waits for every cache-line write-back the core has started,
 * like a store fence. Counting a flush with a CAS would turn each flush into a fence and undo the
 * point of draining once for many flushes. Each thread counts into its own cell; a total sums the
 * cells, exact for the calling thread's own work and for threads that finished theirs.
 */
public final class MediumCounters {
    /**
     * Seventy-two bytes ahead of a {@link Cell}'s counts (superclass fields are laid out first; the
     * {@code int} fills the slot after the header): the cells sit next to each other after a
     * collection, and two threads counting into one cache line would pull it across cores on every
     * flush.
     */
    @SuppressWarnings("unused")
    private abstract static class CellPadding {
        private int p0;
        private long p1;
        private long p2;
        private long p3;
        private long p4;
        private long p5;
        private long p6;
        private long p7;
        private long p8;
    }

    /** One thread's counts; written only by that thread. */
    private static final class Cell extends CellPadding {
        long flushes;
        long linesWrittenBack;
        long drains;
        long msyncCalls;
        long bytesMsynced;
    }

    private final ThreadLocal<Cell> mine = ThreadLocal.withInitial(this::newCell);
    private final List<Cell> cells = new CopyOnWriteArrayList<>();

    private Cell newCell() {
        Cell c = new Cell();
        cells.add(c);
        return c;
    }

    /** Creates counters that all start at zero; each medium owns one set. */
    public MediumCounters() {
    }

    void onFlush(long lines) {
        Cell c = mine.get();
        c.flushes++;
        c.linesWrittenBack += lines;
    }

    void onDrain() {
        mine.get().drains++;
    }

    void onMsync(long bytes) {
        Cell c = mine.get();
        c.msyncCalls++;
        c.bytesMsynced += bytes;
    }

    /** {@return calls to {@code flush} so far, including the flush half of {@code persist}} */
    public long flushes() {
        long sum = 0;
        for (Cell c : cells) {
            sum += c.flushes;
        }
        return sum;
    }

    /** {@return cache lines handed to the CPU write-back path so far (0 in page-cache mode)} */
    public long linesWrittenBack() {
        long sum = 0;
        for (Cell c : cells) {
            sum += c.linesWrittenBack;
        }
        return sum;
    }

    /** {@return calls to {@code drain} so far: the fences} */
    public long drains() {
        long sum = 0;
        for (Cell c : cells) {
            sum += c.drains;
        }
        return sum;
    }

    /** {@return msync calls issued so far (page-cache mode)} */
    public long msyncCalls() {
        long sum = 0;
        for (Cell c : cells) {
            sum += c.msyncCalls;
        }
        return sum;
    }

    /** {@return bytes covered by msync calls so far (whole pages)} */
    public long bytesMsynced() {
        long sum = 0;
        for (Cell c : cells) {
            sum += c.bytesMsynced;
        }
        return sum;
    }

    /**
     * {@return a copy of the current values, for before/after comparisons} Counts made meanwhile on other
     * threads may or may not be included.
     */
    public Snapshot snapshot() {
        return new Snapshot(flushes(), linesWrittenBack(), drains(), msyncCalls(), bytesMsynced());
    }

    /**
     * Values at one moment; {@link #minus} gives the work done between two snapshots.
     *
     * @param flushes          calls to {@code flush}
     * @param linesWrittenBack cache lines handed to CPU write-back
     * @param drains           calls to {@code drain}
     * @param msyncCalls       msync calls
     * @param bytesMsynced     bytes covered by msync calls
     */
    public record Snapshot(long flushes, long linesWrittenBack, long drains, long msyncCalls, long bytesMsynced) {
        /**
         * Subtracts an earlier snapshot of the same counters.
         *
         * @param earlier a snapshot taken before this one
         * @return the work done between {@code earlier} and this snapshot
         */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(flushes - earlier.flushes, linesWrittenBack - earlier.linesWrittenBack,
                    drains - earlier.drains, msyncCalls - earlier.msyncCalls, bytesMsynced - earlier.bytesMsynced);
        }
    }
}
