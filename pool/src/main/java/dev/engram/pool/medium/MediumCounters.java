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

    /** Calls to {@code flush} (including the flush half of {@code persist}). */
    public long flushes() {
        return flushes.sum();
    }

    /** Cache lines handed to the CPU write-back path (0 in page-cache mode). */
    public long linesWrittenBack() {
        return linesWrittenBack.sum();
    }

    /** Calls to {@code drain}: the fences. */
    public long drains() {
        return drains.sum();
    }

    /** msync calls issued (page-cache mode). */
    public long msyncCalls() {
        return msyncCalls.sum();
    }

    /** Bytes covered by msync calls (page-aligned). */
    public long bytesMsynced() {
        return bytesMsynced.sum();
    }

    /** A copy of the current values, for before/after comparisons. */
    public Snapshot snapshot() {
        return new Snapshot(flushes(), linesWrittenBack(), drains(), msyncCalls(), bytesMsynced());
    }

    /** Values at one moment; {@link #minus} gives the work done between two snapshots. */
    public record Snapshot(long flushes, long linesWrittenBack, long drains, long msyncCalls, long bytesMsynced) {
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(flushes - earlier.flushes, linesWrittenBack - earlier.linesWrittenBack,
                    drains - earlier.drains, msyncCalls - earlier.msyncCalls, bytesMsynced - earlier.bytesMsynced);
        }
    }
}
