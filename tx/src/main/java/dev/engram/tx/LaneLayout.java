package dev.engram.tx;

import dev.engram.pool.InvalidOptionException;

/**
 * Descriptor of one lane (DESIGN.md §4.2): the inline undo log, then the redo-log region handed to
 * the heap for publishing allocations and frees. Lane {@code i} starts at
 * {@code Pool.laneOffset(i)} and is {@code laneSize} bytes long.
 * <pre>
 * offset          | size            | field     | unit  | range / meaning
 * ----------------+-----------------+-----------+-------+----------------------------------------
 *               0 | undoSize        | undo log  | bytes | {@link UndoLogLayout}; laneSize - redoSize
 * laneSize-redoSz | redoSize        | redo log  | bytes | the heap's redo log (its own format);
 *                 |                 |           |       | max(1 KiB, laneSize / 4), 64-aligned
 * </pre>
 * Why this split: a small transaction's undo entries (16 bytes of header plus the data) dominate;
 * the redo log holds a few 16-byte entries per allocation or free, so a quarter of the lane (at
 * least 1 KiB: 60 entries) covers dozens of allocations in one transaction.
 */
public final class LaneLayout {
    /** Smallest lane the transaction layer accepts. */
    public static final int MIN_LANE_SIZE = 2048;
    /** Smallest redo region. */
    public static final int MIN_REDO_SIZE = 1024;

    private final int laneSize;
    private final int undoSize;
    private final int redoSize;

    private LaneLayout(int laneSize) {
        this.laneSize = laneSize;
        int redo = (int) Math.max(MIN_REDO_SIZE, (laneSize / 4) & ~63L);
        this.redoSize = redo;
        this.undoSize = laneSize - redo;
        if (undoSize + redoSize != laneSize || undoSize < UndoLogLayout.MIN_BUFFER) {
            throw new IllegalStateException("lane split does not add up: laneSize=" + laneSize);
        }
    }

    /**
     * The layout of lanes of {@code laneSize} bytes, rejected when too small or misaligned.
     *
     * @param laneSize bytes per lane, as the pool header records it
     * @return the layout
     * @throws dev.engram.pool.InvalidOptionException if {@code laneSize} is below {@link #MIN_LANE_SIZE} or not a
     *         multiple of 64
     */
    public static LaneLayout of(int laneSize) {
        if (laneSize < MIN_LANE_SIZE || (laneSize & 63) != 0) {
            throw new InvalidOptionException("lane size " + laneSize + " must be a multiple of 64 and at least "
                    + MIN_LANE_SIZE + " for transactions; create the pool with PoolOptions.withLanes(count, size)");
        }
        return new LaneLayout(laneSize);
    }

    /** {@return bytes per lane} */
    public int laneSize() {
        return laneSize;
    }

    /** {@return bytes of the inline undo log at the start of each lane} */
    public int undoSize() {
        return undoSize;
    }

    /** {@return bytes of the redo region at the end of each lane} */
    public int redoSize() {
        return redoSize;
    }

    /**
     * Offset of the undo log of the lane at {@code laneBase}.
     *
     * @param laneBase pool offset of the lane
     * @return the pool offset of its undo log
     */
    public long undoOffset(long laneBase) {
        return laneBase;
    }

    /**
     * Offset of the redo region of the lane at {@code laneBase}.
     *
     * @param laneBase pool offset of the lane
     * @return the pool offset of its redo region
     */
    public long redoOffset(long laneBase) {
        return laneBase + undoSize;
    }
}
