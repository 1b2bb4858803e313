package dev.engram.pool.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatxTest {
    @TempDir
    Path dir;

    @Test
    void layoutOffsetsMatchTheKernelStruct() {
        assertThat(Statx.ATTRIBUTES_OFFSET).isEqualTo(8);
        assertThat(Statx.SIZE_OFFSET).isEqualTo(40);
        assertThat(Statx.BLOCKS_OFFSET).isEqualTo(48);
        assertThat(Statx.ATTRIBUTES_MASK_OFFSET).isEqualTo(56);
        assertThat(Statx.DEV_MAJOR_OFFSET).isEqualTo(136);
        assertThat(Statx.DEV_MINOR_OFFSET).isEqualTo(140);
    }

    @Test
    void decodeReadsEachFieldAtItsDocumentedOffset() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Statx.STRUCT_SIZE, 8);
            buf.set(ValueLayout.JAVA_LONG, 8, Statx.ATTR_DAX);
            buf.set(ValueLayout.JAVA_LONG, 40, 12345);
            buf.set(ValueLayout.JAVA_LONG, 48, 24);
            buf.set(ValueLayout.JAVA_LONG, 56, Statx.ATTR_DAX);
            buf.set(ValueLayout.JAVA_INT, 136, 259);
            buf.set(ValueLayout.JAVA_INT, 140, 3);

            assertThat(Statx.decode(buf)).isEqualTo(new Statx(Statx.ATTR_DAX, Statx.ATTR_DAX, 259, 3, 12345, 24));
        }
    }

    @Test
    void daxIsOnlyTrueWhenTheMaskReportsTheAttribute() {
        assertThat(new Statx(Statx.ATTR_DAX, 0, 0, 0, 0, 0).isDax()).isFalse();
        assertThat(new Statx(Statx.ATTR_DAX, 0, 0, 0, 0, 0).daxKnown()).isFalse();
        assertThat(new Statx(0, Statx.ATTR_DAX, 0, 0, 0, 0).isDax()).isFalse();
        assertThat(new Statx(Statx.ATTR_DAX, Statx.ATTR_DAX, 0, 0, 0, 0).isDax()).isTrue();
    }

    @Test
    void reportsSizeBlocksAndDeviceOfARealFile() throws IOException {
        Path f = dir.resolve("f");
        Files.write(f, new byte[10_000]);

        Statx st = Statx.of(f);

        assertThat(st.size()).isEqualTo(10_000);
        assertThat(st.allocatedBytes()).isGreaterThanOrEqualTo(10_000);
        assertThat(st.isDax()).isFalse();
        assertThat(st.deviceId()).isEqualTo(st.devMajor() + ":" + st.devMinor());
        assertThat(st.devMajor() | st.devMinor()).isNotZero();
    }

    @Test
    void missingFileIsANativeErrorNamingTheCallAndPath() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> Statx.of(missing))
                .isInstanceOf(NativeIOException.class)
                .hasMessageContaining("statx failed on " + missing)
                .hasMessageContaining("No such file or directory");
    }
}
