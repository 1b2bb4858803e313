package dev.engram.crashtest;

import dev.engram.pool.medium.Medium;

/** A step run against a medium: the setup that builds the initial state, or the traced workload. */
@FunctionalInterface
public interface MediumAction {
    /**
     * Runs the step.
     *
     * @param medium the medium to act on; persist what must survive a crash
     * @throws Exception anything; it fails the scenario
     */
    void run(Medium medium) throws Exception;
}
