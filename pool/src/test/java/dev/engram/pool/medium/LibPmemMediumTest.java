package dev.engram.pool.medium;

/** Forced pmem through libpmem's pmem_flush/pmem_drain (installed by .ci/run). */
class LibPmemMediumTest extends ForcedPmemMediumTest {
    @Override
    WriteBackPath path() {
        return WriteBackPath.LIBPMEM;
    }
}
