package dev.engram.pool.linux;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** Real FICLONE and FIEMAP sharing, on the reflink file system CI provides (ENGRAM_REFLINK_DIR). */
class ReflinkTest {
    private static final byte[] CONTENT = TestFiles.seededBytes(4 * 1024 * 1024, 7);

    private Path dir;
    private Path src;
    private Path clone;

    @BeforeEach
    void createSource() throws IOException {
        dir = TestFiles.freshDir(TestFiles.reflinkDir());
        src = Files.write(dir.resolve("src"), CONTENT);
        clone = dir.resolve("clone");
    }

    @AfterEach
    void deleteDir() throws IOException {
        TestFiles.deleteTree(dir);
    }

    @Test
    void cloneIsMadeWithFiclone() throws IOException {
        CloneResult r = Reflink.cloneFile(src, clone);

        assertThat(r).isEqualTo(new CloneResult(CloneMethod.REFLINK, CONTENT.length, ""));
    }

    @Test
    void cloneHasTheSourceContents() throws IOException {
        Reflink.cloneFile(src, clone);

        assertThat(Files.readAllBytes(clone)).isEqualTo(CONTENT);
    }

    @Test
    void cloneSharesAllItsExtentsWithTheSource() throws IOException {
        Reflink.cloneFile(src, clone);

        Fiemap map = Fiemap.of(clone);
        assertThat(map.sharedBytes()).isEqualTo(CONTENT.length);
        assertThat(map.sharedFraction()).isEqualTo(1.0);
        assertThat(Fiemap.of(src).sharedFraction()).isEqualTo(1.0);
    }

    @Test
    void writingToTheCloneLeavesTheSourceIntact() throws IOException {
        Reflink.cloneFile(src, clone);

        try (FileChannel ch = FileChannel.open(clone, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[8192]), 4096);
            ch.force(true);
        }

        assertThat(Files.readAllBytes(src)).isEqualTo(CONTENT);
        assertThat(Fiemap.of(clone).sharedFraction()).isLessThan(1.0);
    }

    @Test
    void unshareGivesTheClonePrivateBlocks() throws IOException {
        Reflink.cloneFile(src, clone);

        FileSpace.unshare(clone, 0, CONTENT.length);

        assertThat(Fiemap.of(clone).sharedFraction()).isZero();
        assertThat(Files.readAllBytes(clone)).isEqualTo(CONTENT);
    }
}
