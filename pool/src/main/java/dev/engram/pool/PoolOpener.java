package dev.engram.pool;

import dev.engram.pool.linux.Fiemap;
import dev.engram.pool.linux.FileSpace;
import dev.engram.pool.linux.Libc;
import dev.engram.pool.linux.NativeIOException;
import dev.engram.pool.linux.OfdLock;
import dev.engram.pool.medium.MediumKind;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.UUID;

import static dev.engram.pool.PoolHeaderLayout.FIXED_AREA_END;
import static dev.engram.pool.PoolHeaderLayout.MAJOR_VERSION;
import static dev.engram.pool.PoolHeaderLayout.MINOR_VERSION;
import static dev.engram.pool.PoolHeaderLayout.ROOT_AREA_OFFSET;

/**
 * Creates and opens pool files: the steps before a {@link Pool} exists (DESIGN.md §2.2, §2.5).
 *
 * <p>Open order: take the lock (exclusive, or shared for read-only opens), read and validate both
 * header copies, check known bad blocks and shared extents, map by the {@link MappingPolicy}, then
 * record this open in the header (mode, pid, "in use"), which also repairs a torn or stale copy.
 * Every failure releases what was taken; a failed create removes the file it made.
 */
final class PoolOpener {
    private static final System.Logger LOG = System.getLogger("dev.engram.pool");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final long BUSY_POLL_NANOS = 10_000_000L;

    private PoolOpener() {
    }

    // ---- create -------------------------------------------------------------------------------

