package dev.engram.reliability;

import dev.engram.allocator.HeapCheckReport;
import dev.engram.allocator.PersistentHeap;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.Pool;
import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures the reliability campaigns found in pool/ and allocator/, kept as inputs until fixed.
 * Each names the campaign, the input and the proposed fix (see the issue #9 report).
 */
class RegressionTest {
    private Path dir;

    @BeforeEach
    void scratch() throws IOException {
        dir = Files.createTempDirectory(FuzzSeeds.scratchRoot(), "engram-regress");
    }

    @AfterEach
    void clean() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    /**
     * TruncatedMappingTest: {@code SegmentMedium.crc32c} hands the mapped memory to the JDK's CRC32C
     * stub ({@code asByteBuffer} + {@code CRC32C.update}); a SIGBUS inside that stub is not an unsafe
     * access the JVM can turn into an exception, so it kills the JVM ("SIGBUS ... Problematic frame:
     * v ~StubRoutines::updateBytesCRC32C"). Every checksum of a vanished or poisoned page does it:
     * redo-log recovery, the heap header, pool checks.
     */
    @Test
    void crc32cOfATruncatedRangeRaisesMediaErrorInsteadOfKillingTheJvm() throws Exception {
        for (MappingPolicy policy : new MappingPolicy[] {MappingPolicy.PAGE_CACHE, MappingPolicy.FORCE_PMEM}) {
            Map<String, String> r = TruncatedMappingTest.runChild(policy, dir, "crc");
            assertThat(r).containsEntry("crc", "MediaErrorException MEDIA_ERROR").containsEntry("jvm", "alive");
        }
    }

    /**
     * PoolImageMutationFuzzTest, ATTACH, long campaign seed 0x2c56a691400, input seed
     * 0x7126a07429237e87: seed "grown", rechecksummed, steps [geometry:poolSize=1048576,
     * truncate=1182069]. The header (CRC valid) records a 1 MiB pool over a larger image whose bytes
     * past 1 MiB still hold an older, larger heap. The heap opens on 1 MiB and {@code check()} finds
     * it consistent; an allocation that needs growth extends the heap over the stale zone and chunk
     * table without re-initializing them, and {@code check()} then reports block headers of chunks
     * the heap never published. Growth must not trust bytes past the recorded heap end.
     */
    @Test
    void heapGrowthDoesNotAdoptStaleMetadataPastTheRecordedEnd() {
        PoolMutator.Mutated in = PoolImageMutationFuzzTest.inputFor(0x7126a07429237e87L);
        assertThat(in.description()).isEqualTo("seed=grown rechecksum=true length=1182069 steps=[geometry:poolSize=1048576,"
                + " truncate=1182069]");
        try (MemoryMedium m = MemoryMedium.allocate(in.bytes().length)) {
            MemorySegment.copy(in.bytes(), 0, m.segmentForHarness(), ValueLayout.JAVA_BYTE, 0, in.bytes().length);
            Pool pool = Pool.attach(m, EngramStack.LAYOUT);
            PersistentHeap heap = EngramStack.recoverAndOpen(pool, FuzzTargets.GROWTH_CAP);
            assertThat(heap.check().problems()).isEmpty();
            long before = heap.size();
            heap.allocate(48, 3, EngramStack.rootSlot(pool, 500), EngramStack.lane(pool, 0));
            heap.allocate(5000, 4, EngramStack.rootSlot(pool, 501), EngramStack.lane(pool, 0));
            heap.allocate(600_000, 5, 0, EngramStack.lane(pool, 0));
            HeapCheckReport after = heap.check();
            assertThat(after.problems()).as("heap grew from %d bytes to %d", before, heap.size()).isEmpty();
        }
    }
}
