package dev.engram.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Known bad ranges at open (DESIGN.md §2.4): metadata refuses, heap ranges are reported. */
class PoolBadBlocksTest {
    @TempDir
    Path dir;

    private PoolOptions withList(String lines) throws Exception {
        Path list = dir.resolve("badblocks.txt");
        Files.writeString(list, lines);
        return TestPools.options().withBadBlocks(new ListFileBadBlockSource(list));
    }

    @Test
    void shouldRefuseTheOpenWhenABadBlockHitsTheLaneArea() throws Exception {
        Path file = dir.resolve("p.pool");
        Pool.create(file, TestPools.options()).close();
        PoolOptions o = withList("# lane 0\n12288 512\n");
        assertThatThrownBy(() -> Pool.open(file, o))
                .isInstanceOfSatisfying(MediaErrorException.class, e -> assertThat(e.offset()).isEqualTo(12288))
                .hasMessageContaining("lane area");
    }

    @Test
    void shouldRefuseTheOpenWhenABadBlockHitsTheHeader() throws Exception {
        Path file = dir.resolve("h.pool");
        Pool.create(file, TestPools.options()).close();
        assertThatThrownBy(() -> Pool.open(file, withList("0x1000 4096\n")))
                .isInstanceOf(MediaErrorException.class).hasMessageContaining("pool header");
    }

    @Test
    void shouldOpenAndReportBadBlocksInsideTheHeap() throws Exception {
        Path file = dir.resolve("b.pool");
        long heapOffset;
        try (Pool p = Pool.create(file, TestPools.options())) {
            heapOffset = p.header().heapOffset();
        }
        try (Pool p = Pool.open(file, withList((heapOffset + 8192) + " 4096\n"))) {
            assertThat(p.badRanges()).containsExactly(new BadRange(heapOffset + 8192, 4096));
            assertThat(p.info().badRanges()).hasSize(1);
        }
    }
}
