package dev.engram.collections;

import dev.engram.pool.medium.MediumReader;
import dev.engram.tx.Transaction;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A segment's reentrant read-write lock plus a version that lets readers skip the lock: the version
 * is odd while a writer holds the lock (from its outermost acquire to its outermost release, which
 * inside a caller's transaction spans the whole transaction, rollback included) and moves on each
 * time. A reader that saw the same even version before and after its reads read bytes no writer
 * touched meanwhile.
 *
 * <p>Optimistic reads may see torn or freed bytes. They are safe only because every read goes
 * through the bounds-checked medium and decodes fixed-width cells, and the caller discards the result
 * (and any exception) when {@link #validate} fails.
 *
 * <p>The write-lock holder also owns the segment's range scratch ({@link #saveRanges}), so a
 * mutation saves its two ranges with one drain and no allocation.
 *
 * <p>Optimistic readers take the segment's table and capacity from {@link #table()} and
 * {@link #mask()}, a copy of the segment descriptor on media, and read the slots through
 * {@link #slots()}, a read-only view of the table bounds-checked once when it is made: two medium
 * reads and a bounds check per access fewer on every get. Only write-lock holders change a
 * descriptor (insert's resize, clear, and the rollback of either, which ends before the lock is
 * released), and they say so ({@link #descriptorWritten}); the copy is then refreshed from media at
 * the outermost release, before the version turns even: a reader whose stamp validates read the copy
 * of the state it validated. A release after other writes reads nothing back (the descriptor's line
 * was just written back from the cache by the commit, and on some CPUs evicted with it). A refresh
 * that fails (a media error) leaves the copy marked stale ({@link #STALE}) and readers go to the
 * media.
 */
final class SegmentLock {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock writer = new Writer();
    /** Odd while written; changed only by the write-lock holder. */
    private volatile long version;
    private final long[] rangeOffsets = new long[2];
    private final long[] rangeLengths = new long[2];
    /** {@link #table()} when the copy could not be refreshed: readers read the descriptor from media. */
    static final long STALE = -1;
    private final MediumReader medium;
    private final long descriptor;
    private final int slotLength;
    /** Copies of the segment descriptor's table and capacity - 1, written only by the write-lock holder. */
    private long table;
    private long mask;
    /** A read-only view of the table's slots (null without a table), made at the refresh. */
    private MemorySegment slots;
    /** Set by the write-lock holder before it changes the descriptor's table or capacity. */
    private boolean descriptorChanged;

    /**
     * A segment's lock.
     *
     * @param medium     the pool's medium
     * @param descriptor pool offset of the segment's descriptor ({@link HashLayout#segmentOffset})
     * @param slotLength bytes per slot of the segment's table
     */
    SegmentLock(MediumReader medium, long descriptor, int slotLength) {
        this.medium = medium;
        this.descriptor = descriptor;
        this.slotLength = slotLength;
        refresh();
    }

    /**
     * The table's slots as a read-only segment whose offset 0 is the table's first byte, as of the last
     * release; read after a stamp, meaningful when {@link #table()} is neither 0 nor stale.
     */
    MemorySegment slots() {
        return slots;
    }

    /** The segment's table offset (0 = none yet) as of the last release, or {@link #STALE}; read after a stamp. */
    long table() {
        return table;
    }

    /**
     * The segment's capacity - 1 as of the last release; read after a stamp, meaningful when
     * {@link #table()} is neither 0 nor stale.
     */
    long mask() {
        return mask;
    }

    /**
     * Called by the write-lock holder before it changes the segment descriptor's table or capacity
     * (in a transaction that may still roll back): the outermost release copies them again.
     */
    void descriptorWritten() {
        descriptorChanged = true;
    }

    /** Copies the descriptor from media; the caller holds the write lock (or constructs the lock). */
    private void refresh() {
        final long t = medium.getLong(descriptor + HashLayout.SEG_TABLE);
        final long capacity = medium.getLong(descriptor + HashLayout.SEG_CAPACITY);
        if (t == 0) {
            slots = null;
        } else if (t != table || capacity - 1 != mask || slots == null) {
            // A new view only when the table changed; bounds-checked here, once per table.
            slots = medium.readOnlySlice(t, Math.multiplyExact(capacity, slotLength));
        }
        mask = capacity - 1;
        table = t;
    }

    /**
     * Saves two ranges in {@code tx} with one drain ({@link Transaction#addRanges}). Only the
     * holder of the write lock may call it: the arrays are reused.
     */
    void saveRanges(Transaction tx, long offset0, long length0, long offset1, long length1) {
        rangeOffsets[0] = offset0;
        rangeLengths[0] = length0;
        rangeOffsets[1] = offset1;
        rangeLengths[1] = length1;
        tx.addRanges(rangeOffsets, rangeLengths);
    }

    /** The read lock, for readers that cannot be optimistic. */
    Lock readLock() {
        return lock.readLock();
    }

    /** The write lock; its outermost acquire and release move the version. */
    Lock writeLock() {
        return writer;
    }

    /** A stamp for an optimistic read, or -1 while a writer holds the lock. */
    long tryOptimisticRead() {
        long v = version;
        return (v & 1) == 0 ? v : -1;
    }

    /** True when no writer took the lock since {@code stamp} was issued: the reads in between hold. */
    boolean validate(long stamp) {
        VarHandle.loadLoadFence();
        return version == stamp;
    }

    private void entered() {
        if (lock.getWriteHoldCount() == 1) {
            version = version + 1;
            // The odd version must be visible before any byte the writer changes.
            VarHandle.storeStoreFence();
        }
    }

    private final class Writer implements Lock {
        @Override
        public void lock() {
            lock.writeLock().lock();
            entered();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            lock.writeLock().lockInterruptibly();
            entered();
        }

        @Override
        public boolean tryLock() {
            if (lock.writeLock().tryLock()) {
                entered();
                return true;
            }
            return false;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            if (lock.writeLock().tryLock(time, unit)) {
                entered();
                return true;
            }
            return false;
        }

        @Override
        public void unlock() {
            if (lock.getWriteHoldCount() == 1) {
                try {
                    if (descriptorChanged) {
                        descriptorChanged = false;
                        refresh();
                    }
                } catch (RuntimeException mediaFailure) {
                    // Optimistic readers go to the media (and meet the failure there).
                    table = STALE;
                    slots = null;
                } finally {
                    // A volatile store: every byte written under the lock is visible before the even version.
                    version = version + 1;
                    lock.writeLock().unlock();
                }
                return;
            }
            lock.writeLock().unlock();
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("segment locks have no conditions");
        }
    }
}
