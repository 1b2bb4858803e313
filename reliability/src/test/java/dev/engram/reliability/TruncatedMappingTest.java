package dev.engram.reliability;

import dev.engram.pool.MappingPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool file truncated under its live mapping (DESIGN.md §2.4): reads, writes, bulk copies,
 * checksums, fills, flushes and drains of the vanished pages, interpreted and from C2-compiled hot
 * loops, for the page-cache and forced-pmem media. Each runs in a child JVM
 * ({@link TruncatedMappingChild}, same flags and class path) because a SIGBUS the JVM cannot map
 * to an exception kills the process; the child's exit code and its {@code RESULT} lines are the
 * observations.
 *
 * <p>What must hold: the JVM survives; every access through the medium's own methods and every
 * entry point guarded by {@code MediaFaults.guard} gives {@code MediaErrorException}. What is
 * recorded rather than required: a user's own C2-compiled loop around the medium's accessors may
 * see the JDK's asynchronous {@code InternalError} ("a fault occurred in an unsafe memory access
 * operation in compiled Java code") at a safepoint poll outside the medium (MediaFaults' Javadoc);
 * the test asserts that if it escapes untyped, {@code MediaFaults.isMediaFault} recognises it.
 * Measured here (JDK 25.0.3, Temurin): cold accessors give {@code MediaErrorException}; after
 * warm-up even a single {@code getLong}/{@code putLong} call on the medium lets the raw
 * {@code InternalError} escape, and only {@code MediaFaults.guard} types it. Page cache: flush and
 * drain of the vanished range succeed (msync has nothing left to write). Forced pmem: the
 * write-back of a vanished line is translated to {@code MediaErrorException} and the medium turns
 * fail-stop ({@code PoolClosedException} for later writes, drains and close).
 */
class TruncatedMappingTest {
    private Path dir;

    @BeforeEach
    void scratch() throws IOException {
        dir = Files.createTempDirectory(FuzzSeeds.scratchRoot(), "engram-trunc");
    }

    @AfterEach
    void clean() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    static Map<String, String> runChild(MappingPolicy policy, Path dir, String steps) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m", "-XX:ErrorFile=" + dir + "/hs_err.log",
                "-cp", System.getProperty("java.class.path"), TruncatedMappingChild.class.getName(), policy.name(),
                dir.toString(), steps).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        System.out.println("child " + policy + " exit " + (done ? p.exitValue() : "timeout") + ":\n" + out);
        assertThat(done).as("child finished").isTrue();
        assertThat(p.exitValue()).as("child JVM exit code (134 = crashed by a signal):\n%s", out).isZero();
        Map<String, String> results = new LinkedHashMap<>();
        for (String line : out.lines().filter(l -> l.startsWith("RESULT ")).toList()) {
            String[] parts = line.substring(7).split(" ", 2);
            results.put(parts[0], parts.length > 1 ? parts[1] : "");
        }
        return results;
    }

    @ParameterizedTest
    @EnumSource(value = MappingPolicy.class, names = {"PAGE_CACHE", "FORCE_PMEM"})
    void accessesToTruncatedPagesRaiseMediaErrorsAndNeverKillTheJvm(MappingPolicy policy) throws Exception {
        Map<String, String> r = runChild(policy, dir, String.join(",", List.of("read-cold", "write-cold", "warm-up",
                "read", "write", "bulk-read", "fill", "flush", "drain", "read-below-eof", "hot-loop", "hot-loop-guarded",
                "hot-write-loop", "grow-after", "close")));
        assertThat(r).containsEntry("jvm", "alive");
        for (String step : List.of("read-cold", "write-cold", "bulk-read", "fill", "hot-loop-guarded")) {
            assertThat(r.get(step)).as(step).isEqualTo("MediaErrorException MEDIA_ERROR");
        }
        assertThat(r.get("warm-up")).isEqualTo("ok");
        assertThat(r.get("read-below-eof")).isEqualTo("ok");
        // The documented limit (SegmentMedium, MediaFaults): once C2 compiled the accessor, the JDK
        // raises the fault at a later safepoint poll, outside the medium's catch.
        for (String step : List.of("read", "write", "hot-loop", "hot-write-loop")) {
            assertThat(r.get(step)).as(step).satisfiesAnyOf(
                    v -> assertThat(v).isEqualTo("MediaErrorException MEDIA_ERROR"),
                    // forced pmem: the failed flush made the medium fail-stop, later writes are refused
                    v -> assertThat(v).isEqualTo("PoolClosedException CLOSED"),
                    v -> assertThat(v).startsWith("UNTYPED java.lang.InternalError (media fault)"));
        }
        for (String step : List.of("flush", "drain", "grow-after", "close")) {
            assertThat(r.get(step)).as(step).satisfiesAnyOf(
                    v -> assertThat(v).isEqualTo("ok"),
                    v -> assertThat(v).matches("[A-Za-z]+Exception [A-Z_]+"));
        }
    }
}
