package dev.engram.pool.medium;

/** Forced pmem through MemorySegment.force(): msync on this non-DAX mapping, but the same contract. */
class MappedForceMediumTest extends ForcedPmemMediumTest {
    @Override
    WriteBackPath path() {
        return WriteBackPath.MAPPED_FORCE;
    }
}
