package dev.engram.pool.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copy-on-write file clones (DESIGN.md §2.3): FICLONE where the file system shares extents (XFS with
 * reflink, btrfs), else copy_file_range(2), else a plain copy. The target is always a new file
 * (created exclusively, mode 0600, never through a symlink) and is removed again if anything fails,
 * so a caller never sees a partial clone. The target is fsync'ed before the result is returned.
 *
 * <p>Thread safety: stateless.
 */
public final class Reflink {
    /** FICLONE = _IOW(0x94, 9, int): share all of the source fd's extents into the target fd. */
    static final long FICLONE = 0x40049409L;

    private static final int FILE_MODE = 0600;

    private Reflink() {
    }

    /**
     * Clones {@code src} to the new file {@code dst}.
     *
     * @throws NativeIOException with errno EEXIST if {@code dst} exists (it is left untouched), or
     *         another {@link IOException} if {@code src} cannot be opened or read or the copy fails;
     *         a target this call created is removed before the exception propagates
     *
     * @param src the file to clone, read through a descriptor opened without following symlinks
     * @param dst the new file; nothing may exist there
     * @return how the copy was made, the bytes copied and why a faster method was not used
     */
    public static CloneResult cloneFile(Path src, Path dst) throws IOException {
        return cloneFile(src, dst, CloneMethod.REFLINK);
    }

    /** As {@link #cloneFile(Path, Path)}, starting at {@code first}: lets tests drive each fallback. */
    static CloneResult cloneFile(Path src, Path dst, CloneMethod first) throws IOException {
        if (!Libc.AVAILABLE) {
            return plainCopyNew(src, dst, "native calls unavailable");
        }
        int in = Libc.open(src, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, 0);
        try {
            int out = Libc.open(dst, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC,
                    FILE_MODE);
            boolean done = false;
            try {
                CloneResult r = copyInto(in, out, src, dst, first);
                int fd = out;
                out = -1; // close releases the fd even when it reports an error: never close it twice
                Libc.close(fd, dst);
                forceToDisk(dst);
                done = true;
                return r;
            } finally {
                if (!done) {
                    closeQuietly(out, dst);
                    Files.deleteIfExists(dst);
                }
            }
        } finally {
            closeQuietly(in, src);
        }
    }

    private static CloneResult copyInto(int in, int out, Path src, Path dst, CloneMethod first) throws IOException {
        long size = Files.size(src);
        String fallback = "";
        if (first == CloneMethod.REFLINK) {
            try {
                Libc.ioctl(out, FICLONE, MemorySegment.ofAddress(in), dst, "FICLONE");
                return new CloneResult(CloneMethod.REFLINK, size, "");
            } catch (NativeIOException e) {
                if (!cannotShare(e.errno())) {
                    throw e;
                }
                fallback = "FICLONE: " + Libc.strerror(e.errno());
            }
        }
        if (first != CloneMethod.COPY) {
            try {
                long copied = copyFileRange(in, out, size, dst);
                return new CloneResult(CloneMethod.COPY_FILE_RANGE, copied, fallback);
            } catch (NativeIOException e) {
                if (!cannotShare(e.errno()) && e.errno() != Libc.ENOSYS) {
                    throw e;
                }
                fallback = join(fallback, "copy_file_range: " + Libc.strerror(e.errno()));
            }
        }
        if (fallback.isEmpty()) {
            fallback = "plain copy requested";
        }
        return new CloneResult(CloneMethod.COPY, channelCopy(src, dst), fallback);
    }

    /** errno values meaning "this file system (pair) cannot do it", as opposed to a real I/O failure. */
    private static boolean cannotShare(int errno) {
        return errno == Libc.EOPNOTSUPP || errno == Libc.EXDEV || errno == Libc.EINVAL || errno == Libc.ENOTTY;
    }

    private static long copyFileRange(int in, int out, long size, Path dst) throws IOException {
        long total = 0;
        while (true) {
            long n = Libc.copyFileRange(in, out, size - total > 0 ? size - total : 1L << 20, dst);
            if (n == 0) {
                return total;
            }
            total += n;
        }
    }

    /** Copies from offset 0 whatever a failed earlier method may have left, so positions never matter. */
    private static long channelCopy(Path src, Path dst) throws IOException {
        try (FileChannel from = FileChannel.open(src, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             FileChannel to = FileChannel.open(dst, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            to.truncate(0);
            long size = from.size();
            long pos = 0;
            while (pos < size) {
                pos += from.transferTo(pos, size - pos, to.position(pos));
            }
            return pos;
        }
    }

    private static CloneResult plainCopyNew(Path src, Path dst, String why) throws IOException {
        Files.createFile(dst, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        boolean done = false;
        try {
            long n = channelCopy(src, dst);
            forceToDisk(dst);
            done = true;
            return new CloneResult(CloneMethod.COPY, n, why);
        } finally {
            if (!done) {
                Files.deleteIfExists(dst);
            }
        }
    }

    /** A clone the caller was told about must survive a crash: data and size reach the disk. */
    private static void forceToDisk(Path dst) throws IOException {
        try (FileChannel ch = FileChannel.open(dst, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ch.force(true);
        }
    }

    private static void closeQuietly(int fd, Path path) {
        if (fd >= 0) {
            try {
                Libc.close(fd, path);
            } catch (IOException ignored) {
                // already failing: the first error is the one to report
            }
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }
}
