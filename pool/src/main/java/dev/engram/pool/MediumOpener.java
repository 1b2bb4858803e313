package dev.engram.pool;

import dev.engram.pool.medium.CacheWriteBack;
import dev.engram.pool.medium.CpuCacheMedium;
import dev.engram.pool.medium.MappedFile;
import dev.engram.pool.medium.MediumKind;
import dev.engram.pool.medium.PageCacheMedium;
import dev.engram.pool.medium.SegmentMedium;
import dev.engram.pool.medium.WriteBackPath;
import jdk.nio.mapmode.ExtendedMapMode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Turns a {@link MappingPolicy} into a mapped medium, recording why that medium was chosen. DAX is
 * detected by asking for a MAP_SYNC mapping ({@code ExtendedMapMode.READ_WRITE_SYNC}): the kernel
 * grants it only on a DAX file, and refuses with "Operation not supported" elsewhere.
 */
final class MediumOpener {
    private MediumOpener() {
    }

    record Opened(SegmentMedium medium, String reason) {
    }

    static Opened open(Path path, FileChannel channel, long size, PoolOptions options, boolean extentsShared) {
        try {
            if (options.readOnly()) {
                MappedFile file = MappedFile.map(path, channel, FileChannel.MapMode.READ_ONLY, size);
                return new Opened(new PageCacheMedium(file), "read-only open: mapped read-only on the page cache");
            }
            return switch (options.policy()) {
                case PAGE_CACHE -> pageCache(path, channel, size, "MappingPolicy.PAGE_CACHE requested");
                case FORCE_PMEM -> forced(path, channel, size, options.writeBackPath());
                case REQUIRE_DAX -> requireDax(path, channel, size, options, extentsShared);
                case AUTO -> auto(path, channel, size, options, extentsShared);
            };
        } catch (IOException e) {
            throw new PoolIoException("cannot map " + path + ": " + e.getMessage(), e);
        }
    }

    private static Opened pageCache(Path path, FileChannel channel, long size, String reason) throws IOException {
        return new Opened(new PageCacheMedium(MappedFile.map(path, channel, FileChannel.MapMode.READ_WRITE, size)), reason);
    }

    private static Opened forced(Path path, FileChannel channel, long size, WriteBackPath wb) throws IOException {
        CacheWriteBack writeBack = wb.bind(); // fails with the missing flag named before anything is mapped
        MappedFile file = MappedFile.map(path, channel, FileChannel.MapMode.READ_WRITE, size);
        return new Opened(new CpuCacheMedium(MediumKind.FORCED_PMEM, file, writeBack),
                "MappingPolicy.FORCE_PMEM requested: CPU write-back via " + wb + " on a non-DAX mapping");
    }

    private static Opened requireDax(Path path, FileChannel channel, long size, PoolOptions options,
                                     boolean extentsShared) throws IOException {
        if (extentsShared) {
            throw new DaxUnavailableException(path + " shares extents with a reflink clone and cannot be DAX-mapped"
                    + " for writing; unshare it (SharedExtentPolicy.UNSHARE) or use MappingPolicy.PAGE_CACHE");
        }
        try {
            return dax(path, channel, size, options.writeBackPath());
        } catch (IOException e) {
            throw new DaxUnavailableException("MappingPolicy.REQUIRE_DAX: " + path
                    + " cannot be mapped with MAP_SYNC (" + e.getMessage() + "): the file system is not mounted"
                    + " with DAX or the device is not persistent memory. Use MappingPolicy.AUTO or PAGE_CACHE.", e);
        }
    }

    private static Opened auto(Path path, FileChannel channel, long size, PoolOptions options,
                               boolean extentsShared) throws IOException {
        if (extentsShared) {
            return pageCache(path, channel, size, "extents shared with a reflink clone: page cache keeps copy-on-write");
        }
        try {
            return dax(path, channel, size, options.writeBackPath());
        } catch (IOException e) {
            return pageCache(path, channel, size, "no DAX: MAP_SYNC mapping refused (" + e.getMessage() + ")");
        }
    }

    private static Opened dax(Path path, FileChannel channel, long size, WriteBackPath preferred) throws IOException {
        MappedFile file = MappedFile.map(path, channel, ExtendedMapMode.READ_WRITE_SYNC, size);
        CacheWriteBack writeBack;
        String how;
        try {
            writeBack = preferred.bind();
            how = preferred.toString();
        } catch (MissingJvmFlagException e) {
            // On a real MAP_SYNC mapping the JDK's own force() writes lines back with the CPU: no flag needed.
            writeBack = WriteBackPath.MAPPED_FORCE.bind();
            how = "MAPPED_FORCE (" + preferred + " unavailable: " + e.getMessage() + ")";
        }
        return new Opened(new CpuCacheMedium(MediumKind.DAX, file, writeBack), "DAX: MAP_SYNC mapping granted; write-back via " + how);
    }
}
