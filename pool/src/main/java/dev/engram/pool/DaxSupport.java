package dev.engram.pool;

import dev.engram.pool.linux.Libc;
import dev.engram.pool.linux.Statx;
import jdk.nio.mapmode.ExtendedMapMode;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Decides whether a file is on DAX (DESIGN.md §2.1): {@code statx} reporting STATX_ATTR_DAX is
 * enough; otherwise a small MAP_SYNC mapping is attempted, because only the kernel knows for certain
 * and a file system may not report the attribute. The mapping attempt never changes the file.
 *
 * <p>Thread safety: stateless.
 */
public final class DaxSupport {
    /** The attempt maps at most one page: enough for the kernel to accept or refuse MAP_SYNC. */
    private static final long PROBE_LENGTH = Bits.PAGE_SIZE;

    private DaxSupport() {
    }

    /**
     * Probes an existing, non-empty regular file that the caller may write (MAP_SYNC needs a writable
     * shared mapping). Never throws for "not DAX": every failure becomes a {@link DaxProbe} with the reason.
     *
     * @param file the file to probe
     * @return whether the file can be mapped with MAP_SYNC, and how that was decided
     */
    public static DaxProbe probe(Path file) {
        String statxVerdict;
        if (Libc.AVAILABLE) {
            try {
                Statx st = Statx.of(file);
                if (st.isDax()) {
                    return new DaxProbe(true, "statx reports STATX_ATTR_DAX");
                }
                statxVerdict = st.daxKnown() ? "statx reports no STATX_ATTR_DAX" : "statx does not report DAX";
            } catch (IOException e) {
                statxVerdict = "statx failed (" + e.getMessage() + ")";
            }
        } else {
            statxVerdict = "statx unavailable on this platform";
        }
        return probeSyncMapping(file, statxVerdict);
    }

    /**
     * The MAP_SYNC attempt alone: maps the first page (or less, never past the end of the file) with
     * {@link ExtendedMapMode#READ_WRITE_SYNC}. {@code statxVerdict} is prefixed to the reason.
     */
    static DaxProbe probeSyncMapping(Path file, String statxVerdict) {
        String fsType = fileSystemType(file);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return new DaxProbe(false, statxVerdict + "; MAP_SYNC not attempted: cannot open " + file
                    + " for writing: " + e);
        }
        try (ch; Arena arena = Arena.ofConfined()) {
            long length = Math.min(ch.size(), PROBE_LENGTH);
            if (length == 0) {
                // The JDK does not call mmap for an empty range, so an empty file proves nothing.
                return new DaxProbe(false, statxVerdict + "; MAP_SYNC not attempted: " + file
                        + " is empty (probe the pool file after it has been sized)");
            }
            ch.map(ExtendedMapMode.READ_WRITE_SYNC, 0, length, arena);
            return new DaxProbe(true, statxVerdict + "; MAP_SYNC mapping succeeded (file system " + fsType + ")");
        } catch (IOException | UnsupportedOperationException e) {
            return new DaxProbe(false, statxVerdict + "; MAP_SYNC mapping failed: " + e.getMessage()
                    + " (file system " + fsType + " has no DAX)");
        }
    }

    private static String fileSystemType(Path file) {
        try {
            return Files.getFileStore(file).type();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
