package dev.engram.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of a long campaign, written as JSON for the benchmark report (issue #9: kills
 * survived, transactions verified, fuzz inputs executed, distinct failures found and fixed). A
 * campaign writes its record only when a system property names the file: the {@code -Ptorture} and
 * {@code -Pfuzz-long} profiles set {@code engram.torture.out} and {@code engram.fuzz.out} to
 * {@code bench/results/reliability-*.json}; CI runs leave them unset and write nothing.
 *
 * <p>Values are maps (in insertion order), lists, strings, numbers, booleans and null; the output is
 * indented, one field a line, so a rerun shows as a readable diff.
 */
final class CampaignRecord {
    private CampaignRecord() {
    }

    /** The file the property names, or null when the property is unset or blank. */
    static Path target(String property) {
        String value = System.getProperty(property);
        return value == null || value.isBlank() ? null : Path.of(value.strip()).toAbsolutePath().normalize();
    }

    /** Writes {@code record} to the file {@code property} names; returns the file, or null when none is named. */
    static Path writeIfRequested(String property, Map<String, ?> record) {
        Path file = target(property);
        if (file == null) {
            return null;
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(file, json(record) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the campaign record " + file + " (named by -D" + property
                    + "): check that its directory is writable", e);
        }
        System.out.println("campaign record written to " + file);
        return file;
    }

    /** The current time in UTC, to the second, ISO 8601 (the report's date format). */
    static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    static String json(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, String indent) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%s", d));
            case Float f -> write(sb, f.doubleValue(), indent);
            case Number n -> sb.append(n.longValue());
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                String inner = indent + "  ";
                sb.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(inner);
                    quote(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    write(sb, e.getValue(), inner);
                    sb.append(++i < m.size() ? ",\n" : "\n");
                }
                sb.append(indent).append('}');
            }
            case List<?> l -> {
                if (l.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                String inner = indent + "  ";
                sb.append("[\n");
                for (int i = 0; i < l.size(); i++) {
                    sb.append(inner);
                    write(sb, l.get(i), inner);
                    sb.append(i + 1 < l.size() ? ",\n" : "\n");
                }
                sb.append(indent).append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
