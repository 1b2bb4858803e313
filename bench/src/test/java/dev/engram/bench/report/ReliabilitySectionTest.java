package dev.engram.bench.report;

import dev.engram.bench.report.ReliabilitySection.Line;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReliabilitySectionTest {
    /** The shape KillTortureTest writes, trimmed to one mode. */
    static final String TORTURE = """
            {
              "campaign": "KillTortureTest",
              "date": "2026-11-23T14:00:00Z",
              "command": "./mvnw -B -pl reliability -am test -Ptorture -Dengram.torture.kills=1000",
              "seed": 1881604105,
              "killsAttempted": 1000,
              "killsSurvived": 1000,
              "transactionsAcknowledged": 14000,
              "transactionsVerified": 14150,
              "unacknowledgedButCommitted": 150,
              "checks": 800,
              "leaksFound": 0,
              "checkFailures": 0,
              "seconds": 600,
              "modes": [
                {"mode": "PAGE_CACHE", "killsAttempted": 500},
                {"mode": "FORCE_PMEM", "killsAttempted": 500}
              ]
            }
            """;

    static final String FUZZ = """
            {
              "campaign": "PoolImageMutationFuzzTest",
              "date": "2026-11-23T15:00:00Z",
              "command": "./mvnw -B -pl reliability -am test -Pfuzz-long -Dengram.fuzz.seconds=150",
              "seed": "0x2c56a691400",
              "secondsPerTarget": 150,
              "inputsExecuted": 120000,
              "failingInputs": 0,
              "distinctFailures": 0,
              "seconds": 600,
              "targets": [{"target": "ATTACH"}, {"target": "OPEN_FILE"}, {"target": "OPEN_READ_ONLY"}, {"target": "RECOVER_REGIONS"}],
              "regressionTests": [
                {"foundBy": "PoolImageMutationFuzzTest", "test": "RegressionTest#heapGrowth", "fixedIn": "122c70f allocator/",
                 "summary": "heap growth adopted stale metadata"},
                {"foundBy": "KillTortureTest", "test": "TortureRegressionTest#noC2", "fixedIn": "5fdbf73 pool/",
                 "summary": "write-back without C2 crashed the JVM"}
              ],
              "jazzerCrashInputs": []
            }
            """;

    static final String JAZZER = """
            {"campaign": "PoolImageJazzerFuzzTest#mutatedPoolImage", "date": "2026-11-23T16:00:00Z", "command": "x",
             "maxDuration": "5m", "inputsExecuted": 9000, "findings": ["NPE at Foo"], "seconds": 300}
            """;

    private static Line line(ReliabilitySection s, String workload) {
        return s.lines.stream().filter(l -> l.workload().equals(workload)).findFirst().orElseThrow();
    }

    @Test
    void shouldHoldWhenEveryKillSurvivedAndEveryAcknowledgedTransactionIsVerified() {
        ReliabilitySection s = ReliabilitySection.of(TORTURE, FUZZ, null);

        Line kills = line(s, "torture_kills_survived");
        assertThat(kills.engram()).isEqualTo(1000.0);
        assertThat(kills.peer()).isEqualTo(1000.0);
        assertThat(kills.holds()).isTrue();
        assertThat(kills.mode()).isEqualTo("page-cache + forced-pmem");
        Line tx = line(s, "torture_tx_verified");
        assertThat(tx.engram()).isEqualTo(14150.0);
        assertThat(tx.peer()).isEqualTo(14000.0);
        assertThat(tx.holds()).isTrue();
        assertThat(line(s, "torture_leaked_blocks").holds()).isTrue();
        assertThat(line(s, "fuzz_inputs_executed").engram()).isEqualTo(120000.0);
        assertThat(line(s, "fuzz_inputs_executed").holds()).isNull();
        assertThat(line(s, "fuzz_inputs_executed").peerName()).contains("4 targets x 150 s");
        assertThat(line(s, "fuzz_distinct_failures_open").holds()).isTrue();
        Line fixed = line(s, "reliability_failures_fixed");
        assertThat(fixed.engram()).isEqualTo(2.0);
        assertThat(fixed.peer()).isEqualTo(2.0);
        assertThat(fixed.holds()).isTrue();
    }

    @Test
    void shouldMissWhenAKillWasNotSurvivedOrAFailureIsOpen() {
        String failed = TORTURE.replace("\"killsSurvived\": 1000", "\"killsSurvived\": 731")
                .replace("\"checkFailures\": 0", "\"checkFailures\": 1");
        String open = FUZZ.replace("\"distinctFailures\": 0", "\"distinctFailures\": 1");
        ReliabilitySection s = ReliabilitySection.of(failed, open, JAZZER);

        assertThat(line(s, "torture_kills_survived").holds()).isFalse();
        assertThat(line(s, "torture_tx_verified").holds()).as("a failed check voids the verification").isFalse();
        assertThat(line(s, "fuzz_distinct_failures_open").holds()).isFalse();
        Line fixed = line(s, "reliability_failures_fixed");
        assertThat(fixed.peer()).as("found = kept as regression tests + open").isEqualTo(3.0);
        assertThat(fixed.holds()).isFalse();
        assertThat(line(s, "jazzer_inputs_executed").engram()).isEqualTo(9000.0);
        assertThat(line(s, "jazzer_findings_open").engram()).isEqualTo(1.0);
        assertThat(line(s, "jazzer_findings_open").holds()).isFalse();
    }

    @Test
    void shouldSayNotRunAndAddNothingToTheSummaryWithoutARecord() {
        ReliabilitySection s = ReliabilitySection.of(null, null, null);

        assertThat(s.lines).isNotEmpty().allSatisfy(l -> assertThat(l.engram()).isNull());
        assertThat(s.appendTo(List.of(Map.of("workload", "tx_small")))).hasSize(1);
        assertThat(s.markdown()).contains("| torture_kills_survived | not run |", "| fuzz_inputs_executed | not run |");
    }

    @Test
    void shouldAppendSummaryRowsInTheSharedSchemaAndPlaceTheSectionBeforeTheAnalysis() {
        ReliabilitySection s = ReliabilitySection.of(TORTURE, FUZZ, null);

        List<Map<String, Object>> summary = s.appendTo(List.of());
        assertThat(summary).hasSize(6);
        for (Map<String, Object> m : summary) {
            assertThat(m.keySet()).containsExactly(
                    "workload", "unit", "engram", "peer", "peerName", "ratio", "target", "holds", "mode", "date");
        }
        Map<String, Object> kills = summary.getFirst();
        assertThat(kills).containsEntry("workload", "torture_kills_survived").containsEntry("engram", 1000.0)
                .containsEntry("peer", 1000.0).containsEntry("target", "= all").containsEntry("holds", true)
                .containsEntry("unit", "count").containsEntry("date", "2026-11-23T14:00:00Z");
        assertThat((Double) kills.get("ratio")).isCloseTo(1.0, within(1e-12));
        Map<String, Object> open = summary.stream().filter(m -> m.get("workload").equals("fuzz_distinct_failures_open"))
                .findFirst().orElseThrow();
        assertThat(open).containsEntry("engram", 0.0).containsEntry("target", "= 0").containsEntry("holds", true);
        assertThat(open.get("ratio")).isNull();

        String md = s.insertInto("# R\n\n## Tx\n\n| a |\n\n## Analysis (hand-written)\n\ntext\n\n## Charts\n");
        assertThat(md.indexOf("## Reliability (#9)")).isGreaterThan(md.indexOf("## Tx")).isLessThan(md.indexOf("## Analysis"));
        assertThat(md).contains("| torture_kills_survived | 1,000 | 1,000 | SIGKILLs sent (kills attempted) | = all | yes |",
                "| reliability_failures_fixed | 2 | 2 |", "`TortureRegressionTest#noC2` | 5fdbf73 pool/",
                "- `reliability-torture.json` (600 s, seed 1881604105): `./mvnw");
        assertThat(ReliabilitySection.of(null, null, null).insertInto("# R\n"))
                .startsWith("# R\n\n## Reliability (#9)").endsWith("| not run | untrusted image | — |\n\n");
    }

    @Test
    void shouldReadTheRecordsBesideTheOtherResults(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(ReliabilitySection.TORTURE), TORTURE);
        Files.writeString(dir.resolve("jmh-tx.json"), "[]");
        Path out = dir.resolve("RESULTS.md");

        ReportWriter.main(new String[] {"--results", dir.toString(), "--out", out.toString(),
                "--command", "bench/run", "--date", "2025-01-01T00:00:00Z"});

        List<Object> summary = Json.array(Json.parse(Files.readString(dir.resolve("summary.json"))));
        assertThat(summary).hasSize(ReportWriter.TARGETS.size() + 3);
        assertThat(summary.stream().map(Json::object).filter(m -> "torture_tx_verified".equals(m.get("workload"))))
                .singleElement().satisfies(m -> assertThat(m).containsEntry("engram", 14150.0).containsEntry("holds", true));
        assertThat(Files.readString(out)).contains("## Reliability (#9)", "| torture_tx_verified | 14,150 | 14,000 |",
                "| fuzz_inputs_executed | not run |");
    }
}
