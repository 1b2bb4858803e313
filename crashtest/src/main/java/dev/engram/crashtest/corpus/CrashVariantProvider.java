package dev.engram.crashtest.corpus;

import java.util.List;

/**
 * Service interface through which other modules add variants to the corpus (the allocator and
 * transaction modules add their own seeded bugs). Register an implementation in
 * {@code META-INF/services/dev.engram.crashtest.corpus.CrashVariantProvider} (class path) or with
 * {@code provides} in {@code module-info.java}; {@link CrashCorpus#all()} finds it.
 */
public interface CrashVariantProvider {
    /** {@return the variants this provider contributes, each with a unique name} */
    List<CrashVariant> variants();
}
