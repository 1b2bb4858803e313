package dev.engram.crashtest;

import dev.engram.pool.Bits;

import java.util.Arrays;

/**
 * Walks a trace under the x86 persistence model and stops at each crash point (DESIGN.md §6).
 *
 * <p>The rules it implements:
 * <ul>
 *   <li>Stores are 8-byte granule writes (see {@link Trace}).</li>
 *   <li>A store is <em>guaranteed</em> once a flush covering its 64-byte cache line came after it and
 *       a drain came after that flush. Guaranteed stores are applied to the image for good.</li>
 *   <li>Crash points: just before each drain completes, and at the end of the trace. Between two
 *       drains nothing becomes guaranteed, and every state reachable mid-epoch is also reachable at
 *       the epoch's drain (a prefix of a prefix), so these points cover every crash.</li>
 *   <li>At a crash point every store not yet guaranteed is in flight. Stores to one line reach the
 *       media in program order, so per line the durable part of the in-flight stores is a prefix;
 *       lines are independent; and the cache may write back an <em>unflushed</em> line at any time,
 *       so unflushed stores are in flight too (disabled by {@code unflushedInFlight = false}, which
 *       gives pmreorder's model: only flushed stores may reach the media).</li>
 * </ul>
 *
 * <p>Per line it keeps the pending stores in program order and how many of them a flush has
 * covered; a flush covers every pending store of the line written before it, so the flushed ones
 * are always a prefix of the pending ones, and a drain retires exactly that prefix.
 *
 * <p>Not thread-safe.
 */
final class PersistenceState {
    private static final int LINE_SHIFT = Integer.numberOfTrailingZeros(Bits.CACHE_LINE);

    private final Trace trace;
    private final CrashImage image;
    private final boolean unflushedInFlight;
    private final InFlight inFlight = new InFlight();

    private int nextEvent;
    private int point = -1;
    private int pointEvent = -1;
    private boolean drainPending;
    private boolean endReached;
    private long size;

    private final LineTable lineTable = new LineTable();
    private long[] slotLine = new long[64];
    private int[][] slotStores = new int[64][];
    private int[] slotHead = new int[64];
    private int[] slotCount = new int[64];
    private int[] slotFlushed = new int[64];
    private int[] slotActivePos = new int[64];
    private int[] active = new int[64];
    private int activeCount;
    private int[] drainList = new int[64];
    private int drainCount;

    PersistenceState(Trace trace, CrashImage image, boolean unflushedInFlight) {
        this.trace = trace;
        this.image = image;
        this.unflushedInFlight = unflushedInFlight;
        this.size = trace.baseSize();
    }

    /** Advances to the next crash point; false once the point at the end of the trace was passed. */
    boolean next() {
        if (drainPending) {
            completeDrain();
            drainPending = false;
        }
        int events = trace.eventCount();
        for (int e = nextEvent; e < events; e++) {
            switch (trace.kind(e)) {
                case Trace.STORE -> {
                    int first = trace.firstGranule(e);
                    int end = first + trace.granulesOf(e);
                    for (int g = first; g < end; g++) {
                        addStore(g);
                    }
                }
                case Trace.FLUSH -> flush(trace.offset(e), trace.length(e));
                case Trace.GROW -> size = Math.max(size, trace.offset(e));
                case Trace.DRAIN -> {
                    nextEvent = e + 1;
                    drainPending = true;
                    point++;
                    pointEvent = e;
                    collectInFlight();
                    return true;
                }
                default -> throw new IllegalStateException("unknown trace event kind " + trace.kind(e) + " at event " + e);
            }
        }
        nextEvent = events;
        if (endReached) {
            return false;
        }
        endReached = true;
        point++;
        pointEvent = events;
        collectInFlight();
        return true;
    }

    /** Index of the current crash point: the drain's ordinal, or {@code drainCount} for the trace end. */
    int point() {
        return point;
    }

    /** Trace event of the current crash point: the drain event, or {@code eventCount} for the end. */
    int pointEvent() {
        return pointEvent;
    }

    /** Size of the medium at the current crash point. */
    long size() {
        return size;
    }

    /** The stores in flight at the current crash point. */
    InFlight inFlight() {
        return inFlight;
    }

    // ---- events -------------------------------------------------------------------------------

