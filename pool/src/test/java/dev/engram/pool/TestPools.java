package dev.engram.pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
            return Files.createTempDirectory(Path.of("/dev/shm"), "engram-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
