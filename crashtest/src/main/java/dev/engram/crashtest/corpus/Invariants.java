package dev.engram.crashtest.corpus;

/** The corpus's assertion helper: main code must not depend on a test library. */
final class Invariants {
    private Invariants() {
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("invariant violated: " + what);
        }
    }
}
