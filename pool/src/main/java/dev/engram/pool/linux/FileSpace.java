package dev.engram.pool.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reserves file blocks so that a full file system is reported at create or grow time as an
 * {@link IOException}, never later as a SIGBUS on a store into a hole.
 */
public final class FileSpace {
    /** FALLOC_FL_UNSHARE_RANGE: give the range private blocks, copying any shared with a reflink clone. */
    static final int FALLOC_FL_UNSHARE_RANGE = 0x40;
    /** FALLOC_FL_KEEP_SIZE: without it XFS extends the file when the range reaches past the end. */
    static final int FALLOC_FL_KEEP_SIZE = 0x01;

    private FileSpace() {
    }

    /**
     * Allocates {@code [offset, offset + length)} of the file (fallocate mode 0), extending it. Where the
     * file system cannot fallocate, extends the file sparsely instead.
     *
     * @param path    the file, opened again by path for fallocate(2)
     * @param channel an open writable channel on the same file, for the sparse fallback
     * @param offset  first byte to reserve
     * @param length  bytes to reserve; 0 or less does nothing
     * @throws NativeIOException if fallocate(2) fails for a reason other than EOPNOTSUPP, e.g. ENOSPC
     * @throws IOException       if the file cannot be opened or extended
     */
    public static void reserve(Path path, FileChannel channel, long offset, long length) throws IOException {
        if (length <= 0) {
            return;
        }
        if (Libc.AVAILABLE) {
            int fd = Libc.open(path, Libc.O_RDWR | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, 0);
            try {
                Libc.fallocate(fd, 0, offset, length, path);
                return;
            } catch (NativeIOException e) {
                if (e.errno() != Libc.EOPNOTSUPP) {
                    throw e;
                }
            } finally {
                Libc.close(fd, path);
            }
        }
        extendSparse(channel, offset + length);
    }

    /**
     * Extends the file to {@code size} without allocating blocks.
     *
     * @param channel an open writable channel
     * @param size    the new length in bytes; a file already at least this long is left alone
     * @throws IOException if the write of the last byte fails
     */
    public static void extendSparse(FileChannel channel, long size) throws IOException {
        if (channel.size() < size) {
            channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    /**
     * Unshares {@code [offset, offset + length)}: blocks the range shares with a reflinked file are
     * copied so the file owns them (DESIGN.md §2.3: shared extents must not be DAX-mapped for writing).
     * Nothing else changes: the file size stays the same even when the range reaches past the end.
     *
     * @throws NativeIOException naming FALLOC_FL_UNSHARE_RANGE and the file system when it cannot
     *         unshare (errno EOPNOTSUPP: ext4, tmpfs), or the fallocate error otherwise
     *
     * @param path   the file
     * @param offset first byte of the range, not negative
     * @param length bytes in the range, positive
     * @throws IllegalArgumentException if the range is empty or negative
     * @throws IOException if the file cannot be opened
     */
    public static void unshare(Path path, long offset, long length) throws IOException {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("unshare range must be non-empty and non-negative: offset="
                    + offset + " length=" + length);
        }
        int fd = Libc.open(path, Libc.O_RDWR | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, 0);
        try {
            Libc.fallocate(fd, FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE, offset, length, path);
        } catch (NativeIOException e) {
            if (e.errno() == Libc.EOPNOTSUPP) {
                throw new NativeIOException("fallocate(FALLOC_FL_UNSHARE_RANGE) is not supported on " + path
                        + " (file system " + fileSystemType(path) + "): " + Libc.strerror(e.errno())
                        + "; open the pool in page-cache mode instead, or keep reflinked pools on XFS",
                        e.errno());
            }
            throw e;
        } finally {
            Libc.close(fd, path);
        }
    }

    private static String fileSystemType(Path path) {
        try {
            return java.nio.file.Files.getFileStore(path).type();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
