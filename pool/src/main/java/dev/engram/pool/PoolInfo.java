package dev.engram.pool;

import dev.engram.pool.medium.MediumKind;

import java.nio.file.Path;
import java.util.UUID;

/**
 * What {@code engram info} shows about an open pool: identity, geometry, the medium in use and why,
 * and the state it was found in.
 *
 * @param path                the pool file, or null for an attached image
 * @param uuid                the pool's identity (new for each clone)
 * @param layout              the layout name recorded at create, "" for none
 * @param majorVersion        format major version of the pool
 * @param minorVersion        format minor version of the pool
 * @param creationTimeMillis  when the pool was created, in ms since the epoch
 * @param poolSize            bytes, the file length
 * @param maxPoolSize         growth limit in bytes (equal to {@code poolSize} when the pool never grows)
 * @param laneCount           lanes: the most transactions that can run at once
 * @param laneSize            bytes per lane
 * @param heapOffset          pool offset of the heap region
 * @param heapSize            bytes in the heap region
 * @param mediumKind          how stores become durable on the medium in use
 * @param mediumReason        why that medium was chosen (e.g. why DAX was not used)
 * @param readOnly            the pool was opened read-only
 * @param cleanShutdownAtOpen the header said "closed cleanly" when this open found it
 * @param recoveryNeeded      the layers above had to recover the pool at this open
 * @param shutdownCount       the device's unsafe-shutdown counter, or -1 where the device has none
 * @param unsafeShutdown      the counter changed since the last open: the device lost power with data in flight
 * @param headerRepaired      null, or what was wrong with the header copy that was not used
 * @param compatFeatures      compat feature bits ({@link PoolFeatures})
 * @param incompatFeatures    incompat feature bits
 * @param roCompatFeatures    ro-compat feature bits
 * @param sharedFraction      fraction of the file in extents shared with a reflink clone (0 where unknown)
 * @param badRanges           known bad ranges inside the heap
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
