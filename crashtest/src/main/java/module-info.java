/**
 * Engram's crash-consistency harness (DESIGN.md §6): the tracing medium, the x86 crash-image engine,
 * replay of saved failures, the pmreorder export, the JUnit 5 {@code @CrashTest} extension and the
 * seeded-bug corpus that other modules extend through {@link dev.engram.crashtest.corpus.CrashVariantProvider}.
 */
module dev.engram.crashtest {
    requires transitive dev.engram.pool;
    requires transitive org.junit.jupiter.api;

    exports dev.engram.crashtest;
    exports dev.engram.crashtest.junit;
    exports dev.engram.crashtest.corpus;

    uses dev.engram.crashtest.corpus.CrashVariantProvider;
    provides dev.engram.crashtest.corpus.CrashVariantProvider with dev.engram.crashtest.corpus.ReferenceVariants;
}
