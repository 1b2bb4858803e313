package dev.engram.crashtest;

import java.nio.file.Path;
import java.util.List;

/**
 * What one exploration did. {@code checkerCalls == distinctImages} always: every distinct image is
 * checked exactly once, and {@link #checkerCallsPerDistinctImage()} exists so tests and benchmarks
 * can pin that.
 *
 * @param crashPoints              crash points visited (drains + 1)
 * @param candidates               images the strategies produced, duplicates included
 * @param distinctImages           distinct images among them
 * @param checkerCalls             calls to the checker
 * @param pointsOverExhaustiveLimit crash points the exhaustive strategy skipped as too large
 * @param failingImages            distinct images on which the checker failed
 * @param failures                 the first failures, up to the explorer's report limit
 * @param artifacts                directory of saved failures, or null
 */
public record CrashReport(int crashPoints, long candidates, long distinctImages, long checkerCalls,
                          long pointsOverExhaustiveLimit, long failingImages, List<CrashFailure> failures,
                          Path artifacts) {

    /**
     * Copies the failure list, so that the report stays immutable.
     *
     * @param crashPoints               crash points visited
     * @param candidates                images produced, duplicates included
     * @param distinctImages            distinct images
     * @param checkerCalls              calls to the checker
     * @param pointsOverExhaustiveLimit crash points the exhaustive strategy skipped
     * @param failingImages             distinct failing images
     * @param failures                  the reported failures
     * @param artifacts                 directory of saved failures, or null
     */
    public CrashReport {
        failures = List.copyOf(failures);
    }

    /** {@return whether the checker passed on every image} */
    public boolean passed() {
        return failingImages == 0;
    }

    /**
     * Exactly 1.0 by construction; 0 when nothing was checked.
     *
     * @return checker calls divided by distinct images
     */
    public double checkerCallsPerDistinctImage() {
        return distinctImages == 0 ? 0 : (double) checkerCalls / distinctImages;
    }

    /** {@return images produced again and skipped without calling the checker} */
    public long duplicatesSkipped() {
        return candidates - distinctImages;
    }

    /**
     * One line: points, images, calls, failures.
     *
     * @return the summary, e.g. for a log line or an assertion message
     */
    public String summary() {
        return crashPoints + " crash points, " + candidates + " candidate images, " + distinctImages
                + " distinct images checked (" + checkerCalls + " checker calls), " + failingImages + " failing"
                + (pointsOverExhaustiveLimit > 0 ? ", " + pointsOverExhaustiveLimit + " points over the exhaustive limit" : "");
    }

    /** Throws an {@link AssertionError} listing the reported failures if any image failed. */
    public void assertPassed() {
        if (passed()) {
            return;
        }
        StringBuilder sb = new StringBuilder("crash consistency violated: ").append(summary());
        for (CrashFailure f : failures) {
            sb.append(System.lineSeparator()).append("  ").append(f.describe());
        }
        AssertionError e = new AssertionError(sb.toString(), failures.isEmpty() ? null : failures.getFirst().cause());
        throw e;
    }
}
