/**
 * Engram's persistent heap: zones of chunks, size-classed runs with persistent bitmaps, chunk spans
 * for large objects, and the redo log that publishes allocations and frees atomically
 * (DESIGN.md §3).
 */
module dev.engram.allocator {
    requires transitive dev.engram.pool;

    exports dev.engram.allocator;
}
