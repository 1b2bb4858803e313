package dev.engram.crashtest.corpus;

import dev.engram.crashtest.CrashChecker;
import dev.engram.crashtest.MediumAction;

import java.util.Objects;

/**
 * One entry of the seeded-bug corpus: a workload on a fresh medium, the recovery-plus-invariant
 * checker for its crash images, and whether the harness must find a failure ({@code broken}) or
 * must find none.
 *
 * @param name       unique, stable name (used as the test's display name)
 * @param broken     true if the workload has a deliberate crash-consistency bug
 * @param bug        what is wrong (or, for correct variants, what the protocol is)
 * @param mediumSize size of the zeroed medium the setup starts from (a multiple of 8)
 * @param setup      builds the initial, fully persisted state; not traced
 * @param workload   the traced steps
 * @param invariant  recovery then invariant, run on every crash image
 */
public record CrashVariant(String name, boolean broken, String bug, long mediumSize, MediumAction setup,
                           MediumAction workload, CrashChecker invariant) {
    /**
     * Checks that every component is present.
     *
     * @param name       unique, stable name
     * @param broken     true if the workload has a deliberate bug
     * @param bug        what is wrong, or the protocol of a correct variant
     * @param mediumSize size of the zeroed medium, a multiple of 8
     * @param setup      builds the initial state; not traced
     * @param workload   the traced steps
     * @param invariant  recovery then invariant
     * @throws NullPointerException if a reference component is null
     */
    public CrashVariant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(invariant, "invariant");
    }

    /**
     * Returns a variant the harness must find no failure in.
     *
     * @param name      unique, stable name
     * @param protocol  the persistence protocol the workload follows correctly
     * @param size      size of the zeroed medium, a multiple of 8
     * @param setup     builds the initial state; not traced
     * @param workload  the traced steps
     * @param invariant recovery then invariant
     * @return the variant
     */
    public static CrashVariant correct(String name, String protocol, long size, MediumAction setup,
                                       MediumAction workload, CrashChecker invariant) {
        return new CrashVariant(name, false, protocol, size, setup, workload, invariant);
    }

    /**
     * Returns a variant with a deliberate crash-consistency bug, which the harness must catch.
     *
     * @param name      unique, stable name
     * @param bug       what the workload does wrong
     * @param size      size of the zeroed medium, a multiple of 8
     * @param setup     builds the initial state; not traced
     * @param workload  the traced steps, with the bug
     * @param invariant recovery then invariant
     * @return the variant
     */
    public static CrashVariant broken(String name, String bug, long size, MediumAction setup,
                                      MediumAction workload, CrashChecker invariant) {
        return new CrashVariant(name, true, bug, size, setup, workload, invariant);
    }

    @Override
    public String toString() {
        return name;
    }
}
