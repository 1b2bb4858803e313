package dev.engram.crashtest;

import dev.engram.pool.medium.Medium;

/**
 * The user's oracle for one crash image: open the store on {@code image} (which runs recovery, and
 * may write), then check the invariant. Failing means throwing: an {@link AssertionError} (AssertJ,
 * JUnit) or any exception, such as a corruption error from open.
 *
 * <p>The medium is only valid during the call; the harness restores whatever was written to it.
 */
@FunctionalInterface
public interface CrashChecker {
    /**
     * Recovers the store on {@code image} and checks the invariant.
     *
     * @param image the crash image, valid only during the call; it may be written
     * @throws Exception to report a failure: an {@link AssertionError} or any exception
     */
    void check(Medium image) throws Exception;
}
