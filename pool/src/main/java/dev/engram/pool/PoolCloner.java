package dev.engram.pool;

import dev.engram.pool.linux.CloneResult;
import dev.engram.pool.linux.NativeIOException;
import dev.engram.pool.linux.OfdLock;
import dev.engram.pool.linux.Reflink;
import dev.engram.pool.medium.MappedFile;
import dev.engram.pool.medium.PageCacheMedium;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Clones a pool file (DESIGN.md §2.3): FICLONE where the file system shares extents, a copy
 * otherwise, then a new UUID in the clone's header so the two pools are never mistaken for each
 * other. The source is held under a shared lock (or the caller's exclusive one) for the whole copy,
 * so no writer changes it midway.
 *
 * <p>Persistence order: the clone's data is fsynced by the clone call, then its header is rewritten
 * through a page-cache medium (backup copy, then primary), then the directory entry is fsynced.
 */
final class PoolCloner {
    private PoolCloner() {
    }

    /** Clones a pool that is not open for writing anywhere. */
    static CloneReport clone(Path src, Path dst) {
        if (Files.isSymbolicLink(src) || !Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
            throw new PoolIoException("cannot clone " + src + ": not a regular pool file (missing, a directory or a link)");
        }
        OfdLock lock;
        try {
            lock = OfdLock.tryLock(src, true);
        } catch (IOException e) {
            throw new PoolIoException("cannot clone " + src + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            throw new PoolBusyException("cannot clone " + src + ": it is open for writing elsewhere; close it first, or"
                    + " clone it from the process that has it open (Pool.cloneTo)");
        }
        try (lock; FileChannel ch = FileChannel.open(src, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            PoolHeader h = HeaderStore.read(ch, src.toString()).header();
            PoolHeaderValidator.checkFormat(h, src.toString(), true);
            PoolHeaderValidator.checkGeometry(h, src.toString());
            return copyAndRename(src, dst);
        } catch (IOException e) {
            throw new PoolIoException("cannot clone " + src + ": " + e.getMessage(), e);
        }
    }

    /** Clones the file of an open pool, whose exclusive lock the caller holds and whose writes it drained. */
    static CloneReport cloneLocked(Path src, Path dst) {
        return copyAndRename(src, dst);
    }

    private static CloneReport copyAndRename(Path src, Path dst) {
        CloneResult result;
        try {
            result = Reflink.cloneFile(src, dst);
        } catch (NativeIOException e) {
            throw new PoolIoException("cannot clone " + src + " to " + dst + ": " + e.getMessage()
                    + (Files.exists(dst, LinkOption.NOFOLLOW_LINKS) ? " (the target exists; choose a new name)" : ""), e);
        } catch (IOException e) {
            throw new PoolIoException("cannot clone " + src + " to " + dst + ": " + e.getMessage(), e);
        }
        UUID uuid = UUID.randomUUID();
        try {
            giveNewIdentity(dst, uuid);
            fsyncDirectory(dst.toAbsolutePath().getParent());
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(dst);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof EngramException ee) {
                throw ee;
            }
            throw new PoolIoException("cannot finish clone " + dst + ": " + e.getMessage(), e);
        }
        return new CloneReport(result.method(), result.bytes(), result.fallback(), uuid);
    }

    private static void giveNewIdentity(Path dst, UUID uuid) throws IOException {
        try (FileChannel ch = FileChannel.open(dst, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
             PageCacheMedium medium = new PageCacheMedium(MappedFile.map(dst, ch, FileChannel.MapMode.READ_WRITE,
                     PoolHeaderLayout.FIXED_AREA_END))) {
            PoolHeader h = HeaderStore.read(medium, dst.toString()).header();
            HeaderStore.write(medium, h.cloned(uuid));
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
