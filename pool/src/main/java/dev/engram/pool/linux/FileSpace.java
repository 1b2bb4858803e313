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
    private FileSpace() {
    }

    /**
     * Allocates {@code [offset, offset + length)} of the file (fallocate mode 0), extending it. Where the
     * file system cannot fallocate, extends the file sparsely instead.
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

    /** Extends the file to {@code size} without allocating blocks. */
    public static void extendSparse(FileChannel channel, long size) throws IOException {
        if (channel.size() < size) {
            channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }
}
