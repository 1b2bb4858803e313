package dev.engram.cli;

import java.io.Console;
import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr for long checks and repairs. Silent unless stderr is a
 * terminal (so pipes, logs and tests never see control characters) and the pool is large.
 */
final class Progress {
    /** Below this a check is over before a bar would be read. */
    static final long MIN_POOL_SIZE = 64L << 20;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean enabled;

    private Progress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    static Progress none() {
        return new Progress(null, false);
    }

    /** A bar when stderr is an interactive terminal and the pool is at least {@link #MIN_POOL_SIZE}. */
    static Progress forPool(PrintWriter err, long poolSize) {
        Console c = System.console();
        return new Progress(err, c != null && c.isTerminal() && poolSize >= MIN_POOL_SIZE);
    }

    /** Step {@code step} of {@code steps} is starting. */
    void phase(String name, int step, int steps) {
        if (!enabled) {
            return;
        }
        int filled = WIDTH * step / steps;
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + step + "/" + steps + " "
                + String.format("%-24s", name));
        err.flush();
    }

    void done() {
        if (enabled) {
            err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            err.flush();
        }
    }
}
