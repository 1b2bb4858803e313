package dev.engram.reliability;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded mutation fuzzing of untrusted pool images (issue #9), our own campaign beside Jazzer's.
 *
 * <p><b>Inputs.</b> Each input is one of the {@link FuzzSeeds seed pools} (mixed size classes with
 * frees, a grown heap, a pending redo log) with 1..8 {@link PoolMutator mutations}: bit flips, byte
 * runs, a truncation, and pool-header (either or both copies), heap-header, zone-header,
 * chunk-header, bitmap, block-header and redo-log fields set to 0, -1, edges and values pointing
 * outside; in half of the inputs every checksum is recomputed afterwards so that the validators,
 * not just the CRCs, are exercised.
 *
 * <p><b>Targets</b> ({@link FuzzTargets.Target}): {@code Pool.attach} of a memory image,
 * {@code Pool.open} of a file (writable, then again after close), {@code Pool.open} read-only, and
 * {@code RedoLog.recover} on every lane-sized region; behind the pool targets: every lane's redo
 * log recovered, {@code PersistentHeap.open}, {@code check()}, {@code stats()},
 * {@code forEachObject}, allocations of three sizes (one needing growth) and frees.
 *
 * <p><b>Oracle</b> ({@link FuzzOracle}): normal return or an {@code EngramException}; anything else,
 * a broken target property, or an input running past the hang bound fails the test with the
 * campaign seed, the input's seed and the exact mutations.
 *
 * <p><b>Bounds.</b> CI: {@code -Dengram.fuzz.inputs} inputs per target (pom default 1500, about 10 s
 * on 2 cores for all targets) from the fixed seed {@link #DEFAULT_SEED}, so CI is reproducible.
 * Long campaign: {@code mvn -Pfuzz-long -pl reliability -am test -Dtest=PoolImageMutationFuzzTest}
 * runs for {@code -Dengram.fuzz.seconds} (600) per target from a seed taken from the clock once per
 * run, printed first. Reproduce one input with {@code -Dengram.fuzz.seed=<campaign seed>} or from the
 * printed input seed with {@link #inputFor(long)}.
 *
 * <p><b>Record.</b> With {@code -Dengram.fuzz.out=FILE} (set by {@code -Pfuzz-long} to
 * {@code bench/results/reliability-fuzz.json}) the campaign writes its figures there after all
 * targets ran ({@link CampaignRecord}): inputs executed per target and in total, distinct failures,
 * the seed, and the failures earlier campaigns found that are kept as regression tests
 * ({@link Findings}).
 */
class PoolImageMutationFuzzTest {
    static final long DEFAULT_SEED = 0x5EED_2026_0009L;
    static final int MAX_STEPS = 8;

    private static Path scratch;
    /** Per target that ran in this JVM, for the campaign record. */
    private static final List<Map<String, Object>> TARGETS = Collections.synchronizedList(new ArrayList<>());
    /** Failure signatures over all targets: one bug reached from two targets counts once. */
    private static final Set<String> SIGNATURES = Collections.synchronizedSet(new TreeSet<>());
    private static long campaignSeed;

    @BeforeAll
    static void scratchDir() throws IOException {
        scratch = Files.createTempDirectory(FuzzSeeds.scratchRoot(), "engram-fuzz");
        FuzzSeeds.all();
        String seedProperty = System.getProperty("engram.fuzz.seed");
        campaignSeed = seedProperty != null ? Long.decode(seedProperty)
                : Long.getLong("engram.fuzz.seconds", 0) > 0 ? System.nanoTime() : DEFAULT_SEED;
    }

    @AfterAll
    static void removeScratch() throws IOException {
        try (var files = Files.list(scratch)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(scratch);
    }

    /** Writes the campaign record when {@code engram.fuzz.out} names a file (the fuzz-long profile). */
    @AfterAll
    static void writeCampaignRecord() {
        if (CampaignRecord.target("engram.fuzz.out") == null || TARGETS.isEmpty()) {
            return;
        }
        long seconds = Long.getLong("engram.fuzz.seconds", 0);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("campaign", "PoolImageMutationFuzzTest");
        r.put("date", CampaignRecord.now());
        r.put("command", System.getProperty("engram.fuzz.command", "(not given)") + " -Dengram.fuzz.seconds=" + seconds);
        r.put("seed", "0x" + Long.toHexString(campaignSeed));
        r.put("secondsPerTarget", seconds);
        r.put("inputsPerTargetCap", Long.getLong("engram.fuzz.inputs", 1500));
        r.put("inputsExecuted", sum("inputsExecuted"));
        r.put("failingInputs", sum("failingInputs"));
        r.put("distinctFailures", SIGNATURES.size());
        r.put("seconds", sum("seconds"));
        r.put("targets", List.copyOf(TARGETS));
        r.put("regressionTests", Findings.asMaps());
        r.put("jazzerCrashInputs", Findings.jazzerInputs());
        CampaignRecord.writeIfRequested("engram.fuzz.out", r);
    }

    private static long sum(String field) {
        return TARGETS.stream().mapToLong(t -> ((Number) t.get(field)).longValue()).sum();
    }

    /** The input of a given input seed: which mutations of which seed. */
    static PoolMutator.Mutated inputFor(long inputSeed) {
        return PoolMutator.mutate(Choices.of(new Random(inputSeed)), FuzzSeeds.all(), MAX_STEPS);
    }

    static long inputSeed(long campaignSeed, long index) {
        long x = campaignSeed + index * 0x9E37_79B9_7F4A_7C15L;
        x = (x ^ (x >>> 31)) * 0xBF58_476D_1CE4_E5B9L;
        return x ^ (x >>> 29);
    }

    @ParameterizedTest
    @EnumSource(FuzzTargets.Target.class)
    void everyMutatedPoolIsRejectedTypedOrUsedConsistently(FuzzTargets.Target target) {
        long inputs = Long.getLong("engram.fuzz.inputs", 1500);
        long seconds = Long.getLong("engram.fuzz.seconds", 0);
        System.out.printf("mutation fuzz %s: campaign seed 0x%x, up to %d inputs, %d s%n", target, campaignSeed,
                inputs, seconds);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Map<String, String> distinct = new LinkedHashMap<>();
        List<String> all = new ArrayList<>();
        long executed = 0;
        Instant start = Instant.now();
        Map<String, Long> outcomes;
        try (FuzzOracle oracle = new FuzzOracle()) {
            for (long i = 0; i < inputs && (seconds == 0 || System.nanoTime() - deadline < 0); i++) {
                long inputSeed = inputSeed(campaignSeed, i);
                PoolMutator.Mutated in = inputFor(inputSeed);
                Throwable t = oracle.check(() -> FuzzTargets.run(target, in.bytes(), scratch));
                executed++;
                if (t != null) {
                    String where = signature(t);
                    String line = "input seed 0x" + Long.toHexString(inputSeed) + " " + in.description();
                    all.add(line + " -> " + t);
                    if (!distinct.containsKey(where)) {
                        distinct.put(where, FuzzOracle.failure(() -> line, t).getMessage());
                    }
                }
            }
            System.out.printf("mutation fuzz %s: %d inputs executed, %d failing, %d distinct; outcomes %s%n", target,
                    executed, all.size(), distinct.size(), oracle.outcomes());
            outcomes = Map.copyOf(oracle.outcomes());
        }
        SIGNATURES.addAll(distinct.keySet());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("target", target.name());
        record.put("inputsExecuted", executed);
        record.put("failingInputs", all.size());
        record.put("distinctFailures", List.copyOf(distinct.keySet()));
        record.put("outcomes", new TreeMap<>(outcomes));
        record.put("seconds", Duration.between(start, Instant.now()).toSeconds());
        TARGETS.add(record);
        distinct.values().forEach(System.out::println);
        assertThat(distinct).as("distinct failures of %s (campaign seed 0x%x, %d of %d inputs failed)", target,
                campaignSeed, all.size(), executed).isEmpty();
    }

    /** Exception type and the first frame in Engram code: one bug, however many inputs reach it. */
    static String signature(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("dev.engram.") && !e.getClassName().startsWith("dev.engram.reliability.")) {
                return t.getClass().getName() + " at " + e;
            }
        }
        return t.getClass().getName() + " " + t.getMessage();
    }
}
