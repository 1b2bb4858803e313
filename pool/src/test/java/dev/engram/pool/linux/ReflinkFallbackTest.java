package dev.engram.pool.linux;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Clones where the file system cannot share extents (ext4 @TempDir, tmpfs /dev/shm): the fallbacks. */
class ReflinkFallbackTest {
    private static final byte[] CONTENT = TestFiles.seededBytes(3 * 1024 * 1024 + 123, 42);

    @TempDir
    Path dir;

    private Path shmDir;

    @BeforeEach
    void createShmDir() throws IOException {
        shmDir = TestFiles.freshDir(TestFiles.SHM);
    }

    @AfterEach
    void deleteShmDir() throws IOException {
        TestFiles.deleteTree(shmDir);
    }

    @Test
    void ext4CloneFallsBackToKernelCopyWithEqualContents() throws IOException {
        Path src = Files.write(dir.resolve("src"), CONTENT);

        CloneResult r = Reflink.cloneFile(src, dir.resolve("dst"));

        assertThat(r.method()).isIn(CloneMethod.COPY_FILE_RANGE, CloneMethod.COPY);
        assertThat(r.fallback()).startsWith("FICLONE: ");
        assertThat(r.bytes()).isEqualTo(CONTENT.length);
        assertThat(Files.readAllBytes(dir.resolve("dst"))).isEqualTo(CONTENT);
    }

    @Test
    void tmpfsCloneFallsBackWithEqualContents() throws IOException {
        Path src = Files.write(shmDir.resolve("src"), CONTENT);

        CloneResult r = Reflink.cloneFile(src, shmDir.resolve("dst"));

        assertThat(r.method()).isIn(CloneMethod.COPY_FILE_RANGE, CloneMethod.COPY);
        assertThat(r.fallback()).startsWith("FICLONE: ");
        assertThat(Files.readAllBytes(shmDir.resolve("dst"))).isEqualTo(CONTENT);
    }

    @Test
    void crossFileSystemCloneFallsBackWithEqualContents() throws IOException {
        Path src = Files.write(shmDir.resolve("src"), CONTENT);

        CloneResult r = Reflink.cloneFile(src, dir.resolve("dst"));

        assertThat(r.method()).isIn(CloneMethod.COPY_FILE_RANGE, CloneMethod.COPY);
        assertThat(Files.readAllBytes(dir.resolve("dst"))).isEqualTo(CONTENT);
    }

    @Test
    void plainCopyPathCopiesEqualContentsAndSaysSo() throws IOException {
        Path src = Files.write(dir.resolve("src"), CONTENT);

        CloneResult r = Reflink.cloneFile(src, dir.resolve("dst"), CloneMethod.COPY);

        assertThat(r).isEqualTo(new CloneResult(CloneMethod.COPY, CONTENT.length, "plain copy requested"));
        assertThat(Files.readAllBytes(dir.resolve("dst"))).isEqualTo(CONTENT);
    }

    @Test
    void copyFileRangePathCopiesEqualContents() throws IOException {
        Path src = Files.write(dir.resolve("src"), CONTENT);

        CloneResult r = Reflink.cloneFile(src, dir.resolve("dst"), CloneMethod.COPY_FILE_RANGE);

        assertThat(r.method()).isEqualTo(CloneMethod.COPY_FILE_RANGE);
        assertThat(Files.readAllBytes(dir.resolve("dst"))).isEqualTo(CONTENT);
    }

    @Test
    void emptySourceGivesEmptyClone() throws IOException {
        Path src = Files.createFile(dir.resolve("src"));

        CloneResult r = Reflink.cloneFile(src, dir.resolve("dst"));

        assertThat(r.bytes()).isZero();
        assertThat(Files.size(dir.resolve("dst"))).isZero();
    }

    @Test
    void cloneIsPrivateToTheOwner() throws IOException {
        Path src = Files.write(dir.resolve("src"), CONTENT);

        Reflink.cloneFile(src, dir.resolve("dst"));

        assertThat(Files.getPosixFilePermissions(dir.resolve("dst")))
                .isSubsetOf(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }

    @Test
    void existingTargetIsRefusedAndLeftUntouched() throws IOException {
        Path src = Files.write(dir.resolve("src"), CONTENT);
        Path dst = Files.write(dir.resolve("dst"), new byte[] {7});

        assertThatThrownBy(() -> Reflink.cloneFile(src, dst))
                .isInstanceOf(NativeIOException.class)
                .hasMessageContaining("open failed on " + dst + ": File exists");
        assertThat(Files.readAllBytes(dst)).containsExactly(7);
    }

    @Test
    void symlinkTargetIsNotFollowed() throws IOException {
        Path src = Files.write(dir.resolve("src"), CONTENT);
        Path victim = Files.write(dir.resolve("victim"), new byte[] {7});
        Path dst = Files.createSymbolicLink(dir.resolve("dst"), victim);

        assertThatThrownBy(() -> Reflink.cloneFile(src, dst)).isInstanceOf(NativeIOException.class);
        assertThat(Files.readAllBytes(victim)).containsExactly(7);
    }

    @Test
    void missingSourceIsAnErrorAndCreatesNoTarget() {
        Path dst = dir.resolve("dst");

        assertThatThrownBy(() -> Reflink.cloneFile(dir.resolve("missing"), dst))
                .isInstanceOf(NativeIOException.class)
                .hasMessageContaining("No such file or directory");
        assertThat(dst).doesNotExist();
    }

    @Test
    void failureAfterTheTargetWasCreatedRemovesIt() throws IOException {
        // A directory opens read-only but cannot be copied: the failure comes after dst exists.
        Path srcDir = Files.createDirectory(dir.resolve("srcdir"));
        Path dst = dir.resolve("dst");

        assertThatThrownBy(() -> Reflink.cloneFile(srcDir, dst)).isInstanceOf(IOException.class);
        assertThat(dst).doesNotExist();
    }
}
