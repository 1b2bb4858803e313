package dev.engram.cli;

import dev.engram.pool.EngramException;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Maps what a command threw to an exit code and a message for the user. Library exceptions already
 * name the file, the offset and what to do; this only picks the code.
 */
final class Failures {
    private Failures() {
    }

    static int exitCode(Throwable t) {
        if (t instanceof CliException c) {
            return c.exitCode();
        }
        if (t instanceof EngramException e) {
            return switch (e.code()) {
                case CORRUPTED, LAYOUT_MISMATCH, UNSUPPORTED_FORMAT -> ExitCodes.INCONSISTENT;
                case INVALID_ARGUMENT, OUT_OF_BOUNDS -> ExitCodes.USAGE;
                default -> ExitCodes.IO_ERROR;
            };
        }
        if (t instanceof IOException || t instanceof UncheckedIOException) {
            return ExitCodes.IO_ERROR;
        }
        if (t instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.IO_ERROR;
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            m = u.getCause().toString();
        }
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        // An unexpected exception is a bug in engram, not in the user's pool: say so.
        boolean known = t instanceof CliException || t instanceof EngramException || t instanceof IOException
                || t instanceof UncheckedIOException || t instanceof IllegalArgumentException;
        return known ? m : "internal error (" + t.getClass().getName() + "): " + m
                + "; rerun with --verbose and report it";
    }
}
