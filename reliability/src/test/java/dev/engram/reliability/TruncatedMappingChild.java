package dev.engram.reliability;

import dev.engram.pool.EngramException;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.MediaFaults;
import dev.engram.pool.Pool;
import dev.engram.pool.medium.Medium;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Child-JVM program of {@link TruncatedMappingTest}: creates a 4 MiB pool, truncates its file to
 * 1 MiB under the live mapping, then touches the vanished pages every way a user can, printing one
 * {@code RESULT <step> <outcome>} line per step. Arguments: the mapping policy, a directory, and
 * optionally a comma-separated list of the steps to run (default: all). Run in a child because a mistake here (a SIGBUS
 * the JVM does not handle, e.g. in a cache-line write-back) kills the whole JVM.
 */
public final class TruncatedMappingChild {
    static final long MIB = 1L << 20;
    static final long GONE = 3 * MIB;

    private TruncatedMappingChild() {
    }

    public static void main(String[] args) throws Exception {
        MappingPolicy policy = MappingPolicy.valueOf(args[0]);
        Path file = Path.of(args[1]).resolve("truncated-" + policy + ".pool");
        java.util.Set<String> only = args.length > 2 ? java.util.Set.of(args[2].split(",")) : null;
        try (Pool pool = Pool.create(file, EngramStack.options().withPolicy(policy).withSize(4 * MIB).withLanes(2, 4096))) {
            Medium m = pool.medium();
            m.putLong(GONE, 1);
            m.persist(GONE, 8);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(MIB);
            }
            Map<String, Supplier<Object>> steps = new LinkedHashMap<>();
            // Cold: the accessors have not been compiled yet.
            steps.put("read-cold", () -> m.getLong(GONE));
            steps.put("write-cold", () -> {
                m.putLong(GONE + 8, 2);
                return null;
            });
            steps.put("warm-up", () -> {
                warmUp(m);
                return null;
            });
            // Hot: after tens of thousands of calls below the end of the file, C2 has compiled them.
            steps.put("read", () -> m.getLong(GONE));
            steps.put("write", () -> {
                m.putLong(GONE, 2);
                return null;
            });
            steps.put("bulk-read", () -> {
                m.getBytes(GONE, new byte[4096], 0, 4096);
                return null;
            });
            steps.put("fill", () -> {
                m.fill(GONE, 4096, (byte) 1);
                return null;
            });
            steps.put("crc", () -> m.crc32c(MIB - 4096, 8192));
            steps.put("flush", () -> {
                m.flush(GONE, 64);
                return null;
            });
            steps.put("drain", () -> {
                m.drain();
                return null;
            });
            steps.put("read-below-eof", () -> m.getLong(4096 * 3));
            steps.put("hot-loop", () -> sum(m, GONE, 1000));
            steps.put("hot-loop-guarded", () -> MediaFaults.guard("hot loop", () -> sum(m, GONE, 1000)));
            steps.put("hot-write-loop", () -> {
                store(m, GONE, 1000);
                return null;
            });
            steps.put("grow-after", () -> pool.grow(8 * MIB));
            steps.put("close", () -> {
                pool.close();
                return null;
            });
            for (Map.Entry<String, Supplier<Object>> e : steps.entrySet()) {
                if (only == null || only.contains(e.getKey())) {
                    step(e.getKey(), e.getValue());
                }
            }
        }
        System.out.println("RESULT jvm alive");
    }

    /** Runs the accessors often enough for C2 to compile {@link #sum} and {@link #store}. */
    private static void warmUp(Medium m) {
        long s = 0;
        for (int i = 0; i < 30_000; i++) {
            s += sum(m, 8192 + (i & 1) * 64, 200);
            store(m, 16384, 200);
        }
        if (s == 42) {
            System.out.println("unlikely");
        }
    }

    static long sum(Medium m, long offset, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += m.getLong(offset + (i & 7) * 8L);
        }
        return s;
    }

    static void store(Medium m, long offset, int n) {
        for (int i = 0; i < n; i++) {
            m.putLong(offset + (i & 7) * 8L, i);
        }
    }

    private static void step(String name, Supplier<Object> body) {
        String outcome;
        try {
            body.get();
            outcome = "ok";
        } catch (EngramException e) {
            outcome = e.getClass().getSimpleName() + " " + e.code();
        } catch (Throwable t) {
            outcome = "UNTYPED " + t.getClass().getName() + (MediaFaults.isMediaFault(t) ? " (media fault)" : "")
                    + ": " + t.getMessage();
        }
        System.out.println("RESULT " + name + " " + outcome);
        System.out.flush();
    }
}
