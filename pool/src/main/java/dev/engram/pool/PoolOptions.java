package dev.engram.pool;

import dev.engram.pool.medium.WriteBackPath;

import java.time.Duration;
import java.util.Objects;

/**
 * Options for creating and opening a pool. Immutable: each {@code withXxx} returns a changed copy.
 *
 * <pre>{@code
 * PoolOptions o = PoolOptions.defaults().withLayout("orders").withSize(64 << 20).withPolicy(MappingPolicy.AUTO);
 * }</pre>
 */
public final class PoolOptions implements Cloneable {
    /** Pool size used at create when none is given: 64 MiB. */
    public static final long DEFAULT_SIZE = 64L << 20;
    /** Lanes (concurrent transaction slots, each with its own undo log) created by default. */
    public static final int DEFAULT_LANE_COUNT = 16;
    /** Bytes per lane created by default: 16 KiB. */
    public static final int DEFAULT_LANE_SIZE = 16 << 10;

    // Not final only so that a wither can change one field of its private copy.
    private String layout;
    private long size = DEFAULT_SIZE;
    private long maxSize;
    private int laneCount = DEFAULT_LANE_COUNT;
    private int laneSize = DEFAULT_LANE_SIZE;
    private MappingPolicy policy = MappingPolicy.AUTO;
    private WriteBackPath writeBackPath = WriteBackPath.DEFAULT;
    private boolean readOnly;
    private Duration lockTimeout = Duration.ZERO;
    private boolean sparse;
    private SharedExtentPolicy sharedExtents = SharedExtentPolicy.UNSHARE;
    private UnsafeShutdownCounter shutdownCounter = UnsafeShutdownCounter.system();
    private BadBlockSource badBlocks = new SysfsBadBlockSource();

    private PoolOptions() {
    }

    /**
     * Layout unchecked (created as ""), 64 MiB, no growth, 16 lanes of 16 KiB, AUTO mapping, the default
     * write-back path, fail at once when busy, blocks reserved at create, shared extents unshared
     * before a DAX mapping, the device's own unsafe-shutdown counter and bad-block list.
     *
     * @return a fresh set of default options
     */
    public static PoolOptions defaults() {
        return new PoolOptions();
    }

