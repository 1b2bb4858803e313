package dev.engram.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Files that are not usable pools, and wrong command lines: one clear line, the right exit code, no stack trace. */
class BadInputTest {
    @TempDir
    Path dir;

    @Test
    void shouldNameAMissingFileAndExitWithIoError() {
        Path missing = dir.resolve("nope.pool");
        for (String cmd : new String[] {"info", "check", "stats", "objects"}) {
            Cli.Run r = Cli.run(cmd, missing);
            assertThat(r.exit()).as(cmd).isEqualTo(ExitCodes.IO_ERROR);
            assertThat(r.err()).contains(missing + " does not exist; create it first").doesNotContain("\tat ");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void shouldRejectAGarbageFileAsNotAPool() throws IOException {
        byte[] junk = new byte[2 << 20];
        new Random(42).nextBytes(junk);
        Path garbage = Files.write(dir.resolve("garbage.pool"), junk);
        Cli.Run info = Cli.run("info", garbage);
        assertThat(info.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(info.err()).contains(garbage.toString()).contains("both header copies are invalid")
                .contains("not an Engram pool").doesNotContain("\tat ");
        Cli.Run check = Cli.run("check", garbage, "--json");
        assertThat(check.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(check.json()).containsEntry("consistent", false);
    }

    @Test
    void shouldRejectATruncatedPool() throws IOException {
        Path pool = dir.resolve("t.pool");
        TestPools.create(pool, 3, 64, 17);
        byte[] all = Files.readAllBytes(pool);
        Files.write(pool, Arrays.copyOf(all, 1 << 20));
        Cli.Run r = Cli.run("check", pool);
        assertThat(r.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(r.out()).contains("is truncated");
        Files.write(pool, Arrays.copyOf(all, 100));
        Cli.Run tiny = Cli.run("info", pool);
        assertThat(tiny.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(tiny.err()).contains("empty or truncated file");
    }

    @Test
    void shouldShowTheStackTraceOnlyWithVerbose() {
        Path missing = dir.resolve("nope.pool");
        assertThat(Cli.run("info", missing).err()).doesNotContain("\tat ");
        assertThat(Cli.run("info", missing, "--verbose").err()).contains("\tat dev.engram.pool");
    }

    @Test
    void shouldExitWithUsageErrorForBadCommandLines() {
        assertThat(Cli.run().exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
        Cli.Run badOpt = Cli.run("info", dir.resolve("x"), "--bogus");
        assertThat(badOpt.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badOpt.err()).contains("Unknown option: '--bogus'");
        Cli.Run badSize = Cli.run("create", dir.resolve("x.pool"), "--size", "lots");
        assertThat(badSize.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badSize.err()).contains("'lots' is not a size");
        Cli.Run badMode = Cli.run("create", dir.resolve("y.pool"), "--mode", "warp");
        assertThat(badMode.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(dir.resolve("y.pool")).doesNotExist();
    }

    @Test
    void shouldRefuseToDumpWhereNoObjectLives() {
        Path pool = dir.resolve("d.pool");
        long obj = TestPools.create(pool, 1, 64, 17).getFirst();
        Cli.Run ok = Cli.run("dump", pool, "--object", obj, "--json");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.json()).containsEntry("type", 17L).containsEntry("offset", obj);
        assertThat((Long) ok.json().get("objectSize")).isBetween(64L, 80L);
        assertThat((String) ok.json().get("hex")).startsWith("e803000000000000");
        Cli.Run bad = Cli.run("dump", pool, "--object", obj + 8);
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("no live object at offset").contains("engram objects");
    }

    @Test
    void shouldRefuseToCreateOverAnExistingFile() throws IOException {
        Path existing = Files.writeString(dir.resolve("e.pool"), "keep me");
        Cli.Run r = Cli.run("create", existing);
        assertThat(r.exit()).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(r.err()).contains("a file already exists there");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }
}
