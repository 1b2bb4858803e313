package dev.engram.crashtest;

import dev.engram.pool.medium.Medium;

/** A step run against a medium: the setup that builds the initial state, or the traced workload. */
@FunctionalInterface
public interface MediumAction {
    void run(Medium medium) throws Exception;
}
