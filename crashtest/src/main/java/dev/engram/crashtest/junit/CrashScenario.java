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

    /** Size in bytes of the zeroed memory medium the setup starts from (a multiple of 8). */
    public CrashScenario size(long bytes) {
        if (bytes <= 0 || bytes % Long.BYTES != 0) {
            throw new IllegalArgumentException("scenario size must be a positive multiple of 8, size=" + bytes);
        }
        this.size = bytes;
        return this;
    }

    public CrashScenario setup(MediumAction setup) {
        this.setup = Objects.requireNonNull(setup, "setup");
        return this;
    }

    public CrashScenario workload(MediumAction workload) {
        this.workload = Objects.requireNonNull(workload, "workload");
        return this;
    }

    public CrashScenario invariant(CrashChecker invariant) {
        this.invariant = Objects.requireNonNull(invariant, "invariant");
        return this;
    }

    /**
     * Where failing images are saved. Default: the directory named by the system property
     * {@code engram.crashtest.failures}, else {@code target/crashtest-failures}, under
     * {@code <test class>/<method>}.
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
