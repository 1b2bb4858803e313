package dev.engram.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligned columns for human output: text columns left-aligned, numeric ones right-aligned, two
 * spaces between columns.
 */
final class Table {
    private final String[] headers;
    private final boolean[] numeric;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = headers;
        this.numeric = new boolean[headers.length];
    }

    /** Marks columns (0-based) as numeric: right-aligned. */
    Table numeric(int... columns) {
        for (int c : columns) {
            numeric[c] = true;
        }
        return this;
    }

    Table row(Object... cells) {
        String[] r = new String[headers.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length ? String.valueOf(cells[i]) : "";
        }
        rows.add(r);
        return this;
    }

    String render() {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width);
        for (String[] r : rows) {
            line(sb, r, width);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, String[] cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                l.append("  ");
            }
            String pad = " ".repeat(width[i] - cells[i].length());
            l.append(numeric[i] ? pad + cells[i] : cells[i] + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    /** "key: value" lines with the values aligned. */
    static String keyValues(List<String[]> pairs) {
        int w = 0;
        for (String[] p : pairs) {
            w = Math.max(w, p[0].length());
        }
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            sb.append(p[0]).append(':').append(" ".repeat(w - p[0].length() + 1)).append(p[1]).append('\n');
        }
        return sb.toString();
    }
}
