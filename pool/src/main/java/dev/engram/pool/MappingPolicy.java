package dev.engram.pool;

/** How a pool is mapped (DESIGN.md §2.1). */
public enum MappingPolicy {
    /** DAX if the file supports a MAP_SYNC mapping, else the page cache; {@code info()} says which and why. */
    AUTO,
    /** DAX or a {@link DaxUnavailableException} at once: never degrade silently. */
    REQUIRE_DAX,
    /** Always the page cache: drain msyncs the dirty pages. */
    PAGE_CACHE,
    /** CPU cache write-back on any mapping (tmpfs, disk): tests and benchmarks, like PMEM_IS_PMEM_FORCE=1. */
    FORCE_PMEM
}
