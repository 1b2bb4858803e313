package dev.engram.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue #9's figures in the report: the long campaigns of the reliability module write
 * {@code results/reliability-torture.json} ({@code -Ptorture}), {@code reliability-fuzz.json}
 * ({@code -Pfuzz-long}) and {@code reliability-jazzer.json} ({@code -Pfuzz-jazzer}); this section
 * turns them into rows of RESULTS.md and of summary.json (same fields as the other rows).
 *
 * <p>The rows are not comparisons with a peer but counts checked against a rule: every kill survived
 * (a later check of the pool passed), every acknowledged transaction verified, no leaked block, no
 * open failure, every failure the campaigns found kept as a regression test. The "peer" column holds
 * the count the figure is checked against (kills attempted, transactions acknowledged, failures
 * found). A campaign whose record is missing shows "not run" in RESULTS.md and adds nothing to
 * summary.json: no figure is ever filled in by hand.
 */
final class ReliabilitySection {
    static final String TORTURE = "reliability-torture.json";
    static final String FUZZ = "reliability-fuzz.json";
    static final String JAZZER = "reliability-jazzer.json";
    static final String HEADING = "## Reliability (#9)";

    /**
     * One row. {@code engram} null: the campaign did not run. {@code holds} null: informational.
     */
    record Line(String workload, Double engram, Double peer, String peerName, String target, Boolean holds,
                String mode, String date, String campaign) {
    }

    /** A campaign record as read, with the file it came from. */
    record Campaign(String file, Map<String, Object> record) {
        String text(String field) {
            Object v = record.get(field);
            if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            return v == null ? "" : v.toString();
        }

        double number(String field) {
            Object v = record.get(field);
            if (v == null) {
                throw new IllegalArgumentException(file + ": field '" + field + "' missing; rerun the campaign");
            }
            return Json.number(v);
        }
    }

    private final Campaign torture;
    private final Campaign fuzz;
    private final Campaign jazzer;
    final List<Line> lines;

    private ReliabilitySection(Campaign torture, Campaign fuzz, Campaign jazzer) {
        this.torture = torture;
        this.fuzz = fuzz;
        this.jazzer = jazzer;
        this.lines = List.copyOf(lines());
    }

    /** Reads whichever campaign records the results directory holds. */
    static ReliabilitySection load(Path resultsDir) {
        return new ReliabilitySection(read(resultsDir, TORTURE), read(resultsDir, FUZZ), read(resultsDir, JAZZER));
    }

    static ReliabilitySection of(String tortureJson, String fuzzJson, String jazzerJson) {
        return new ReliabilitySection(parse(TORTURE, tortureJson), parse(FUZZ, fuzzJson), parse(JAZZER, jazzerJson));
    }

