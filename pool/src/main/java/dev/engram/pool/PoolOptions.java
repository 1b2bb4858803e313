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
    public static final long DEFAULT_SIZE = 64L << 20;
    public static final int DEFAULT_LANE_COUNT = 16;
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

    /** Layout name recorded at create and checked at open when non-null (UTF-8, at most 1024 bytes). */
    public PoolOptions withLayout(String v) {
        PoolOptions c = copy();
        c.layout = v;
        return c;
    }

    /** Size at create, bytes, a multiple of 4096 and at least 1 MiB. */
    public PoolOptions withSize(long v) {
        PoolOptions c = copy();
        c.size = v;
        return c;
    }

    /** Growth limit at create; 0 means the pool never grows past its size. */
    public PoolOptions withMaxSize(long v) {
        PoolOptions c = copy();
        c.maxSize = v;
        return c;
    }

    /** Lane count and lane size in bytes, at create. */
    public PoolOptions withLanes(int count, int sizeBytes) {
        PoolOptions c = copy();
        c.laneCount = count;
        c.laneSize = sizeBytes;
        return c;
    }

    public PoolOptions withPolicy(MappingPolicy v) {
        PoolOptions c = copy();
        c.policy = Objects.requireNonNull(v, "policy");
        return c;
    }

    public PoolOptions withWriteBackPath(WriteBackPath v) {
        PoolOptions c = copy();
        c.writeBackPath = Objects.requireNonNull(v, "writeBackPath");
        return c;
    }

    /** Map read-only and share the lock with other readers; nothing is written, not even the header. */
    public PoolOptions withReadOnly(boolean v) {
        PoolOptions c = copy();
        c.readOnly = v;
        return c;
    }

    /** How long an open waits for a busy pool before {@link PoolBusyException}; zero fails at once. */
    public PoolOptions withLockTimeout(Duration v) {
        PoolOptions c = copy();
        c.lockTimeout = Objects.requireNonNull(v, "lockTimeout");
        return c;
    }

    /** Create the file without reserving its blocks (benchmarks of huge pools); a full disk then shows up late. */
    public PoolOptions withSparse(boolean v) {
        PoolOptions c = copy();
        c.sparse = v;
        return c;
    }

    public PoolOptions withSharedExtents(SharedExtentPolicy v) {
        PoolOptions c = copy();
        c.sharedExtents = Objects.requireNonNull(v, "sharedExtents");
        return c;
    }

    /** Where the device's unsafe-shutdown count comes from; {@link UnsafeShutdownCounter#NONE} ignores it. */
    public PoolOptions withShutdownCounter(UnsafeShutdownCounter v) {
        PoolOptions c = copy();
        c.shutdownCounter = Objects.requireNonNull(v, "shutdownCounter");
        return c;
    }

    /** Where known bad ranges come from; a bad range in the pool's metadata refuses the open. */
    public PoolOptions withBadBlocks(BadBlockSource v) {
        PoolOptions c = copy();
        c.badBlocks = Objects.requireNonNull(v, "badBlocks");
        return c;
    }

    public String layout() {
        return layout;
    }

    public long size() {
        return size;
    }

    public long maxSize() {
        return maxSize;
    }

    public int laneCount() {
        return laneCount;
    }

    public int laneSize() {
        return laneSize;
    }

    public MappingPolicy policy() {
        return policy;
    }

    public WriteBackPath writeBackPath() {
        return writeBackPath;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }

    public boolean sparse() {
        return sparse;
    }

    public SharedExtentPolicy sharedExtents() {
        return sharedExtents;
    }

    public UnsafeShutdownCounter shutdownCounter() {
        return shutdownCounter;
    }

    public BadBlockSource badBlocks() {
        return badBlocks;
    }
}
