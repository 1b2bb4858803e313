package dev.engram.allocator;

/**
 * A set of per-class current runs that one or a few threads reserve from, so that threads on
 * different arenas never contend on the same run. Guarded by its own monitor; the first lock in
 * the heap's lock order.
 */
final class Arena {
    final int id;
    final RunState[] current = new RunState[SizeClasses.COUNT];

    Arena(int id) {
        this.id = id;
    }
}
