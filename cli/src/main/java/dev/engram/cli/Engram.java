package dev.engram.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code engram}: inspect, check and repair Engram pool files (DESIGN.md §7). */
@Command(name = "engram",
        mixinStandardHelpOptions = true,
        version = "engram 0.1.0 (pool format 1)",
        description = "Inspect, check and repair Engram persistent-memory pool files.",
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success; for check: the pool is consistent",
            "  1  inconsistencies found (check: or found and repaired, the output says which)",
            "  2  usage error (bad option or value, offset outside the pool)",
            "  3  I/O or media error (missing or unreadable file, pool busy elsewhere, bad block)"
        })
public final class Engram implements Runnable {
    /**
     * The subcommands, by name, in the order the help lists them. They are registered with picocli
     * lazily ({@link #commandLine(String[])}): building a command's model reflects over its
     * annotations, and picocli's classes predate the class-data archive, so each registered
     * command costs start-up time that a run of another command would waste.
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();
    private static final String COMPLETION = "generate-completion";

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

    /**
     * Runs one command line in this JVM, without exiting it: the tests', the start-up cache
     * training's and the in-process benchmark's entry point.
     *
     * @param args a command and its options, e.g. {@code check --json pool.engram}
     * @param out  where the command's output goes
     * @param err  where its errors (and, on a terminal, its progress bar) go
     * @return the exit code {@link #main} would exit with
     */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        verbose = false;
        CommandLine cl = commandLine(args);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cl.execute(args);
    }

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("create", CreateCommand.class);
        m.put("info", InfoCommand.class);
        m.put("stats", StatsCommand.class);
        m.put("objects", ObjectsCommand.class);
        m.put("dump", DumpCommand.class);
        m.put("check", CheckCommand.class);
        m.put("clone", CloneCommand.class);
        m.put("badblocks", BadBlocksCommand.class);
        m.put("heapmap", HeapmapCommand.class);
        m.put(COMPLETION, AutoComplete.GenerateCompletion.class);
        return m;
    }

    /**
     * The command line for {@code args}: when the first word that is not an option names a
     * subcommand, only that subcommand is registered (what it parses, prints and fails with is the
     * same as with all of them); a bare version request registers none; anything else (help, no
     * command, an unknown one, completion, which lists every command) registers all.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Engram());
        String name = null;
        boolean versionOnly = args.length > 0;
        for (String a : args) {
            if (!a.startsWith("-")) {
                name = a;
                break;
            }
            versionOnly &= a.equals("-V") || a.equals("--version");
        }
        Class<?> only = name == null || name.equals(COMPLETION) ? null : SUBCOMMANDS.get(name);
        if (only != null) {
            cl.addSubcommand(name, only);
        } else if (name != null || !versionOnly) {
            SUBCOMMANDS.forEach(cl::addSubcommand);
            cl.getSubcommands().get(COMPLETION).getCommandSpec().usageMessage().hidden(false);
        }
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
