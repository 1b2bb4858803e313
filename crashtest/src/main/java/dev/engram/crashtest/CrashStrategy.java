package dev.engram.crashtest;

/**
 * How the engine picks crash images at each crash point. Several strategies may run together; an
 * image any of them already produced is not checked again.
 *
 * <ul>
 *   <li>{@link Prefixes}: the program-order prefixes of the in-flight stores, 0..n. Fast, and run at
 *       every crash point; catches everything that breaks when the stores reach the media in order,
 *       including unflushed stores written back early.</li>
 *   <li>{@link RandomPrefixes}: per point, up to {@code samplesPerPoint} random choices of one prefix per
 *       cache line (lines independent, so later stores may be durable before earlier ones on other
 *       lines). The same seed gives the same images. A point with no more combinations than samples is
 *       enumerated instead, so no sample is wasted on a duplicate.</li>
 *   <li>{@link Exhaustive}: every combination of per-line prefixes, at points where their number is at
 *       most {@code limitPerPoint}; larger points are counted in
 *       {@link CrashReport#pointsOverExhaustiveLimit()} and left to the other strategies.</li>
 *   <li>{@link LineLost}: per point and per in-flight line, the image where every other line is
 *       complete and that one has none of its in-flight stores. Linear in the lines, so it runs at
 *       every point, however large: it is the torn commit (a commit record durable, one line of the
 *       data it vouches for not), which the random samples reach only by luck when many lines are
 *       in flight.</li>
 * </ul>
 */
public sealed interface CrashStrategy {
    /**
     * Short name used in reports and saved failures.
     *
     * @return {@code "prefixes"}, {@code "random"}, {@code "exhaustive"} or {@code "line-lost"}
     */
    String name();

    /**
     * Seed of the strategy, or 0 for deterministic strategies.
     *
     * @return the seed, or 0
     */
    long seed();

    /** {@return the strategy that tries each program-order prefix of the in-flight stores} */
    static CrashStrategy prefixes() {
        return new Prefixes();
    }

    /**
     * Returns the strategy that samples random per-line prefixes.
     *
     * @param seed            the random seed; the same seed gives the same images
     * @param samplesPerPoint images tried per crash point, positive
     * @return the strategy
     * @throws IllegalArgumentException if {@code samplesPerPoint} is not positive
     */
    static CrashStrategy random(long seed, int samplesPerPoint) {
        return new RandomPrefixes(seed, samplesPerPoint);
    }

    /**
     * Returns the strategy that enumerates every combination of per-line prefixes at small crash points.
     *
     * @param limitPerPoint the most combinations enumerated at one point, positive
     * @return the strategy
     * @throws IllegalArgumentException if {@code limitPerPoint} is not positive
     */
    static CrashStrategy exhaustive(long limitPerPoint) {
        return new Exhaustive(limitPerPoint);
    }

    /** {@return the strategy that loses one in-flight line at a time, the others complete} */
    static CrashStrategy lineLost() {
        return new LineLost();
    }

    /** Per in-flight line: every other line complete, that one with none of its in-flight stores. */
    record LineLost() implements CrashStrategy {
        @Override
        public String name() {
            return "line-lost";
        }

        @Override
        public long seed() {
            return 0;
        }
    }

    /** Program-order prefixes of the in-flight stores, 0..n, at every crash point. */
    record Prefixes() implements CrashStrategy {
        @Override
        public String name() {
            return "prefixes";
        }

        @Override
        public long seed() {
            return 0;
        }
    }

    /**
     * Random per-line prefixes, up to {@code samplesPerPoint} images per crash point.
     *
     * @param seed            the random seed
     * @param samplesPerPoint images tried per crash point, positive
     */
    record RandomPrefixes(long seed, int samplesPerPoint) implements CrashStrategy {
        /**
         * Validates the sample count.
         *
         * @param seed            the random seed
         * @param samplesPerPoint images tried per crash point
         * @throws IllegalArgumentException if {@code samplesPerPoint} is not positive
         */
        public RandomPrefixes {
            if (samplesPerPoint <= 0) {
                throw new IllegalArgumentException("samples per crash point must be positive, samplesPerPoint=" + samplesPerPoint);
            }
        }

        @Override
        public String name() {
            return "random";
        }
    }

    /**
     * Every combination of per-line prefixes, at points with at most {@code limitPerPoint} combinations.
     *
     * @param limitPerPoint the most combinations enumerated at one point, positive
     */
    record Exhaustive(long limitPerPoint) implements CrashStrategy {
        /**
         * Validates the limit.
         *
         * @param limitPerPoint the most combinations enumerated at one point
         * @throws IllegalArgumentException if {@code limitPerPoint} is not positive
         */
        public Exhaustive {
            if (limitPerPoint <= 0) {
                throw new IllegalArgumentException("exhaustive limit must be positive, limitPerPoint=" + limitPerPoint);
            }
        }

        @Override
        public String name() {
            return "exhaustive";
        }

        @Override
        public long seed() {
            return 0;
        }
    }
}
