package dev.engram.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** What every command on one pool file shares: the file, {@code --json}, and the output streams. */
abstract class PoolCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "POOL", description = "The pool file.")
    Path poolPath;

    @Option(names = "--json", description = "Print one JSON document (schema in cli/README.md) instead of text.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of errors.")
    void verbose(boolean v) {
        Engram.verbose = v;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints the JSON document or the human text, whichever was asked for. */
    void emit(Object jsonDocument, String human) {
        out().print(json ? Json.write(jsonDocument) : human);
        out().flush();
    }
}
