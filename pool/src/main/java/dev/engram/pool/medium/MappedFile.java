package dev.engram.pool.medium;

import dev.engram.pool.PoolIoException;
import dev.engram.pool.linux.FileSpace;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file mapping that can grow. Each growth maps the whole file again in a new arena; earlier
 * segments stay mapped (and coherent, being MAP_SHARED views of the same file) until {@link #close},
 * so a thread still holding one is never left with a dangling address.
 *
 * <p>Thread safety: {@link #grow} and {@link #close} are synchronized; {@link #segment} is volatile.
 */
public final class MappedFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final FileChannel.MapMode mode;
    private final List<Arena> arenas = new ArrayList<>();
    private volatile MemorySegment segment;

    private MappedFile(Path path, FileChannel channel, FileChannel.MapMode mode, long size) throws IOException {
        this.path = path;
        this.channel = channel;
        this.mode = mode;
        this.segment = mapWhole(size);
    }

    /**
     * Maps {@code [0, size)} of an open channel. The channel stays owned by the caller (the pool
     * holds its lock through it). An {@link IOException} from the mapping call is passed through so
     * DAX detection can see "Operation not supported".
     *
     * @param path    the file, for messages and for reserving space on {@link #grow}
     * @param channel an open channel on {@code path}, readable (and writable for a read-write mode)
     * @param mode    the JDK map mode, e.g. {@code READ_WRITE}, {@code READ_ONLY} or the DAX
     *                {@code ExtendedMapMode.READ_WRITE_SYNC}
     * @param size    bytes to map from offset 0, normally the file length
     * @return the mapping
     * @throws IOException if the mapping call fails, e.g. "Operation not supported" for a sync mapping of a
     *                     file that is not on DAX
     */
    public static MappedFile map(Path path, FileChannel channel, FileChannel.MapMode mode, long size) throws IOException {
        return new MappedFile(path, channel, mode, size);
    }

    private MemorySegment mapWhole(long size) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment s = channel.map(mode, 0, size, arena);
            arenas.add(arena);
            return s;
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** {@return the mapped file} */
    public Path path() {
        return path;
    }

    /** {@return the map mode the file was mapped with} */
    public FileChannel.MapMode mode() {
        return mode;
    }

    /** {@return the newest mapping, covering the whole file as of the last {@link #grow}} */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * Extends the file to {@code newSize} (space reserved, so a full disk fails here, not with SIGBUS later)
     * and remaps.
     *
     * @param newSize the new file length in bytes; not above the current size is a no-op
     * @return the mapping covering the new size (earlier ones stay valid until {@link #close})
     * @throws dev.engram.pool.PoolIoException if the space cannot be reserved or the file cannot be remapped
     */
    public synchronized MemorySegment grow(long newSize) {
        long old = segment.byteSize();
        if (newSize <= old) {
            return segment;
        }
        try {
            FileSpace.reserve(path, channel, old, newSize - old);
            segment = mapWhole(newSize);
            return segment;
        } catch (IOException e) {
            throw new PoolIoException("cannot grow " + path + " from " + old + " to " + newSize + " bytes: "
                    + e.getMessage() + " (free space on the file system, or choose a smaller growth step)", e);
        }
    }

    /** Unmaps every segment this file handed out. */
    @Override
    public synchronized void close() {
        for (Arena a : arenas) {
            a.close();
        }
        arenas.clear();
    }
}
