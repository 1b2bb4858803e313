package dev.engram.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which subcommands the command line registers (only the one being run, so a command does not pay
 * for the others' models at start-up) and that help, completion and usage errors still see all.
 */
class CommandLineTest {
    private static final List<String> ALL = List.of("create", "info", "stats", "objects", "dump", "check", "clone",
            "badblocks", "heapmap", "generate-completion");

    @Test
    void shouldRegisterOnlyTheSubcommandBeingRun() {
        assertThat(Engram.commandLine(new String[] {"check", "--json", "p.pool"}).getSubcommands()).containsOnlyKeys("check");
        assertThat(Engram.commandLine(new String[] {"heapmap", "-o", "x.png", "p.pool"}).getSubcommands())
                .containsOnlyKeys("heapmap");
        assertThat(Engram.commandLine(new String[] {"--version"}).getSubcommands()).isEmpty();
    }

    @Test
    void shouldRegisterEverySubcommandForHelpCompletionAndUnknownCommands() {
        for (String[] args : new String[][] {{}, {"--help"}, {"-V", "--help"}, {"generate-completion"}, {"chek", "p.pool"}}) {
            assertThat(Engram.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactlyElementsOf(ALL);
        }
    }

    @Test
    void shouldListEveryCommandInHelpAndSuggestTheRightOneForATypo() {
        Out help = run("--help");
        assertThat(help.exit).isZero();
        for (String c : ALL) {
            assertThat(help.out).contains("  " + c + " ");
        }
        Out typo = run("chek", "p.pool");
        assertThat(typo.exit).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err).contains("chek").contains("check");
        Out sub = run("check");
        assertThat(sub.exit).isEqualTo(ExitCodes.USAGE);
        assertThat(sub.err).contains("POOL").contains("Usage: engram check ").contains("--repair");
        Out version = run("--version");
        assertThat(version.exit).isZero();
        assertThat(version.out).startsWith("engram 0.");
    }

    private record Out(int exit, String out, String err) {
    }

    private static Out run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Engram.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Out(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
