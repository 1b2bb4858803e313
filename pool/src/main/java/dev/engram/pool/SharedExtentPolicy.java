package dev.engram.pool;

/**
 * What an open does with a pool whose extents are shared with a reflink clone (DESIGN.md §2.3):
 * such extents must never be DAX-mapped for writing, since stores through a DAX mapping would
 * bypass the file system's copy-on-write and change the other file too.
 */
public enum SharedExtentPolicy {
    /** Unshare the extents first (fallocate FALLOC_FL_UNSHARE_RANGE), then map as the policy says. */
    UNSHARE,
    /** Keep the extents shared and use the page cache, which copies on write. */
    PAGE_CACHE
}
