package dev.engram.pool.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The physical extents of a file through the FS_IOC_FIEMAP ioctl: which parts of a pool share blocks
 * with a reflinked clone (DESIGN.md §2.3) and where on the device each byte lives (bad blocks, §2.4).
 *
 * <p>{@code struct fiemap} (request header, followed by {@code fm_extent_count} extents):
 * <pre>
 * offset | size | field             | meaning
 * -------+------+-------------------+----------------------------------------------
 *      0 |    8 | fm_start          | first logical byte asked for
 *      8 |    8 | fm_length         | bytes asked for (~0: to the end)
 *     16 |    4 | fm_flags          | FIEMAP_FLAG_* in, flags the kernel honoured out
 *     20 |    4 | fm_mapped_extents | extents returned
 *     24 |    4 | fm_extent_count   | room in the array
 *     28 |    4 | fm_reserved       | zero
 *     32 |  56n | fm_extents[n]     | struct fiemap_extent
 * </pre>
 * {@code struct fiemap_extent}, 56 bytes:
 * <pre>
 * offset | size | field          | meaning
 * -------+------+----------------+-------------------------------------
 *      0 |    8 | fe_logical     | byte offset in the file
 *      8 |    8 | fe_physical    | byte offset on the device
 *     16 |    8 | fe_length      | bytes
 *     24 |   16 | fe_reserved64  | zero
 *     40 |    4 | fe_flags       | FIEMAP_EXTENT_*
 *     44 |   12 | fe_reserved    | zero
 * </pre>
 *
 * <p>Thread safety: stateless; a mapping is a snapshot and immutable.
 *
 * @param fileSize the file's size when it was mapped
 * @param extents  the extents in logical order (holes are absent)
 */
public record Fiemap(long fileSize, List<Extent> extents) {
    /** FS_IOC_FIEMAP = _IOWR('f', 11, struct fiemap). */
    static final long FS_IOC_FIEMAP = 0xC020660BL;
    /** Write dirty pages back first, so delayed allocations have physical addresses. */
    static final int FIEMAP_FLAG_SYNC = 0x1;

    /** Extent flag: the last extent of the file. */
    public static final int EXTENT_LAST = 0x1;
    /** The physical address is not known (the extent's {@code physical} is meaningless). */
    public static final int EXTENT_UNKNOWN = 0x2;
    /** Extent flag: delayed allocation; the blocks are not allocated yet, so the physical address is unknown. */
    public static final int EXTENT_DELALLOC = 0x4;
    /** Extent flag: allocated but unwritten (preallocated by fallocate); reads return zeros. */
    public static final int EXTENT_UNWRITTEN = 0x800;
    /** The extent's blocks are shared with another file (a reflink clone or snapshot). */
    public static final int EXTENT_SHARED = 0x2000;

    static final int START_OFFSET;
    static final int LENGTH_OFFSET;
    static final int FLAGS_OFFSET;
    static final int MAPPED_EXTENTS_OFFSET;
    static final int EXTENT_COUNT_OFFSET;
    static final int HEADER_SIZE;

    static final int FE_LOGICAL_OFFSET;
    static final int FE_PHYSICAL_OFFSET;
    static final int FE_LENGTH_OFFSET;
    static final int FE_FLAGS_OFFSET;
    static final int EXTENT_SIZE;

    /** Extents fetched per ioctl; a loop asks again until FIEMAP_EXTENT_LAST. */
    static final int BATCH = 64;

    static {
        int offset = 0;
        START_OFFSET = offset;
        offset += Long.BYTES;
        LENGTH_OFFSET = offset;
        offset += Long.BYTES;
        FLAGS_OFFSET = offset;
        offset += Integer.BYTES;
        MAPPED_EXTENTS_OFFSET = offset;
        offset += Integer.BYTES;
        EXTENT_COUNT_OFFSET = offset;
        offset += Integer.BYTES;
        offset += Integer.BYTES;              // fm_reserved
        HEADER_SIZE = offset;

        offset = 0;
        FE_LOGICAL_OFFSET = offset;
        offset += Long.BYTES;
        FE_PHYSICAL_OFFSET = offset;
        offset += Long.BYTES;
        FE_LENGTH_OFFSET = offset;
        offset += Long.BYTES;
        offset += 2 * Long.BYTES;             // fe_reserved64[2]
        FE_FLAGS_OFFSET = offset;
        offset += Integer.BYTES;
        offset += 3 * Integer.BYTES;          // fe_reserved[3]
        EXTENT_SIZE = offset;
        if (HEADER_SIZE != 32 || EXTENT_SIZE != 56) {
            throw new ExceptionInInitializerError("struct fiemap layout drifted: header=" + HEADER_SIZE
                    + " extent=" + EXTENT_SIZE);
        }
    }

