package dev.engram.pool;

import dev.engram.pool.medium.MediumKind;

import java.nio.file.Path;
import java.util.UUID;

/**
 * What {@code engram info} shows about an open pool: identity, geometry, the medium in use and why,
 * and the state it was found in.
 *
 * @param headerRepaired  null, or what was wrong with the header copy that was not used
 * @param shutdownCount   the device's unsafe-shutdown counter, or -1 where the device has none
 * @param unsafeShutdown  the counter changed since the last open: the device lost power with data in flight
 * @param sharedFraction  fraction of the file in extents shared with a reflink clone (0 where unknown)
 * @param badRanges       known bad ranges inside the heap
 */
public record PoolInfo(
        Path path,
        UUID uuid,
        String layout,
        int majorVersion,
        int minorVersion,
        long creationTimeMillis,
        long poolSize,
        long maxPoolSize,
        int laneCount,
        int laneSize,
        long heapOffset,
        long heapSize,
        MediumKind mediumKind,
        String mediumReason,
        boolean readOnly,
        boolean cleanShutdownAtOpen,
        boolean recoveryNeeded,
        long shutdownCount,
        boolean unsafeShutdown,
        String headerRepaired,
        long compatFeatures,
        long incompatFeatures,
        long roCompatFeatures,
        double sharedFraction,
        java.util.List<BadRange> badRanges) {
}
