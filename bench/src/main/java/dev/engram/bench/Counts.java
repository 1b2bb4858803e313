package dev.engram.bench;

import dev.engram.allocator.PersistentHeap;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.medium.MemoryMedium;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The figures JMH does not fit: how many 64-byte objects fit in a 1 GiB heap (a count), and the time
 * to open a 1 GiB pool holding 1M objects (each open from scratch: mapping, header, lane recovery,
 * heap open; the first open in the JVM reported apart), beside PMDK's {@code fill_64} and {@code open_1g_1m}. Prints one JSON line per figure in
 * the C harness's format, which {@code ReportWriter} reads from {@code results/engram.json}.
 *
 * <p>usage: {@code java <flags> -cp benchmarks.jar dev.engram.bench.Counts [--quick] [--dir /dev/shm]}
 */
public final class Counts {
    private static final long GIB = 1L << 30;

    private Counts() {
    }

    /**
     * Prints the figures as JSON lines on standard output: {@code fill_64}, then the open times of a pool
     * created in {@code --dir DIR} (default {@code /dev/shm}): the first open in the JVM apart, then the
     * mean of 20 more (5 with {@code --quick}).
     *
     * @param args {@code --quick} and {@code --dir DIR}, both optional
     * @throws Exception if the pool cannot be created, filled or opened
     */
    public static void main(String[] args) throws Exception {
        boolean quick = java.util.Arrays.asList(args).contains("--quick");
        Path dir = Path.of("/dev/shm");
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--dir")) {
                dir = Path.of(args[i + 1]);
            }
        }
        PrintStream out = System.out;
        long[] fill = fill64();
        out.println(line("fill_64", "count", fill[0], 0));
        // Heap metadata (chunk tables, zone headers, run bitmaps) of the full 1 GiB heap, in percent.
        out.println(line("metadata_1g_full", "%", fill[1] / 1e4, 0));
        double[] open = openTimes(dir, 1 + (quick ? 5 : 20));
        // The first open in a fresh JVM also loads and links the classes: reported on its own, like a
        // JMH warm-up, so that the compared figure is the open itself (PMDK's harness is a C process).
        out.println(line("open_1g_1m_first_in_jvm", "ms", open[0], 0));
        double[] warm = java.util.Arrays.copyOfRange(open, 1, open.length);
        out.println(line("open_1g_1m", "ms", mean(warm), ci999(warm)));
    }

    /**
     * Objects of 64 bytes that fit in a heap of 1 GiB (metadata included), by allocating until full,
     * and the heap's metadata share when full, in millionths.
     */
    static long[] fill64() {
        try (MemoryMedium medium = MemoryMedium.allocate(GIB + (1 << 20))) {
            long heapOffset = 1 << 20;
            PersistentHeap heap = PersistentHeap.create(medium, heapOffset, GIB);
            long n = 0;
            while (heap.tryReserve(64, 1) != null) {
                n++;
            }
            return new long[] {n, Math.round(heap.stats().metadataFraction() * 1e6)};
        }
    }

    /** Cold opens of a 1 GiB forced-pmem pool holding 1M objects; milliseconds each. */
    static double[] openTimes(Path dir, int runs) throws Exception {
        Path file = Files.createTempFile(dir, "engram-open", ".pool");
        Files.delete(file);
        ObjectLayout layout = ObjectLayout.named("open-bench");
        PoolOptions options = PoolOptions.defaults().withSize(GIB + (64L << 20)).withPolicy(MappingPolicy.FORCE_PMEM);
        try {
            try (ObjectPool pool = ObjectPool.create(file, layout, options)) {
                for (int done = 0; done < 1_000_000; done += 1000) {
                    pool.run(tx -> {
                        for (int i = 0; i < 1000; i++) {
                            tx.alloc(64, 1);
                        }
                    });
                }
            }
            double[] ms = new double[runs];
            for (int r = 0; r < runs; r++) {
                long start = System.nanoTime();
                try (ObjectPool pool = ObjectPool.open(file, layout, options)) {
                    ms[r] = (System.nanoTime() - start) / 1e6;
                }
            }
            return ms;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Half-width of a 99.9% interval, normal approximation (JMH uses Student's t; close enough for n >= 10). */
    static double ci999(double[] v) {
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        double sd = Math.sqrt(ss / Math.max(1, v.length - 1));
        return 3.29 * sd / Math.sqrt(v.length);
    }

    static String line(String workload, String unit, double value, double error) {
        return String.format(Locale.ROOT, "{\"workload\":\"%s\",\"unit\":\"%s\",\"value\":%.6f,\"error\":%.6f,"
                + "\"threads\":1,\"mode\":\"forced-pmem\"}", workload, unit, value, error);
    }
}
