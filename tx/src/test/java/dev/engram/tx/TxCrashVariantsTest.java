package dev.engram.tx;

import dev.engram.crashtest.CrashExplorer;
import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.CrashStrategy;
import dev.engram.crashtest.Trace;
import dev.engram.crashtest.TracingMedium;
import dev.engram.crashtest.corpus.CrashCorpus;
import dev.engram.crashtest.corpus.CrashVariant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tx variants as the corpus serves them ({@link CrashCorpus#all()}, through the service file):
 * the harness must catch every broken one and find nothing in the correct ones, so a passing tx
 * crash test means something.
 */
class TxCrashVariantsTest {
    static final long SEED = CrashExplorer.DEFAULT_SEED;

    private static final Set<String> TX_NAMES = new TxCrashVariants().variants().stream()
            .map(CrashVariant::name).collect(Collectors.toUnmodifiableSet());

    /** The tx variants found in the corpus, not the provider's own list: registration is under test too. */
    static List<CrashVariant> txVariants() {
        return CrashCorpus.all().stream().filter(v -> TX_NAMES.contains(v.name())).toList();
    }

    static List<CrashVariant> brokenTxVariants() {
        return txVariants().stream().filter(CrashVariant::broken).toList();
    }

    static List<CrashVariant> correctTxVariants() {
        return txVariants().stream().filter(v -> !v.broken()).toList();
    }

    /** Prefixes, 64 random per-line choices per point, exhaustive up to 4096: the explorer's defaults, seed printed. */
    private static CrashReport explore(CrashVariant v, CrashExplorer explorer) throws Exception {
        Trace trace = TracingMedium.record(v.mediumSize(), v.setup(), v.workload());
        CrashReport report = explorer.explore(trace, v.invariant());
        System.out.println(v.name() + " seed=" + SEED + ": " + report.summary());
        assertThat(report.checkerCallsPerDistinctImage()).isEqualTo(1.0);
        return report;
    }

    private static CrashExplorer explorer() {
        return CrashExplorer.builder()
                .strategies(CrashStrategy.prefixes(), CrashStrategy.random(SEED, 64), CrashStrategy.exhaustive(4096),
                        CrashStrategy.lineLost())
                .build();
    }

    @Test
    void shouldRegisterEveryTxVariantInTheCorpus() {
        assertThat(txVariants()).extracting(CrashVariant::name).containsExactlyInAnyOrderElementsOf(TX_NAMES);
        assertThat(brokenTxVariants()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(correctTxVariants()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenTxVariants")
    void shouldCatchTheBrokenTxVariant(CrashVariant v) throws Exception {
        CrashReport report = explore(v, explorer());

        assertThat(report.failingImages()).as(v.bug() + ": " + report.summary()).isPositive();
        // caught by the all-or-none oracle, not by an open that fails or a heap that happens to be torn
        assertThat(report.failures()).isNotEmpty().allSatisfy(f ->
                assertThat(f.cause()).isInstanceOf(AssertionError.class).hasMessageContaining("block wholly 0xA"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("correctTxVariants")
    void shouldFindNoFailureInTheCorrectTxProtocol(CrashVariant v) throws Exception {
        CrashExplorer explorer = CrashExplorer.builder()
                .strategies(CrashStrategy.prefixes(), CrashStrategy.random(SEED, 64), CrashStrategy.exhaustive(4096),
                        CrashStrategy.lineLost())
                .saveFailuresTo(CrashFixture.FAILURES.resolve(getClass().getName()).resolve(v.name()))
                .build();
        CrashReport report = explore(v, explorer);

        report.assertPassed();
        assertThat(report.distinctImages()).isGreaterThan(report.crashPoints());
    }

    @Test
    void shouldCatchEveryBrokenTxVariant() throws Exception {
        List<String> missed = new ArrayList<>();
        for (CrashVariant v : brokenTxVariants()) {
            if (explore(v, explorer()).passed()) {
                missed.add(v.name());
            }
        }
        assertThat(missed).as("broken tx variants the harness did not catch").isEmpty();
    }
}
