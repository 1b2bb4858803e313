package dev.engram.pool.medium;

/** How stores on a medium become durable (DESIGN.md §2.1). */
public enum MediumKind {
    /** MAP_SYNC mapping of a DAX file: CPU cache write-back plus a fence. */
    DAX,
    /** Plain shared mapping: dirty ranges are msync'ed on drain. */
    PAGE_CACHE,
    /** CPU cache write-back on a mapping that is not DAX (tests and benchmarks, like PMEM_IS_PMEM_FORCE). */
    FORCED_PMEM,
    /** Volatile memory with no file behind it: unit tests and crash-image overlays. */
    MEMORY
}