    private static Campaign read(Path dir, String name) {
        Path f = dir.resolve(name);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return parse(name, Files.readString(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    private static Campaign parse(String name, String json) {
        return json == null ? null : new Campaign(name, Json.object(Json.parse(json)));
    }

    private List<Line> lines() {
        List<Line> out = new ArrayList<>();
        if (torture == null) {
            for (String w : List.of("torture_kills_survived", "torture_tx_verified", "torture_leaked_blocks")) {
                out.add(new Line(w, null, null, "KillTortureTest (-Ptorture)", null, null, "page-cache + forced-pmem", null, TORTURE));
            }
        } else {
            String mode = modes(torture);
            String date = torture.text("date");
            boolean clean = torture.number("checkFailures") == 0;
            double attempted = torture.number("killsAttempted");
            double survived = torture.number("killsSurvived");
            out.add(new Line("torture_kills_survived", survived, attempted, "SIGKILLs sent (kills attempted)", "= all",
                    clean && attempted > 0 && survived == attempted, mode, date, TORTURE));
            double acked = torture.number("transactionsAcknowledged");
            double verified = torture.number("transactionsVerified");
            out.add(new Line("torture_tx_verified", verified, acked,
                    "transactions acknowledged (verified: all in the final pool, map = replay)", ">= acknowledged",
                    clean && acked > 0 && verified >= acked, mode, date, TORTURE));
            double leaks = torture.number("leaksFound");
            out.add(new Line("torture_leaked_blocks", leaks, null, "allocated blocks no collection reaches", "= 0",
                    leaks == 0, mode, date, TORTURE));
        }
        if (fuzz == null) {
            for (String w : List.of("fuzz_inputs_executed", "fuzz_distinct_failures_open", "reliability_failures_fixed")) {
                out.add(new Line(w, null, null, "PoolImageMutationFuzzTest (-Pfuzz-long)", null, null, "untrusted image", null, FUZZ));
            }
        } else {
            String date = fuzz.text("date");
            out.add(new Line("fuzz_inputs_executed", fuzz.number("inputsExecuted"), null,
                    String.format(Locale.ROOT, "seeded mutation fuzzer, %d targets x %.0f s", targets(fuzz),
                            fuzz.number("secondsPerTarget")), null, null, "untrusted image", date, FUZZ));
            double open = fuzz.number("distinctFailures");
            out.add(new Line("fuzz_distinct_failures_open", open, null, "distinct failures of this campaign", "= 0",
                    open == 0, "untrusted image", date, FUZZ));
            double fixed = regressionTests(fuzz).size();
            double found = fixed + open;
            out.add(new Line("reliability_failures_fixed", fixed, found,
                    "distinct failures the #9 campaigns found (fixed: kept as a passing regression test)", "= all",
                    fixed == found, "all campaigns", date, FUZZ));
        }
        if (jazzer == null) {
            for (String w : List.of("jazzer_inputs_executed", "jazzer_findings_open")) {
                out.add(new Line(w, null, null, "PoolImageJazzerFuzzTest (-Pfuzz-jazzer)", null, null, "untrusted image", null, JAZZER));
            }
        } else {
            String date = jazzer.text("date");
            out.add(new Line("jazzer_inputs_executed", jazzer.number("inputsExecuted"), null,
                    "Jazzer coverage-guided, " + jazzer.text("maxDuration"), null, null, "untrusted image", date, JAZZER));
            double findings = Json.array(jazzer.record().getOrDefault("findings", List.of())).size();
            out.add(new Line("jazzer_findings_open", findings, null, "crashes Jazzer found in this run", "= 0",
                    findings == 0, "untrusted image", date, JAZZER));
        }
        return out;
    }

    private static String modes(Campaign c) {
        List<String> names = new ArrayList<>();
        for (Object m : Json.array(c.record().getOrDefault("modes", List.of()))) {
            String mode = String.valueOf(Json.object(m).get("mode"));
            names.add(switch (mode) {
                case "PAGE_CACHE" -> ReportWriter.PAGE_CACHE;
                case "FORCE_PMEM" -> ReportWriter.FORCED;
                default -> mode.toLowerCase(Locale.ROOT);
            });
        }
        return String.join(" + ", names);
    }

    private static int targets(Campaign c) {
        return Json.array(c.record().getOrDefault("targets", List.of())).size();
    }

    private static List<Object> regressionTests(Campaign c) {
        return Json.array(c.record().getOrDefault("regressionTests", List.of()));
    }

    // ---- summary.json -------------------------------------------------------------------------

    /** The measured rows in summary.json's schema ({@code ReportWriter.summary}), appended to {@code summary}. */
    List<Map<String, Object>> appendTo(List<Map<String, Object>> summary) {
        List<Map<String, Object>> out = new ArrayList<>(summary);
        for (Line l : lines) {
            if (l.engram() == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", l.workload());
            m.put("unit", "count");
            m.put("engram", l.engram());
            m.put("peer", l.peer());
            m.put("peerName", l.peerName());
            m.put("ratio", l.peer() == null || l.peer() == 0 ? null : l.engram() / l.peer());
            m.put("target", l.target());
            m.put("holds", l.holds());
            m.put("mode", l.mode());
            m.put("date", l.date());
            out.add(m);
        }
        return out;
    }

    // ---- RESULTS.md ---------------------------------------------------------------------------

    /** The section, placed before the hand-written analysis (or the charts), else at the end. */
    String insertInto(String md) {
        String section = markdown();
        for (String next : List.of("## Analysis", "## Charts")) {
            int at = md.indexOf("\n" + next);
            if (at >= 0) {
                return md.substring(0, at + 1) + section + md.substring(at + 1);
            }
        }
        return md + (md.endsWith("\n\n") ? "" : "\n") + section;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADING).append("\n\n");
        sb.append("Counts from the long campaigns of the reliability module (`bench/results/reliability-*.json`), ");
        sb.append("checked against a rule rather than a peer; \"of\" is the count the figure is checked against.\n\n");
        sb.append("| workload | figure | of | of what | target | holds | mode | date |\n");
        sb.append("|---|---:|---:|---|---|---|---|---|\n");
        for (Line l : lines) {
            sb.append("| ").append(l.workload())
                    .append(" | ").append(l.engram() == null ? "not run" : count(l.engram()))
                    .append(" | ").append(l.peer() == null ? "—" : count(l.peer()))
                    .append(" | ").append(l.peerName())
                    .append(" | ").append(l.target() == null ? "—" : l.target())
                    .append(" | ").append(l.engram() == null ? "not run" : l.holds() == null ? "n/a" : l.holds() ? "yes" : "**no**")
                    .append(" | ").append(l.mode())
                    .append(" | ").append(l.date() == null ? "—" : l.date()).append(" |\n");
        }
        sb.append('\n');
        boolean any = false;
        for (Campaign c : new Campaign[] {torture, fuzz, jazzer}) {
            if (c != null) {
                sb.append(String.format(Locale.ROOT, "- `%s` (%s s, seed %s): `%s`\n", c.file(), count(c.number("seconds")),
                        c.text("seed").isEmpty() ? "—" : c.text("seed"), c.text("command")));
                any = true;
            }
        }
        if (any) {
            sb.append('\n');
        }
        if (fuzz != null && !regressionTests(fuzz).isEmpty()) {
            sb.append("Failures found by the #9 campaigns, each kept as a regression test and fixed:\n\n");
            sb.append("| found by | regression test | fixed in | what failed |\n|---|---|---|---|\n");
            for (Object o : regressionTests(fuzz)) {
                Map<String, Object> f = Json.object(o);
                sb.append("| ").append(f.get("foundBy")).append(" | `").append(f.get("test")).append("` | ")
                        .append(f.get("fixedIn")).append(" | ").append(f.get("summary")).append(" |\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
