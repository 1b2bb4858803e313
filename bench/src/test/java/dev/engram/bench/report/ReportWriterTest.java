package dev.engram.bench.report;

import dev.engram.bench.report.ReportWriter.Row;
import dev.engram.bench.report.ReportWriter.Status;
import dev.engram.pool.medium.WriteBackPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReportWriterTest {
    /** JMH's result format, trimmed to the fields the report reads; the error of one entry is JMH's "NaN". */
    static final String JMH = """
            [
              {"jmhVersion": "1.37", "benchmark": "dev.engram.bench.pool.WriteBackBenchmark.persist", "mode": "avgt", "threads": 1,
               "params": {"path": "%s", "size": "64"},
               "primaryMetric": {"score": 200.0, "scoreError": 10.0, "scoreUnit": "ns/op"}},
              {"benchmark": "dev.engram.bench.pool.WriteBackBenchmark.persist", "mode": "avgt", "threads": 1,
               "params": {"path": "LIBPMEM", "size": "64"},
               "primaryMetric": {"score": 300.0, "scoreError": 5.0, "scoreUnit": "ns/op"}},
              {"benchmark": "dev.engram.bench.pool.WriteBackBenchmark.persist", "mode": "avgt", "threads": 1,
               "params": {"path": "%s", "size": "4096"},
               "primaryMetric": {"score": 1.0, "scoreError": "NaN", "scoreUnit": "us/op"}},
              {"benchmark": "dev.engram.bench.pool.WriteBackBenchmark.memcpy", "mode": "avgt", "threads": 1,
               "params": {"size": "64"},
               "primaryMetric": {"score": 4.0, "scoreError": 0.1, "scoreUnit": "ns/op"}},
              {"benchmark": "dev.engram.bench.pool.PageCacheDrainBenchmark.writeDrain", "mode": "avgt", "threads": 1,
               "params": {"poolSize": "16777216"},
               "primaryMetric": {"score": 100.0, "scoreError": 3.0, "scoreUnit": "us/op"}},
              {"benchmark": "dev.engram.bench.pool.PageCacheDrainBenchmark.writeDrain", "mode": "avgt", "threads": 1,
               "params": {"poolSize": "4294967296"},
               "primaryMetric": {"score": 110.0, "scoreError": 3.0, "scoreUnit": "us/op"}},
              {"benchmark": "dev.engram.bench.tx.TxBenchmark.smallTx", "mode": "thrpt", "threads": 1,
               "params": {"mode": "FORCE_PMEM"},
               "primaryMetric": {"score": 4.0e6, "scoreError": 4.0e4, "scoreUnit": "ops/s"}},
              {"benchmark": "dev.engram.bench.allocator.AllocFreeBenchmark.allocFree1Thread", "mode": "thrpt", "threads": 1,
               "params": {"size": "64"},
               "primaryMetric": {"score": 1.0e6, "scoreError": 1.0e4, "scoreUnit": "ops/s"}},
              {"benchmark": "dev.engram.bench.crashtest.CrashImagesBenchmark.exploreAll", "mode": "thrpt", "threads": 1,
               "params": {"unflushedScratch": "true"},
               "primaryMetric": {"score": 2.0, "scoreError": 0.1, "scoreUnit": "ops/s"},
               "secondaryMetrics": {
                 "images": {"score": 20000.0, "scoreError": 100.0, "scoreUnit": "ops/s"},
                 "checkerCalls": {"score": 20000.0, "scoreError": 100.0, "scoreUnit": "ops/s"},
                 "gc.alloc.rate": {"score": 5.0, "scoreError": 1.0, "scoreUnit": "MB/sec"}}}
            ]
            """.formatted(WriteBackPath.DEFAULT, WriteBackPath.DEFAULT);

    static final String PMDK = """
            {"workload":"persist_64","unit":"ops/s","value":5e+06,"error":250000,"threads":1,"mode":"forced-pmem","runs":5}
            {"workload":"persist_4096","unit":"ops/s","value":4e+06,"error":0,"threads":1,"mode":"forced-pmem","runs":5}
            {"workload":"persist_64","unit":"ops/s","value":10000,"error":100,"threads":1,"mode":"page-cache","runs":5}
            {"workload":"tx_small","unit":"ops/s","value":1.5e+06,"error":1000,"threads":1,"mode":"forced-pmem","runs":5}
            {"workload":"fill_64","unit":"count","value":1000,"error":0,"threads":1,"mode":"forced-pmem","runs":1}
            {"workload":"alloc_free_64","unit":"ops/s","value":8e+05,"error":100,"threads":1,"mode":"forced-pmem","runs":5}
            {"workload":"hashmap_put","unit":"ops/s","value":8e+05,"error":100,"threads":1,"mode":"forced-pmem","runs":5}
            """;

    /** Engram's own non-JMH figures, in the same line format. */
    static final String ENGRAM = """
            {"workload":"fill_64","unit":"count","value":1600,"error":0,"threads":1,"mode":"forced-pmem"}
            """;

    private static Results fixture() {
        Results r = new Results();
        r.addJmh(JMH);
        r.addPmdk(PMDK);
        r.addLines(ENGRAM, r.engram);
        return r;
    }

    private static Row row(List<Row> rows, String workload) {
        return rows.stream().filter(r -> r.target().workload().equals(workload)).findFirst().orElseThrow();
    }

    private static List<Row> evaluate() {
        return ReportWriter.evaluate(fixture(), Set.of("WriteBackBenchmark.persist", "TxBenchmark.smallTx",
                "AllocFreeBenchmark.allocFree1Thread", "CrashImagesBenchmark.exploreAll"));
    }

    @Test
    void shouldCompareEngramWithPmdkThroughputAsTimePerOperation() {
        Row r = row(evaluate(), "tx_small");

        assertThat(r.status()).isEqualTo(Status.MEASURED);
        assertThat(r.peer().unit()).isEqualTo("ns/op");
        assertThat(r.peer().value()).isCloseTo(1e9 / 1.5e6, within(1e-6));
        assertThat(r.engram().relativeError()).isCloseTo(0.01, within(1e-9));
        assertThat(r.ratio()).isCloseTo(1.5 / 4.0, within(1e-9)); // 2.67x PMDK's ops/s
        assertThat(r.holds()).isTrue(); // issue #6: >= 2x ops/s, a ratio <= 0.5
    }

    @Test
    void shouldMarkATimeTargetMissedWhenEngramIsSlowerThanAllowed() {
        Row r = row(evaluate(), "alloc_free_64_1t");

        assertThat(r.ratio()).isCloseTo(0.8, within(1e-9)); // 1.25x PMDK's ops/s
        assertThat(r.holds()).isFalse(); // issue #5 asks >= 3x
        Row informational = row(evaluate(), "persist_4096");
        assertThat(informational.engram().value()).isCloseTo(1000.0, within(1e-9)); // 1 us/op converted
        assertThat(informational.engram().error()).isZero(); // JMH's "NaN" error
        assertThat(informational.ratio()).isCloseTo(4.0, within(1e-9));
        assertThat(informational.holds()).isNull();
    }

    @Test
    void shouldCompareTheLargePoolWithTheSmallOneForTheDrainTarget() {
        Row r = row(evaluate(), "pagecache_drain_4g_vs_16m");

        assertThat(r.ratio()).isCloseTo(1.1, within(1e-9));
        assertThat(r.holds()).isTrue();
        assertThat(row(evaluate(), "pagecache_persist_64").ratio()).isCloseTo(1.0, within(1e-9)); // 100 us vs 10k ops/s
    }

    @Test
    void shouldReportNoVerdictForInformationalRows() {
        Row r = row(evaluate(), "writeback_" + WriteBackPath.DEFAULT.name().toLowerCase() + "_64");

        assertThat(r.ratio()).isCloseTo(50.0, within(1e-9));
        assertThat(r.holds()).isNull();
    }

    @Test
    void shouldTreatCountTargetsAsLowerBounds() {
        Row r = row(evaluate(), "fill_64");

        assertThat(r.ratio()).isCloseTo(1.6, within(1e-9));
        assertThat(r.holds()).isTrue();
    }

    @Test
    void shouldReadSecondaryMetricsAndCompareWithAFixedTarget() {
        List<Row> rows = evaluate();

        Row images = row(rows, "crash_images_per_s");
        assertThat(images.ratio()).isCloseTo(0.5, within(1e-9)); // 20,000/s against 10,000/s
        assertThat(images.holds()).isTrue();
        Row calls = row(rows, "checker_calls_per_image");
        assertThat(calls.ratio()).isCloseTo(1.0, within(1e-9));
        assertThat(calls.holds()).isTrue();
    }

    @Test
    void shouldShowPeerFigureAsPendingWhenTheEngramBenchmarkIsNotWrittenYet() {
        Row r = row(evaluate(), "hashmap_put");

        assertThat(r.status()).isEqualTo(Status.PENDING);
        assertThat(r.engram()).isNull();
        assertThat(r.peer().value()).isCloseTo(1e9 / 8e5, within(1e-6));
        assertThat(r.ratio()).isNull();
        assertThat(r.holds()).isNull();
    }

    @Test
    void shouldSayNotRunWhenTheBenchmarkExistsButProducedNoFigure() {
        List<Row> rows = ReportWriter.evaluate(fixture(), Set.of("CollectionsBenchmark.putHash"));

        assertThat(row(rows, "hashmap_put").status()).isEqualTo(Status.NOT_RUN);
    }

    @Test
    void shouldPickTheFasterWriteBackPathOnlyWhenTheErrorsDoNotOverlap() {
        Results r = new Results();
        r.addJmh("[" + persist("UNSAFE_WRITEBACK", "64", 200, 10) + "," + persist("LIBPMEM", "64", 300, 5)
                + "," + persist("UNSAFE_WRITEBACK", "4096", 1000, 100) + "," + persist("LIBPMEM", "4096", 950, 100)
                + "," + persist("MAPPED_FORCE", "4096", 10, 1) + "]");

        Map<String, String> winners = ReportWriter.writeBackWinners(r);

        assertThat(winners).containsEntry("64", "UNSAFE_WRITEBACK")
                .containsEntry("4096", "tie (LIBPMEM ahead within the error)") // MAPPED_FORCE is not a write-back
                .doesNotContainKey("256");
    }

    private static String persist(String path, String size, double score, double error) {
        return """
                {"benchmark": "dev.engram.bench.pool.WriteBackBenchmark.persist", "threads": 1,
                 "params": {"path": "%s", "size": "%s"},
                 "primaryMetric": {"score": %s, "scoreError": %s, "scoreUnit": "ns/op"}}
                """.formatted(path, size, score, error);
    }

    @Test
    void shouldWriteSummaryJsonWithTheDocumentedSchema(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("jmh-writeback.json"), JMH);
        Files.writeString(dir.resolve("pmdk.json"), PMDK);
        Files.writeString(dir.resolve("engram.json"), ENGRAM);
        Path out = dir.resolve("RESULTS.md");

        ReportWriter.main(new String[] {"--results", dir.toString(), "--out", out.toString(),
                "--command", "bench/run --quick", "--date", "2025-01-01T00:00:00Z"});

        List<Object> summary = Json.array(Json.parse(Files.readString(dir.resolve("summary.json"))));
        assertThat(summary).hasSameSizeAs(ReportWriter.TARGETS);
        for (Object o : summary) {
            assertThat(Json.object(o).keySet()).containsExactly(
                    "workload", "unit", "engram", "peer", "peerName", "ratio", "target", "holds", "mode", "date");
        }
        Map<String, Object> tx = summary.stream().map(Json::object)
                .filter(m -> m.get("workload").equals("tx_small")).findFirst().orElseThrow();
        assertThat(tx).containsEntry("unit", "ns/op").containsEntry("engram", 250.0)
                .containsEntry("ratio", 0.375).containsEntry("target", "<=0.5").containsEntry("holds", true)
                .containsEntry("mode", "forced-pmem").containsEntry("date", "2025-01-01T00:00:00Z");
        Map<String, Object> pending = summary.stream().map(Json::object)
                .filter(m -> m.get("workload").equals("hashmap_put")).findFirst().orElseThrow();
        assertThat(pending.get("engram")).isNull();
        assertThat(pending.get("holds")).isNull();

        String md = Files.readString(out);
        assertThat(md).contains("| persist_64 | 200.0 ns/op | 200.0 ns/op |", "`bench/run --quick`", "| hashmap_put | not run |",
                "| fill_64 | 1,600 count |");
        try (var pngs = Files.list(dir)) {
            assertThat(pngs.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png"))).isNotEmpty();
        }
    }

    // ---- issue #7: the Java durable peers ---------------------------------------------------------

    private static String result(String benchmark, String params, double score) {
        return """
                {"benchmark": "dev.engram.bench.collections.%s", "mode": "avgt", "threads": 1,
                 "params": {%s},
                 "primaryMetric": {"score": %s, "scoreError": 1.0, "scoreUnit": "ns/op"}}
                """.formatted(benchmark, params, score);
    }

    /**
     * Engram's collections figures and every peer's, in JMH's format: Engram puts at 1,500 ns, gets at
     * 300 ns, scans at 9,000 ns; the peers' puts at the given times (ns/op).
     */
    private static Results peers(double lmdbPut, double mapdbPut, double mvstorePut, double chroniclePut) {
        Results r = new Results();
        r.addJmh("[" + String.join(",",
                result("CollectionsBenchmark.putHash", "\"impl\": \"engram-pmem\", \"batch\": \"1\", \"entries\": \"1000000\"", 1500),
                result("CollectionsReadBenchmark.getHash", "\"impl\": \"engram-pmem\", \"entries\": \"1000000\"", 300),
                result("CollectionsReadBenchmark.scanSorted100", "\"impl\": \"engram-pmem\", \"entries\": \"1000000\"", 9000),
                result("JavaPeersBenchmark.put", "\"peer\": \"lmdb\", \"entries\": \"1000000\"", lmdbPut),
                result("JavaPeersBenchmark.put", "\"peer\": \"mapdb\", \"entries\": \"1000000\"", mapdbPut),
                result("JavaPeersBenchmark.put", "\"peer\": \"mvstore\", \"entries\": \"1000000\"", mvstorePut),
                result("JavaPeersChronicleBenchmark.put", "\"entries\": \"1000000\"", chroniclePut),
                result("JavaPeersReadBenchmark.get", "\"peer\": \"lmdb\", \"entries\": \"1000000\"", 600),
                result("JavaPeersReadBenchmark.get", "\"peer\": \"mapdb\", \"entries\": \"1000000\"", 3000),
                result("JavaPeersReadBenchmark.get", "\"peer\": \"mvstore\", \"entries\": \"1000000\"", 900),
                result("JavaPeersChronicleReadBenchmark.get", "\"entries\": \"1000000\"", 400),
                result("JavaPeersReadBenchmark.scan100", "\"peer\": \"lmdb\", \"entries\": \"1000000\"", 18000),
                result("JavaPeersReadBenchmark.scan100", "\"peer\": \"mapdb\", \"entries\": \"1000000\"", 15000),
                result("JavaPeersReadBenchmark.scan100", "\"peer\": \"mvstore\", \"entries\": \"1000000\"", 4500)) + "]");
        return r;
    }

    private static final Set<String> COLLECTION_BENCHMARKS = Set.of("CollectionsBenchmark.putHash",
            "CollectionsReadBenchmark.getHash", "CollectionsReadBenchmark.scanSorted100");

    private static ReportWriter.JavaPeer peer(String id) {
        return ReportWriter.JAVA_PEERS.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void shouldCompareEngramPutsWithTheFastestDurablePeerOfThisRun() {
        Row r = row(ReportWriter.evaluate(peers(20_000, 450_000, 160_000, 900), COLLECTION_BENCHMARKS),
                "hashmap_put_vs_best_java_peer");

        assertThat(r.status()).isEqualTo(Status.MEASURED);
        assertThat(r.peer().value()).isEqualTo(20_000.0); // LMDB; Chronicle Map is faster but never syncs
        assertThat(r.peerName()).startsWith(peer("lmdb").putName() + " — best of 3 durable Java peers");
        assertThat(r.ratio()).isCloseTo(1500 / 20_000.0, within(1e-12));
        assertThat(r.target().target()).isCloseTo(1 / 3.0, within(1e-12)); // #7: >= 3x the peer's ops/s
        assertThat(r.holds()).isTrue();
    }

    @Test
    void shouldChooseTheBestPeerFromTheFiguresNotByName() {
        Row r = row(ReportWriter.evaluate(peers(20_000, 450_000, 1_000, 900), COLLECTION_BENCHMARKS),
                "hashmap_put_vs_best_java_peer");

        assertThat(r.peer().value()).isEqualTo(1_000.0);
        assertThat(r.peerName()).startsWith(peer("mvstore").putName() + " — ");
        assertThat(r.ratio()).isCloseTo(1.5, within(1e-12));
        assertThat(r.holds()).isFalse();
    }

    @Test
    void shouldChooseAmongThePeersThatRanAndSayNotRunWhenNoneDid() {
        Results some = new Results();
        some.addJmh("[" + result("CollectionsBenchmark.putHash", "\"impl\": \"engram-pmem\", \"batch\": \"1\"", 1500)
                + "," + result("JavaPeersBenchmark.put", "\"peer\": \"mapdb\"", 450_000) + "]");
        Row partial = row(ReportWriter.evaluate(some, COLLECTION_BENCHMARKS), "hashmap_put_vs_best_java_peer");
        assertThat(partial.peer().value()).isEqualTo(450_000.0);
        assertThat(partial.peerName()).startsWith(peer("mapdb").putName());

        Results none = new Results();
        none.addJmh("[" + result("CollectionsBenchmark.putHash", "\"impl\": \"engram-pmem\", \"batch\": \"1\"", 1500) + "]");
        Row missing = row(ReportWriter.evaluate(none, COLLECTION_BENCHMARKS), "hashmap_put_vs_best_java_peer");
        assertThat(missing.status()).isEqualTo(Status.NOT_RUN);
        assertThat(missing.peer()).isNull();
        assertThat(missing.peerName()).startsWith("best of 3 durable Java peers");
    }

    @Test
    void shouldAddOneInformationalRowPerPeerAndWorkloadNamingItsDurableMode() {
        List<Row> rows = ReportWriter.evaluate(peers(20_000, 450_000, 160_000, 900), COLLECTION_BENCHMARKS);

        Row put = row(rows, "hashmap_put_vs_mapdb");
        assertThat(put.ratio()).isCloseTo(1500 / 450_000.0, within(1e-12));
        assertThat(put.holds()).isNull();
        assertThat(put.peerName()).isEqualTo("MapDB 3.1.0: mmap fileDB + transactionEnable, commit per put (WAL synced), tmpfs");
        Row chronicle = row(rows, "hashmap_put_vs_chronicle");
        assertThat(chronicle.ratio()).isCloseTo(1500 / 900.0, within(1e-12));
        assertThat(chronicle.peerName()).contains("Chronicle Map", "never syncs");
        assertThat(row(rows, "hashmap_get_vs_chronicle").ratio()).isCloseTo(300 / 400.0, within(1e-12));
        assertThat(row(rows, "hashmap_get_vs_lmdb").ratio()).isCloseTo(300 / 600.0, within(1e-12));
        assertThat(row(rows, "sortedmap_scan100_vs_mvstore").ratio()).isCloseTo(9000 / 4500.0, within(1e-12));
        assertThat(row(rows, "sortedmap_scan100_vs_lmdb").peerName()).contains("lmdbjava 0.9.3", "cursor");
        assertThat(row(rows, "hashmap_get_vs_lmdb").peerName()).contains("read txn", "1000 puts per commit");
        assertThat(rows).extracting(r -> r.target().workload()).doesNotContain("sortedmap_scan100_vs_chronicle")
                .contains("hashmap_put_vs_lmdb", "hashmap_put_vs_mvstore", "hashmap_get_vs_mapdb",
                        "hashmap_get_vs_mvstore", "sortedmap_scan100_vs_mapdb");
        assertThat(rows).filteredOn(r -> r.target().workload().matches(".*_vs_(lmdb|mapdb|mvstore|chronicle|best_java_peer)"))
                .hasSize(1 + 4 + 4 + 3).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.MEASURED));
    }

    @Test
    void shouldNameTheChosenPeerInSummaryJsonAndTheMarkdown() {
        Results r = peers(20_000, 450_000, 160_000, 900);
        List<Row> rows = ReportWriter.evaluate(r, COLLECTION_BENCHMARKS);

        Map<String, Object> best = ReportWriter.summary(rows, "2025-01-01T00:00:00Z").stream()
                .filter(m -> m.get("workload").equals("hashmap_put_vs_best_java_peer")).findFirst().orElseThrow();
        assertThat(best).containsEntry("peer", 20_000.0).containsEntry("engram", 1500.0).containsEntry("holds", true)
                .containsEntry("target", "<=" + 1 / 3.0);
        assertThat((String) best.get("peerName")).startsWith(peer("lmdb").putName());
        String md = Markdown.render(rows, Map.of(), Map.of(), "bench/run", "2025-01-01", List.of(), "");
        assertThat(md).contains("| hashmap_put_vs_best_java_peer | 1,500 ns/op | 20,000 ns/op | " + peer("lmdb").putName() + " — ");
    }
}
