package dev.engram.pool.medium;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * DESIGN.md §2.4's open question: what does a CPU cache-line write-back of a truncated page do? Each
 * case runs {@link TruncatedWriteBackChild} in its own JVM, since the answer can be "the JVM dies".
 */
class TruncatedWriteBackTest {
    @TempDir
    Path dir;

    private record Outcome(int exitCode, String output) {
    }

    private Outcome runChild(String mode) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-XX:-CreateCoredumpOnCrash",
                "-cp", System.getProperty("java.class.path"),
                TruncatedWriteBackChild.class.getName(), mode, dir.resolve("pool-" + mode).toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        // A bound against a hung child, not a timing assertion.
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("child JVM did not finish: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void rawWriteBackOfATruncatedPageKillsTheJvmWithSigbus() throws Exception {
        Outcome o = runChild("raw");

        assertThat(o.exitCode()).as(o.output()).isNotZero();
        assertThat(o.output())
                .contains("WRITEBACK_BEFORE_TRUNCATE_OK")
                .contains("SIGBUS")
                .doesNotContain("RAW_WRITEBACK_RETURNED")
                .doesNotContain("ALIVE");
    }

    @Test
    void flushOfATruncatedPageRaisesMediaErrorAndTheJvmCarriesOn() throws Exception {
        Outcome o = runChild("flush");

        assertThat(o.exitCode()).as(o.output()).isZero();
        assertThat(o.output())
                .contains("MEDIA_ERRORS=1 OFFSET=" + TruncatedWriteBackChild.PAGE)
                .contains("ALIVE");
    }

    @Test
    void mediumRefusesWritesAfterAFlushMediaError() throws Exception {
        Outcome o = runChild("flush");

        assertThat(o.output()).as(o.output()).contains("WRITE_AFTER_MEDIA_ERROR_REFUSED");
    }

    @Test
    void compiledFlushOfATruncatedPageRaisesMediaErrorEveryTime() throws Exception {
        Outcome o = runChild("flush-compiled");

        assertThat(o.exitCode()).as(o.output()).isZero();
        assertThat(o.output())
                .contains("MEDIA_ERRORS=" + TruncatedWriteBackChild.FAULTS + " OFFSET=" + TruncatedWriteBackChild.PAGE)
                .contains("ALIVE");
    }
}
