package dev.engram.crashtest.corpus;

import dev.engram.crashtest.CrashExplorer;
import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.CrashStrategy;
import dev.engram.crashtest.Trace;
import dev.engram.crashtest.TracingMedium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CrashCorpusTest {

    static List<CrashVariant> brokenVariants() {
        return CrashCorpus.all().stream().filter(CrashVariant::broken).toList();
    }

    static List<CrashVariant> correctVariants() {
        return CrashCorpus.all().stream().filter(v -> !v.broken()).toList();
    }

    private static CrashReport explore(CrashVariant v, CrashExplorer explorer) throws Exception {
        Trace trace = TracingMedium.record(v.mediumSize(), v.setup(), v.workload());
        return explorer.explore(trace, v.invariant());
    }

    @Test
    void corpusHasAtLeastTwelveBrokenVariantsAndSomeCorrectOnes() {
        assertThat(brokenVariants()).hasSizeGreaterThanOrEqualTo(12);
        assertThat(correctVariants()).hasSizeGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenVariants")
    void shouldCatchEveryBrokenVariant(CrashVariant v) throws Exception {
        CrashReport report = explore(v, CrashExplorer.defaults());

        assertThat(report.failingImages()).as(report.summary()).isPositive();
        assertThat(report.failures()).isNotEmpty();
        assertThat(report.checkerCallsPerDistinctImage()).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("correctVariants")
    void shouldFindNoFailureInCorrectVariants(CrashVariant v) throws Exception {
        CrashReport report = explore(v, CrashExplorer.defaults());

        assertThat(report.failures()).as(report.summary()).isEmpty();
        assertThat(report.failingImages()).isZero();
        assertThat(report.distinctImages()).isGreaterThan(report.crashPoints() / 2);
    }

    @Test
    void shouldCatchMissingSnapshotOnlyWhenUnflushedLinesMayBeWrittenBackEarly() throws Exception {
        CrashVariant v = CrashCorpus.builtIn().stream().filter(x -> x.name().equals("transfer-missing-snapshot")).findFirst().orElseThrow();
        CrashExplorer pmreorderModel = CrashExplorer.builder()
                .strategies(CrashStrategy.prefixes(), CrashStrategy.random(1, 256), CrashStrategy.exhaustive(1 << 16))
                .unflushedStoresInFlight(false)
                .build();

        assertThat(explore(v, pmreorderModel).failingImages()).isZero();
        assertThat(explore(v, CrashExplorer.defaults()).failingImages()).isPositive();
    }

    @Test
    void shouldAcceptCommitWordStoredLastOnTheSameLineWhichALineBlindHarnessWouldReject() throws Exception {
        CrashVariant v = CrashCorpus.builtIn().stream().filter(x -> x.name().equals("line-commit-word-last")).findFirst().orElseThrow();
        CrashReport report = explore(v, CrashExplorer.builder().strategies(CrashStrategy.exhaustive(1 << 20)).build());

        assertThat(report.failingImages()).isZero();
        // 8 stores on one line: only the 9 program-order prefixes are possible images, not 2^8 subsets
        assertThat(report.distinctImages()).isEqualTo(9);
    }
}
