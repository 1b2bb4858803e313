package dev.engram.reliability;

import java.util.Random;

/**
 * Where the mutator's decisions come from: a seeded {@link Random} for our own campaign, or
 * Jazzer's {@code FuzzedDataProvider} for the coverage-guided one. Both drive the same mutator.
 */
interface Choices {
    /** A value in {@code [0, bound)}; {@code bound > 0}. */
    int nextInt(int bound);

    long nextLong();

    boolean nextBoolean();

    static Choices of(Random random) {
        return new Choices() {
            @Override
            public int nextInt(int bound) {
                return random.nextInt(bound);
            }

            @Override
            public long nextLong() {
                return random.nextLong();
            }

            @Override
            public boolean nextBoolean() {
                return random.nextBoolean();
            }
        };
    }
}
