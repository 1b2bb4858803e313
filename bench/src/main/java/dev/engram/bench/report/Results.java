package dev.engram.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every figure one run produced: all {@code jmh-*.json} files and {@code pmdk.json} (one JSON object
 * per line) in the results directory.
 */
final class Results {
    /** One JMH benchmark result; {@code benchmark} is {@code SimpleClass.method}. */
    record Jmh(String benchmark, Map<String, String> params, int threads, Figure figure) {
    }

    /** One PMDK harness line. */
    record Pmdk(String workload, int threads, String mode, Figure figure) {
    }

    final List<Jmh> jmh = new ArrayList<>();
    final List<Pmdk> pmdk = new ArrayList<>();
    /** Engram figures JMH does not produce (counts, cold opens), in the harness's line format. */
    final List<Pmdk> engram = new ArrayList<>();

    static Results load(Path dir) {
        Results r = new Results();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("jmh-") && name.endsWith(".json")) {
                    r.addJmh(Files.readString(f));
                } else if (name.equals("pmdk.json")) {
                    r.addLines(Files.readString(f), r.pmdk);
                } else if (name.equals("engram.json")) {
                    r.addLines(Files.readString(f), r.engram);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read results in " + dir, e);
        }
        return r;
    }

    void addJmh(String json) {
        for (Object o : Json.array(Json.parse(json))) {
            Map<String, Object> b = Json.object(o);
            String full = (String) b.get("benchmark");
            // Keep Class.method: the package says who wrote it, not what it measures.
            String[] parts = full.split("\\.");
            String name = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : full;
            Map<String, String> params = new java.util.TreeMap<>();
            Object p = b.get("params");
            if (p != null) {
                Json.object(p).forEach((k, v) -> params.put(k, String.valueOf(v)));
            }
            Map<String, Object> metric = Json.object(b.get("primaryMetric"));
            Figure f = Figure.of(Json.number(metric.get("score")), Json.number(metric.get("scoreError")),
                    (String) metric.get("scoreUnit"));
            int threads = b.get("threads") == null ? 1 : (int) Json.number(b.get("threads"));
            jmh.add(new Jmh(name, Map.copyOf(params), threads, f));
            // Secondary metrics (JMH aux counters such as images checked) as "Class.method:metric".
            Object secondary = b.get("secondaryMetrics");
            if (secondary != null) {
                for (Map.Entry<String, Object> e : Json.object(secondary).entrySet()) {
                    Map<String, Object> m = Json.object(e.getValue());
                    String unit = (String) m.get("scoreUnit");
                    if (unit == null || unit.startsWith("#") || unit.contains("B/")) {
                        continue; // profiler outputs in units the report does not compare
                    }
                    try {
                        jmh.add(new Jmh(name + ":" + e.getKey(), Map.copyOf(params), threads,
                                Figure.of(Json.number(m.get("score")), Json.number(m.get("scoreError")), unit)));
                    } catch (IllegalArgumentException unknownUnit) {
                        // a profiler's metric: not one the report compares
                    }
                }
            }
        }
    }

    void addPmdk(String lines) {
        addLines(lines, pmdk);
    }

    void addLines(String lines, List<Pmdk> into) {
        for (String line : lines.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> m = Json.object(Json.parse(line));
            into.add(new Pmdk((String) m.get("workload"), (int) Json.number(m.get("threads")), (String) m.get("mode"),
                    Figure.of(Json.number(m.get("value")), Json.number(m.get("error")), (String) m.get("unit"))));
        }
    }
}
