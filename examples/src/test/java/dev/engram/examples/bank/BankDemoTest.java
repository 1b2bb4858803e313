package dev.engram.examples.bank;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class BankDemoTest {
    private static final Pattern SO_FAR = Pattern.compile("transfers so far: (\\d+)");

    @TempDir
    Path dir;

    @Test
    void shouldKeepBalancesAndLedgerAcrossRuns() {
        Path pool = dir.resolve("bank.pool");

        String first = runInProcess(pool);
        assertThat(first).startsWith("Created " + pool + ": 4 accounts, 4,000 in total")
                .contains("transfer #1:", "transfer #5:", "total   4,000 (conserved)", "transfers so far: 5",
                        "cli/bin/engram check " + pool);

        String second = runInProcess(pool);
        assertThat(second).startsWith("Reopened " + pool + ": 5 transfers so far")
                .doesNotContain("recovered")
                .contains("transfer #6:", "transfer #10:", "total   4,000 (conserved)", "transfers so far: 10");
    }

    @Test
    void shouldRollBackTheTransferInFlightWhenTheProcessDies() throws Exception {
        Path pool = dir.resolve("bank.pool");
        runInProcess(pool);   // transfers #1..#5 committed

        Process child = new ProcessBuilder(childJvm(pool, "--crash-at", "2")).redirectErrorStream(true).start();
        String crashed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(crashed).isEqualTo(BankDemo.CRASH_STATUS);
        assertThat(crashed).contains("transfer #6:", "crash: halting the JVM inside transfer #7, after debiting")
                .doesNotContain("transfer #7:", "conserved");

        String recovered = runInProcess(pool);
        assertThat(recovered).startsWith("Reopened " + pool + ": 6 transfers so far")
                .contains("recovered: rolled back transfer #7 (the last run died inside it",
                        "total after recovery: 4,000 (conserved)", "transfer #7:", "total   4,000 (conserved)");
        assertThat(transfersSoFar(recovered)).isEqualTo(11);
    }

    private String runInProcess(Path pool) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BankDemo.run(pool, 0, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The demo in a JVM of its own, so that halting it does not take the test down with it. */
    private static List<String> childJvm(Path pool, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dkryo.unsafe=false",
                "-cp", System.getProperty("java.class.path"),
                BankDemo.class.getName(), "--pool", pool.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static int transfersSoFar(String output) {
        Matcher m = SO_FAR.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
