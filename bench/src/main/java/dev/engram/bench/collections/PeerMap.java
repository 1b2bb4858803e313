package dev.engram.bench.collections;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A Java durable peer of Engram's persistent maps (issue #7), reduced to the operations the
 * collections benchmark times: an 8-byte key to a 64-byte value, in the peer's closest durable mode.
 * Each implementation owns one directory of files and deletes it on {@link #close()}.
 *
 * <p>{@link #put} is one durable update (the peer's commit); {@link #putAll} joins a range of keys in
 * one commit, for loading the read benchmarks (as Engram's read suite loads 1000 puts per
 * transaction). {@link #get} returns the value as a {@code byte[]}, as a {@code Map<Long, byte[]>}
 * does (a fresh copy from LMDB, MapDB and Chronicle Map, which keep values as bytes; MVStore hands back
 * the array cached in its page); {@link #scan} reads up to {@code n} entries in signed key order from
 * {@code from} (inclusive), hands each key and value to the sink the same way, and returns how many
 * it read.
 *
 * <p>Not thread-safe: one benchmark thread drives it.
 */
interface PeerMap extends Closeable {
    void put(long key, byte[] value);

    void putAll(long[] keys, int from, int to, byte[] value);

    byte[] get(long key);

    /** Receives the entries of a {@link #scan}. */
    @FunctionalInterface
    interface Sink {
        void accept(long key, byte[] value);
    }

    /** Only for sorted peers ({@link #sorted()}). */
    int scan(long from, int n, Sink sink);

    boolean sorted();

    @Override
    void close();

    /** Deletes a peer's directory and everything in it. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete benchmark directory " + dir + "; remove it by hand", e);
        }
    }
}
