package dev.engram.pool.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * The fields of statx(2) the pool layer needs: the DAX attribute (DESIGN.md §2.1 detection) and the
 * device a file lives on (to find its bad-block list, §2.4).
 *
 * <p>{@code struct statx} as used here (offsets in bytes, little-endian, 256 bytes in all):
 * <pre>
 * offset | size | field               | meaning
 * -------+------+---------------------+------------------------------------------------------
 *      0 |    4 | stx_mask            | which fields the kernel filled
 *      4 |    4 | stx_blksize         | preferred I/O block size
 *      8 |    8 | stx_attributes      | STATX_ATTR_* flags of the file
 *     16 |   12 | nlink, uid, gid     | (unused here)
 *     28 |    2 | stx_mode            | (unused here)
 *     30 |    2 | spare               |
 *     32 |    8 | stx_ino             | (unused here)
 *     40 |    8 | stx_size            | bytes
 *     48 |    8 | stx_blocks          | 512-byte units allocated
 *     56 |    8 | stx_attributes_mask | which STATX_ATTR_* bits the file system reports at all
 *     64 |   64 | four timestamps     | (unused here)
 *    128 |    8 | stx_rdev major/minor| (unused here: the device a special file names)
 *    136 |    4 | stx_dev_major       | device holding the file
 *    140 |    4 | stx_dev_minor       |
 *    144 |  112 | newer fields, spare |
 * </pre>
 *
 * @param attributes     the {@code stx_attributes} word
 * @param attributesMask the {@code stx_attributes_mask} word: an attribute bit means something only if set here
 * @param devMajor       major number of the device holding the file
 * @param devMinor       minor number of the device holding the file
 * @param size           file size in bytes
 * @param blocks         allocated 512-byte blocks
 */
public record Statx(long attributes, long attributesMask, int devMajor, int devMinor, long size, long blocks) {
    /** STATX_ATTR_DAX: the file is accessed through DAX (no page cache). */
    public static final long ATTR_DAX = 0x0020_0000L;
    /** Unit of {@code stx_blocks}. */
    public static final int BLOCK_UNIT = 512;

    static final int STRUCT_SIZE = 256;
    static final int MASK_OFFSET;
    static final int ATTRIBUTES_OFFSET;
    static final int SIZE_OFFSET;
    static final int BLOCKS_OFFSET;
    static final int ATTRIBUTES_MASK_OFFSET;
    static final int DEV_MAJOR_OFFSET;
    static final int DEV_MINOR_OFFSET;

    /** STATX_BASIC_STATS: ask for every field of the classic stat. */
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    static {
        int offset = 0;
        MASK_OFFSET = offset;
        offset += Integer.BYTES;          // stx_mask
        offset += Integer.BYTES;          // stx_blksize
        ATTRIBUTES_OFFSET = offset;
        offset += Long.BYTES;             // stx_attributes
        offset += 3 * Integer.BYTES;      // stx_nlink, stx_uid, stx_gid
        offset += 2 * Short.BYTES;        // stx_mode, spare
        offset += Long.BYTES;             // stx_ino
        SIZE_OFFSET = offset;
        offset += Long.BYTES;             // stx_size
        BLOCKS_OFFSET = offset;
        offset += Long.BYTES;             // stx_blocks
        ATTRIBUTES_MASK_OFFSET = offset;
        offset += Long.BYTES;             // stx_attributes_mask
        offset += 4 * 16;                 // stx_atime, stx_btime, stx_ctime, stx_mtime
        offset += 2 * Integer.BYTES;      // stx_rdev_major, stx_rdev_minor
        DEV_MAJOR_OFFSET = offset;
        offset += Integer.BYTES;          // stx_dev_major
        DEV_MINOR_OFFSET = offset;
        offset += Integer.BYTES;          // stx_dev_minor
        if (DEV_MINOR_OFFSET != 140 || offset > STRUCT_SIZE) {
            throw new ExceptionInInitializerError("struct statx layout drifted: stx_dev_minor at " + DEV_MINOR_OFFSET);
        }
    }

    /**
     * statx of {@code path} without following a final symlink (the pool never follows links it did
     * not create, DESIGN.md §2.5).
     *
     * @param path the file; a final symbolic link is examined, not followed
     * @return the fields read
     * @throws NativeIOException if statx(2) fails, e.g. ENOENT or ENOSYS
     * @throws IOException       if native calls are not available
     */
    public static Statx of(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(STRUCT_SIZE, Long.BYTES);
            Libc.statx(path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf);
            return decode(buf);
        }
    }

    /** Reads the fields from a filled {@code struct statx}. */
    static Statx decode(MemorySegment buf) {
        return new Statx(
                buf.get(ValueLayout.JAVA_LONG, ATTRIBUTES_OFFSET),
                buf.get(ValueLayout.JAVA_LONG, ATTRIBUTES_MASK_OFFSET),
                buf.get(ValueLayout.JAVA_INT, DEV_MAJOR_OFFSET),
                buf.get(ValueLayout.JAVA_INT, DEV_MINOR_OFFSET),
                buf.get(ValueLayout.JAVA_LONG, SIZE_OFFSET),
                buf.get(ValueLayout.JAVA_LONG, BLOCKS_OFFSET));
    }

    /** {@return whether the file system reports the DAX attribute at all, so that {@link #isDax()} is an answer} */
    public boolean daxKnown() {
        return (attributesMask & ATTR_DAX) != 0;
    }

    /** {@return whether the file system reports the DAX attribute and it is set} */
    public boolean isDax() {
        return daxKnown() && (attributes & ATTR_DAX) != 0;
    }

    /** {@return bytes allocated on the device ({@code blocks * 512}); less than {@code size} for a sparse file} */
    public long allocatedBytes() {
        return blocks * BLOCK_UNIT;
    }

    /** {@return the device as sysfs names it, {@code "major:minor"}} */
    public String deviceId() {
        return devMajor + ":" + devMinor;
    }
}
