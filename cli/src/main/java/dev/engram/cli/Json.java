package dev.engram.cli;

import java.util.List;
import java.util.Map;

/**
 * Writes the CLI's {@code --json} documents: maps (in insertion order, so field order is stable),
 * lists, strings, numbers, booleans and null. Non-finite doubles are written as null.
 */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> string(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(Double.isFinite(d) ? Double.toString(round(d)) : "null");
            case Float f -> write(sb, f.doubleValue(), depth);
            case Number n -> sb.append(n.longValue());
            case Map<?, ?> m -> object(sb, m, depth);
            case List<?> l -> array(sb, l, depth);
            default -> string(sb, v.toString());
        }
    }

    /** Six significant decimals are plenty for fractions and keep the output diffable. */
    private static double round(double d) {
        return Math.round(d * 1e6) / 1e6;
    }

    private static void object(StringBuilder sb, Map<?, ?> m, int depth) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            sb.append(first ? "\n" : ",\n");
            first = false;
            indent(sb, depth + 1);
            string(sb, String.valueOf(e.getKey()));
            sb.append(": ");
            write(sb, e.getValue(), depth + 1);
        }
        sb.append('\n');
        indent(sb, depth);
        sb.append('}');
    }

    private static void array(StringBuilder sb, List<?> l, int depth) {
        if (l.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        boolean first = true;
        for (Object o : l) {
            sb.append(first ? "\n" : ",\n");
            first = false;
            indent(sb, depth + 1);
            write(sb, o, depth + 1);
        }
        sb.append('\n');
        indent(sb, depth);
        sb.append(']');
    }

    private static void indent(StringBuilder sb, int depth) {
        sb.append("  ".repeat(depth));
    }

    private static void string(StringBuilder sb, String s) {
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
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
