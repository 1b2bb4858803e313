package dev.engram.pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import dev.engram.pool.linux.TestFiles;

import java.nio.file.Path;

/** Small helpers shared by the pool tests. */
final class TestPools {
    static final long SIZE = 2L << 20;

    private TestPools() {
    }

    static PoolOptions options() {
        return PoolOptions.defaults().withLayout("test").withSize(SIZE).withLanes(4, 4096);
    }

    static Path shmDir() {
        try {
            return TestFiles.freshDir(TestFiles.SHM);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        TestFiles.deleteTree(dir);
    }
}
