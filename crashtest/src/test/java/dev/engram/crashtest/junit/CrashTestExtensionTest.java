package dev.engram.crashtest.junit;

import dev.engram.crashtest.CrashReplay;
import dev.engram.crashtest.corpus.CrashCorpus;
import dev.engram.crashtest.corpus.CrashVariant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

class CrashTestExtensionTest {
    static final String FIXTURES = "engram.crashtest.fixtures";
    static Path failureDir;

    private static CrashVariant variant(String name) {
        return CrashCorpus.builtIn().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    /** Scenarios run only through {@link #run}, never by the build's own test discovery. */
    @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
    static class Fixtures {
        @CrashTest(seed = 11, maxReportedFailures = 3)
        void brokenRecord(CrashScenario s) {
            CrashVariant v = variant("record-missing-drain");
            s.size(v.mediumSize()).setup(v.setup()).workload(v.workload()).invariant(v.invariant()).saveFailuresTo(failureDir);
        }

        @CrashTest
        void correctList(CrashScenario s) {
            CrashVariant v = variant("list-push");
            s.size(v.mediumSize()).setup(v.setup()).workload(v.workload()).invariant(v.invariant()).saveFailuresTo(failureDir);
        }

        @CrashTest
        void incomplete(CrashScenario s) {
            s.size(4096).workload(m -> m.putLong(0, 1));
        }
    }

    record Result(String name, TestExecutionResult result, List<String> entries) {
        boolean passed() {
            return result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
        }
    }

    private static List<Result> run(String method) {
        List<Result> results = new ArrayList<>();
        TestExecutionListener listener = new TestExecutionListener() {
            private final List<String> entries = new ArrayList<>();

            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                entries.addAll(entry.getKeyValuePairs().values());
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    results.add(new Result(id.getDisplayName(), result, List.copyOf(entries)));
                    entries.clear();
                }
            }
        };
        System.setProperty(FIXTURES, "true");
        try {
            Launcher launcher = LauncherFactory.create();
            launcher.execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectMethod(Fixtures.class,
                            method, CrashScenario.class.getName()))
                    .build(), listener);
        } finally {
            System.clearProperty(FIXTURES);
        }
        return results;
    }

    @Test
    void shouldReportOneFailingResultPerFailingImageAfterAPassingSummary(@TempDir Path dir) throws Exception {
        failureDir = dir;
        List<Result> results = run("brokenRecord");

        assertThat(results).hasSize(4);
        Result summary = results.getFirst();
        assertThat(summary.passed()).isTrue();
        assertThat(summary.name()).isEqualTo("explore crash images (seed 11)");
        assertThat(summary.entries()).singleElement().asString().contains("distinct images checked", "failing");
        for (Result r : results.subList(1, 4)) {
            assertThat(r.passed()).isFalse();
            assertThat(r.name()).startsWith("failing image at drain #");
            assertThat(r.result().getThrowable()).get().extracting(Throwable::getMessage).asString()
                    .contains("strategy", "durable prefixes", "saved as");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains("trace.engtrace", "failure-0001.pool", "failure-0001.properties");
        }
        CrashReplay replay = CrashReplay.load(dir.resolve("failure-0001.properties"));
        assertThat(replay.rebuildImage()).isEqualTo(replay.savedImage());
    }

    @Test
    void shouldReportOnlyThePassingSummaryForACorrectScenario(@TempDir Path dir) {
        failureDir = dir;
        List<Result> results = run("correctList");

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.passed()).isTrue();
            assertThat(r.entries()).singleElement().asString().contains(", 0 failing");
        });
    }

    @Test
    void shouldFailTheExplorationWhenTheScenarioLacksAnInvariant() {
        List<Result> results = run("incomplete");

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.passed()).isFalse();
            assertThat(r.result().getThrowable()).get().extracting(Throwable::getMessage).asString()
                    .contains("workload and an invariant", "invariant missing");
        });
    }
}
