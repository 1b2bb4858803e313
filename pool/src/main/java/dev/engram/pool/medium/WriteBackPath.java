package dev.engram.pool.medium;

import dev.engram.pool.InvalidOptionException;

/**
 * The CPU write-back paths Engram can use on DAX and forced-pmem media (DESIGN.md §2.1). The default
 * is the fastest correct one measured by {@code bench/}'s {@code WriteBackBenchmark}; see
 * {@code bench/RESULTS.md}.
 */
public enum WriteBackPath {
    /**
     * The JDK's intrinsic {@code jdk.internal.misc.Unsafe.writebackMemory} (CLWB/CLFLUSHOPT + SFENCE),
     * looked up at run time. Needs {@code --add-exports java.base/jdk.internal.misc=<module>}, and
     * {@code --add-opens} of the same package for the faster per-line mode (one fence per drain, not per flush).
     */
    UNSAFE_WRITEBACK,
    /** libpmem's {@code pmem_flush}/{@code pmem_drain} through FFM; needs libpmem.so.1 installed. */
    LIBPMEM,
    /**
     * {@code MemorySegment.force()} on a slice: CPU write-back on a MAP_SYNC mapping (the JDK's own DAX
     * path), msync on any other mapping. Needs no flag; slow outside DAX.
     */
    MAPPED_FORCE;

    /** The default path: chosen by measurement (bench/RESULTS.md). */
    public static final WriteBackPath DEFAULT = UNSAFE_WRITEBACK;

    /**
     * Binds the path, failing with a typed exception that names what is missing.
     *
     * @return the write-back implementation for this path, ready to use
     * @throws dev.engram.pool.MissingJvmFlagException if the path cannot be used in this JVM: the
     *         {@code --add-exports} flag or a CPU write-back intrinsic is missing, or libpmem is not installed
     */
    public CacheWriteBack bind() {
        return switch (this) {
            case UNSAFE_WRITEBACK -> UnsafeWriteBack.create();
            case LIBPMEM -> LibPmemWriteBack.create();
            case MAPPED_FORCE -> MappedForceWriteBack.INSTANCE;
        };
    }

    /**
     * Parses a user-given name such as {@code "libpmem"} or {@code "UNSAFE_WRITEBACK"}.
     *
     * @param name the name, case-insensitive, with {@code -} accepted for {@code _}
     * @return the matching path
     * @throws dev.engram.pool.InvalidOptionException if no path has that name; the message lists the valid ones
     */
    public static WriteBackPath parse(String name) {
        for (WriteBackPath p : values()) {
            if (p.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return p;
            }
        }
        throw new InvalidOptionException("unknown write-back path '" + name + "'; use one of "
                + java.util.Arrays.toString(values()));
    }
}
