package dev.engram.bench.allocator;

import dev.engram.allocator.PersistentHeap;
import dev.engram.allocator.RedoLog;
import dev.engram.pool.medium.CpuCacheMedium;
import dev.engram.pool.medium.MappedFile;
import dev.engram.pool.medium.MediumKind;
import dev.engram.pool.medium.WriteBackPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A heap on a forced-pmem medium (CPU write-back) over a /dev/shm file, with one redo log per lane. */
final class ForcedPmemHeap implements AutoCloseable {
    static final long LOG_BYTES = 4096;
    static final long HEAP_OFFSET = 64 * 4096;

    final Path path;
    final FileChannel channel;
    final CpuCacheMedium medium;
    final PersistentHeap heap;

    private ForcedPmemHeap(Path path, FileChannel channel, CpuCacheMedium medium, PersistentHeap heap) {
        this.path = path;
        this.channel = channel;
        this.medium = medium;
        this.heap = heap;
    }

    static ForcedPmemHeap create(long heapSize) {
        try {
            final Path path = Files.createTempFile(Path.of("/dev/shm"), "engram-alloc-bench", ".pool");
            final FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ch.truncate(0);
            final long size = HEAP_OFFSET + heapSize;
            final MappedFile file = MappedFile.map(path, ch, FileChannel.MapMode.READ_WRITE, size);
            final CpuCacheMedium medium = new CpuCacheMedium(MediumKind.FORCED_PMEM, file, WriteBackPath.DEFAULT.bind());
            final PersistentHeap heap = PersistentHeap.create(medium, HEAP_OFFSET, heapSize);
            return new ForcedPmemHeap(path, ch, medium, heap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lane {@code lane}'s redo log, in the 64 pages before the heap. */
    RedoLog log(int lane) {
        return RedoLog.format(medium, lane * LOG_BYTES, LOG_BYTES);
    }

    /** A destination word for lane {@code lane} (past its redo log's entries in use). */
    static long destination(int lane) {
        return lane * LOG_BYTES + LOG_BYTES - 64;
    }

    @Override
    public void close() {
        medium.close();
        try {
            channel.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
