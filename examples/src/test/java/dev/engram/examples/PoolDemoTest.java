package dev.engram.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PoolDemoTest {
    @TempDir
    Path dir;

    private String runOnce(Path file) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PoolDemo.run(file, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldCreateOnTheFirstRunAndCountOnTheSecond() {
        Path file = dir.resolve("demo.pool");
        String first = runOnce(file);
        assertThat(first).contains("Created").contains("run #1").contains("runs=1").contains("PAGE_CACHE")
                .contains("layout           engram-demo");
        String second = runOnce(file);
        assertThat(second).contains("Reopened").contains("run #2").contains("runs=2").contains("last shutdown    clean");
    }
}
