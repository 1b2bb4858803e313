package dev.engram.allocator;

import dev.engram.crashtest.CrashExplorer;
import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.Trace;
import dev.engram.crashtest.TracingMedium;
import dev.engram.crashtest.corpus.CrashCorpus;
import dev.engram.crashtest.corpus.CrashVariant;
import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeded-bug corpus as the allocator's test run sees it: the built-in variants plus
 * {@link AllocatorCrashVariants}, found through the service loader. Every broken variant must be
 * caught by the default explorer and every correct one must pass; the allocator's broken variants
 * must fail only because of a crash.
 */
class AllocatorCorpusTest {

    static List<CrashVariant> corpus() {
        return CrashCorpus.all();
    }

    static List<CrashVariant> allocatorVariants() {
        return CrashCorpus.all().stream().filter(v -> v.name().startsWith(AllocatorCrashVariants.PREFIX)).toList();
    }

    private static CrashReport explore(CrashVariant v) throws Exception {
        final Trace trace = TracingMedium.record(v.mediumSize(), v.setup(), v.workload());
        final CrashReport report = CrashExplorer.defaults().explore(trace, v.invariant());
        System.out.println(v.name() + " seed=" + CrashExplorer.DEFAULT_SEED + ": " + report.summary());
        return report;
    }

    @Test
    void shouldFindTheAllocatorVariantsThroughTheServiceLoader() {
        final List<String> provided = new AllocatorCrashVariants().variants().stream().map(CrashVariant::name).toList();

        assertThat(allocatorVariants()).extracting(CrashVariant::name).containsExactlyElementsOf(provided);
        assertThat(allocatorVariants()).filteredOn(CrashVariant::broken).hasSizeGreaterThanOrEqualTo(5);
        assertThat(allocatorVariants()).filteredOn(v -> !v.broken()).isNotEmpty();
        assertThat(corpus()).hasSize(CrashCorpus.builtIn().size() + provided.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void shouldCatchEveryBrokenVariantAndPassEveryCorrectOne(CrashVariant v) throws Exception {
        final CrashReport report = explore(v);

        assertThat(report.checkerCallsPerDistinctImage()).isEqualTo(1.0);
        if (v.broken()) {
            assertThat(report.failingImages()).as(v.bug() + ": " + report.summary()).isPositive();
            assertThat(report.failures()).isNotEmpty();
        } else {
            assertThat(report.failures()).as(v.bug() + ": " + report.summary()).isEmpty();
            assertThat(report.failingImages()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allocatorVariants")
    void shouldPassTheInvariantWhenTheVariantRunsWithoutACrash(CrashVariant v) throws Exception {
        try (MemoryMedium m = MemoryMedium.allocate(v.mediumSize())) {
            v.setup().run(m);
            v.workload().run(m);
            v.invariant().check(m);
        }
    }
}
