package dev.engram.crashtest.junit;

import dev.engram.crashtest.CrashChecker;
import dev.engram.crashtest.MediumAction;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link CrashTest} method describes: the medium size, the setup (initial state, not
 * traced), the workload (traced) and the invariant (recovery plus checks, run on every distinct
 * crash image). Setup defaults to nothing; workload and invariant are required.
 */
public final class CrashScenario {
    /** Default medium size: 1 MiB. */
    public static final long DEFAULT_SIZE = 1 << 20;

    private long size = DEFAULT_SIZE;
    private MediumAction setup = m -> { };
    private MediumAction workload;
    private CrashChecker invariant;
    private Path failureDir;

    CrashScenario() {
    }

    /**
     * Size in bytes of the zeroed memory medium the setup starts from (a multiple of 8).
     *
     * @param bytes positive, a multiple of 8
     * @return this scenario
     * @throws IllegalArgumentException if {@code bytes} is not a positive multiple of 8
     */
    public CrashScenario size(long bytes) {
        if (bytes <= 0 || bytes % Long.BYTES != 0) {
            throw new IllegalArgumentException("scenario size must be a positive multiple of 8, size=" + bytes);
        }
        this.size = bytes;
        return this;
    }

    /**
     * Sets the step that builds the initial state; it is not traced, and its stores are all durable.
     *
     * @param setup the setup step
     * @return this scenario
     * @throws NullPointerException if {@code setup} is null
     */
    public CrashScenario setup(MediumAction setup) {
        this.setup = Objects.requireNonNull(setup, "setup");
        return this;
    }

    /**
     * Sets the steps to trace; required.
     *
     * @param workload the traced steps
     * @return this scenario
     * @throws NullPointerException if {@code workload} is null
     */
    public CrashScenario workload(MediumAction workload) {
        this.workload = Objects.requireNonNull(workload, "workload");
        return this;
    }

    /**
     * Sets the oracle run on every distinct crash image; required.
     *
     * @param invariant recovery then checks; failing means throwing
     * @return this scenario
     * @throws NullPointerException if {@code invariant} is null
     */
    public CrashScenario invariant(CrashChecker invariant) {
        this.invariant = Objects.requireNonNull(invariant, "invariant");
        return this;
    }

    /**
     * Where failing images are saved. Default: the directory named by the system property
     * {@code engram.crashtest.failures}, else {@code target/crashtest-failures}, under
     * {@code <test class>/<method>}.
     *
     * @param dir the directory for saved failures
     * @return this scenario
     */
    public CrashScenario saveFailuresTo(Path dir) {
        this.failureDir = dir;
        return this;
    }

    long size() {
        return size;
    }

    MediumAction setup() {
        return setup;
    }

    MediumAction workload() {
        return workload;
    }

    CrashChecker invariant() {
        return invariant;
    }

    Path failureDir() {
        return failureDir;
    }

    void checkComplete() {
        if (workload == null || invariant == null) {
            throw new IllegalStateException("a @CrashTest method must give its CrashScenario a workload and an invariant"
                    + " (workload " + (workload == null ? "missing" : "set") + ", invariant "
                    + (invariant == null ? "missing" : "set") + ")");
        }
    }
}
