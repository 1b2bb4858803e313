package dev.engram.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The distinct failures the issue #9 campaigns found, each kept in the repository as a regression
 * test that runs in CI (so "fixed" means: the test is there and passes). Campaign records list them
 * ({@code bench/results/reliability-fuzz.json}), and {@code FindingsTest} checks that every entry
 * names a test method that exists. Add an entry with every new regression test; crash inputs Jazzer
 * keeps under {@link #JAZZER_INPUTS} are counted on their own.
 */
final class Findings {
    /** Where Jazzer keeps the inputs it found crashing (regression mode replays each in CI). */
    static final String JAZZER_INPUTS = "dev/engram/reliability/PoolImageJazzerFuzzTestInputs";

    /**
     * One finding.
     *
     * @param foundBy  the campaign that found it
     * @param test     the regression test, {@code SimpleClass#method}
     * @param fixedIn  the commit and module of the fix
     * @param summary  what failed, in a line
     */
    record Finding(String foundBy, String test, String fixedIn, String summary) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("foundBy", foundBy);
            m.put("test", test);
            m.put("fixedIn", fixedIn);
            m.put("summary", summary);
            return m;
        }
    }

    static final List<Finding> ALL = List.of(
            new Finding("TruncatedMappingTest",
                    "RegressionTest#crc32cOfATruncatedRangeRaisesMediaErrorInsteadOfKillingTheJvm",
                    "01ccb1d pool/",
                    "a SIGBUS inside the JDK's CRC32C stub (checksum of a truncated mapping) killed the JVM"),
            new Finding("PoolImageMutationFuzzTest",
                    "RegressionTest#heapGrowthDoesNotAdoptStaleMetadataPastTheRecordedEnd",
                    "122c70f allocator/",
                    "heap growth adopted stale zone and chunk metadata past the recorded heap end"),
            new Finding("ConcurrencyStressTest",
                    "TortureRegressionTest#appendDuringAnotherThreadsRolledBackAppendSucceedsAtTheEnd",
                    "5fdbf73 collections/",
                    "PersistentList.add(E) read the size outside the list's lock (another thread's rolled-back append)"),
            new Finding("KillTortureTest",
                    "TortureRegressionTest#forcedPmemWithoutC2RefusesOrWorksButNeverCrashesTheJvm",
                    "5fdbf73 pool/",
                    "forced-pmem write-back jumped to a null stub without C2 and crashed the JVM"));

    private Findings() {
    }

    /** The findings as JSON-ready maps. */
    static List<Map<String, Object>> asMaps() {
        List<Map<String, Object>> out = new ArrayList<>();
        ALL.forEach(f -> out.add(f.toMap()));
        return out;
    }

    /** The crash inputs Jazzer kept, relative to {@link #JAZZER_INPUTS} (empty when it kept none). */
    static List<String> jazzerInputs() {
        URL dir = Findings.class.getClassLoader().getResource(JAZZER_INPUTS);
        if (dir == null || !"file".equals(dir.getProtocol())) {
            return List.of();
        }
        try {
            Path root = Path.of(dir.toURI());
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the Jazzer inputs in " + dir, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unexpected resource URL " + dir, e);
        }
    }
}
