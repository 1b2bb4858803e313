package dev.engram.pool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DaxSupportTest {
    @TempDir
    Path dir;

    private Path shmFile;

    @AfterEach
    void deleteShmFile() throws IOException {
        if (shmFile != null) {
            Files.deleteIfExists(shmFile);
        }
    }

    @Test
    void ext4FileIsNotDaxBecauseTheSyncMappingFails() throws IOException {
        Path f = Files.write(dir.resolve("pool"), new byte[8192]);

        DaxProbe probe = DaxSupport.probe(f);

        assertThat(probe.dax()).isFalse();
        assertThat(probe.reason())
                .contains("MAP_SYNC mapping failed: Operation not supported")
                .contains("(file system " + Files.getFileStore(f).type() + " has no DAX)");
    }

    @Test
    void tmpfsFileIsNotDaxBecauseTheSyncMappingFails() throws IOException {
        shmFile = Files.write(Path.of("/dev/shm", "engram-dax-probe-" + ProcessHandle.current().pid()), new byte[100]);

        DaxProbe probe = DaxSupport.probe(shmFile);

        assertThat(probe.dax()).isFalse();
        assertThat(probe.reason()).contains("MAP_SYNC mapping failed: Operation not supported (file system tmpfs has no DAX)");
    }

    @Test
    void syncMappingAttemptLeavesTheFileUnchanged() throws IOException {
        byte[] content = {1, 2, 3};
        Path f = Files.write(dir.resolve("small"), content);

        DaxSupport.probe(f);

        assertThat(Files.readAllBytes(f)).isEqualTo(content);
    }

    @Test
    void emptyFileIsReportedAsUndecidedNotDax() throws IOException {
        Path f = Files.createFile(dir.resolve("empty"));

        DaxProbe probe = DaxSupport.probe(f);

        assertThat(probe.dax()).isFalse();
        assertThat(probe.reason()).contains("MAP_SYNC not attempted").contains("is empty");
    }

    @Test
    void missingFileIsNotDaxWithTheOpenFailureAsReason() {
        DaxProbe probe = DaxSupport.probe(dir.resolve("missing"));

        assertThat(probe.dax()).isFalse();
        assertThat(probe.reason()).contains("statx failed").contains("cannot open").contains("NoSuchFileException");
    }

    @Test
    void reasonIncludesTheStatxVerdict() throws IOException {
        Path f = Files.write(dir.resolve("pool"), new byte[4096]);

        assertThat(DaxSupport.probe(f).reason()).startsWith("statx reports no STATX_ATTR_DAX");
    }
}
