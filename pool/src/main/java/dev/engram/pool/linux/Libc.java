package dev.engram.pool.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls the pool layer needs, bound through FFM (no JNI). Every call captures errno
 * and failures become {@link IOException}s naming the call, the path and strerror.
 *
 * <p>Linux x86-64 only; callers check {@link #AVAILABLE} and fall back to pure-Java paths elsewhere.
 * Thread safety: stateless, safe from any thread.
 */
public final class Libc {
    /** open(2) flag: open for reading only. */
    public static final int O_RDONLY = 0;
    /** open(2) flag: open for writing only. */
    public static final int O_WRONLY = 1;
    /** open(2) flag: open for reading and writing. */
    public static final int O_RDWR = 2;
    /** open(2) flag: create the file if it does not exist (the mode argument then applies). */
    public static final int O_CREAT = 0100;
    /** open(2) flag: with {@link #O_CREAT}, fail with EEXIST if the file exists. */
    public static final int O_EXCL = 0200;
    /** open(2) flag: fail with ELOOP if the last path component is a symbolic link. */
    public static final int O_NOFOLLOW = 0400000;
    /** open(2) flag: close the descriptor on exec. */
    public static final int O_CLOEXEC = 02000000;

    /** errno: no space left on the device. */
    public static final int ENOSPC = 28;
    /** errno: the operation is not supported by this file system or file type. */
    public static final int EOPNOTSUPP = 95;
    /** errno: source and destination are on different file systems (reflink, copy_file_range). */
    public static final int EXDEV = 18;
    /** errno: an argument was invalid (e.g. a flag the kernel or file system does not know). */
    public static final int EINVAL = 22;
    /** errno: the ioctl request does not apply to this kind of file. */
    public static final int ENOTTY = 25;
    /** errno: the kernel does not implement the system call. */
    public static final int ENOSYS = 38;

    /** True where the native calls can be made (Linux, native access granted or warned). */
    public static final boolean AVAILABLE;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle FALLOCATE;
    private static final MethodHandle IOCTL;
    private static final MethodHandle COPY_FILE_RANGE;
    private static final MethodHandle STATX;
    private static final MethodHandle STRERROR;

    static {
        boolean ok = System.getProperty("os.name", "").toLowerCase().contains("linux");
        MethodHandle open = null, close = null, fallocate = null, ioctl = null, cfr = null, statx = null,
                strerror = null;
        if (ok) {
            try {
                SymbolLookup libc = LINKER.defaultLookup();
                open = downcall(libc, "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), true);
                close = downcall(libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true);
                fallocate = downcall(libc, "fallocate",
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), true);
                ioctl = downcall(libc, "ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), true);
                cfr = downcall(libc, "copy_file_range", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS,
                        JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true);
                statx = downcall(libc, "statx",
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), true);
                strerror = downcall(libc, "strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT), false);
            } catch (RuntimeException | LinkageError e) {
                ok = false;
            }
        }
        AVAILABLE = ok;
        OPEN = open;
        CLOSE = close;
        FALLOCATE = fallocate;
        IOCTL = ioctl;
        COPY_FILE_RANGE = cfr;
        STATX = statx;
        STRERROR = strerror;
    }

    private Libc() {
    }

    private static MethodHandle downcall(SymbolLookup lookup, String name, FunctionDescriptor fd, boolean errno) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return errno ? LINKER.downcallHandle(symbol, fd, CAPTURE_ERRNO) : LINKER.downcallHandle(symbol, fd);
    }

    private static void requireAvailable() throws IOException {
        if (!AVAILABLE) {
            throw new IOException("native libc calls are not available on this platform");
        }
    }

    /** One native call made with errno captured: returns the call's result, negative meaning failure. */
    @FunctionalInterface
    private interface Call {
        long invoke(MemorySegment errnoState, Arena arena) throws Throwable;
    }

    /** Runs {@code call}; a negative result becomes a {@link NativeIOException} naming the call, path and errno. */
    private static long call(String name, Path path, Call call) throws IOException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long rc = call.invoke(state, arena);
            if (rc < 0) {
                throw error(name, path, errno(state));
            }
            return rc;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * open(2); returns the file descriptor.
     *
     * @param path  the file to open
     * @param flags {@code O_*} flags, or-ed together
     * @param mode  permission bits for a file created by {@link #O_CREAT} (e.g. {@code 0644}); ignored otherwise
     * @return the new file descriptor, owned by the caller (close it with {@link #close})
     * @throws NativeIOException if open(2) fails (carries errno)
     * @throws IOException if native calls are not {@link #AVAILABLE available}
     */
    public static int open(Path path, int flags, int mode) throws IOException {
        return (int) call("open", path,
                (st, a) -> (int) OPEN.invokeExact(st, a.allocateFrom(path.toString()), flags, mode));
    }

    /**
     * close(2); errors are reported because a failed close can mean lost write-back.
     *
     * @param fd   the descriptor to close; it is invalid afterwards, even when this throws
     * @param path the file {@code fd} refers to, for the error message
     * @throws NativeIOException if close(2) fails (carries errno)
     * @throws IOException if native calls are not {@link #AVAILABLE available}
     */
    public static void close(int fd, Path path) throws IOException {
        call("close", path, (st, a) -> (int) CLOSE.invokeExact(st, fd));
    }

    /**
     * fallocate(2); throws {@link NativeIOException} carrying errno.
     *
     * @param fd     a descriptor open for writing
     * @param mode   fallocate mode flags ({@code 0} allocates and extends the file size)
     * @param offset first byte of the range, in bytes from the start of the file
     * @param length length of the range in bytes
     * @param path   the file {@code fd} refers to, for the error message
     * @throws NativeIOException if fallocate(2) fails, e.g. {@link #ENOSPC} or {@link #EOPNOTSUPP}
     * @throws IOException if native calls are not {@link #AVAILABLE available}
     */
    public static void fallocate(int fd, int mode, long offset, long length, Path path) throws IOException {
        call("fallocate", path, (st, a) -> (int) FALLOCATE.invokeExact(st, fd, mode, offset, length));
    }

    /**
     * ioctl(2) with a pointer or integer argument passed as an address.
     *
     * @param fd      an open descriptor
     * @param request the ioctl request number
     * @param arg     the argument: a native buffer, or an integer wrapped with {@link MemorySegment#ofAddress}
     * @param path    the file {@code fd} refers to, for the error message
     * @param what    the request's name for the error message (e.g. {@code "FICLONE"})
     * @return the call's non-negative result
     * @throws NativeIOException if ioctl(2) fails, e.g. {@link #ENOTTY} or {@link #EOPNOTSUPP}
     * @throws IOException if native calls are not {@link #AVAILABLE available}
     */
    public static int ioctl(int fd, long request, MemorySegment arg, Path path, String what) throws IOException {
        return (int) call("ioctl(" + what + ")", path, (st, a) -> (int) IOCTL.invokeExact(st, fd, request, arg));
    }

    /**
     * copy_file_range(2) from the current file positions (null offsets); returns bytes copied.
     *
     * @param fdIn   source descriptor, read from its current position
     * @param fdOut  destination descriptor, written at its current position
     * @param length the most bytes to copy
     * @param path   the file being copied, for the error message
     * @return bytes copied, possibly fewer than {@code length}; 0 at the end of the source
     * @throws NativeIOException if copy_file_range(2) fails, e.g. {@link #EXDEV} or {@link #ENOSYS}
     * @throws IOException if native calls are not {@link #AVAILABLE available}
     */
    public static long copyFileRange(int fdIn, int fdOut, long length, Path path) throws IOException {
        return call("copy_file_range", path, (st, a) -> (long) COPY_FILE_RANGE.invokeExact(st, fdIn,
                MemorySegment.NULL, fdOut, MemorySegment.NULL, length, 0));
    }

    /**
     * statx(2) into {@code buf} (at least 256 bytes).
     *
     * @param path  the file to examine, relative to the working directory if not absolute
     * @param flags {@code AT_*} flags (e.g. {@code AT_SYMLINK_NOFOLLOW})
     * @param mask  {@code STATX_*} bits naming the fields wanted
     * @param buf   native buffer receiving {@code struct statx}
     * @throws NativeIOException if statx(2) fails (carries errno)
     * @throws IOException if native calls are not {@link #AVAILABLE available}
     */
    public static void statx(Path path, int flags, int mask, MemorySegment buf) throws IOException {
        final int atFdCwd = -100;
        call("statx", path, (st, a) -> (int) STATX.invokeExact(st, atFdCwd, a.allocateFrom(path.toString()),
                flags, mask, buf));
    }

    /**
     * This process's id.
     *
     * @return the pid, as {@link ProcessHandle#pid()} reports it
     */
    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /**
     * strerror(3) text for an errno value.
     *
     * @param errno an errno value
     * @return the C library's message, or {@code "errno N"} when native calls are unavailable or fail
     */
    public static String strerror(int errno) {
        if (!AVAILABLE) {
            return "errno " + errno;
        }
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static NativeIOException error(String call, Path path, int errno) {
        return new NativeIOException(call + " failed on " + path + ": " + strerror(errno) + " (errno " + errno + ")",
                errno);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

}
