package dev.engram.crashtest.junit;

import dev.engram.crashtest.CrashExplorer;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that describes a crash scenario; the harness explores it. The method takes one
 * {@link CrashScenario} parameter and fills it in. See {@link CrashTestExtension} for what runs and
 * what is reported.
 *
 * <pre>{@code
 * @CrashTest(seed = 42)
 * void transfer(CrashScenario s) {
 *     s.size(1 << 16)
 *      .setup(m -> Accounts.create(m, 100, 0))
 *      .workload(m -> Accounts.transfer(m, 10))
 *      .invariant(m -> assertThat(Accounts.open(m).total()).isEqualTo(100));
 * }
 * }</pre>
 *
 * <p>The invocations of one method run in order on one thread (the failure results depend on the
 * exploration before them).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(CrashTestExtension.class)
@Execution(ExecutionMode.SAME_THREAD)
public @interface CrashTest {
    /**
     * Seed of the random per-line strategy; printed with every failure.
     *
     * @return the seed
     */
    long seed() default CrashExplorer.DEFAULT_SEED;

    /**
     * Random images tried per crash point.
     *
     * @return samples per crash point, positive
     */
    int samplesPerPoint() default CrashExplorer.DEFAULT_SAMPLES_PER_POINT;

    /**
     * Largest number of per-line combinations enumerated exhaustively at one crash point.
     *
     * @return the per-point limit, positive
     */
    long exhaustiveLimit() default CrashExplorer.DEFAULT_EXHAUSTIVE_LIMIT;

    /**
     * Failing images reported (one test result each) and saved; all are counted.
     *
     * @return the most failures reported, not negative
     */
    int maxReportedFailures() default CrashExplorer.DEFAULT_MAX_REPORTED_FAILURES;
}
