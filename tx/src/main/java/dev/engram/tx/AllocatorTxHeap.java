package dev.engram.tx;

import dev.engram.allocator.PersistentHeap;
import dev.engram.allocator.RedoLog;
import dev.engram.allocator.Reservation;
import dev.engram.pool.PoolHeaderLayout;
import dev.engram.pool.medium.Medium;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * {@link TxHeap} over the allocator's {@link PersistentHeap}: reservations are tracked by object
 * offset, and each lane's redo region holds one {@link RedoLog}. The undo log's generation store
 * (and an overflow buffer's link) go into the same redo log as the heap changes, so they commit
 * together.
 *
 * <p>Thread safety: reservations live in a concurrent map; a lane's redo log is used only by the
 * lane's owner.
 */
public final class AllocatorTxHeap implements TxHeap {
    /** Opens pools on the allocator's heap: the default for {@code ObjectPool}. */
    public static final TxHeap.Factory FACTORY = new TxHeap.Factory() {
        @Override
        public TxHeap format(Medium medium, long heapOffset, long heapSize, long[] redoOffsets, int redoSize) {
            RedoLog[] logs = new RedoLog[redoOffsets.length];
            for (int i = 0; i < logs.length; i++) {
                logs[i] = RedoLog.format(medium, redoOffsets[i], redoSize);
            }
            return new AllocatorTxHeap(medium, PersistentHeap.create(medium, heapOffset, heapSize), logs);
        }

        @Override
        public TxHeap recoverAndOpen(Medium medium, long heapOffset, long heapSize, long[] redoOffsets, int redoSize) {
            RedoLog[] logs = new RedoLog[redoOffsets.length];
            for (int i = 0; i < logs.length; i++) {
                RedoLog.recover(medium, redoOffsets[i], redoSize, PoolHeaderLayout.ROOT_AREA_OFFSET, medium.size());
                logs[i] = RedoLog.open(medium, redoOffsets[i], redoSize);
            }
            return new AllocatorTxHeap(medium, PersistentHeap.open(medium, heapOffset, heapSize, null), logs);
        }

        @Override
        public boolean redoPending(Medium medium, long redoOffset, int redoSize) {
            return RedoLog.isLive(medium, redoOffset);
        }

        @Override
        public TxHeap openReadOnly(Medium medium, long heapOffset, long heapSize) {
            return new AllocatorTxHeap(medium, PersistentHeap.open(medium, heapOffset, heapSize, null), new RedoLog[0]);
        }
    };

    private final Medium medium;
    private final PersistentHeap heap;
    private final RedoLog[] logs;
    private final ConcurrentHashMap<Long, Reservation> pending = new ConcurrentHashMap<>();

    private AllocatorTxHeap(Medium medium, PersistentHeap heap, RedoLog[] logs) {
        this.medium = medium;
        this.heap = heap;
        this.logs = logs;
    }

    /** {@return the allocator's heap, for statistics and checks} */
    public PersistentHeap heap() {
        return heap;
    }

    @Override
    public long reserve(long size, int typeNum) {
        Reservation r = heap.tryReserve(size, typeNum);
        if (r == null) {
            return NO_SPACE;
        }
        pending.put(r.objectOffset(), r);
        return r.objectOffset();
    }

    @Override
    public long[] reserveFreeIn(long offset, long length, int typeNum) {
        java.util.List<Reservation> rs = heap.reserveFreeIn(offset, length, typeNum);
        long[] out = new long[rs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rs.get(i).objectOffset();
            pending.put(out[i], rs.get(i));
        }
        return out;
    }

    @Override
    public void cancel(long block) {
        Reservation r = pending.remove(block);
        if (r != null) {
            heap.cancel(r);
        }
    }

    @Override
    public void publish(int lane, long[] reserved, int reservedCount, long[] freed, int freedCount,
                        long[] wordTargets, long[] wordValues, int wordCount) {
        RedoLog log = logs[lane];
        for (int i = 0; i < wordCount; i++) {
            log.set(wordTargets[i], wordValues[i]);
        }
        Reservation[] rs = reservations(reserved, reservedCount);
        long[] frees = freedCount > 0 ? java.util.Arrays.copyOf(freed, freedCount) : null;
        try {
            heap.publishDrained(rs, rs == null ? null : new long[reservedCount], frees,
                    frees == null ? null : new long[freedCount], log);
        } catch (RuntimeException e) {
            log.discard();
            throw e;
        }
        for (int i = 0; i < reservedCount; i++) {
            pending.remove(reserved[i]);
        }
    }

    /**
     * Most bytes a commit witnesses instead of draining them: checksumming costs about as much as a
     * fence at a few KiB, and recovery reads them all again.
     */
    static final long WITNESS_LIMIT = 4096;
    /** Redo entries one reservation may need (bitmap, new run's chunk header, two header words), and one free. */
    private static final int ENTRIES_PER_RESERVATION = 4;
    private static final int ENTRIES_PER_FREE = 3;

    @Override
    public boolean publishWitnessed(int lane, long[] starts, long[] ends, int rangeCount, long[] reserved,
                                    int reservedCount, long[] freed, int freedCount, long[] wordTargets,
                                    long[] wordValues, int wordCount) {
        RedoLog log = logs[lane];
        long bytes = 0;
        for (int i = 0; i < rangeCount; i++) {
            bytes += ends[i] - starts[i];
        }
        long entries = (long) rangeCount + wordCount + (long) ENTRIES_PER_RESERVATION * reservedCount
                + (long) ENTRIES_PER_FREE * freedCount;
        if (bytes > WITNESS_LIMIT || entries > log.remaining()) {
            return false;
        }
        Reservation[] rs = reservations(reserved, reservedCount);
        try {
            for (int i = 0; i < rangeCount; i++) {
                log.witness(starts[i], ends[i] - starts[i]);
                medium.flush(starts[i], ends[i] - starts[i]);
            }
            for (int i = 0; i < wordCount; i++) {
                log.set(wordTargets[i], wordValues[i]);
            }
            long[] frees = freedCount > 0 ? java.util.Arrays.copyOf(freed, freedCount) : null;
            heap.publishWitnessed(rs, rs == null ? null : new long[reservedCount], frees,
                    frees == null ? null : new long[freedCount], log);
        } catch (RuntimeException e) {
            log.discard();
            throw e;
        }
        for (int i = 0; i < reservedCount; i++) {
            pending.remove(reserved[i]);
        }
        return true;
    }

    private Reservation[] reservations(long[] reserved, int reservedCount) {
        if (reservedCount == 0) {
            return null;
        }
        Reservation[] rs = new Reservation[reservedCount];
        for (int i = 0; i < reservedCount; i++) {
            rs[i] = pending.get(reserved[i]);
            if (rs[i] == null) {
                throw new IllegalArgumentException("offset=" + reserved[i] + " is not a pending reservation");
            }
        }
        return rs;
    }

    @Override
    public long usableSize(long block) {
        Reservation r = pending.get(block);
        return r != null ? r.usableSize() : heap.usableSize(block);
    }

    @Override
    public int typeNum(long block) {
        Reservation r = pending.get(block);
        return (int) (r != null ? r.typeNum() : heap.typeNum(block));
    }

    @Override
    public void forEach(int typeNum, LongConsumer action) {
        heap.forEachObject(typeNum, action);
    }

    @Override
    public long heapStart() {
        return heap.heapOffset();
    }

    @Override
    public long heapEnd() {
        return heap.heapOffset() + heap.size();
    }
}
