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
 * </ul>
 */
public sealed interface CrashStrategy {
    /** Short name used in reports and saved failures. */
    String name();

    /** Seed of the strategy, or 0 for deterministic strategies. */
    long seed();

    static CrashStrategy prefixes() {
        return new Prefixes();
    }

    static CrashStrategy random(long seed, int samplesPerPoint) {
        return new RandomPrefixes(seed, samplesPerPoint);
    }

    static CrashStrategy exhaustive(long limitPerPoint) {
        return new Exhaustive(limitPerPoint);
    }

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

    record RandomPrefixes(long seed, int samplesPerPoint) implements CrashStrategy {
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

    record Exhaustive(long limitPerPoint) implements CrashStrategy {
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
