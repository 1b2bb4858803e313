package dev.engram.pool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the known bad ranges of a pool file come from (DESIGN.md §2.4): the device's badblocks list
 * mapped to file offsets on real pmem ({@link SysfsBadBlockSource}), a list file in tests and for
 * operators ({@link ListFileBadBlockSource}), or {@link #NONE}. Open refuses a pool with bad ranges in
 * its metadata; bad ranges in user objects are reported per object.
 */
@FunctionalInterface
public interface BadBlockSource {
    /** A source that knows of no bad blocks. */
    BadBlockSource NONE = poolFile -> List.of();

    /**
     * The bad ranges of {@code poolFile} in file offsets, sorted by offset and not overlapping.
     *
     * @param poolFile the pool file
     * @return the bad ranges, empty if none are known
     * @throws IOException if the source cannot be read
     */
    List<BadRange> badRanges(Path poolFile) throws IOException;
}
