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
    void check(Medium image) throws Exception;
}