    private PoolOptions copy() {
        try {
            return (PoolOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Layout name recorded at create and checked at open when non-null (UTF-8, at most 1024 bytes).
     *
     * @param v the layout name, or null to accept any layout at open (and record "" at create)
     * @return a copy with the layout changed
     */
    public PoolOptions withLayout(String v) {
        PoolOptions c = copy();
        c.layout = v;
        return c;
    }

    /**
     * Size at create, bytes, a multiple of 4096 and at least 1 MiB.
     *
     * @param v pool size in bytes; checked by create, which throws {@link InvalidOptionException} if it is not
     *          page-aligned or is below 1 MiB or leaves no room for a heap after the lanes
     * @return a copy with the size changed
     */
    public PoolOptions withSize(long v) {
        PoolOptions c = copy();
        c.size = v;
        return c;
    }

    /**
     * Growth limit at create; 0 means the pool never grows past its size.
     *
     * @param v the largest size in bytes the pool may grow to: 0, or a multiple of 4096 not below the size
     *          (checked by create)
     * @return a copy with the growth limit changed
     */
    public PoolOptions withMaxSize(long v) {
        PoolOptions c = copy();
        c.maxSize = v;
        return c;
    }

    /**
     * Lane count and lane size in bytes, at create.
     *
     * @param count     number of lanes, 1 to 1024: the most transactions that can run at once
     * @param sizeBytes bytes per lane, a positive multiple of 64 (the cache line)
     * @return a copy with the lane geometry changed
     */
    public PoolOptions withLanes(int count, int sizeBytes) {
        PoolOptions c = copy();
        c.laneCount = count;
        c.laneSize = sizeBytes;
        return c;
    }

    /**
     * How the pool is mapped: DAX, page cache or forced pmem (see {@link MappingPolicy}).
     *
     * @param v the policy, not null
     * @return a copy with the policy changed
     * @throws NullPointerException if {@code v} is null
     */
    public PoolOptions withPolicy(MappingPolicy v) {
        PoolOptions c = copy();
        c.policy = Objects.requireNonNull(v, "policy");
        return c;
    }

    /**
     * Which CPU write-back instructions flush stores on DAX and forced-pmem media; ignored on the page
     * cache, where drain is an msync.
     *
     * @param v the write-back path, not null
     * @return a copy with the write-back path changed
     * @throws NullPointerException if {@code v} is null
     */
    public PoolOptions withWriteBackPath(WriteBackPath v) {
        PoolOptions c = copy();
        c.writeBackPath = Objects.requireNonNull(v, "writeBackPath");
        return c;
    }

    /**
     * Map read-only and share the lock with other readers; nothing is written, not even the header.
     *
     * @param v true to open read-only; create rejects it with {@link InvalidOptionException}
     * @return a copy with the read-only flag changed
     */
    public PoolOptions withReadOnly(boolean v) {
        PoolOptions c = copy();
        c.readOnly = v;
        return c;
    }

    /**
     * How long an open waits for a busy pool before {@link PoolBusyException}; zero fails at once.
     *
     * @param v the longest wait for another process's lock, not null
     * @return a copy with the lock timeout changed
     * @throws NullPointerException if {@code v} is null
     */
    public PoolOptions withLockTimeout(Duration v) {
        PoolOptions c = copy();
        c.lockTimeout = Objects.requireNonNull(v, "lockTimeout");
        return c;
    }

    /**
     * Create the file without reserving its blocks (benchmarks of huge pools); a full disk then shows up late.
     *
     * @param v true to leave the file sparse at create
     * @return a copy with the sparse flag changed
     */
    public PoolOptions withSparse(boolean v) {
        PoolOptions c = copy();
        c.sparse = v;
        return c;
    }

    /**
     * What an open does when the pool shares extents with a reflink clone (see {@link SharedExtentPolicy}).
     *
     * @param v the policy, not null
     * @return a copy with the shared-extent policy changed
     * @throws NullPointerException if {@code v} is null
     */
    public PoolOptions withSharedExtents(SharedExtentPolicy v) {
        PoolOptions c = copy();
        c.sharedExtents = Objects.requireNonNull(v, "sharedExtents");
        return c;
    }

    /**
     * Where the device's unsafe-shutdown count comes from; {@link UnsafeShutdownCounter#NONE} ignores it.
     *
     * @param v the counter source, not null
     * @return a copy with the counter source changed
     * @throws NullPointerException if {@code v} is null
     */
    public PoolOptions withShutdownCounter(UnsafeShutdownCounter v) {
        PoolOptions c = copy();
        c.shutdownCounter = Objects.requireNonNull(v, "shutdownCounter");
        return c;
    }

    /**
     * Where known bad ranges come from; a bad range in the pool's metadata refuses the open.
     *
     * @param v the bad-block source, not null
     * @return a copy with the bad-block source changed
     * @throws NullPointerException if {@code v} is null
     */
    public PoolOptions withBadBlocks(BadBlockSource v) {
        PoolOptions c = copy();
        c.badBlocks = Objects.requireNonNull(v, "badBlocks");
        return c;
    }

    /** {@return the layout name to record or check, or null for "any layout"} */
    public String layout() {
        return layout;
    }

    /** {@return the pool size in bytes used at create} */
    public long size() {
        return size;
    }

    /** {@return the growth limit in bytes; 0 means no growth past {@link #size()}} */
    public long maxSize() {
        return maxSize;
    }

    /** {@return the number of lanes created} */
    public int laneCount() {
        return laneCount;
    }

    /** {@return bytes per lane} */
    public int laneSize() {
        return laneSize;
    }

    /** {@return how the pool is to be mapped} */
    public MappingPolicy policy() {
        return policy;
    }

    /** {@return the CPU write-back path for DAX and forced-pmem media} */
    public WriteBackPath writeBackPath() {
        return writeBackPath;
    }

    /** {@return whether the pool is opened read-only} */
    public boolean readOnly() {
        return readOnly;
    }

    /** {@return how long an open waits for a busy pool; zero fails at once} */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /** {@return whether create leaves the file sparse instead of reserving its blocks} */
    public boolean sparse() {
        return sparse;
    }

    /** {@return what an open does with extents shared with a reflink clone} */
    public SharedExtentPolicy sharedExtents() {
        return sharedExtents;
    }

    /** {@return where the device's unsafe-shutdown count comes from} */
    public UnsafeShutdownCounter shutdownCounter() {
        return shutdownCounter;
    }

    /** {@return where the device's known bad ranges come from} */
    public BadBlockSource badBlocks() {
        return badBlocks;
    }
}
