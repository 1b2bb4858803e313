package dev.engram.pool.medium;

import java.util.concurrent.atomic.LongAdder;

/**
 * Deterministic counts of the persistence work a medium did. Tests pin them (fences per
 * transaction, msyncs per drain) and benchmarks report them; they never depend on timing.
 */
public final class MediumCounters {
    private final LongAdder flushes = new LongAdder();
    private final LongAdder linesWrittenBack = new LongAdder();
    private final LongAdder drains = new LongAdder();
    private final LongAdder msyncCalls = new LongAdder();
    private final LongAdder bytesMsynced = new LongAdder();

    /** Creates counters that all start at zero; each medium owns one set. */
    public MediumCounters() {
    }

    void onFlush(long lines) {
        flushes.increment();
        linesWrittenBack.add(lines);
    }

    void onDrain() {
        drains.increment();
    }

    void onMsync(long bytes) {
        msyncCalls.increment();
        bytesMsynced.add(bytes);
    }

    /** {@return calls to {@code flush} so far, including the flush half of {@code persist}} */
    public long flushes() {
        return flushes.sum();
    }

    /** {@return cache lines handed to the CPU write-back path so far (0 in page-cache mode)} */
    public long linesWrittenBack() {
        return linesWrittenBack.sum();
    }

    /** {@return calls to {@code drain} so far: the fences} */
    public long drains() {
        return drains.sum();
    }

    /** {@return msync calls issued so far (page-cache mode)} */
    public long msyncCalls() {
        return msyncCalls.sum();
    }

    /** {@return bytes covered by msync calls so far (whole pages)} */
    public long bytesMsynced() {
        return bytesMsynced.sum();
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
