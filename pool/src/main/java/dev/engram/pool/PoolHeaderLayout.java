package dev.engram.pool;

/**
 * Byte layout of the pool header (DESIGN.md §2.5). Two copies: the primary at file offset 0 and the
 * backup at {@link #BACKUP_OFFSET}. Little-endian. This class is the only holder of header offsets.
 *
 * <pre>
 * offset | size | field               | unit / range
 * -------+------+---------------------+---------------------------------------------------------
 *      0 |    8 | signature           | "ENGRAM\0\1"
 *      8 |    2 | major version       | readers reject a larger major
 *     10 |    2 | minor version       | informational
 *     12 |    4 | header length       | bytes, always 4096
 *     16 |    8 | compat features     | unknown bits ignored
 *     24 |    8 | incompat features   | unknown bits refuse the open
 *     32 |    8 | ro-compat features  | unknown bits allow read-only opens only
 *     40 |   16 | pool UUID           | random, new on create and on clone
 *     56 |    8 | creation time       | ms since the epoch
 *     64 |    8 | pool size           | bytes, multiple of 4096, equals the file length
 *     72 |    8 | maximum pool size   | bytes, the growth limit (= pool size: no growth)
 *     80 |    8 | lane area offset    | bytes from pool start, page-aligned
 *     88 |    8 | lane area size      | bytes = lane count * lane size
 *     96 |    4 | lane count          | 1 .. 1024
 *    100 |    4 | lane size           | bytes, multiple of 64
 *    104 |    8 | heap offset         | bytes, page-aligned, after the lane area
 *    112 |    8 | heap size           | bytes, heap offset + heap size = pool size
 *    120 |    8 | root area offset    | bytes; a page owned by the object layer (root pointer)
 *    128 |    4 | open mode           | MediumKind ordinal + 1 of the last writable open; 0 never
 *    132 |    4 | flags               | bit 0: clean shutdown
 *    136 |    8 | generation          | +1 on every header update; the newer valid copy wins
 *    144 |    8 | unsafe-shutdown cnt | device counter at last open, -1 where none exists
 *    152 |    8 | holder pid          | process that has it open for writing, 0 when closed
 *    160 |    2 | layout name length  | bytes, 0 .. 1024
 *    162 |   94 | reserved            | zero
 *    256 | 1024 | layout name         | UTF-8, zero padded
 *   1280 | 2812 | reserved            | zero
 *   4092 |    4 | CRC32C              | over bytes [0, 4092)
 * </pre>
 */
public final class PoolHeaderLayout {
    /** File offset of the primary header copy. */
    public static final long PRIMARY_OFFSET = 0;
    /** File offset of the backup header copy, written after the primary. */
    public static final long BACKUP_OFFSET = 4096;
    /** Bytes in one header copy, checksum included. */
    public static final int HEADER_LENGTH = 4096;

    /** The signature field's value: "ENGRAM\0\1" read as a little-endian long. */
    public static final long SIGNATURE = 0x0100_4D41_5247_4E45L; // "ENGRAM\0\1" read little-endian
    /** Format major version this code writes; readers refuse a pool with a larger one. */
    public static final int MAJOR_VERSION = 1;
    /** Format minor version this code writes (informational). */
    public static final int MINOR_VERSION = 0;
    /** Longest layout name, in bytes of UTF-8. */
    public static final int MAX_LAYOUT_NAME = 1024;

