package dev.engram.pool;

import static dev.engram.pool.PoolHeaderLayout.*;

/**
 * Checks a decoded header against what this library supports, the file it came from and the
 * caller's expectations. Each failure is the typed exception for its cause, naming the field,
 * the expected and the actual value.
 */
final class PoolHeaderValidator {
    static final long MIN_POOL_SIZE = 1L << 20;
    static final int MAX_LANES = 1024;

    private PoolHeaderValidator() {
    }

    /** Version and feature checks; {@code readOnly} tolerates unknown ro-compat features. */
    static void checkFormat(PoolHeader h, String where, boolean readOnly) {
        if (h.majorVersion() > MAJOR_VERSION) {
            throw new UnsupportedFormatException(where + ": pool format major version " + h.majorVersion()
                    + " is newer than the supported " + MAJOR_VERSION + "; open it with a newer Engram");
        }
        long unknownIncompat = PoolFeatures.firstUnknown(h.incompatFeatures(), PoolFeatures.KNOWN_INCOMPAT);
        if (unknownIncompat != 0) {
            throw new UnsupportedFormatException(where + ": unknown incompat feature flag 0x"
                    + Long.toHexString(unknownIncompat) + "; this pool needs a newer Engram");
        }
        long unknownRo = PoolFeatures.firstUnknown(h.roCompatFeatures(), PoolFeatures.KNOWN_RO_COMPAT);
        if (unknownRo != 0 && !readOnly) {
            throw new UnsupportedFormatException(where + ": unknown ro-compat feature flag 0x"
                    + Long.toHexString(unknownRo) + "; open it read-only, or with a newer Engram");
        }
    }

    /** Geometry: every offset inside the pool, areas in order and non-overlapping. */
    static void checkGeometry(PoolHeader h, String where) {
        long size = h.poolSize();
        require(size >= MIN_POOL_SIZE && Bits.isAligned(size, Bits.PAGE_SIZE), where, POOL_SIZE_OFFSET, "pool size",
                "a multiple of 4096 >= " + MIN_POOL_SIZE, size);
        require(h.maxPoolSize() >= size && Bits.isAligned(h.maxPoolSize(), Bits.PAGE_SIZE), where,
                MAX_POOL_SIZE_OFFSET, "maximum pool size", "a multiple of 4096 >= pool size " + size, h.maxPoolSize());
        require(h.rootAreaOffset() == ROOT_AREA_OFFSET, where, ROOT_AREA_OFFSET_OFFSET, "root area offset",
                String.valueOf(ROOT_AREA_OFFSET), h.rootAreaOffset());
        require(h.laneCount() >= 1 && h.laneCount() <= MAX_LANES, where, LANE_COUNT_OFFSET, "lane count",
                "1.." + MAX_LANES, h.laneCount());
        require(h.laneSize() >= Bits.CACHE_LINE && Bits.isAligned(h.laneSize(), Bits.CACHE_LINE), where,
                LANE_SIZE_OFFSET, "lane size", "a multiple of 64", h.laneSize());
        require(h.laneAreaOffset() == FIXED_AREA_END, where, LANE_AREA_OFFSET_OFFSET, "lane area offset",
                String.valueOf(FIXED_AREA_END), h.laneAreaOffset());
        require(h.laneAreaSize() == (long) h.laneCount() * h.laneSize(), where, LANE_AREA_SIZE_OFFSET,
                "lane area size", "lane count * lane size = " + (long) h.laneCount() * h.laneSize(), h.laneAreaSize());
        long lanesEnd = h.laneAreaOffset() + h.laneAreaSize();
        require(h.heapOffset() == Bits.alignUp(lanesEnd, Bits.PAGE_SIZE), where, HEAP_OFFSET_OFFSET, "heap offset",
                "the page after the lane area, " + Bits.alignUp(lanesEnd, Bits.PAGE_SIZE), h.heapOffset());
        require(h.heapSize() > 0 && h.heapOffset() + h.heapSize() == size, where, HEAP_SIZE_OFFSET, "heap size",
                "pool size - heap offset = " + (size - h.heapOffset()), h.heapSize());
        require((h.flags() & ~KNOWN_FLAGS) == 0, where, FLAGS_OFFSET, "flags", "only known bits", h.flags());
    }

    private static void require(boolean ok, String where, long offset, String field, String expected, long actual) {
        if (!ok) {
            throw PoolHeader.corrupt(where, offset, field, expected, String.valueOf(actual));
        }
    }
}
