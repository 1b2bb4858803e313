package dev.engram.examples.kv;

import dev.engram.tx.ObjectPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KvShellTest {
    @TempDir
    Path dir;

    /** Runs a session against the pool file and returns what it printed, prompts removed. */
    private String session(String commands) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectPool pool = KvShell.openPool(dir.resolve("kv.pool"))) {
            new KvShell(pool).run(new BufferedReader(new StringReader(commands)),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
        }
        return bytes.toString(StandardCharsets.UTF_8).replace("> ", "");
    }

    @Test
    void shouldAnswerEachCommand() {
        String out = session("""
                put greeting hello world
                put lang java
                put lang Java 25
                get greeting
                get nothing
                list
                del lang
                del lang
                quit
                get greeting
                """);
        assertThat(out).isEqualTo("""
                ok
                ok
                ok (was java)
                hello world
                (not found)
                greeting = hello world
                lang = Java 25
                (2 keys)
                deleted
                (not found)
                """);
    }

    @Test
    void shouldFindTheDataAgainAfterReopening() {
        session("put a 1\nput b 2\ndel a\n");
        assertThat(session("list\n")).isEqualTo("b = 2\n(1 keys)\n");
    }

    @Test
    void shouldExplainBadInputAndCarryOn() {
        String out = session("put onlykey\nfrobnicate\nput " + "k".repeat(KvShell.MAX_KEY + 1) + " v\nlist\n");
        assertThat(out).isEqualTo("""
                usage: put KEY VALUE
                commands: put KEY VALUE | get KEY | del KEY | list | quit
                error: keys hold up to 64 chars, values up to 256
                (0 keys)
                """);
    }
}
