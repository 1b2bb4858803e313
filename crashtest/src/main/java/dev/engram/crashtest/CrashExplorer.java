package dev.engram.crashtest;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The crash engine: given a {@link Trace} and a {@link CrashChecker}, builds the crash images the
 * x86 persistence model allows and checks each distinct one once.
 *
 * <p>Persistence model (the rules {@link PersistenceState} implements): stores are split into
 * aligned 8-byte granules; a store is guaranteed durable once a flush of its 64-byte line came
 * after it and a drain after that flush; crash points are every drain (just before it completes)
 * and the end of the trace; at a crash point the durable part of each line's not-yet-guaranteed
 * stores is a program-order prefix, lines are independent, and unflushed lines may have been
 * written back early. The strategies ({@link CrashStrategy}) choose which prefixes to try.
 *
 * <p>Images are built in one in-memory copy of the pool (base plus durable stores, with in-flight
 * stores overlaid and rolled back); what the checker's recovery writes is restored after each
 * check. Duplicate images, within and across points and strategies, are detected by a 128-bit
 * content key and skipped.
 *
 * <pre>{@code
 * Trace trace = TracingMedium.record(1 << 20, setup::run, workload::run);
 * CrashReport report = CrashExplorer.builder()
 *         .strategies(CrashStrategy.prefixes(), CrashStrategy.random(42, 64))
 *         .saveFailuresTo(dir)
 *         .build()
 *         .explore(trace, image -> invariant.check(image));
 * report.assertPassed();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; each {@link #explore} call is independent and
 * single-threaded.
 */
public final class CrashExplorer {
    /** Seed of the default random strategy. */
    public static final long DEFAULT_SEED = 0x5EED_C0FFEEL;
    /** Random samples per crash point of the default random strategy. */
    public static final int DEFAULT_SAMPLES_PER_POINT = 64;
    /** Most per-line combinations the default exhaustive strategy enumerates at one crash point. */
    public static final long DEFAULT_EXHAUSTIVE_LIMIT = 4096;
    /** Failures the default explorer describes and saves; more are counted but not reported. */
    public static final int DEFAULT_MAX_REPORTED_FAILURES = 16;

    private final List<CrashStrategy> strategies;
    private final Path saveDir;
    private final int maxReportedFailures;
    private final boolean unflushedInFlight;

    private CrashExplorer(Builder b) {
        this.strategies = List.copyOf(b.strategies);
        this.saveDir = b.saveDir;
        this.maxReportedFailures = b.maxReportedFailures;
        this.unflushedInFlight = b.unflushedInFlight;
    }

    /** {@return a builder starting from the defaults: prefixes, random and exhaustive strategies, no saving} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Prefixes at every point, 64 random samples per point (seed {@link #DEFAULT_SEED}), exhaustive up to 4096.
     *
     * @return an explorer with the default strategies, saving nothing
     */
    public static CrashExplorer defaults() {
        return builder().build();
    }

    /** {@return the strategies run at each crash point, in order} */
    public List<CrashStrategy> strategies() {
        return strategies;
    }

    /**
     * Explores every crash point of {@code trace}.
     *
     * The checker runs once per distinct image, on a medium that is valid only during the call.
     *
     * @param trace   what a {@link TracingMedium} recorded
     * @param checker recovery plus invariant, run on each image; failing means throwing
     * @return the counts and the first failures; call {@link CrashReport#assertPassed()} to fail a test
     * @throws java.io.UncheckedIOException if saving a failure's artifacts fails
     */
    public CrashReport explore(Trace trace, CrashChecker checker) {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(checker, "checker");
        FailureArtifacts artifacts = saveDir == null ? null : new FailureArtifacts(saveDir, trace);
        return new Exploration(trace, checker, strategies, maxReportedFailures, artifacts, unflushedInFlight).run();
    }

    /** Configuration of a {@link CrashExplorer}. */
    public static final class Builder {
        private List<CrashStrategy> strategies = List.of(CrashStrategy.prefixes(),
                CrashStrategy.random(DEFAULT_SEED, DEFAULT_SAMPLES_PER_POINT),
                CrashStrategy.exhaustive(DEFAULT_EXHAUSTIVE_LIMIT));
        private Path saveDir;
        private int maxReportedFailures = DEFAULT_MAX_REPORTED_FAILURES;
        private boolean unflushedInFlight = true;

        private Builder() {
        }

        /**
         * The strategies to run at each crash point, in this order.
         *
         * @param strategies one or more strategies
         * @return this builder
         * @throws IllegalArgumentException if none is given
         */
        public Builder strategies(CrashStrategy... strategies) {
            if (strategies.length == 0) {
                throw new IllegalArgumentException("at least one crash strategy is needed");
            }
            this.strategies = List.of(strategies);
            return this;
        }

        /**
         * Saves each reported failure (image, trace, seed and subset) under {@code dir} for {@link CrashReplay}.
         *
         * @param dir the directory for the artifacts, created if missing; null saves nothing
         * @return this builder
         */
        public Builder saveFailuresTo(Path dir) {
            this.saveDir = dir;
            return this;
        }

        /**
         * How many failures to describe and save; all failing images are still counted.
         *
         * @param max failures to report, not negative
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is negative
         */
        public Builder maxReportedFailures(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("max reported failures must not be negative, max=" + max);
            }
            this.maxReportedFailures = max;
            return this;
        }

        /**
         * Whether unflushed stores may reach the media early (true, the hardware's behaviour). False
         * restricts crash images to flushed stores, as pmreorder does; only for comparisons.
         *
         * @param inFlight false to model pmreorder's assumption that only flushed stores can persist
         * @return this builder
         */
        public Builder unflushedStoresInFlight(boolean inFlight) {
            this.unflushedInFlight = inFlight;
            return this;
        }

        /** {@return an explorer with this configuration} */
        public CrashExplorer build() {
            return new CrashExplorer(this);
        }
    }
}
