package dev.engram.pool.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A whole-file open-file-description lock (fcntl F_OFD_SETLK). Unlike the POSIX record locks behind
 * {@code FileChannel.lock}, an OFD lock belongs to one open of the file: a second open in the same
 * JVM conflicts with it like another process would, and closing some other descriptor of the file
 * does not silently drop it. Shared (read) locks are compatible with each other.
 *
 * <p>struct flock on Linux x86-64: {@code short l_type @0; short l_whence @2; off_t l_start @8;
 * off_t l_len @16; pid_t l_pid @24}, 32 bytes.
 */
public final class OfdLock implements AutoCloseable {
    private static final int F_OFD_SETLK = 37;
    private static final short F_RDLCK = 0;
    private static final short F_WRLCK = 1;
    private static final short F_UNLCK = 2;
    private static final int EAGAIN = 11;
    private static final int EACCES = 13;
    private static final long FLOCK_SIZE = 32;
    private static final long L_TYPE = 0;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle FCNTL;

    static {
        MethodHandle h = null;
        if (Libc.AVAILABLE) {
            Linker linker = Linker.nativeLinker();
            h = linker.downcallHandle(linker.defaultLookup().find("fcntl").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
                    Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
        }
        FCNTL = h;
    }

    private final int fd;
    private final Path path;
    private boolean released;

    private OfdLock(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /**
     * Tries once to lock the whole file; {@code null} when another open holds a conflicting lock.
     * The lock owns its own descriptor (opened without following symlinks).
     *
     * @param path   the file to lock; a symbolic link is refused
     * @param shared true for a shared (read) lock, which opens the file read-only; false for an exclusive one
     * @return the lock, or null if another open holds a conflicting lock
     * @throws NativeIOException if open(2) or fcntl(2) fails for another reason than a conflict
     * @throws IOException       if OFD locks are not available (not Linux)
     */
    public static OfdLock tryLock(Path path, boolean shared) throws IOException {
        if (FCNTL == null) {
            throw new IOException("OFD locks need Linux");
        }
        int fd = Libc.open(path, (shared ? Libc.O_RDONLY : Libc.O_RDWR) | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, 0);
        boolean keep = false;
        try {
            int errno = fcntl(fd, shared ? F_RDLCK : F_WRLCK);
            if (errno == 0) {
                keep = true;
                return new OfdLock(fd, path);
            }
            if (errno == EAGAIN || errno == EACCES) {
                return null;
            }
            throw new NativeIOException("fcntl(F_OFD_SETLK) failed on " + path + ": " + Libc.strerror(errno), errno);
        } finally {
            if (!keep) {
                Libc.close(fd, path);
            }
        }
    }

    /** Returns 0 on success, errno otherwise. */
    private static int fcntl(int fd, short type) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flock = arena.allocate(FLOCK_SIZE, 8); // zeroed: whence SEEK_SET, start 0, len 0 = whole file, pid 0
            flock.set(java.lang.foreign.ValueLayout.JAVA_SHORT, L_TYPE, type);
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) FCNTL.invokeExact(state, fd, F_OFD_SETLK, flock);
            return rc == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** Releases the lock and its descriptor. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (released) {
            return;
        }
        released = true;
        try {
            fcntl(fd, F_UNLCK);
        } finally {
            Libc.close(fd, path);
        }
    }
}
