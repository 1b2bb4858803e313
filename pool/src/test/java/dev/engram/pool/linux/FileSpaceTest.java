package dev.engram.pool.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSpaceTest {
    @TempDir
    Path dir;

    @Test
    void unshareOnExt4FailsNamingTheFlagAndFileSystem() throws IOException {
        Path f = Files.write(dir.resolve("f"), new byte[8192]);

        assertThatThrownBy(() -> FileSpace.unshare(f, 0, 8192))
                .isInstanceOf(NativeIOException.class)
                .hasMessageContaining("fallocate(FALLOC_FL_UNSHARE_RANGE) is not supported on " + f)
                .hasMessageContaining("(file system " + Files.getFileStore(f).type() + ")")
                .satisfies(e -> assertThat(((NativeIOException) e).errno()).isEqualTo(Libc.EOPNOTSUPP));
    }

    @Test
    void unshareRejectsAnEmptyRange() throws IOException {
        Path f = Files.write(dir.resolve("f"), new byte[8192]);

        assertThatThrownBy(() -> FileSpace.unshare(f, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unshare range must be non-empty and non-negative: offset=0 length=0");
    }

    @Test
    void unshareLeavesContentsAndSizeUnchangedWhereSupported() throws IOException {
        Path d = TestFiles.freshDir(TestFiles.reflinkDir());
        try {
            byte[] content = TestFiles.seededBytes(100_000, 3);
            Path f = Files.write(d.resolve("f"), content);

            FileSpace.unshare(f, 0, 200_000);

            assertThat(Files.size(f)).isEqualTo(content.length);
            assertThat(Files.mismatch(f, Files.write(d.resolve("expected"), content))).isEqualTo(-1L);
        } finally {
            TestFiles.deleteTree(d);
        }
    }
}
