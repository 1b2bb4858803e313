package dev.engram.cli;

/**
 * The exit codes of every {@code engram} command (documented in cli/README.md and in the help):
 * scripts branch on these, so they never change meaning.
 */
public final class ExitCodes {
    /** The command did what was asked; for {@code check}, the pool is consistent. */
    public static final int OK = 0;
    /** Inconsistencies were found (or found and repaired; the output says which). */
    public static final int INCONSISTENT = 1;
    /** The command line was wrong: unknown option, bad value, an offset outside the pool. */
    public static final int USAGE = 2;
    /** The file could not be read or written, is busy, or the medium reported an error. */
    public static final int IO_ERROR = 3;

    private ExitCodes() {
    }
}
