package dev.engram.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A tmpfs of a few MiB mounted for one test, so that "no space left" and read-only remounts are
 * real kernel behaviour and not mocks. Needs root: skipped otherwise, except under {@code CI=true},
 * where a missing root is a failure (CI runs as root, and these tests must not silently vanish).
 */
final class TinyTmpfs implements AutoCloseable {
    final Path dir;
    private boolean mounted;

    private TinyTmpfs(Path dir) {
        this.dir = dir;
    }

    static TinyTmpfs mount(String size) throws IOException {
        requireRoot();
        Path dir = Files.createTempDirectory("engram-tinyfs");
        TinyTmpfs fs = new TinyTmpfs(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "engram-tinyfs", dir.toString());
        fs.mounted = true;
        return fs;
    }

    static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && "true".equals(System.getenv("CI"))) {
            fail("CI=true but the tests do not run as root: the full-disk and read-only tests need mount(8)");
        }
        assumeTrue(root, "needs root to mount a tmpfs");
    }

    void remountReadOnly() {
        run("mount", "-o", "remount,ro", dir.toString());
    }

    /** Free bytes left on the file system. */
    long freeBytes() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void close() throws IOException {
        if (mounted) {
            run("umount", dir.toString());
            mounted = false;
        }
        Files.deleteIfExists(dir);
    }

    static void run(String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            boolean done = p.waitFor(30, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(done).as("%s finished", cmd).isTrue();
            assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
