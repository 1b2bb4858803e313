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
    sealed interface Source permits JmhSource, PmdkSource, EngramLine, Constant, BestOf {
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

    /** A line of Engram's own non-JMH figures ({@code dev.engram.bench.Counts}, results/engram.json). */
    record EngramLine(String workload, String mode) implements Source {
    }

    /** A fixed figure an issue names (e.g. "10,000 images/s"), compared like a peer. */
    record Constant(double value, String unit) implements Source {
    }

    /** One of several figures a {@link BestOf} chooses between, with the name the report gives it. */
    record Candidate(String name, Source source) {
    }

    /**
     * The best of several peers' figures, chosen from this run's results (never named in advance): the
     * lowest value, as every time the report compares is lower-is-better. Candidates without a figure
     * are left out; the row names the one chosen.
     */
    record BestOf(List<Candidate> candidates) implements Source {
        BestOf {
            candidates = List.copyOf(candidates);
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException("BestOf needs at least one candidate");
            }
        }
    }

    /** A figure and, for a {@link BestOf}, which candidate it came from (null otherwise). */
    record Found(Figure figure, String chosen) {
    }

    /**
     * One tracked comparison. {@code target} null means informational (e.g. the distance to the
     * physical limit, which no implementation can reach).
     */
    record Target(String group, String workload, Source engram, Source peer, String peerName,
                  Double target, Direction direction, String mode) {
    }

    enum Status { MEASURED, PENDING, NOT_RUN }

    /**
     * One evaluated target. {@code peerName} is the target's, prefixed with the chosen candidate's
     * name when the peer is a {@link BestOf}.
     */
    record Row(Target target, Figure engram, Figure peer, String peerName, Double ratio, Boolean holds, Status status) {
    }

    static final String FORCED = "forced-pmem";
    static final String PAGE_CACHE = "page-cache";
    static final List<String> SIZES = List.of("64", "256", "4096", "1048576");
    static final String PMDK = "PMDK 1.12";

    /**
     * A Java durable peer of issue #7 as the report names it: product and version (bench/pom.xml), how
     * its puts are made durable, how its gets and scans read ({@code dev.engram.bench.collections.JavaPeers};
     * {@code scan} null for an unordered map), and whether a put syncs at all. All run on tmpfs, the
     * file system of Engram's forced-pmem pools, where a sync has no device to wait for.
     */
    record JavaPeer(String id, String product, String put, String get, String scan, boolean syncs,
                    String putBenchmark, String getBenchmark) {
        String putName() {
            return product + ": " + put + ", tmpfs";
        }

        String getName() {
            return product + ": " + get + "; loaded 1000 puts per commit, tmpfs";
        }

        String scanName() {
            return product + ": " + scan + "; loaded 1000 puts per commit, tmpfs";
        }
    }

    static final List<JavaPeer> JAVA_PEERS = List.of(
            new JavaPeer("lmdb", "lmdbjava 0.9.3 (LMDB 0.9.33)",
                    "write txn committed per put, default sync (fdatasync)",
                    "read txn renew/reset per get", "cursor from MDB_SET_RANGE", true,
                    "JavaPeersBenchmark.put", "JavaPeersReadBenchmark.get"),
            new JavaPeer("mapdb", "MapDB 3.1.0",
                    "mmap fileDB + transactionEnable, commit per put (WAL synced)",
                    "HTreeMap.get", "BTreeMap tailMap iterator", true,
                    "JavaPeersBenchmark.put", "JavaPeersReadBenchmark.get"),
            new JavaPeer("mvstore", "H2 MVStore 2.4.240",
                    "autoCommit off, commit() + sync() per put",
                    "MVMap.get", "MVMap cursor", true,
                    "JavaPeersBenchmark.put", "JavaPeersReadBenchmark.get"),
            new JavaPeer("chronicle", "Chronicle Map 2026.1",
                    "persistedTo file, never syncs (page cache only: survives a process crash, not a power loss)",
                    "get", null, false,
                    "JavaPeersChronicleBenchmark.put", "JavaPeersChronicleReadBenchmark.get"));

    static final String G_WRITEBACK = "Write-back paths vs plain copy (forced pmem, tmpfs)";
    static final String G_POOL = "Pool foundation vs PMDK and vs itself";
    static final String G_CRASH = "Crash harness";
    static final String G_HEAP = "Allocator vs PMDK";
    static final String G_TX = "Transactions vs PMDK";
    static final String G_COLLECTIONS = "Collections vs PMDK and Java peers";
    static final String G_CLI = "CLI vs pmempool";

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
        // Issue #3 names no ratio against PMDK for persist or the accessors: these rows inform.
        for (String size : SIZES) {
            t.add(new Target(G_POOL, "persist_" + size,
                    JmhSource.of("WriteBackBenchmark.persist", "path", WriteBackPath.DEFAULT.name(), "size", size),
                    new PmdkSource("persist_" + size, 1, FORCED), PMDK + " pmem_memcpy_persist",
                    null, Direction.AT_MOST, FORCED));
        }
        t.add(new Target(G_POOL, "pagecache_persist_64",
                JmhSource.of("PageCacheDrainBenchmark.writeDrain", "poolSize", "16777216"),
                new PmdkSource("persist_64", 1, PAGE_CACHE), PMDK + " memcpy + pmem_msync",
                null, Direction.AT_MOST, PAGE_CACHE));
        t.add(new Target(G_POOL, "pagecache_drain_4g_vs_16m",
                JmhSource.of("PageCacheDrainBenchmark.writeDrain", "poolSize", "4294967296"),
                JmhSource.of("PageCacheDrainBenchmark.writeDrain", "poolSize", "16777216"),
                "Engram, 16 MiB pool (#3: <= 1.2)", 1.2, Direction.AT_MOST, PAGE_CACHE));
        for (String[] op : new String[][] {{"get", "GetLong"}, {"put", "PutLong"}}) {
            for (String[] span : new String[][] {{"64m", "67108864"}, {"16k", "16384"}}) {
                t.add(new Target(G_POOL, "accessor_" + op[0] + "_" + span[0],
                        JmhSource.of("AccessorBenchmark.checked" + op[1], "span", span[1]),
                        JmhSource.of("AccessorBenchmark.raw" + op[1], "span", span[1]),
                        "raw MemorySegment access", null, Direction.AT_MOST, FORCED));
            }
        }

        // Issue #4: distinct crash images checked per second and checker calls per distinct image.
        t.add(new Target(G_CRASH, "crash_images_per_s",
                JmhSource.of("CrashImagesBenchmark.exploreAll:images", "unflushedScratch", "true"),
                new Constant(10_000, "ops/s"), "#4 target: 10,000 images/s", 1.0, Direction.AT_MOST, FORCED));
        t.add(new Target(G_CRASH, "checker_calls_per_image",
                JmhSource.of("CrashImagesBenchmark.exploreAll:images", "unflushedScratch", "true"),
                JmhSource.of("CrashImagesBenchmark.exploreAll:checkerCalls", "unflushedScratch", "true"),
                "checker calls (#4: exactly 1.0 per image)", 1.0, Direction.AT_MOST, FORCED));

        // Issue #5. All times per operation: ">= k x ops/s" is a ratio <= 1/k.
        for (String size : SIZES) {
            for (int threads : new int[] {1, 2}) {
                boolean target = size.equals("64") && threads == 1;
                t.add(new Target(G_HEAP, "alloc_free_" + size + "_" + threads + "t",
                        JmhSource.of(threads == 1 ? "AllocFreeBenchmark.allocFree1Thread" : "AllocFreeBenchmark.allocFree2Threads",
                                "size", size).threads(threads),
                        new PmdkSource("alloc_free_" + size, threads, FORCED),
                        PMDK + " pmemobj_alloc + pmemobj_free" + (target ? " (#5: >= 3x ops/s)" : ""),
                        target ? 1 / 3.0 : null, Direction.AT_MOST, FORCED));
            }
        }
        t.add(new Target(G_HEAP, "alloc_free_64_scaling",
                JmhSource.of("AllocFreeBenchmark.allocFree2Threads", "size", "64").threads(2),
                JmhSource.of("AllocFreeBenchmark.allocFree1Thread", "size", "64"),
                "Engram, 1 thread (#5: 2 threads >= 1.8x ops/s)", 1 / 1.8, Direction.AT_MOST, FORCED));
        t.add(new Target(G_HEAP, "alloc_free_64_scaling_pmdk", new PmdkSource("alloc_free_64", 2, FORCED),
                new PmdkSource("alloc_free_64", 1, FORCED), PMDK + " 1 thread (the peer's own 2-thread scaling)",
                null, Direction.AT_MOST, FORCED));
        t.add(new Target(G_HEAP, "fill_64", new EngramLine("fill_64", FORCED),
                new PmdkSource("fill_64", 1, FORCED), PMDK + " 64 B objects in 1 GiB (#5: >= 1.5x)",
                1.5, Direction.AT_LEAST, FORCED));
        t.add(new Target(G_HEAP, "metadata_1g_full", new EngramLine("metadata_1g_full", FORCED),
                new Constant(1.0, "%"), "#5 target: metadata <= 1% of a 1 GiB heap full of 64 B objects",
                1.0, Direction.AT_MOST, FORCED));
        t.add(new Target(G_HEAP, "open_1g_1m", new EngramLine("open_1g_1m", FORCED),
                new PmdkSource("open_1g_1m", 1, FORCED), PMDK + " pmemobj_open, 1 GiB, 1M objects (#5: <= 0.5x)",
                0.5, Direction.AT_MOST, FORCED));
        t.add(new Target(G_HEAP, "open_1g_1m_first_in_jvm", new EngramLine("open_1g_1m_first_in_jvm", FORCED),
                new PmdkSource("open_1g_1m", 1, FORCED), PMDK + " pmemobj_open (Engram: first open, class loading included)",
                null, Direction.AT_MOST, FORCED));

        // Issue #6.
        t.add(new Target(G_TX, "tx_small", JmhSource.of("TxBenchmark.smallTx", "mode", "FORCE_PMEM"),
                new PmdkSource("tx_small", 1, FORCED), PMDK + " one 64 B TX_ADD_RANGE + write (#6: >= 2x ops/s)",
                0.5, Direction.AT_MOST, FORCED));
        t.add(new Target(G_TX, "tx_small_pagecache", JmhSource.of("TxBenchmark.smallTx", "mode", "PAGE_CACHE"),
                new PmdkSource("tx_small", 1, PAGE_CACHE), PMDK + " tx_small, PMEM_IS_PMEM_FORCE=0 (#6: >= 2x ops/s)",
                0.5, Direction.AT_MOST, PAGE_CACHE));
        t.add(new Target(G_TX, "tx_small_scaling",
                JmhSource.of("TxBenchmark.smallTx2Threads", "mode", "FORCE_PMEM").threads(2),
                JmhSource.of("TxBenchmark.smallTx", "mode", "FORCE_PMEM"),
                "Engram, 1 thread (#6: 2 threads >= 1.8x ops/s)", 1 / 1.8, Direction.AT_MOST, FORCED));
        t.add(new Target(G_TX, "fence_scaling",
                JmhSource.of("FenceScalingBenchmark.persistLine2Threads").threads(2),
                JmhSource.of("FenceScalingBenchmark.persistLine1Thread"),
                "1 thread: store + write-back + fence of one line, nothing shared (hardware control for the scaling rows)",
                null, Direction.AT_MOST, FORCED));
        t.add(new Target(G_TX, "tx_8range", JmhSource.of("TxBenchmark.eightRangeTx", "mode", "FORCE_PMEM"),
                new PmdkSource("tx_8range", 1, FORCED), PMDK + " eight 64 B ranges in one transaction",
                null, Direction.AT_MOST, FORCED));
        t.add(new Target(G_TX, "tx_alloc_64", JmhSource.of("TxBenchmark.allocTx", "mode", "FORCE_PMEM"),
                new PmdkSource("tx_alloc_64", 1, FORCED), PMDK + " pmemobj_tx_alloc(64), frees outside the clock",
                null, Direction.AT_MOST, FORCED));

        // Issue #7.
        JmhSource engramPut = JmhSource.of("CollectionsBenchmark.putHash", "impl", "engram-pmem", "batch", "1");
        JmhSource engramGet = JmhSource.of("CollectionsReadBenchmark.getHash", "impl", "engram-pmem");
        JmhSource engramScan = JmhSource.of("CollectionsReadBenchmark.scanSorted100", "impl", "engram-pmem");
        t.add(new Target(G_COLLECTIONS, "hashmap_put", engramPut,
                new PmdkSource("hashmap_put", 1, FORCED), PMDK + " chained hash map, one tx per put (#7: >= 2x ops/s)",
                0.5, Direction.AT_MOST, FORCED));
        // Only peers that sync are candidates: Chronicle Map's put is a store into the page cache.
        List<Candidate> durablePuts = JAVA_PEERS.stream().filter(JavaPeer::syncs)
                .map(p -> new Candidate(p.putName(), peerSource(p, p.putBenchmark()))).toList();
        t.add(new Target(G_COLLECTIONS, "hashmap_put_vs_best_java_peer", engramPut, new BestOf(durablePuts),
                "best of " + durablePuts.size() + " durable Java peers (#7: >= 3x ops/s)",
                1 / 3.0, Direction.AT_MOST, FORCED));
        for (JavaPeer p : JAVA_PEERS) {
            t.add(new Target(G_COLLECTIONS, "hashmap_put_vs_" + p.id(), engramPut, peerSource(p, p.putBenchmark()),
                    p.putName(), null, Direction.AT_MOST, FORCED));
        }
        t.add(new Target(G_COLLECTIONS, "hashmap_get_vs_java_util",
                JmhSource.of("CollectionsReadBenchmark.getHash", "impl", "engram-pmem"),
                JmhSource.of("CollectionsReadBenchmark.getHash", "impl", "java.util"),
                "java.util.HashMap (#7: get >= 0.5x ops/s)", 2.0, Direction.AT_MOST, FORCED));
        for (JavaPeer p : JAVA_PEERS) {
            t.add(new Target(G_COLLECTIONS, "hashmap_get_vs_" + p.id(), engramGet, peerSource(p, p.getBenchmark()),
                    p.getName(), null, Direction.AT_MOST, FORCED));
        }
        t.add(new Target(G_COLLECTIONS, "sortedmap_put_vs_java_util",
                JmhSource.of("CollectionsBenchmark.putSorted", "impl", "engram-pmem", "batch", "1"),
                JmhSource.of("CollectionsBenchmark.putSorted", "impl", "java.util", "batch", "1"),
                "java.util.TreeMap (volatile limit)", null, Direction.AT_MOST, FORCED));
        t.add(new Target(G_COLLECTIONS, "sortedmap_scan100_vs_java_util",
                JmhSource.of("CollectionsReadBenchmark.scanSorted100", "impl", "engram-pmem"),
                JmhSource.of("CollectionsReadBenchmark.scanSorted100", "impl", "java.util"),
                "java.util.TreeMap (volatile limit)", null, Direction.AT_MOST, FORCED));
        for (JavaPeer p : JAVA_PEERS) {
            if (p.scan() != null) {
                t.add(new Target(G_COLLECTIONS, "sortedmap_scan100_vs_" + p.id(), engramScan,
                        JmhSource.of("JavaPeersReadBenchmark.scan100", "peer", p.id()),
                        p.scanName(), null, Direction.AT_MOST, FORCED));
            }
        }

        // Issue #8: whole-process wall time, JVM start-up included (bench/cli/check-vs-pmempool.sh).
        t.add(new Target(G_CLI, "check_1g_1m", new EngramLine("check_1g_1m", FORCED),
                new PmdkSource("check_1g_1m", 1, FORCED), PMDK + " pmempool check (#8: <= 0.5x)",
                0.5, Direction.AT_MOST, FORCED));
        // Informational: the check's own work, JVM start-up excluded (Engram.execute in a warm JVM vs
        // libpmempool's pmempool_check(); pmempool checks only the header and shutdown state of an obj pool).
        t.add(new Target(G_CLI, "check_1g_1m_inprocess", new EngramLine("check_1g_1m_inprocess", FORCED),
                new PmdkSource("check_1g_1m_inprocess", 1, FORCED),
                PMDK + " pmempool_check() in process (header and shutdown state only)", null, Direction.AT_MOST, FORCED));
        return List.copyOf(t);
    }

    /** A peer's benchmark: the shared classes take the peer as a parameter, Chronicle's has its own. */
    private static JmhSource peerSource(JavaPeer p, String benchmark) {
        return benchmark.startsWith("JavaPeersChronicle") ? JmhSource.of(benchmark) : JmhSource.of(benchmark, "peer", p.id());
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
            Found found = resolve(results, t.peer()).orElse(null);
            Figure peer = found == null ? null : found.figure();
            String peerName = found == null || found.chosen() == null ? t.peerName() : found.chosen() + " — " + t.peerName();
            if (engram == null || peer == null) {
                boolean written = !(t.engram() instanceof JmhSource j)
                        || knownBenchmarks.contains(j.benchmark().split(":")[0]);
                rows.add(new Row(t, engram, peer, peerName, null, null, written ? Status.NOT_RUN : Status.PENDING));
                continue;
            }
            if (!engram.unit().equals(peer.unit())) {
                throw new IllegalStateException(t.workload() + ": Engram figure in " + engram.unit()
                        + " but peer figure in " + peer.unit());
            }
            double ratio = engram.value() / peer.value();
            Boolean holds = t.target() == null ? null
                    : t.direction() == Direction.AT_MOST ? ratio <= t.target() : ratio >= t.target();
            rows.add(new Row(t, engram, peer, peerName, ratio, holds, Status.MEASURED));
        }
        return rows;
    }

    /** A source's figure; for a {@link BestOf}, the lowest of its candidates' and which one that was. */
    static Optional<Found> resolve(Results r, Source s) {
        if (!(s instanceof BestOf best)) {
            return find(r, s).map(f -> new Found(f, null));
        }
        Found min = null;
        for (Candidate c : best.candidates()) {
            Found f = resolve(r, c.source()).orElse(null);
            if (f == null) {
                continue;
            }
            if (min != null && !f.figure().unit().equals(min.figure().unit())) {
                throw new IllegalStateException("best-of candidates in different units: " + min.chosen() + " in "
                        + min.figure().unit() + ", " + c.name() + " in " + f.figure().unit());
            }
            if (min == null || f.figure().value() < min.figure().value()) {
                min = new Found(f.figure(), c.name());
            }
        }
        return Optional.ofNullable(min);
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
            case EngramLine e -> r.engram.stream()
                    .filter(x -> x.workload().equals(e.workload()) && x.mode().equals(e.mode()))
                    .map(Results.Pmdk::figure).findFirst();
            case Constant c -> Optional.of(Figure.of(c.value(), 0, c.unit()));
            case BestOf b -> resolve(r, b).map(Found::figure);
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
            m.put("peerName", row.peerName());
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

    /**
     * Writes the report; options come in pairs: {@code --results DIR} (default {@code bench/results}),
     * {@code --out FILE} (default {@code bench/RESULTS.md}), {@code --command TEXT}, {@code --date ISO}.
     *
     * @param args the options
     * @throws IOException if a result file cannot be read or an output file cannot be written
     */
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
        ReliabilitySection reliability = ReliabilitySection.load(resultsDir); // issue #9: counts, not comparisons
        Files.writeString(resultsDir.resolve("summary.json"), Json.write(reliability.appendTo(summary(rows, date))));
        List<String> charts = Charts.render(rows, resultsDir);
        Path relative = out.toAbsolutePath().getParent().relativize(resultsDir.toAbsolutePath());
        // Why a target is missed is a judgement, not a figure: it lives in a hand-written file beside the
        // results and is copied in as is.
        Path analysisFile = resultsDir.resolve("analysis.md");
        String analysis = Files.exists(analysisFile) ? Files.readString(analysisFile) : "";
        String md = reliability.insertInto(Markdown.render(rows, writeBackWinners(results), Machine.describe(), command, date,
                charts.stream().map(c -> relative.resolve(c).toString()).toList(), analysis));
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
