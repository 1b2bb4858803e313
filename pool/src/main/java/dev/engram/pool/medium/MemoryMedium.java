package dev.engram.pool.medium;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A medium in plain memory with no file behind it: for unit tests of the layers above and for
 * crash-image overlays. Flush and drain are counted and otherwise do nothing.
 */
public final class MemoryMedium extends SegmentMedium {
    private final java.util.List<Arena> arenas = new java.util.ArrayList<>();

    private MemoryMedium(Arena arena, MemorySegment segment) {
        super(MediumKind.MEMORY, "memory", segment);
        if (arena != null) {
            arenas.add(arena);
        }
    }

    /**
     * A zeroed medium of {@code size} bytes.
     *
     * @param size bytes, positive
     * @return the medium, page-aligned; close it to free the memory
     */
    public static MemoryMedium allocate(long size) {
        Arena arena = Arena.ofShared();
        return new MemoryMedium(arena, arena.allocate(size, 4096));
    }

    /**
     * A medium over an existing segment (not owned: closing it does not free the segment).
     *
     * @param segment the bytes to use as pool offsets {@code [0, segment.byteSize())}
     * @return the medium
     */
    public static MemoryMedium wrap(MemorySegment segment) {
        return new MemoryMedium(null, segment);
    }

    /**
     * The backing segment, writable: for harnesses that build images directly.
     *
     * @return the current segment; writes to it bypass the bounds checks and the counters
     */
    public MemorySegment segmentForHarness() {
        return segment();
    }

    @Override
    protected void flushChecked(long offset, long length) {
        // memory has no durability to reach
    }

    @Override
    protected void drainChecked() {
        // memory has no durability to reach
    }

    @Override
    public synchronized void grow(long newSize) {
        if (newSize <= size()) {
            return;
        }
        Arena bigger = Arena.ofShared();
        MemorySegment larger = bigger.allocate(newSize, 4096);
        larger.copyFrom(segment());
        replaceSegment(larger);
        // Older arenas stay open until close: other threads may still hold slices of them.
        arenas.add(bigger);
    }

    @Override
    public synchronized void close() {
        for (Arena a : arenas) {
            a.close();
        }
        arenas.clear();
    }
}
