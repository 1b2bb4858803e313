package dev.engram.cli;

/**
 * A failure the CLI reports as one line naming the file and what to do, with its exit code; the
 * stack trace is shown only under {@code --verbose}.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }
}
