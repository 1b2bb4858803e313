package dev.engram.bench.report;

/**
 * One measured value with its error, in a unit the report can compare: {@code ns/op} for anything
 * timed per operation (throughputs are inverted, so lower is always better), {@code ms} for one-off
 * times, {@code count} for sizes, {@code %} for shares. The error keeps its relative size through the conversion.
 */
record Figure(double value, double error, String unit) {
    static final String NS_PER_OP = "ns/op";

    /** Converts a JMH or harness figure to the report's units. */
    static Figure of(double value, double error, String unit) {
        double e = Double.isNaN(error) ? 0 : error;
        return switch (unit) {
            case "ns/op" -> new Figure(value, e, NS_PER_OP);
            case "us/op" -> new Figure(value * 1e3, e * 1e3, NS_PER_OP);
            case "ms/op" -> new Figure(value * 1e6, e * 1e6, NS_PER_OP);
            case "s/op" -> new Figure(value * 1e9, e * 1e9, NS_PER_OP);
            case "ops/s" -> inverse(value, e, 1e9);
            case "ops/ms" -> inverse(value, e, 1e6);
            case "ops/us" -> inverse(value, e, 1e3);
            case "ops/ns" -> inverse(value, e, 1);
            case "ms", "count", "%" -> new Figure(value, e, unit);
            default -> throw new IllegalArgumentException("unknown unit '" + unit + "'");
        };
    }

    /** Throughput to time per operation; to first order the relative error is unchanged. */
    private static Figure inverse(double opsPerUnit, double error, double nsPerUnit) {
        double ns = nsPerUnit / opsPerUnit;
        return new Figure(ns, ns * (error / opsPerUnit), NS_PER_OP);
    }

    /** Error as a fraction of the value, for the report's "±" column. */
    double relativeError() {
        return value == 0 ? 0 : error / value;
    }
}
