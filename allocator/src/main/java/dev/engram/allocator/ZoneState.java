package dev.engram.allocator;

/**
 * Volatile state of one zone, built from its chunk headers the first time the zone is needed.
 * Guarded by the {@link ChunkSpace} lock (the per-run state by each run's own lock).
 */
final class ZoneState {
    static final byte SPAN_NONE = 0;
    static final byte SPAN_RESERVED = 1;
    static final byte SPAN_PUBLISHED = 2;
    static final byte SPAN_FREEING = 3;

    final int index;
    final long base;
    final long dataStart;
    int chunkCount;
    /**
     * Set (under the chunk-space lock) after the arrays are built: a reader that sees it true may
     * read {@link #runs} without the lock, as {@link ChunkSpace#runHint} does.
     */
    volatile boolean loaded;
    /** The run covering each chunk, or null. */
    RunState[] runs;
    /** At a used span's first chunk: its length in chunks. */
    int[] spanLength;
    /** At a used span's first chunk: SPAN_RESERVED, SPAN_PUBLISHED or SPAN_FREEING. */
    byte[] spanState;
    /** At a free span's first chunk: its length; 0 elsewhere. */
    int[] freeLengthAt;
    /** At a free span's last chunk: its first chunk; -1 elsewhere. */
    int[] freeStartAt;

    ZoneState(int index, long base, long dataStart, int chunkCount) {
        this.index = index;
        this.base = base;
        this.dataStart = dataStart;
        this.chunkCount = chunkCount;
    }

    void allocateArrays(int chunksPerZone) {
        runs = new RunState[chunksPerZone];
        spanLength = new int[chunksPerZone];
        spanState = new byte[chunksPerZone];
        freeLengthAt = new int[chunksPerZone];
        freeStartAt = new int[chunksPerZone];
        java.util.Arrays.fill(freeStartAt, -1);
    }

    long chunkOffset(int chunk) {
        return ZoneLayout.chunkOffset(dataStart, chunk);
    }

    long chunkHeaderOffset(int chunk) {
        return ZoneLayout.chunkHeaderOffset(base, chunk);
    }
}
