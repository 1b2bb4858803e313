package dev.engram.cli;

import dev.engram.allocator.PersistentHeap;
import dev.engram.pool.BadBlockSource;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolInfo;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumReader;
import dev.engram.pool.medium.MemoryMedium;
import dev.engram.tx.RootLayout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A pool opened for inspection: the library's read-only open (shared lock, so a writer elsewhere
 * makes it fail with PoolBusyException, and nothing is written, not even the header), plus a
 * <em>scratch</em> medium for the library readers that want a writable {@link Medium}.
 *
 * <p>Why a scratch medium: {@link PersistentHeap#open} and recovery take a {@code Medium}, and
 * {@code check} wants to know what recovery <em>would</em> do without doing it. The scratch medium
 * is a private (copy-on-write) mapping of the file: stores land in this process's memory only and
 * never reach the file, and pages nobody writes cost nothing. Where the file cannot be opened for
 * writing (a read-only file), it falls back to a read-only view, on which a store fails instead.
 */
final class PoolSession implements AutoCloseable {
    private final Pool pool;
    private final Arena arena;
    private final MemoryMedium scratch;
    private final boolean scratchWritable;
    private PersistentHeap heap;

    private PoolSession(Pool pool, Arena arena, MemoryMedium scratch, boolean scratchWritable) {
        this.pool = pool;
        this.arena = arena;
        this.scratch = scratch;
        this.scratchWritable = scratchWritable;
    }

    /** Opens {@code path} read-only; {@code badBlocks} null means "ignore known bad blocks". */
    static PoolSession open(Path path, BadBlockSource badBlocks) {
        BadBlockSource source = badBlocks != null ? badBlocks : p -> List.of();
        Pool pool = Pool.open(path, PoolOptions.defaults().withReadOnly(true).withBadBlocks(source));
        Arena arena = Arena.ofShared();
        try {
            long size = pool.header().poolSize();
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                MemorySegment seg = ch.map(FileChannel.MapMode.PRIVATE, 0, size, arena);
                return new PoolSession(pool, arena, MemoryMedium.wrap(seg), true);
            } catch (AccessDeniedException e) {
                MemorySegment view = pool.reader().readOnlySlice(0, size);
                return new PoolSession(pool, arena, MemoryMedium.wrap(view), false);
            }
        } catch (IOException e) {
            arena.close();
            pool.close();
            throw new CliException(ExitCodes.IO_ERROR, "cannot map pool " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            pool.close();
            throw e;
        }
    }

    Pool pool() {
        return pool;
    }

    PoolInfo info() {
        return pool.info();
    }

    Path path() {
        return pool.path();
    }

    /** The file's bytes as they are (the library's bounds-checked reader). */
    MediumReader reader() {
        return pool.reader();
    }

    /** Private copy-on-write medium: what-if stores go here and never reach the file. */
    Medium scratch() {
        return scratch;
    }

    boolean scratchWritable() {
        return scratchWritable;
    }

    /** True when the object layer formatted the pool (it has lanes with logs and a heap). */
    boolean hasObjectLayer() {
        return pool.reader().getLong(RootLayout.magicOffset(pool.rootAreaOffset())) == RootLayout.MAGIC;
    }

    /** The root object's offset, 0 for none. */
    long rootObject() {
        return pool.reader().getLong(RootLayout.rootObjectOffset(pool.rootAreaOffset()));
    }

    /** The heap, opened over the scratch medium (its lazy zone loading may store; those stores stay private). */
    PersistentHeap heap() {
        if (heap == null) {
            requireObjectLayer();
            heap = PersistentHeap.open(scratch, pool.header().heapOffset(), pool.header().heapSize(), null);
        }
        return heap;
    }

    void requireObjectLayer() {
        if (!hasObjectLayer()) {
            throw new CliException(ExitCodes.INCONSISTENT, "pool " + path() + " has no object layer (no heap or lanes"
                    + " were formatted: it was made with Pool.create, not ObjectPool.create or 'engram create');"
                    + " only 'info' and 'dump' apply to it");
        }
    }

    @Override
    public void close() {
        try {
            arena.close();
        } finally {
            pool.close();
        }
    }
}
