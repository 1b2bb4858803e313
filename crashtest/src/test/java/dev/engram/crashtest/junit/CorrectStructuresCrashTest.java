package dev.engram.crashtest.junit;

import dev.engram.crashtest.corpus.CrashCorpus;
import dev.engram.crashtest.corpus.CrashVariant;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The extension as users meet it: correct reference structures explored through {@code @CrashTest}. */
class CorrectStructuresCrashTest {
    @TempDir
    Path failures;

    private void describe(CrashScenario s, String name) {
        CrashVariant v = CrashCorpus.builtIn().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        s.size(v.mediumSize()).setup(v.setup()).workload(v.workload()).invariant(v.invariant()).saveFailuresTo(failures);
    }

    @CrashTest(seed = 3)
    void undoLogTransfer(CrashScenario s) {
        describe(s, "transfer-undo-log");
    }

    @CrashTest
    void doubleSlotPointer(CrashScenario s) {
        describe(s, "pointer-double-slot");
    }

    @CrashTest(samplesPerPoint = 16)
    void commitWordOnTheDataLine(CrashScenario s) {
        describe(s, "line-commit-word-last");
    }
}
