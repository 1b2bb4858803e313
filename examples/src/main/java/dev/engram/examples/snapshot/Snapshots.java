package dev.engram.examples.snapshot;

import dev.engram.collections.Codec;
import dev.engram.collections.PersistentCollections;
import dev.engram.collections.PersistentHashMap;
import dev.engram.pool.CloneReport;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A snapshot workflow: take a copy of a closed pool with {@link Pool#clone} (an instant reflink
 * where the file system shares extents, else a copy, and the report says which), try a change on
 * the copy, and compare the two. The original is untouched whatever happens to the copy.
 */
public final class Snapshots {
    static final ObjectLayout LAYOUT = ObjectLayout.named("engram-settings");
    static final PoolOptions OPTIONS = PoolOptions.defaults().withSize(8L << 20).withPolicy(MappingPolicy.AUTO);

    private Snapshots() {
    }

    /**
     * Creates {@code settings.pool}, snapshots it to {@code settings-experiment.pool}, changes the
     * snapshot and prints the comparison.
     *
     * @param args {@code [DIRECTORY]}, default the current directory; both pools must not exist yet
     */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Path original = dir.resolve("settings.pool");
        Path snapshot = dir.resolve("settings-experiment.pool");
        createSettings(original, Map.of("threads", "4", "cache", "256M", "mode", "safe"));
        CloneReport report = snapshot(original, snapshot, Map.of("threads", "16", "mode", "fast", "trace", "on"), "cache");
        print(report, compare(original, snapshot), System.out);
    }

    static PersistentHashMap<String, String> settings(ObjectPool pool) {
        return PersistentCollections.of(pool).hashMap("settings", Codec.string(32), Codec.string(64));
    }

    static void createSettings(Path file, Map<String, String> values) {
        try (ObjectPool pool = ObjectPool.create(file, LAYOUT, OPTIONS)) {
            settings(pool).putAll(values);
        }
    }

    /** Clones {@code original} to {@code copy}, then sets and removes keys in the copy, in one transaction. */
    static CloneReport snapshot(Path original, Path copy, Map<String, String> set, String... remove) {
        CloneReport report = Pool.clone(original, copy);
        try (ObjectPool pool = ObjectPool.open(copy, LAYOUT, OPTIONS)) {
            PersistentHashMap<String, String> s = settings(pool);
            pool.run(tx -> {
                s.putAll(set);
                for (String key : remove) {
                    s.remove(key);
                }
            });
        }
        return report;
    }

    /** A difference between two pools: the value in each ({@code null}: absent). */
    record Change(String before, String after) {
    }

    /** Keys whose values differ, sorted. */
    static SortedMap<String, Change> compare(Path a, Path b) {
        Map<String, String> left = read(a);
        Map<String, String> right = read(b);
        SortedMap<String, Change> diff = new TreeMap<>();
        TreeSet<String> keys = new TreeSet<>(left.keySet());
        keys.addAll(right.keySet());
        for (String k : keys) {
            if (!Objects.equals(left.get(k), right.get(k))) {
                diff.put(k, new Change(left.get(k), right.get(k)));
            }
        }
        return diff;
    }

    private static Map<String, String> read(Path file) {
        // Writable: the object layer has no read-only open yet; opening rewrites the header, not the data.
        try (ObjectPool pool = ObjectPool.open(file, LAYOUT, OPTIONS)) {
            return new TreeMap<>(settings(pool));
        }
    }

    static void print(CloneReport r, SortedMap<String, Change> diff, PrintStream out) {
        out.printf("clone: %s, %,d bytes, %s%n", r.method(), r.bytes(),
                r.shared() ? "extents shared copy-on-write" : "copied (" + r.fallbackReason() + ")");
        out.printf("clone uuid: %s%n", r.uuid());
        diff.forEach((k, c) -> out.printf("  %-8s %-6s -> %s%n", k, c.before() == null ? "-" : c.before(),
                c.after() == null ? "-" : c.after()));
    }
}
