package dev.engram.bench.report;

import dev.engram.bench.report.ReportWriter.Row;
import dev.engram.bench.report.ReportWriter.Status;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Horizontal bar charts of the ratios, one PNG per report group, drawn with Java2D so the report
 * needs no charting library. The axis is logarithmic: ratios here run from about 1 to over 100,
 * and 1.0 (parity) must stay visible; bars start there. Green: target holds; red: missed; grey: no target.
 */
final class Charts {
    private static final int WIDTH = 1000;
    private static final int BAR = 22;
    private static final int GAP = 8;
    private static final int LEFT = 260;
    private static final int RIGHT = 90;
    private static final int TOP = 50;
    private static final int BOTTOM = 50;
    private static final Color HOLDS = new Color(0x2e7d32);
    private static final Color MISSED = new Color(0xc62828);
    private static final Color INFO = new Color(0x78909c);

    private Charts() {
    }

    /** Writes one chart per group that has measured rows; returns the file names written. */
    static List<String> render(List<Row> rows, Path dir) {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.status() == Status.MEASURED) {
                groups.computeIfAbsent(r.target().group(), g -> new ArrayList<>()).add(r);
            }
        }
        List<String> written = new ArrayList<>();
        int n = 1;
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            String name = "chart-" + n++ + "-" + slug(g.getKey()) + ".png";
            try {
                ImageIO.write(draw(g.getKey(), g.getValue()), "png", dir.resolve(name).toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write chart " + name, e);
            }
            written.add(name);
        }
        return written;
    }

    static BufferedImage draw(String title, List<Row> rows) {
        int height = TOP + BOTTOM + rows.size() * (BAR + GAP);
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);

        double lo = 1;
        double hi = 1;
        for (Row r : rows) {
            lo = Math.min(lo, r.ratio());
            hi = Math.max(hi, r.ratio());
            if (r.target().target() != null) {
                hi = Math.max(hi, r.target().target());
                lo = Math.min(lo, r.target().target());
            }
        }
        // Whole decades (or halves of one) so the grid lines land on readable values.
        double minLog = Math.floor(Math.log10(lo) * 2) / 2;
        double maxLog = Math.ceil(Math.log10(hi) * 2) / 2;
        if (maxLog - minLog < 0.5) {
            maxLog = minLog + 0.5;
        }
        int plotW = WIDTH - LEFT - RIGHT;
        double fMin = minLog;
        double fSpan = maxLog - minLog;
        java.util.function.DoubleToIntFunction x = v -> LEFT + (int) Math.round((Math.log10(v) - fMin) / fSpan * plotW);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title + " — ratio Engram / peer (log scale)", 10, 25);

        // Grid: 1, 2, 5 per decade.
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotBottom = height - BOTTOM;
        for (int d = (int) Math.floor(minLog); d <= (int) Math.ceil(maxLog); d++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, d);
                if (Math.log10(v) < minLog - 1e-9 || Math.log10(v) > maxLog + 1e-9) {
                    continue;
                }
                int gx = x.applyAsInt(v);
                g.setColor(v == 1 ? Color.BLACK : new Color(0xdddddd));
                g.setStroke(new BasicStroke(v == 1 ? 2f : 1f));
                g.drawLine(gx, TOP - 5, gx, plotBottom);
                g.setColor(Color.DARK_GRAY);
                String label = v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
                g.drawString(label, gx - g.getFontMetrics().stringWidth(label) / 2, plotBottom + 18);
            }
        }
        g.drawString("1 = parity with the peer; dashes mark each row's target", LEFT, plotBottom + 38);

        FontMetrics fm = g.getFontMetrics();
        int y = TOP;
        for (Row r : rows) {
            Double target = r.target().target();
            Color c = r.holds() == null ? INFO : r.holds() ? HOLDS : MISSED;
            // Bars grow from parity, so "slower than the peer" and "faster" point opposite ways.
            int x0 = x.applyAsInt(1.0);
            int x1 = x.applyAsInt(r.ratio());
            g.setColor(c);
            g.fillRect(Math.min(x0, x1), y, Math.max(2, Math.abs(x1 - x0)), BAR);
            g.setColor(Color.BLACK);
            String label = r.target().workload();
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + BAR - 6);
            String value = String.format(Locale.ROOT, "%.2f", r.ratio());
            int vx = x1 >= x0 ? x1 + 6 : x1 - 6 - fm.stringWidth(value);
            g.drawString(value, vx, y + BAR - 6);
            if (target != null) {
                int tx = x.applyAsInt(target);
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
                g.drawLine(tx, y - 3, tx, y + BAR + 3);
                g.setStroke(new BasicStroke(1f));
            }
            y += BAR + GAP;
        }
        g.dispose();
        return img;
    }

    private static String slug(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        String first = lower.contains(" ") ? lower.substring(0, lower.indexOf(' ')) : lower;
        return first.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }
}
