package dev.engram.reliability;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coverage-guided fuzzing of untrusted pool images with Jazzer (issue #9). Jazzer's input drives
 * the same {@link PoolMutator} as the seeded campaign (a pool image is megabytes, too large for
 * libFuzzer's inputs; the input is the mutation script over a {@link FuzzSeeds seed pool}) and
 * chooses the {@link FuzzTargets.Target target}. Oracle: {@link FuzzOracle} (normal return or an
 * {@code EngramException}, within the hang bound).
 *
 * <p><b>Regression mode</b> (the default, what CI runs): each {@code @FuzzTest} runs once on the
 * empty input and on every file under
 * {@code src/test/resources/dev/engram/reliability/PoolImageJazzerFuzzTestInputs/<method>/}, where
 * each crash Jazzer finds is kept.
 *
 * <p><b>Fuzzing mode</b>: {@code JAZZER_FUZZ=1 ./mvnw -pl reliability -am test
 * -Dtest=PoolImageJazzerFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}. Jazzer fuzzes one
 * {@code @FuzzTest} per JVM (the first; the others are skipped) for {@code maxDuration}; coverage
 * feedback comes from {@code dev.engram.pool.**} and {@code dev.engram.allocator.**}
 * ({@code jazzer.instrument} in the pom); the agent is loaded at run time, hence
 * {@code -XX:+EnableDynamicAgentLoading} in the surefire argLine. Findings are written to the
 * inputs directory above and must be committed with the fix. {@code -Pfuzz-jazzer} sets
 * {@code JAZZER_FUZZ=1} for the test JVM, bounds the run with {@code jazzer.max_duration}
 * ({@code -Dengram.jazzer.duration}, default 5m) and writes the inputs executed and the findings to
 * {@code bench/results/reliability-jazzer.json} ({@code -Dengram.jazzer.out}, {@link CampaignRecord}).
 */
class PoolImageJazzerFuzzTest {
    private static Path scratch;
    private static FuzzOracle oracle;
    private static final AtomicLong EXECUTED = new AtomicLong();
    private static final List<String> FINDINGS = Collections.synchronizedList(new ArrayList<>());
    private static Instant start;

    @BeforeAll
    static void setUp() throws IOException {
        scratch = Files.createTempDirectory(FuzzSeeds.scratchRoot(), "engram-jazzer");
        oracle = new FuzzOracle();
        FuzzSeeds.all();
        start = Instant.now();
    }

    @AfterAll
    static void tearDown() throws IOException {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz != null && !fuzz.isBlank() && !fuzz.equals("0")) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("campaign", "PoolImageJazzerFuzzTest#mutatedPoolImage");
            r.put("mode", "coverage-guided (JAZZER_FUZZ=" + fuzz + ")");
            r.put("date", CampaignRecord.now());
            r.put("command", System.getProperty("engram.jazzer.command", "(not given)"));
            r.put("maxDuration", System.getProperty("jazzer.max_duration", "10m (@FuzzTest)"));
            r.put("instrumented", System.getProperty("jazzer.instrument"));
            r.put("inputsExecuted", EXECUTED.get());
            r.put("findings", List.copyOf(FINDINGS));
            r.put("seconds", Duration.between(start, Instant.now()).toSeconds());
            r.put("crashInputsKept", Findings.jazzerInputs());
            CampaignRecord.writeIfRequested("engram.jazzer.out", r);
        }
        oracle.close();
        try (var files = Files.list(scratch)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(scratch);
    }

    @FuzzTest(maxDuration = "10m")
    void mutatedPoolImage(FuzzedDataProvider data) {
        FuzzTargets.Target target = FuzzTargets.Target.values()[data.consumeInt(0, FuzzTargets.Target.values().length - 1)];
        PoolMutator.Mutated in = PoolMutator.mutate(choices(data), FuzzSeeds.all(), PoolImageMutationFuzzTest.MAX_STEPS);
        Throwable t = oracle.check(() -> FuzzTargets.run(target, in.bytes(), scratch));
        EXECUTED.incrementAndGet();
        if (t != null) {
            AssertionError failure = FuzzOracle.failure(() -> "target=" + target + " " + in.description(), t);
            FINDINGS.add(PoolImageMutationFuzzTest.signature(t) + ": target=" + target + " " + in.description());
            throw failure;
        }
    }

    private static Choices choices(FuzzedDataProvider data) {
        return new Choices() {
            @Override
            public int nextInt(int bound) {
                return data.consumeInt(0, bound - 1);
            }

            @Override
            public long nextLong() {
                return data.consumeLong();
            }

            @Override
            public boolean nextBoolean() {
                return data.consumeBoolean();
            }
        };
    }
}
