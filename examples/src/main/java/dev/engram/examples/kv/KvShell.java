package dev.engram.examples.kv;

import dev.engram.collections.Codec;
import dev.engram.collections.PersistentCollections;
import dev.engram.collections.PersistentHashMap;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * A key-value store with a tiny command line: {@code put k v}, {@code get k}, {@code del k},
 * {@code list}, {@code quit}. Every {@code put} and {@code del} is one transaction on a persistent
 * hash map, durable when the next command is read (see {@link #run}).
 *
 * <pre>
 * java ... dev.engram.examples.kv.KvShell kv.pool
 * &gt; put greeting hello world
 * ok
 * </pre>
 */
public final class KvShell {
    static final ObjectLayout LAYOUT = ObjectLayout.named("engram-kv");
    static final int MAX_KEY = 64;
    static final int MAX_VALUE = 256;

    private final ObjectPool pool;
    private final PersistentHashMap<String, String> map;

    /**
     * A shell over the pool's {@code kv} map, created on first use.
     *
     * @param pool the pool holding the map
     */
    public KvShell(ObjectPool pool) {
        this.pool = pool;
        this.map = PersistentCollections.of(pool).hashMap("kv", Codec.string(MAX_KEY), Codec.string(MAX_VALUE));
    }

    /**
     * Opens the store in {@code file}, creating it on first use.
     *
     * @param file the pool file
     * @return the open pool; the caller closes it
     */
    public static ObjectPool openPool(Path file) {
        PoolOptions options = PoolOptions.defaults().withSize(16L << 20).withPolicy(MappingPolicy.AUTO);
        return Files.exists(file) ? ObjectPool.open(file, LAYOUT, options) : ObjectPool.create(file, LAYOUT, options);
    }

    /**
     * Reads commands from standard input.
     *
     * @param args {@code [POOL]}, default {@code kv.pool}
     */
    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "kv.pool");
        try (ObjectPool pool = openPool(file)) {
            new KvShell(pool).run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
        }
    }

    /**
     * Reads commands until {@code quit} or end of input.
     *
     * @param in  the commands, one per line
     * @param out where answers and prompts go
     */
    public void run(BufferedReader in, PrintStream out) {
        try {
            for (String line = prompt(in, out); line != null; line = prompt(in, out)) {
                if (!execute(line.strip(), out)) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String prompt(BufferedReader in, PrintStream out) throws IOException {
        // Each put or del committed already; draining here makes it durable before we wait for the user.
        pool.drain();
        out.print("> ");
        out.flush();
        return in.readLine();
    }

    /** Runs one command; false on {@code quit}. */
    boolean execute(String line, PrintStream out) {
        String[] words = line.split("\\s+", 3);
        switch (words[0]) {
            case "" -> { }
            case "put" -> {
                if (words.length < 3) {
                    out.println("usage: put KEY VALUE");
                } else if (words[1].length() > MAX_KEY || words[2].length() > MAX_VALUE) {
                    out.println("error: keys hold up to " + MAX_KEY + " chars, values up to " + MAX_VALUE);
                } else {
                    String old = map.put(words[1], words[2]);
                    out.println(old == null ? "ok" : "ok (was " + old + ")");
                }
            }
            case "get" -> {
                if (words.length != 2) {
                    out.println("usage: get KEY");
                } else {
                    String value = map.get(words[1]);
                    out.println(value == null ? "(not found)" : value);
                }
            }
            case "del" -> {
                if (words.length != 2) {
                    out.println("usage: del KEY");
                } else {
                    out.println(map.remove(words[1]) == null ? "(not found)" : "deleted");
                }
            }
            case "list" -> {
                // A hash map has no order; sort a copy so the listing is stable.
                new TreeMap<>(map).forEach((k, v) -> out.println(k + " = " + v));
                out.println("(" + map.size() + " keys)");
            }
            case "quit" -> {
                return false;
            }
            default -> out.println("commands: put KEY VALUE | get KEY | del KEY | list | quit");
        }
        return true;
    }
}