    private void addStore(int granule) {
        long line = trace.granuleOffset(granule) >>> LINE_SHIFT;
        int slot = lineTable.getOrAdd(line);
        if (slot == slotLine.length) {
            growSlots();
        }
        int[] stores = slotStores[slot];
        if (stores == null) {
            stores = new int[4];
            slotStores[slot] = stores;
            slotLine[slot] = line;
            slotActivePos[slot] = -1;
        }
        int head = slotHead[slot];
        int count = slotCount[slot];
        if (head + count == stores.length) {
            if (head > 0) {
                System.arraycopy(stores, head, stores, 0, count);
                head = 0;
                slotHead[slot] = 0;
            } else {
                stores = Arrays.copyOf(stores, stores.length * 2);
                slotStores[slot] = stores;
            }
        }
        stores[head + count] = granule;
        slotCount[slot] = count + 1;
        if (count == 0) {
            activate(slot);
        }
    }

    private void flush(long offset, long length) {
        long firstLine = offset >>> LINE_SHIFT;
        long lastLine = (offset + length - 1) >>> LINE_SHIFT;
        if (lastLine - firstLine + 1 <= activeCount) {
            for (long line = firstLine; line <= lastLine; line++) {
                int slot = lineTable.get(line);
                if (slot >= 0 && slotCount[slot] > 0) {
                    markFlushed(slot);
                }
            }
        } else {
            // a range wider than the set of dirty lines: visit the dirty lines instead
            for (int i = 0; i < activeCount; i++) {
                int slot = active[i];
                long line = slotLine[slot];
                if (line >= firstLine && line <= lastLine) {
                    markFlushed(slot);
                }
            }
        }
    }

    private void markFlushed(int slot) {
        if (slotFlushed[slot] == 0) {
            if (drainCount == drainList.length) {
                drainList = Arrays.copyOf(drainList, drainCount * 2);
            }
            drainList[drainCount++] = slot;
        }
        slotFlushed[slot] = slotCount[slot];
    }

    /** The drain's effect: every flushed store becomes guaranteed and joins the durable image. */
    private void completeDrain() {
        for (int i = 0; i < drainCount; i++) {
            int slot = drainList[i];
            int[] stores = slotStores[slot];
            int head = slotHead[slot];
            int flushed = slotFlushed[slot];
            for (int k = 0; k < flushed; k++) {
                int g = stores[head + k];
                image.applyDurable(trace.granuleOffset(g), trace.granuleValue(g));
            }
            slotHead[slot] = head + flushed;
            slotCount[slot] -= flushed;
            slotFlushed[slot] = 0;
            if (slotCount[slot] == 0) {
                slotHead[slot] = 0;
                deactivate(slot);
            }
        }
        drainCount = 0;
    }

    private void activate(int slot) {
        if (activeCount == active.length) {
            active = Arrays.copyOf(active, activeCount * 2);
        }
        slotActivePos[slot] = activeCount;
        active[activeCount++] = slot;
    }

    private void deactivate(int slot) {
        int pos = slotActivePos[slot];
        int last = active[--activeCount];
        active[pos] = last;
        slotActivePos[last] = pos;
        slotActivePos[slot] = -1;
    }

    private void growSlots() {
        int n = slotLine.length * 2;
        slotLine = Arrays.copyOf(slotLine, n);
        slotStores = Arrays.copyOf(slotStores, n);
        slotHead = Arrays.copyOf(slotHead, n);
        slotCount = Arrays.copyOf(slotCount, n);
        slotFlushed = Arrays.copyOf(slotFlushed, n);
        slotActivePos = Arrays.copyOf(slotActivePos, n);
    }

    /** Fills {@link #inFlight} with the dirty lines, ordered by their oldest pending store. */
    private void collectInFlight() {
        long[] order = new long[activeCount];
        int n = 0;
        for (int i = 0; i < activeCount; i++) {
            int slot = active[i];
            int inFlightCount = unflushedInFlight ? slotCount[slot] : slotFlushed[slot];
            if (inFlightCount > 0) {
                // sort key: oldest pending store (program order) in the high bits, slot in the low bits
                order[n++] = ((long) slotStores[slot][slotHead[slot]] << 32) | slot;
            }
        }
        Arrays.sort(order, 0, n);
        inFlight.reset(n);
        for (int i = 0; i < n; i++) {
            int slot = (int) order[i];
            int count = unflushedInFlight ? slotCount[slot] : slotFlushed[slot];
            inFlight.addLine(slotLine[slot], slotStores[slot], slotHead[slot], count, slotFlushed[slot]);
        }
        inFlight.finish();
    }
}
