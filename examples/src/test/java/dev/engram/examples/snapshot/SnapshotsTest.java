package dev.engram.examples.snapshot;

import dev.engram.pool.CloneReport;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.linux.CloneMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotsTest {
    @TempDir
    Path dir;

    @Test
    void shouldChangeTheCloneOnlyAndReportTheDifferences() throws Exception {
        Path original = dir.resolve("a.pool");
        Path copy = dir.resolve("b.pool");
        Snapshots.createSettings(original, Map.of("threads", "4", "cache", "256M", "mode", "safe"));
        byte[] before = Files.readAllBytes(original);

        CloneReport report = Snapshots.snapshot(original, copy, Map.of("threads", "16", "trace", "on"), "cache");

        assertThat(Files.readAllBytes(original)).as("original pool, byte for byte").isEqualTo(before);
        assertThat(report.bytes()).isEqualTo(Files.size(original));
        assertThat(report.shared()).isEqualTo(report.method() == CloneMethod.REFLINK);
        assertThat(report.uuid()).isNotEqualTo(uuidOf(original)).isEqualTo(uuidOf(copy));
        assertThat(Snapshots.compare(original, copy)).containsExactly(
                Map.entry("cache", new Snapshots.Change("256M", null)),
                Map.entry("threads", new Snapshots.Change("4", "16")),
                Map.entry("trace", new Snapshots.Change(null, "on")));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Snapshots.print(report, Snapshots.compare(original, copy), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("clone: " + report.method())
                .contains("clone uuid: " + report.uuid(), "  threads  4      -> 16", "  cache    256M   -> -");
    }

    private static UUID uuidOf(Path file) {
        try (Pool pool = Pool.open(file, PoolOptions.defaults().withLayout(Snapshots.LAYOUT.name()).withReadOnly(true))) {
            return pool.info().uuid();
        }
    }
}
