package dev.engram.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** {@code engram}: inspect, check and repair Engram pool files (DESIGN.md §7). */
@Command(name = "engram",
        mixinStandardHelpOptions = true,
        version = "engram 0.1.0 (pool format 1)",
        description = "Inspect, check and repair Engram persistent-memory pool files.",
        subcommands = {
            CreateCommand.class,
            InfoCommand.class,
            StatsCommand.class,
            ObjectsCommand.class,
            DumpCommand.class,
            CheckCommand.class,
            CloneCommand.class,
            BadBlocksCommand.class,
            HeapmapCommand.class,
            AutoComplete.GenerateCompletion.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success; for check: the pool is consistent",
            "  1  inconsistencies found (check: or found and repaired, the output says which)",
            "  2  usage error (bad option or value, offset outside the pool)",
            "  3  I/O or media error (missing or unreadable file, pool busy elsewhere, bad block)"
        })
public final class Engram implements Runnable {
    /** Set by any command's {@code --verbose}: errors then show their stack traces. */
    static volatile boolean verbose;

    @Spec
    CommandSpec spec;

    /** Creates the top-level command; picocli instantiates it (use {@link #main} to run the tool). */
    public Engram() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: say what to do with the pool");
    }

    /**
     * Runs the {@code engram} command line and exits the JVM with its exit code (0 success, 1
     * inconsistencies found, 2 usage error, 3 I/O or media error).
     *
     * @param args a command and its options, e.g. {@code info --json pool.engram}
     */
    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code (the tests' entry point too). */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        verbose = false;
        CommandLine cl = commandLine();
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Engram());
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter e = cmd.getErr();
            e.println("engram " + cmd.getCommandName() + ": " + Failures.message(ex));
            if (verbose) {
                ex.printStackTrace(e);
            }
            e.flush();
            return Failures.exitCode(ex);
        });
        return cl;
    }
}
