package dev.engram.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListFileBadBlockSourceTest {
    @TempDir
    Path dir;

    private BadBlockSource listOf(String text) throws IOException {
        return new ListFileBadBlockSource(Files.writeString(dir.resolve("bad.txt"), text));
    }

    @Test
    void readsDecimalAndHexPairs() throws IOException {
        assertThat(listOf("4096 512\n0x10000 0x1000\n").badRanges(dir.resolve("pool")))
                .containsExactly(new BadRange(4096, 512), new BadRange(0x10000, 0x1000));
    }

    @Test
    void ignoresCommentsAndBlankLines() throws IOException {
        assertThat(listOf("# header\n\n  8192 64   # trailing comment\n   \n").badRanges(dir.resolve("pool")))
                .containsExactly(new BadRange(8192, 64));
    }

    @Test
    void returnsRangesSortedAndMerged() throws IOException {
        assertThat(listOf("9000 100\n100 50\n140 20\n160 10\n").badRanges(dir.resolve("pool")))
                .containsExactly(new BadRange(100, 70), new BadRange(9000, 100));
    }

    @Test
    void emptyListHasNoRanges() throws IOException {
        assertThat(listOf("# nothing bad\n").badRanges(dir.resolve("pool"))).isEmpty();
    }

    @Test
    void lineWithOneFieldIsRejectedWithItsNumber() throws IOException {
        BadBlockSource source = listOf("0 1\n# ok\n4096\n");

        assertThatThrownBy(() -> source.badRanges(dir.resolve("pool")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("bad-block list " + dir.resolve("bad.txt") + " line 3: expected 'offset length', got '4096'");
    }

    @Test
    void nonNumberIsRejectedWithItsNumber() throws IOException {
        BadBlockSource source = listOf("0x1g 10\n");

        assertThatThrownBy(() -> source.badRanges(dir.resolve("pool")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("line 1: '0x1g' is not a decimal or 0x-hex number, got '0x1g 10'");
    }

    @Test
    void zeroLengthIsRejectedWithItsNumber() throws IOException {
        BadBlockSource source = listOf("1 1\n2 0\n");

        assertThatThrownBy(() -> source.badRanges(dir.resolve("pool")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("line 2: offset must be >= 0, length > 0");
    }

    @Test
    void missingListFileIsAnIoError() {
        BadBlockSource source = new ListFileBadBlockSource(dir.resolve("absent.txt"));

        assertThatThrownBy(() -> source.badRanges(dir.resolve("pool"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void noneHasNoRanges() throws IOException {
        assertThat(BadBlockSource.NONE.badRanges(dir.resolve("pool"))).isEmpty();
    }
}
