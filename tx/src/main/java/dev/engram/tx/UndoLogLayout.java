package dev.engram.tx;

/**
 * Descriptor of the undo log's bytes: the inline log at the start of every lane, and the overflow
 * buffers allocated from the heap when the inline log is full. No other class holds an undo-log
 * offset. All fields little-endian.
 *
 * <p>Log header (one cache line, at the start of the inline log):
 * <pre>
 * offset | size | field            | unit  | range / meaning
 * -------+------+------------------+-------+-------------------------------------------------
 *      0 |    8 | generation       | count | current generation; entries checksummed with any
 *        |      |                  |       | other value are invalid (one store retires all)
 *      8 |    8 | firstOverflow    | bytes | pool offset of the first overflow buffer, 0 = none
 *     16 |   48 | reserved         |       | written as zero
 *     64 |  ... | entries          |       | up to the end of the inline region
 * </pre>
 *
 * <p>Overflow buffer header (one cache line, at the start of a heap block):
 * <pre>
 * offset | size | field            | unit  | range / meaning
 * -------+------+------------------+-------+-------------------------------------------------
 *      0 |    8 | nextOverflow     | bytes | pool offset of the next buffer, 0 = last
 *      8 |    8 | capacity         | bytes | length of this buffer, header included, 128..2^31
 *     16 |   48 | reserved         |       | written as zero
 *     64 |  ... | entries          |       | up to capacity
 * </pre>
 *
 * <p>Entry (8-byte aligned, entries follow each other without gaps):
 * <pre>
 * offset | size        | field    | unit  | range / meaning
 * -------+-------------+----------+-------+-----------------------------------------------------
 *      0 |           8 | target   | bytes | pool offset of the saved range
 *      8 |           4 | length   | bytes | length of the saved range, 1..capacity-80
 *     12 |           4 | checksum | crc   | CRC32C of (generation, log base, target, length,
 *        |             |          |       | CRC32C(data)); see CHECKSUM_INPUT
 *     16 | align8(len) | data     | bytes | the range's bytes before the transaction, zero padded
 * </pre>
 * The checksum input is 32 little-endian bytes: generation (8), the pool offset of the lane's
 * inline log (8), target (8), length (4), CRC32C of the data (4). The log base makes entries left
 * in an overflow buffer by one lane invalid for any other lane that links the buffer later.
 * A scan of one buffer stops at the first entry whose checksum does not match the current
 * generation: entries are appended in order and each addRange drains before its range changes, so
 * every entry whose range may have changed lies before the first invalid one.
 */
public final class UndoLogLayout {
    /** Offset of the generation word in the log header. */
    public static final int GENERATION_OFFSET;
    /** Offset of the first overflow pointer in the log header. */
    public static final int FIRST_OVERFLOW_OFFSET;
    /** Offset of the next pointer in an overflow buffer header. */
    public static final int NEXT_OVERFLOW_OFFSET;
    /** Offset of the capacity in an overflow buffer header. */
    public static final int CAPACITY_OFFSET;
    /** Length of either header; entries start here. */
    public static final int HEADER_LENGTH = 64;

    /** Offset in an entry of the saved range's pool offset (8 bytes). */
    public static final int ENTRY_TARGET_OFFSET;
    /** Offset in an entry of the saved range's length (4 bytes). */
    public static final int ENTRY_LENGTH_OFFSET;
    /** Offset in an entry of its checksum (4 bytes). */
    public static final int ENTRY_CHECKSUM_OFFSET;
    /** Offset in an entry of the saved bytes. */
    public static final int ENTRY_DATA_OFFSET;

    /** Bytes the entry checksum is computed over (see the class Javadoc). */
    public static final int CHECKSUM_INPUT = 3 * Long.BYTES + 2 * Integer.BYTES;

    /** Smallest overflow buffer: a header and one 64-byte entry. */
    public static final int MIN_BUFFER = HEADER_LENGTH + 16 + 64;
    /** Largest overflow buffer; larger ranges are split over several entries. */
    public static final int MAX_BUFFER = 1 << 30;

    static {
        int offset = 0;
        GENERATION_OFFSET = offset;
        offset += Long.BYTES;
        FIRST_OVERFLOW_OFFSET = offset;
        offset += Long.BYTES;
        if (offset > HEADER_LENGTH) {
            throw new ExceptionInInitializerError("undo log header overflows its cache line");
        }
        offset = 0;
        NEXT_OVERFLOW_OFFSET = offset;
        offset += Long.BYTES;
        CAPACITY_OFFSET = offset;
        offset += Long.BYTES;

        offset = 0;
        ENTRY_TARGET_OFFSET = offset;
        offset += Long.BYTES;
        ENTRY_LENGTH_OFFSET = offset;
        offset += Integer.BYTES;
        ENTRY_CHECKSUM_OFFSET = offset;
        offset += Integer.BYTES;
        ENTRY_DATA_OFFSET = offset;
    }

    private UndoLogLayout() {
    }

    /**
     * Bytes an entry of {@code length} data bytes occupies.
     *
     * @param length data bytes
     * @return header plus data rounded up to 8 bytes
     */
    public static long entrySize(long length) {
        return ENTRY_DATA_OFFSET + ((length + 7) & ~7L);
    }

    /**
     * Largest data length that fits in {@code space} bytes of a buffer (0 if none fits).
     *
     * @param space free bytes left in the buffer
     * @return the data length, a multiple of 8
     */
    public static long maxDataFor(long space) {
        long data = (space - ENTRY_DATA_OFFSET) & ~7L;
        return Math.max(0, data);
    }

    /**
     * {@return the pool offset of the generation word of the log at {@code logBase}}
     *
     * @param logBase pool offset of the inline log
     */
    public static long generationOffset(long logBase) {
        return logBase + GENERATION_OFFSET;
    }

    /**
     * {@return the pool offset of the first overflow pointer of the log at {@code logBase}}
     *
     * @param logBase pool offset of the inline log
     */
    public static long firstOverflowOffset(long logBase) {
        return logBase + FIRST_OVERFLOW_OFFSET;
    }

    /**
     * {@return the pool offset of the next pointer of the overflow buffer at {@code bufferBase}}
     *
     * @param bufferBase pool offset of the overflow buffer
     */
    public static long nextOverflowOffset(long bufferBase) {
        return bufferBase + NEXT_OVERFLOW_OFFSET;
    }

    /**
     * {@return the pool offset of the capacity of the overflow buffer at {@code bufferBase}}
     *
     * @param bufferBase pool offset of the overflow buffer
     */
    public static long capacityOffset(long bufferBase) {
        return bufferBase + CAPACITY_OFFSET;
    }

    /**
     * Checks a capacity read from the media.
     *
     * @param capacity the capacity read
     * @return whether it is a multiple of 8 between {@link #MIN_BUFFER} and {@link #MAX_BUFFER}
     */
    public static boolean isValidCapacity(long capacity) {
        return capacity >= MIN_BUFFER && capacity <= MAX_BUFFER && (capacity & 7) == 0;
    }
}
