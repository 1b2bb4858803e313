package dev.engram.pool;

import dev.engram.pool.medium.WriteBackPath;

import java.time.Duration;
import java.util.Objects;

/**
 * Options for creating and opening a pool. Immutable; each {@code withXxx} returns a copy.
 *
 * <pre>{@code
 * PoolOptions o = PoolOptions.defaults().withLayout("orders").withSize(64 << 20).withPolicy(MappingPolicy.AUTO);
 * }</pre>
 */
public final class PoolOptions {
    public static final long DEFAULT_SIZE = 64L << 20;
    public static final int DEFAULT_LANE_COUNT = 16;
    public static final int DEFAULT_LANE_SIZE = 16 << 10;

    private final String layout;
    private final long size;
    private final long maxSize;
    private final int laneCount;
    private final int laneSize;
    private final MappingPolicy policy;
    private final WriteBackPath writeBackPath;
    private final boolean readOnly;
    private final Duration lockTimeout;
    private final boolean sparse;
    private final SharedExtentPolicy sharedExtents;
    private final UnsafeShutdownCounter shutdownCounter;

    private PoolOptions(String layout, long size, long maxSize, int laneCount, int laneSize, MappingPolicy policy,
                        WriteBackPath writeBackPath, boolean readOnly, Duration lockTimeout, boolean sparse,
                        SharedExtentPolicy sharedExtents, UnsafeShutdownCounter shutdownCounter) {
        this.layout = layout;
        this.size = size;
        this.maxSize = maxSize;
        this.laneCount = laneCount;
        this.laneSize = laneSize;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.writeBackPath = Objects.requireNonNull(writeBackPath, "writeBackPath");
        this.readOnly = readOnly;
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
        this.sparse = sparse;
        this.sharedExtents = Objects.requireNonNull(sharedExtents, "sharedExtents");
        this.shutdownCounter = Objects.requireNonNull(shutdownCounter, "shutdownCounter");
    }

    /** Layout unchecked (null: created as ""), 64 MiB, no growth, 16 lanes of 16 KiB, AUTO mapping, default write-back path, fail at once when busy. */
    public static PoolOptions defaults() {
        return new PoolOptions(null, DEFAULT_SIZE, 0, DEFAULT_LANE_COUNT, DEFAULT_LANE_SIZE, MappingPolicy.AUTO,
                WriteBackPath.DEFAULT, false, Duration.ZERO, false, SharedExtentPolicy.UNSHARE,
                UnsafeShutdownCounter.system());
    }

    /** Layout name recorded at create and checked at open when non-null (UTF-8, at most 1024 bytes). */
    public PoolOptions withLayout(String v) {
        return new PoolOptions(v, size, maxSize, laneCount, laneSize, policy, writeBackPath, readOnly, lockTimeout, sparse, sharedExtents, shutdownCounter);
    }

    /** Size at create, bytes, a multiple of 4096 and at least 1 MiB. */
    public PoolOptions withSize(long v) {
        return new PoolOptions(layout, v, maxSize, laneCount, laneSize, policy, writeBackPath, readOnly, lockTimeout, sparse, sharedExtents, shutdownCounter);
    }

    /** Growth limit at create; 0 means the pool never grows past its size. */
    public PoolOptions withMaxSize(long v) {
        return new PoolOptions(layout, size, v, laneCount, laneSize, policy, writeBackPath, readOnly, lockTimeout, sparse, sharedExtents, shutdownCounter);
    }

    public PoolOptions withLanes(int count, int sizeBytes) {
        return new PoolOptions(layout, size, maxSize, count, sizeBytes, policy, writeBackPath, readOnly, lockTimeout, sparse, sharedExtents, shutdownCounter);
    }

    public PoolOptions withPolicy(MappingPolicy v) {
        return new PoolOptions(layout, size, maxSize, laneCount, laneSize, v, writeBackPath, readOnly, lockTimeout, sparse, sharedExtents, shutdownCounter);
    }

    public PoolOptions withWriteBackPath(WriteBackPath v) {
        return new PoolOptions(layout, size, maxSize, laneCount, laneSize, policy, v, readOnly, lockTimeout, sparse, sharedExtents, shutdownCounter);
    }

    /** Map read-only and share the lock with other readers; nothing is written, not even the header. */
    public PoolOptions withReadOnly(boolean v) {
        return new PoolOptions(layout, size, maxSize, laneCount, laneSize, policy, writeBackPath, v, lockTimeout, sparse, sharedExtents, shutdownCounter);
    }

    /** How long an open waits for a busy pool before {@link PoolBusyException}; zero fails at once. */
    public PoolOptions withLockTimeout(Duration v) {
        return new PoolOptions(layout, size, maxSize, laneCount, laneSize, policy, writeBackPath, readOnly, v, sparse, sharedExtents, shutdownCounter);
    }

    /** Create the file without reserving its blocks (benchmarks of huge pools); a full disk then shows up late. */
    public PoolOptions withSparse(boolean v) {
        return new PoolOptions(layout, size, maxSize, laneCount, laneSize, policy, writeBackPath, readOnly, lockTimeout, v, sharedExtents, shutdownCounter);
    }

    public PoolOptions withSharedExtents(SharedExtentPolicy v) {
        return new PoolOptions(layout, size, maxSize, laneCount, laneSize, policy, writeBackPath, readOnly, lockTimeout, sparse, v, shutdownCounter);
    }

    /** Where the device's unsafe-shutdown count comes from; {@link UnsafeShutdownCounter#NONE} ignores it. */
    public PoolOptions withShutdownCounter(UnsafeShutdownCounter v) {
        return new PoolOptions(layout, size, maxSize, laneCount, laneSize, policy, writeBackPath, readOnly, lockTimeout, sparse, sharedExtents, v);
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
}