    static Pool create(Path path, PoolOptions options) {
        checkCreateOptions(path, options);
        FileChannel channel = null;
        OfdLock lock = null;
        MediumOpener.Opened opened = null;
        boolean created = false;
        try {
            try {
                channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(FILE_MODE));
            } catch (FileAlreadyExistsException e) {
                throw new PoolIoException("cannot create pool " + path + ": a file already exists there; open it,"
                        + " or remove it first", e);
            }
            created = true;
            lock = OfdLock.tryLock(path, false);
            if (lock == null) {
                throw new PoolBusyException("pool " + path + " was locked by another opener while being created");
            }
            long size = options.size();
            if (options.sparse()) {
                FileSpace.extendSparse(channel, size);
            } else {
                FileSpace.reserve(path, channel, 0, size);
            }
            opened = MediumOpener.open(path, channel, size, options, false);
            PoolHeader header = newHeader(options, opened.medium().kind(),
                    options.shutdownCounter().read(path).orElse(-1));
            HeaderStore.write(opened.medium(), header);
            LOG.log(System.Logger.Level.DEBUG, "created pool {0}: {1} bytes, {2}", path, size, opened.reason());
            return new Pool(path, channel, lock, opened.medium(), opened.reason(), false, header, true, null, true, false, List.of());
        } catch (IOException e) {
            cleanupFailedCreate(path, created, channel, lock, opened);
            throw new PoolIoException("cannot create pool " + path + ": " + describe(e), e);
        } catch (RuntimeException e) {
            cleanupFailedCreate(path, created, channel, lock, opened);
            throw e;
        }
    }

    private static void checkCreateOptions(Path path, PoolOptions o) {
        long size = o.size();
        if (size < PoolHeaderValidator.MIN_POOL_SIZE || !Bits.isAligned(size, Bits.PAGE_SIZE)) {
            throw new InvalidOptionException("cannot create pool " + path + ": size " + size
                    + " must be a multiple of the page size (4096) and at least " + PoolHeaderValidator.MIN_POOL_SIZE);
        }
        long max = o.maxSize() == 0 ? size : o.maxSize();
        if (max < size || !Bits.isAligned(max, Bits.PAGE_SIZE)) {
            throw new InvalidOptionException("cannot create pool " + path + ": maximum size " + o.maxSize()
                    + " must be 0 (no growth) or a multiple of 4096 >= size " + size);
        }
        if (o.laneCount() < 1 || o.laneCount() > PoolHeaderValidator.MAX_LANES) {
            throw new InvalidOptionException("lane count " + o.laneCount() + " must be 1.." + PoolHeaderValidator.MAX_LANES);
        }
        if (o.laneSize() < Bits.CACHE_LINE || !Bits.isAligned(o.laneSize(), Bits.CACHE_LINE)) {
            throw new InvalidOptionException("lane size " + o.laneSize() + " must be a positive multiple of 64");
        }
        long heapOffset = Bits.alignUp(FIXED_AREA_END + (long) o.laneCount() * o.laneSize(), Bits.PAGE_SIZE);
        if (heapOffset + Bits.PAGE_SIZE > size) {
            throw new InvalidOptionException("cannot create pool " + path + ": size " + size + " leaves no heap after "
                    + o.laneCount() + " lanes of " + o.laneSize() + " bytes; make it larger or use fewer lanes");
        }
        if (o.readOnly()) {
            throw new InvalidOptionException("cannot create pool " + path + " read-only");
        }
        if (o.layout() != null && o.layout().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > PoolHeaderLayout.MAX_LAYOUT_NAME) {
            throw new InvalidOptionException("layout name longer than " + PoolHeaderLayout.MAX_LAYOUT_NAME + " bytes of UTF-8");
        }
    }

    private static PoolHeader newHeader(PoolOptions o, MediumKind kind, long shutdownCount) {
        long size = o.size();
        long laneAreaSize = (long) o.laneCount() * o.laneSize();
        long heapOffset = Bits.alignUp(FIXED_AREA_END + laneAreaSize, Bits.PAGE_SIZE);
        return new PoolHeader(MAJOR_VERSION, MINOR_VERSION, 0, 0, 0, UUID.randomUUID(), System.currentTimeMillis(),
                size, o.maxSize() == 0 ? size : o.maxSize(), FIXED_AREA_END, laneAreaSize, o.laneCount(), o.laneSize(),
                heapOffset, size - heapOffset, ROOT_AREA_OFFSET, kind.ordinal() + 1, 0, 1, shutdownCount, Libc.pid(),
                o.layout() == null ? "" : o.layout());
    }

    private static void cleanupFailedCreate(Path path, boolean created, FileChannel channel, OfdLock lock,
                                            MediumOpener.Opened opened) {
        if (opened != null) {
            opened.medium().close();
        }
        closeQuietly(lock);
        closeQuietly(channel);
        if (created) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove partly created pool " + path, e);
            }
        }
    }

    // ---- open ---------------------------------------------------------------------------------

    static Pool open(Path path, PoolOptions options) {
        boolean readOnly = options.readOnly();
        checkOpenable(path, readOnly);
        FileChannel channel = null;
        OfdLock lock = null;
        MediumOpener.Opened opened = null;
        try {
            Set<OpenOption> modes = readOnly
                    ? Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)
                    : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            channel = FileChannel.open(path, modes);
            lock = acquire(path, channel, readOnly, options.lockTimeout());
            long fileSize = channel.size();
            if (fileSize < FIXED_AREA_END) {
                throw new PoolCorruptedException(path + " is " + fileSize + " bytes, smaller than the pool's fixed area ("
                        + FIXED_AREA_END + " bytes): an empty or truncated file, not a usable pool");
            }
            HeaderStore.Choice choice = HeaderStore.read(channel, path.toString());
            PoolHeader h = choice.header();
            String where = path + (choice.fromBackup() ? " (backup header)" : " (primary header)");
            PoolHeaderValidator.checkFormat(h, where, readOnly);
            PoolHeaderValidator.checkGeometry(h, where);
            if (options.layout() != null && !options.layout().equals(h.layoutName())) {
                throw new LayoutMismatchException(path + " was created with layout '" + h.layoutName()
                        + "', not '" + options.layout() + "'; open it with the right layout name");
            }
            if (fileSize < h.poolSize()) {
                throw new PoolCorruptedException(path + " is truncated: the file is " + fileSize
                        + " bytes but its header records a pool of " + h.poolSize() + " bytes");
            }
            List<BadRange> heapBadRanges = checkBadBlocks(path, h, options.badBlocks());
            boolean shared = !readOnly && guardSharedExtents(path, h, options, () -> DaxSupport.probe(path).dax());
            opened = MediumOpener.open(path, channel, h.poolSize(), options, shared);
            long deviceCount = options.shutdownCounter().read(path).orElse(-1);
            // A changed counter matters only if the pool was in use: a clean close drained everything first.
            boolean unsafe = !h.cleanShutdown() && h.shutdownCount() >= 0 && deviceCount >= 0
                    && deviceCount != h.shutdownCount();
            if (unsafe) {
                LOG.log(System.Logger.Level.WARNING, "pool {0}: the device reports an unsafe shutdown since the last"
                        + " open (count {1} -> {2}); data in flight then may be lost, recovery will run", path,
                        h.shutdownCount(), deviceCount);
            }
            PoolHeader current = h;
            if (!readOnly) {
                current = h.opened(opened.medium().kind().ordinal() + 1, Libc.pid(), deviceCount);
                HeaderStore.write(opened.medium(), current);
            }
            if (choice.needsRepair()) {
                LOG.log(System.Logger.Level.WARNING, "pool {0}: used the {1} header; {2}{3}", path,
                        choice.fromBackup() ? "backup" : "primary", choice.otherProblem(),
                        readOnly ? " (not repaired: read-only open)" : " (repaired)");
            }
            return new Pool(path, channel, lock, opened.medium(), opened.reason(), readOnly, current,
                    h.cleanShutdown(), choice.otherProblem(), true, unsafe, heapBadRanges);
        } catch (IOException e) {
            closeAfterFailedOpen(channel, lock, opened);
            throw new PoolIoException("cannot open pool " + path + ": " + describe(e), e);
        } catch (RuntimeException e) {
            closeAfterFailedOpen(channel, lock, opened);
            throw e;
        }
    }

    /**
     * Refuses the open when a known bad range hits the headers, root area or lanes (DESIGN.md §2.4);
     * returns the bad ranges inside the heap, which the layers above map to the objects they hit.
     */
    private static List<BadRange> checkBadBlocks(Path path, PoolHeader h, BadBlockSource source) {
        List<BadRange> bad;
        try {
            bad = source.badRanges(path);
        } catch (IOException e) {
            // Not knowing the bad blocks is no reason to refuse a pool; media errors still surface on access.
            LOG.log(System.Logger.Level.WARNING, "pool {0}: cannot read the bad-block list: {1}", path, e.getMessage());
            return List.of();
        }
        List<BadRange> inHeap = new ArrayList<>();
        for (BadRange r : bad) {
            if (r.overlaps(0, h.heapOffset())) {
                String area = r.offset() < PoolHeaderLayout.ROOT_AREA_OFFSET ? "pool header"
                        : r.offset() < h.laneAreaOffset() ? "root area" : "lane area";
                throw new MediaErrorException(r.offset(), path + ": a known bad block (" + r.length()
                        + " bytes) lies in the " + area + "; the pool cannot be opened safely. Restore it from a clone"
                        + " or backup, or run 'engram check --repair' to rebuild what can be rebuilt");
            }
            if (r.overlaps(h.heapOffset(), h.heapSize())) {
                inHeap.add(r);
            }
        }
        return inHeap;
    }

    /**
     * Extents shared with a reflink clone must not be DAX-mapped for writing (DESIGN.md §2.3): stores
     * through the mapping would bypass copy-on-write. Unshares them, or returns true so the opener
     * keeps the page cache, as the policy says. The DAX probe (a statx, perhaps a trial MAP_SYNC
     * mapping) runs last, only for a policy that may map DAX and a file that shares extents.
     */
    static boolean guardSharedExtents(Path path, PoolHeader h, PoolOptions options, BooleanSupplier daxCapable)
            throws IOException {
        if (options.policy() != MappingPolicy.AUTO && options.policy() != MappingPolicy.REQUIRE_DAX) {
            return false;
        }
        if (sharedFraction(path) == 0 || !daxCapable.getAsBoolean()) {
            return false;
        }
        if (options.sharedExtents() == SharedExtentPolicy.PAGE_CACHE) {
            return true;
        }
        LOG.log(System.Logger.Level.INFO, "pool {0}: unsharing reflinked extents before a DAX mapping", path);
        FileSpace.unshare(path, 0, h.poolSize());
        return false;
    }

    /** Fraction of the file's bytes in extents shared with another file; 0 where FIEMAP is not supported. */
    static double sharedFraction(Path path) {
        try {
            return Fiemap.of(path).sharedFraction();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void checkOpenable(Path path, boolean readOnly) {
        if (Files.isSymbolicLink(path)) {
            throw new PoolIoException("refusing to open pool " + path + ": it is a symbolic link (pools never follow"
                    + " links they did not create); open the target path directly");
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new PoolIoException("pool " + path + " does not exist; create it first");
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new PoolIoException(path + " is a directory, not a pool file");
        }
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new PoolIoException(path + " is not a regular file");
        }
        if (!readOnly) {
            try {
                // The owner-write bit is the user's statement that the pool may change, even for root.
                if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_WRITE)) {
                    throw new PoolIoException("pool " + path + " is a read-only file (no owner write permission);"
                            + " open it with PoolOptions.withReadOnly(true), or chmod u+w");
                }
            } catch (UnsupportedOperationException | IOException e) {
                // not a POSIX file system: the open itself will say whether writing is allowed
            }
        }
    }

    private static OfdLock acquire(Path path, FileChannel channel, boolean shared, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OfdLock lock = OfdLock.tryLock(path, shared);
            if (lock != null) {
                return lock;
            }
            if (timeout.isZero() || System.nanoTime() - deadline >= 0) {
                throw new PoolBusyException("pool " + path + " is open elsewhere (" + holder(channel)
                        + "); close it there first, or open with a lock timeout to wait"
                        + (shared ? "" : ", or open it read-only once the writer is done"));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(BUSY_POLL_NANOS);
        }
    }

    private static String holder(FileChannel channel) {
        try {
            HeaderStore.Choice c = HeaderStore.read(channel, "pool");
            PoolHeader h = c.header();
            if (h.holderPid() == 0) {
                return "held by a reader, or by a process that has not recorded itself yet";
            }
            String mode = h.openMode() > 0 && h.openMode() <= MediumKind.values().length
                    ? MediumKind.values()[h.openMode() - 1].toString() : "unknown mode";
            String self = h.holderPid() == Libc.pid() ? ", this process" : "";
            return "holder pid " + h.holderPid() + self + ", " + mode;
        } catch (IOException | RuntimeException e) {
            return "holder unknown";
        }
    }

    private static void closeAfterFailedOpen(FileChannel channel, OfdLock lock, MediumOpener.Opened opened) {
        if (opened != null) {
            opened.medium().close();
        }
        closeQuietly(lock);
        closeQuietly(channel);
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "close failed", e);
        }
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory: " + e.getMessage();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof NativeIOException n && n.errno() == Libc.ENOSPC) {
            return "no space left on the file system: " + e.getMessage();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + " (" + f.getFile() + ")";
        }
        return String.valueOf(e.getMessage());
    }
}