    /**
     * Copies the extent list, so that the mapping stays immutable.
     *
     * @param fileSize the file's size when it was mapped
     * @param extents  the extents in logical order
     */
    public Fiemap {
        extents = List.copyOf(extents);
    }

    /**
     * One extent of the file.
     *
     * @param logical  byte offset in the file
     * @param physical byte offset on the device (meaningless with {@link #EXTENT_UNKNOWN})
     * @param length   bytes; the last extent may reach past the end of the file to a block boundary
     * @param flags    FIEMAP_EXTENT_* bits
     */
    public record Extent(long logical, long physical, long length, int flags) {
        /** {@return whether the extent's blocks are shared with another file ({@link #EXTENT_SHARED})} */
        public boolean isShared() {
            return (flags & EXTENT_SHARED) != 0;
        }

        /** {@return whether this is the file's last extent ({@link #EXTENT_LAST})} */
        public boolean isLast() {
            return (flags & EXTENT_LAST) != 0;
        }

        /** {@return whether {@link #physical} is a real device address} False for unknown or delayed allocations. */
        public boolean hasPhysical() {
            return (flags & (EXTENT_UNKNOWN | EXTENT_DELALLOC)) == 0;
        }
    }

    /**
     * Maps every extent of {@code file} (not following a final symlink).
     *
     * @param file the file to map
     * @return the file's extents and size
     * @throws NativeIOException if FS_IOC_FIEMAP fails (EOPNOTSUPP where the file system has no FIEMAP, e.g. tmpfs)
     * @throws IOException       if the file cannot be opened or its size read
     */
    public static Fiemap of(Path file) throws IOException {
        int fd = Libc.open(file, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, 0);
        try (Arena arena = Arena.ofConfined()) {
            long size = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
            MemorySegment req = arena.allocate(HEADER_SIZE + (long) BATCH * EXTENT_SIZE, Long.BYTES);
            List<Extent> all = new ArrayList<>();
            long start = 0;
            while (true) {
                req.fill((byte) 0);
                req.set(ValueLayout.JAVA_LONG, START_OFFSET, start);
                req.set(ValueLayout.JAVA_LONG, LENGTH_OFFSET, -1L - start); // ~0 - start: to the end, no overflow
                req.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, FIEMAP_FLAG_SYNC);
                req.set(ValueLayout.JAVA_INT, EXTENT_COUNT_OFFSET, BATCH);
                Libc.ioctl(fd, FS_IOC_FIEMAP, req, file, "FS_IOC_FIEMAP");
                int mapped = req.get(ValueLayout.JAVA_INT, MAPPED_EXTENTS_OFFSET);
                if (mapped == 0) {
                    break;
                }
                Extent last = null;
                for (int i = 0; i < mapped; i++) {
                    last = decode(req, HEADER_SIZE + (long) i * EXTENT_SIZE);
                    all.add(last);
                }
                if (last.isLast() || mapped < BATCH) {
                    break;
                }
                start = last.logical() + last.length();
            }
            return new Fiemap(size, all);
        } finally {
            Libc.close(fd, file);
        }
    }

    static Extent decode(MemorySegment buf, long base) {
        return new Extent(buf.get(ValueLayout.JAVA_LONG, base + FE_LOGICAL_OFFSET),
                buf.get(ValueLayout.JAVA_LONG, base + FE_PHYSICAL_OFFSET),
                buf.get(ValueLayout.JAVA_LONG, base + FE_LENGTH_OFFSET),
                buf.get(ValueLayout.JAVA_INT, base + FE_FLAGS_OFFSET));
    }

    /** {@return bytes of the file (up to {@link #fileSize}) whose blocks are shared with another file} */
    public long sharedBytes() {
        long shared = 0;
        for (Extent e : extents) {
            if (e.isShared()) {
                long end = Math.min(e.logical() + e.length(), fileSize);
                shared += Math.max(0, end - e.logical());
            }
        }
        return shared;
    }

    /** {@return {@link #sharedBytes} over the file size: 1.0 right after a reflink clone, 0.0 once unshared} */
    public double sharedFraction() {
        return fileSize == 0 ? 0.0 : (double) sharedBytes() / fileSize;
    }
}
