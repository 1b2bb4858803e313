package dev.engram.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** What the figures were measured on: without it a ratio cannot be compared with a later run. */
final class Machine {
    private static final List<String> FLUSH_FLAGS = List.of("clflush", "clflushopt", "clwb");

    private Machine() {
    }

    static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        String cpu = "unknown";
        TreeSet<String> flush = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && cpu.equals("unknown")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.startsWith("flags")) {
                    for (String f : line.substring(line.indexOf(':') + 1).trim().split(" ")) {
                        if (FLUSH_FLAGS.contains(f)) {
                            flush.add(f);
                        }
                    }
                }
            }
        } catch (IOException e) {
            cpu = "unknown (/proc/cpuinfo: " + e.getMessage() + ")";
        }
        m.put("CPU", cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        m.put("Flush instructions", flush.isEmpty() ? "none" : String.join(", ", flush));
        m.put("Memory", String.format("%.1f GiB", totalMemoryGiB()));
        m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("JDK", System.getProperty("java.vm.name") + " " + Runtime.version());
        return m;
    }

    private static double totalMemoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / (1024.0 * 1024.0);
                }
            }
        } catch (IOException ignored) {
            // reported as 0 below; the rest of the report is still useful
        }
        return 0;
    }
}
