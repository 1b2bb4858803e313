package dev.engram.pool.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** File helpers shared by the native tests: tmpfs files, the CI reflink file system, seeded content. */
public final class TestFiles {
    public static final Path SHM = Path.of("/dev/shm");

    private TestFiles() {
    }

    /**
     * The reflink-capable directory {@code .ci/reflink-fs.sh} mounts. In CI its absence is a failure
     * (the reflink path would otherwise go untested unnoticed); on a workstation the test is skipped.
     */
    public static Path reflinkDir() {
        String dir = System.getenv("ENGRAM_REFLINK_DIR");
        if (dir == null || dir.isBlank()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but ENGRAM_REFLINK_DIR is not set: .ci/run must run .ci/reflink-fs.sh and export it");
            }
            assumeTrue(false, "ENGRAM_REFLINK_DIR is not set (run .ci/reflink-fs.sh as root and export it)");
        }
        return Path.of(dir);
    }

    /** A fresh directory under {@code parent}, for file systems @TempDir cannot choose. */
    public static Path freshDir(Path parent) throws IOException {
        return Files.createTempDirectory(parent, "engram-test-");
    }

    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public static byte[] seededBytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}