    /** Offset of the signature (8 bytes). */
    public static final int SIGNATURE_OFFSET;
    /** Offset of the major version (2 bytes, unsigned). */
    public static final int MAJOR_OFFSET;
    /** Offset of the minor version (2 bytes, unsigned). */
    public static final int MINOR_OFFSET;
    /** Offset of the header length (4 bytes, always {@link #HEADER_LENGTH}). */
    public static final int HEADER_LENGTH_OFFSET;
    /** Offset of the compat feature bits (8 bytes). */
    public static final int COMPAT_OFFSET;
    /** Offset of the incompat feature bits (8 bytes). */
    public static final int INCOMPAT_OFFSET;
    /** Offset of the ro-compat feature bits (8 bytes). */
    public static final int RO_COMPAT_OFFSET;
    /** Offset of the pool UUID (16 bytes: most significant long, then least significant). */
    public static final int UUID_OFFSET;
    /** Offset of the creation time (8 bytes, ms since the epoch). */
    public static final int CREATION_TIME_OFFSET;
    /** Offset of the pool size (8 bytes). */
    public static final int POOL_SIZE_OFFSET;
    /** Offset of the maximum pool size (8 bytes). */
    public static final int MAX_POOL_SIZE_OFFSET;
    /** Offset of the lane area's pool offset (8 bytes). */
    public static final int LANE_AREA_OFFSET_OFFSET;
    /** Offset of the lane area size (8 bytes). */
    public static final int LANE_AREA_SIZE_OFFSET;
    /** Offset of the lane count (4 bytes). */
    public static final int LANE_COUNT_OFFSET;
    /** Offset of the lane size (4 bytes). */
    public static final int LANE_SIZE_OFFSET;
    /** Offset of the heap's pool offset (8 bytes). */
    public static final int HEAP_OFFSET_OFFSET;
    /** Offset of the heap size (8 bytes). */
    public static final int HEAP_SIZE_OFFSET;
    /** Offset of the root area's pool offset (8 bytes). */
    public static final int ROOT_AREA_OFFSET_OFFSET;
    /** Offset of the open mode (4 bytes). */
    public static final int OPEN_MODE_OFFSET;
    /** Offset of the flags (4 bytes). */
    public static final int FLAGS_OFFSET;
    /** Offset of the generation (8 bytes). */
    public static final int GENERATION_OFFSET;
    /** Offset of the unsafe-shutdown count (8 bytes). */
    public static final int SHUTDOWN_COUNT_OFFSET;
    /** Offset of the holder pid (8 bytes). */
    public static final int HOLDER_PID_OFFSET;
    /** Offset of the layout name length (2 bytes, unsigned). */
    public static final int LAYOUT_LENGTH_OFFSET;
    /** Offset of the layout name ({@link #MAX_LAYOUT_NAME} bytes, zero padded). */
    public static final int LAYOUT_NAME_OFFSET;
    /** Offset of the CRC32C over all bytes before it (4 bytes, the header's last field). */
    public static final int CHECKSUM_OFFSET;

    /** Flag bit: the pool was closed cleanly; no recovery is needed. */
    public static final int FLAG_CLEAN_SHUTDOWN = 1;
    /** Every flag bit this version knows; validation rejects a header with any other bit set. */
    public static final int KNOWN_FLAGS = FLAG_CLEAN_SHUTDOWN;

    static {
        int offset = 0;
        SIGNATURE_OFFSET = offset;
        offset += 8;
        MAJOR_OFFSET = offset;
        offset += 2;
        MINOR_OFFSET = offset;
        offset += 2;
        HEADER_LENGTH_OFFSET = offset;
        offset += 4;
        COMPAT_OFFSET = offset;
        offset += 8;
        INCOMPAT_OFFSET = offset;
        offset += 8;
        RO_COMPAT_OFFSET = offset;
        offset += 8;
        UUID_OFFSET = offset;
        offset += 16;
        CREATION_TIME_OFFSET = offset;
        offset += 8;
        POOL_SIZE_OFFSET = offset;
        offset += 8;
        MAX_POOL_SIZE_OFFSET = offset;
        offset += 8;
        LANE_AREA_OFFSET_OFFSET = offset;
        offset += 8;
        LANE_AREA_SIZE_OFFSET = offset;
        offset += 8;
        LANE_COUNT_OFFSET = offset;
        offset += 4;
        LANE_SIZE_OFFSET = offset;
        offset += 4;
        HEAP_OFFSET_OFFSET = offset;
        offset += 8;
        HEAP_SIZE_OFFSET = offset;
        offset += 8;
        ROOT_AREA_OFFSET_OFFSET = offset;
        offset += 8;
        OPEN_MODE_OFFSET = offset;
        offset += 4;
        FLAGS_OFFSET = offset;
        offset += 4;
        GENERATION_OFFSET = offset;
        offset += 8;
        SHUTDOWN_COUNT_OFFSET = offset;
        offset += 8;
        HOLDER_PID_OFFSET = offset;
        offset += 8;
        LAYOUT_LENGTH_OFFSET = offset;
        offset += 2;
        offset += 94; // reserved
        LAYOUT_NAME_OFFSET = offset;
        offset += MAX_LAYOUT_NAME;
        offset += 2812; // reserved
        CHECKSUM_OFFSET = offset;
        offset += 4;
        if (LAYOUT_NAME_OFFSET != 256 || CHECKSUM_OFFSET != 4092 || offset != HEADER_LENGTH) {
            throw new ExceptionInInitializerError("pool header layout does not add up: name at "
                    + LAYOUT_NAME_OFFSET + ", checksum at " + CHECKSUM_OFFSET + ", length " + offset);
        }
    }

    /** Page owned by the object layer, right after the two header copies. */
    public static final long ROOT_AREA_OFFSET = 2L * HEADER_LENGTH;
    /** Size of the root area in bytes: one page. */
    public static final long ROOT_AREA_SIZE = 4096;
    /** First byte after the fixed part: where the lane area starts. */
    public static final long FIXED_AREA_END = ROOT_AREA_OFFSET + ROOT_AREA_SIZE;

    private PoolHeaderLayout() {
    }
}
