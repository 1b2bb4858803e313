package dev.engram.pool;

import dev.engram.pool.linux.Fiemap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing and mapping against a fake sysfs tree and synthetic extents: no pmem hardware here. */
class SysfsBadBlockSourceTest {
    private static final int S = SysfsBadBlockSource.SECTOR;
    /** The pool's extents: file [0, 1 MiB) at device byte 8 MiB, file [1 MiB, 2 MiB) at device byte 2 MiB. */
    private static final List<Fiemap.Extent> EXTENTS = List.of(
            new Fiemap.Extent(0, 8 << 20, 1 << 20, 0),
            new Fiemap.Extent(1 << 20, 2 << 20, 1 << 20, Fiemap.EXTENT_LAST));

    @TempDir
    Path sys;

    private Path pmem0;

    @BeforeEach
    void buildSysfs() throws IOException {
        pmem0 = Files.createDirectories(sys.resolve("devices/ndbus0/region0/namespace0.0/block/pmem0"));
        Path part = Files.createDirectories(pmem0.resolve("pmem0p1"));
        Files.writeString(part.resolve("partition"), "1\n");
        Files.writeString(part.resolve("start"), "2048\n");
        Path vda = Files.createDirectories(sys.resolve("devices/virtio0/block/vda"));
        Files.writeString(vda.resolve("badblocks"), "16384 8\n");
        Path devBlock = Files.createDirectories(sys.resolve("dev/block"));
        Files.createSymbolicLink(devBlock.resolve("259:0"), pmem0);
        Files.createSymbolicLink(devBlock.resolve("259:1"), part);
        Files.createSymbolicLink(devBlock.resolve("254:0"), vda);
    }

    private List<BadRange> rangesOn(String device, String badblocks) throws IOException {
        Files.writeString(pmem0.resolve("badblocks"), badblocks);
        return new SysfsBadBlockSource(sys, file -> device, file -> EXTENTS).badRanges(sys.resolve("pool"));
    }

    @Test
    void pmemSectorsMapToFileOffsetsThroughExtents() throws IOException {
        // device byte 8 MiB + 4096 is file byte 4096; device byte 2 MiB is file byte 1 MiB
        long first = ((8 << 20) + 4096) / S;
        long second = (2 << 20) / S;

        assertThat(rangesOn("259:0", first + " 2\n" + second + " 1\n"))
                .containsExactly(new BadRange(4096, 2 * S), new BadRange(1 << 20, S));
    }

    @Test
    void partitionSectorsAreMadeRelativeToThePartitionStart() throws IOException {
        long first = 2048 + ((8 << 20) + 4096) / S;

        assertThat(rangesOn("259:1", first + " 1\n")).containsExactly(new BadRange(4096, S));
    }

    @Test
    void badSectorsBeforeThePartitionAreIgnored() throws IOException {
        assertThat(rangesOn("259:1", "0 2048\n")).isEmpty();
    }

    @Test
    void badRangeSpanningTwoExtentsIsSplitByFileOffset() throws IOException {
        // last sector of extent 0 and the one after it, which no extent of this file holds
        long lastOfFirst = ((9 << 20) - S) / S;

        assertThat(rangesOn("259:0", lastOfFirst + " 2\n")).containsExactly(new BadRange((1 << 20) - S, S));
    }

    @Test
    void badSectorsOutsideTheFileAreIgnored() throws IOException {
        assertThat(rangesOn("259:0", "0 8\n")).isEmpty();
    }

    @Test
    void extentsWithoutPhysicalAddressAreSkipped() {
        List<Fiemap.Extent> delalloc = List.of(new Fiemap.Extent(0, 0, 1 << 20, Fiemap.EXTENT_UNKNOWN | Fiemap.EXTENT_DELALLOC));

        assertThat(SysfsBadBlockSource.mapToFile(List.of(new BadRange(0, S)), delalloc)).isEmpty();
    }

    @Test
    void nonPmemDeviceHasNoBadRanges() throws IOException {
        assertThat(new SysfsBadBlockSource(sys, file -> "254:0", file -> EXTENTS).badRanges(sys.resolve("pool"))).isEmpty();
    }

    @Test
    void deviceWithoutSysfsNodeHasNoBadRanges() throws IOException {
        assertThat(new SysfsBadBlockSource(sys, file -> "0:42", file -> EXTENTS).badRanges(sys.resolve("pool"))).isEmpty();
    }

    @Test
    void malformedBadblocksLineIsRejectedWithItsNumber() {
        assertThatThrownBy(() -> rangesOn("259:0", "8 1\nbogus\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("badblocks line 2: expected 'sector count', got 'bogus'");
    }

    @Test
    void realSourceReportsNothingForAFileOnThisMachine(@TempDir Path dir) throws IOException {
        Path pool = Files.write(dir.resolve("pool"), new byte[8192]);

        assertThat(new SysfsBadBlockSource().badRanges(pool)).isEmpty();
    }
}
