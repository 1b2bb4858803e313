package dev.engram.bench.report;

import dev.engram.pool.medium.WriteBackPath;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one run's JMH and PMDK results into {@code bench/RESULTS.md}, {@code results/summary.json}
 * and bar charts of the ratios (DESIGN.md §8). Every comparison the project tracks is one row of
 * {@link #TARGETS}: which Engram figure, which peer figure, and the ratio Engram promises.
 *
 * <p>Ratios are Engram / peer in the row's unit. For times (ns/op, ms) lower is better, so a target
 * is an upper bound; for counts (objects that fit) it is a lower bound. A row whose Engram benchmark
 * does not exist yet is "pending" and shows the peer's figure alone; one whose benchmark exists but
 * was not run this time (bench/run --only) is "not run". No figure is ever filled in by hand.
 *
 * <p>usage: {@code java -cp benchmarks.jar dev.engram.bench.report.ReportWriter --results DIR
 * --out RESULTS.md --command "bench/run ..." [--date ISO]}
 */
public final class ReportWriter {

    enum Direction {
        AT_MOST("<="), AT_LEAST(">=");

        final String symbol;

        Direction(String symbol) {
            this.symbol = symbol;
        }
    }

    /** Where a figure comes from. */
    sealed interface Source permits JmhSource, PmdkSource {
    }

    /** A JMH benchmark ({@code SimpleClass.method}), its parameters and thread count. */
    record JmhSource(String benchmark, Map<String, String> params, int threads) implements Source {
        static JmhSource of(String benchmark, String... keyValues) {
            Map<String, String> p = new LinkedHashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                p.put(keyValues[i], keyValues[i + 1]);
            }
            return new JmhSource(benchmark, p, 1);
        }

        JmhSource threads(int n) {
            return new JmhSource(benchmark, params, n);
        }
    }

    /** A line of the PMDK harness. */
    record PmdkSource(String workload, int threads, String mode) implements Source {
    }

    /**
     * One tracked comparison. {@code target} null means informational (e.g. the distance to the
     * physical limit, which no implementation can reach).
     */
    record Target(String group, String workload, Source engram, Source peer, String peerName,
                  Double target, Direction direction, String mode) {
    }

    enum Status { MEASURED, PENDING, NOT_RUN }

    record Row(Target target, Figure engram, Figure peer, Double ratio, Boolean holds, Status status) {
    }

    static final String FORCED = "forced-pmem";
    static final String PAGE_CACHE = "page-cache";
    static final List<String> SIZES = List.of("64", "256", "4096", "1048576");
    static final String PMDK = "PMDK 1.12";

    static final String G_WRITEBACK = "Write-back paths vs plain copy (forced pmem, tmpfs)";
    static final String G_POOL = "Pool foundation vs PMDK and vs itself";
    static final String G_HEAP = "Allocator, transactions, collections vs PMDK";

    /**
     * The one table of targets. Targets are the project's own goals for issue #3 onwards, not
     * published figures: within 1.5x of libpmemobj for whole operations, checks within 10%, page-cache
     * drains independent of pool size (DESIGN.md §2.1). Engram benchmark names for the heap rows are
     * the names the allocator and tx suites are expected to use; change them here when they land.
     */
    static final List<Target> TARGETS = buildTargets();

    private static List<Target> buildTargets() {
        List<Target> t = new ArrayList<>();
        for (String size : SIZES) {
            for (WriteBackPath path : WriteBackPath.values()) {
                t.add(new Target(G_WRITEBACK, "writeback_" + path.name().toLowerCase() + "_" + size,
                        JmhSource.of("WriteBackBenchmark.persist", "path", path.name(), "size", size),
                        JmhSource.of("WriteBackBenchmark.memcpy", "size", size),
                        "memcpy into the same mapping (Java)", null, Direction.AT_MOST, FORCED));
            }
        }
        for (String size : SIZES) {
            t.add(new Target(G_POOL, "persist_" + size,
                    JmhSource.of("WriteBackBenchmark.persist", "path", WriteBackPath.DEFAULT.name(), "size", size),
                    new PmdkSource("persist_" + size, 1, FORCED), PMDK + " pmem_memcpy_persist",
                    1.5, Direction.AT_MOST, FORCED));
        }
        t.add(new Target(G_POOL, "pagecache_persist_64",
                JmhSource.of("PageCacheDrainBenchmark.writeDrain", "poolSize", "16777216"),
                new PmdkSource("persist_64", 1, PAGE_CACHE), PMDK + " memcpy + pmem_msync",
                1.2, Direction.AT_MOST, PAGE_CACHE));
        t.add(new Target(G_POOL, "pagecache_drain_4g_vs_16m",
                JmhSource.of("PageCacheDrainBenchmark.writeDrain", "poolSize", "4294967296"),
                JmhSource.of("PageCacheDrainBenchmark.writeDrain", "poolSize", "16777216"),
                "Engram, 16 MiB pool", 1.2, Direction.AT_MOST, PAGE_CACHE));
        for (String[] op : new String[][] {{"get", "GetLong"}, {"put", "PutLong"}}) {
            t.add(new Target(G_POOL, "accessor_" + op[0] + "_64m",
                    JmhSource.of("AccessorBenchmark.checked" + op[1], "span", "67108864"),
                    JmhSource.of("AccessorBenchmark.raw" + op[1], "span", "67108864"),
                    "raw MemorySegment access", 1.1, Direction.AT_MOST, FORCED));
            t.add(new Target(G_POOL, "accessor_" + op[0] + "_16k",
                    JmhSource.of("AccessorBenchmark.checked" + op[1], "span", "16384"),
                    JmhSource.of("AccessorBenchmark.raw" + op[1], "span", "16384"),
                    "raw MemorySegment access", null, Direction.AT_MOST, FORCED));
        }
        for (String size : SIZES) {
            for (int threads : new int[] {1, 2}) {
                t.add(new Target(G_HEAP, "alloc_free_" + size + "_" + threads + "t",
                        JmhSource.of("AllocFreeBenchmark.allocFree", "size", size).threads(threads),
                        new PmdkSource("alloc_free_" + size, threads, FORCED), PMDK + " pmemobj_alloc + pmemobj_free",
                        1.5, Direction.AT_MOST, FORCED));
            }
        }
        t.add(heap("tx_small", "TxBenchmark.small", "one 64 B TX_ADD_RANGE + write + commit"));
        t.add(heap("tx_8range", "TxBenchmark.eightRanges", "eight 64 B ranges in one transaction"));
        t.add(heap("tx_alloc_64", "TxBenchmark.alloc64", "pmemobj_tx_alloc(64) in a transaction"));
        t.add(new Target(G_HEAP, "fill_64", JmhSource.of("FillBenchmark.fill64"),
                new PmdkSource("fill_64", 1, FORCED), PMDK + " 64 B objects in a 1 GiB pool",
                0.9, Direction.AT_LEAST, FORCED));
        t.add(heap("open_1g_1m", "OpenBenchmark.open1g1m", "pmemobj_open, 1 GiB pool, 1M objects"));
        t.add(heap("hashmap_put", "HashMapBenchmark.put", "chained hash map, one tx per put"));
        return List.copyOf(t);
    }

    private static Target heap(String workload, String benchmark, String what) {
        return new Target(G_HEAP, workload, JmhSource.of(benchmark), new PmdkSource(workload, 1, FORCED),
                PMDK + " " + what, 1.5, Direction.AT_MOST, FORCED);
    }

    // ---- evaluation ---------------------------------------------------------------------------

    /**
     * Computes every row. {@code knownBenchmarks} ({@code SimpleClass.method}) tells a benchmark not
     * yet written (pending) from one this run skipped (not run).
     */
    static List<Row> evaluate(Results results, Set<String> knownBenchmarks) {
        List<Row> rows = new ArrayList<>();
        for (Target t : TARGETS) {
            Figure engram = find(results, t.engram()).orElse(null);
            Figure peer = find(results, t.peer()).orElse(null);
            if (engram == null || peer == null) {
                boolean written = !(t.engram() instanceof JmhSource j) || knownBenchmarks.contains(j.benchmark());
                rows.add(new Row(t, engram, peer, null, null, written ? Status.NOT_RUN : Status.PENDING));
                continue;
            }
            if (!engram.unit().equals(peer.unit())) {
                throw new IllegalStateException(t.workload() + ": Engram figure in " + engram.unit()
                        + " but peer figure in " + peer.unit());
            }
            double ratio = engram.value() / peer.value();
            Boolean holds = t.target() == null ? null
                    : t.direction() == Direction.AT_MOST ? ratio <= t.target() : ratio >= t.target();
            rows.add(new Row(t, engram, peer, ratio, holds, Status.MEASURED));
        }
        return rows;
    }

    static Optional<Figure> find(Results r, Source s) {
        return switch (s) {
            case JmhSource j -> r.jmh.stream()
                    .filter(x -> x.benchmark().equals(j.benchmark()) && x.threads() == j.threads()
                            && x.params().entrySet().containsAll(j.params().entrySet()))
                    .map(Results.Jmh::figure).findFirst();
            case PmdkSource p -> r.pmdk.stream()
                    .filter(x -> x.workload().equals(p.workload()) && x.threads() == p.threads() && x.mode().equals(p.mode()))
                    .map(Results.Pmdk::figure).findFirst();
        };
    }

    /** The fastest CPU write-back path at each size, or "tie" when the errors overlap. */
    static Map<String, String> writeBackWinners(Results r) {
        Map<String, String> winners = new LinkedHashMap<>();
        for (String size : SIZES) {
            Figure best = null;
            String bestName = null;
            Figure second = null;
            for (WriteBackPath p : List.of(WriteBackPath.UNSAFE_WRITEBACK, WriteBackPath.LIBPMEM)) {
                Figure f = find(r, JmhSource.of("WriteBackBenchmark.persist", "path", p.name(), "size", size)).orElse(null);
                if (f == null) {
                    continue;
                }
                if (best == null || f.value() < best.value()) {
                    second = best;
                    best = f;
                    bestName = p.name();
                } else {
                    second = f;
                }
            }
            if (best == null) {
                continue;
            }
            boolean overlap = second != null && best.value() + best.error() >= second.value() - second.error();
            winners.put(size, overlap ? "tie (" + bestName + " ahead within the error)" : bestName);
        }
        return winners;
    }

    // ---- summary.json -------------------------------------------------------------------------

    static List<Map<String, Object>> summary(List<Row> rows, String date) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row row : rows) {
            Target t = row.target();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", t.workload());
            m.put("unit", row.engram() != null ? row.engram().unit() : row.peer() != null ? row.peer().unit() : null);
            m.put("engram", row.engram() == null ? null : row.engram().value());
            m.put("peer", row.peer() == null ? null : row.peer().value());
            m.put("peerName", t.peerName());
            m.put("ratio", row.ratio());
            m.put("target", t.target() == null ? null : t.direction().symbol + t.target());
            m.put("holds", row.holds());
            m.put("mode", t.mode());
            m.put("date", date);
            out.add(m);
        }
        return out;
    }

    // ---- main ---------------------------------------------------------------------------------

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        Path resultsDir = Path.of(opts.getOrDefault("--results", "bench/results"));
        Path out = Path.of(opts.getOrDefault("--out", "bench/RESULTS.md"));
        String command = opts.getOrDefault("--command", "(not given)");
        String date = opts.getOrDefault("--date",
                ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));

        Results results = Results.load(resultsDir);
        List<Row> rows = evaluate(results, benchmarksInClassPath());
        Files.writeString(resultsDir.resolve("summary.json"), Json.write(summary(rows, date)));
        List<String> charts = Charts.render(rows, resultsDir);
        Path relative = out.toAbsolutePath().getParent().relativize(resultsDir.toAbsolutePath());
        // Why a target is missed is a judgement, not a figure: it lives in a hand-written file beside the
        // results and is copied in as is.
        Path analysisFile = resultsDir.resolve("analysis.md");
        String analysis = Files.exists(analysisFile) ? Files.readString(analysisFile) : "";
        String md = Markdown.render(rows, writeBackWinners(results), Machine.describe(), command, date,
                charts.stream().map(c -> relative.resolve(c).toString()).toList(), analysis);
        Files.writeString(out, md);
        long held = rows.stream().filter(r -> Boolean.TRUE.equals(r.holds())).count();
        long missed = rows.stream().filter(r -> Boolean.FALSE.equals(r.holds())).count();
        long pending = rows.stream().filter(r -> r.status() == Status.PENDING).count();
        System.out.printf("wrote %s and %s: %d targets hold, %d missed, %d pending%n",
                out, resultsDir.resolve("summary.json"), held, missed, pending);
    }

    /** {@code SimpleClass.method} of every benchmark compiled into this jar (JMH's BenchmarkList). */
    static Set<String> benchmarksInClassPath() {
        Set<String> names = new HashSet<>();
        try (InputStream in = ReportWriter.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            if (in == null) {
                return names;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                // JMH 1.37's line: "JMH S <len> <class> S <len> <generated class> S <len> <method> ...".
                String[] f = line.trim().split("\\s+");
                if (f.length >= 10 && f[0].equals("JMH")) {
                    names.add(f[3].substring(f[3].lastIndexOf('.') + 1) + "." + f[9]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private ReportWriter() {
    }
}
