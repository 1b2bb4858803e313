package dev.engram.cli;

import java.util.Locale;

/** Byte sizes for people: parsing "64M", "1G", "0x1000" and printing "1.0 GiB". */
final class Units {
    private Units() {
    }

    /** Parses a size: decimal or 0x-hex, with an optional K/M/G/T suffix (powers of 1024). */
    static long parseSize(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B") && t.length() > 1 && !t.startsWith("0X")) {
            t = t.substring(0, t.length() - 1);
        }
        long mul = 1;
        if (!t.startsWith("0X") && !t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> mul = 1L << 10;
                case 'M' -> mul = 1L << 20;
                case 'G' -> mul = 1L << 30;
                case 'T' -> mul = 1L << 40;
                default -> mul = 1;
            }
            if (mul != 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long v = t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            return Math.multiplyExact(v, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw CliException.usage("'" + text + "' is not a size (examples: 4096, 0x1000, 64M, 1G)");
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
