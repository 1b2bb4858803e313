package dev.engram.examples;

import dev.engram.pool.MappingPolicy;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolInfo;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.medium.Medium;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The first thing a new user runs: creates (or reopens) {@code engram-demo.pool} in the current
 * directory, bumps a persistent run counter, writes a message into the heap, persists both, then
 * reopens the pool and prints what {@code engram info} will show.
 */
public final class PoolDemo {
    static final String LAYOUT = "engram-demo";

    private PoolDemo() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "engram-demo.pool");
        run(file, System.out);
    }

    static void run(Path file, PrintStream out) {
        PoolOptions options = PoolOptions.defaults().withLayout(LAYOUT).withSize(8L << 20).withPolicy(MappingPolicy.AUTO);
        boolean existed = Files.exists(file);
        long runs;
        PoolInfo info;
        try (Pool pool = existed ? Pool.open(file, options) : Pool.create(file, options)) {
            Medium m = pool.medium();
            long counter = pool.header().heapOffset();
            long message = counter + 8;
            runs = m.getLong(counter) + 1;
            byte[] text = ("run " + runs + " at " + Instant.now()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            m.putInt(message, text.length);
            m.putBytes(message + 4, text, 0, text.length);
            m.flush(message, 4 + text.length);
            m.drain();
            // The counter is published last, after the message it counts is durable.
            m.putLongPersist(counter, runs);
            info = pool.info();
            out.println((existed ? "Reopened " : "Created ") + file + " and recorded run #" + runs);
        }
        try (Pool pool = Pool.open(file, options.withReadOnly(true))) {
            long counter = pool.header().heapOffset();
            int len = pool.reader().getInt(counter + 8);
            byte[] text = new byte[len];
            pool.reader().getBytes(counter + 12, text, 0, len);
            out.println("Read back after reopening: runs=" + pool.reader().getLong(counter) + ", last message \""
                    + new String(text, java.nio.charset.StandardCharsets.UTF_8) + "\"");
        }
        printInfo(info, out);
    }

    static void printInfo(PoolInfo i, PrintStream out) {
        out.printf("%nPool info%n");
        out.printf("  %-16s %s%n", "file", i.path());
        out.printf("  %-16s %s%n", "uuid", i.uuid());
        out.printf("  %-16s %s%n", "layout", i.layout());
        out.printf("  %-16s %d.%d%n", "format", i.majorVersion(), i.minorVersion());
        out.printf("  %-16s %d bytes (max %d)%n", "size", i.poolSize(), i.maxPoolSize());
        out.printf("  %-16s %d x %d bytes%n", "lanes", i.laneCount(), i.laneSize());
        out.printf("  %-16s offset %d, %d bytes%n", "heap", i.heapOffset(), i.heapSize());
        out.printf("  %-16s %s (%s)%n", "medium", i.mediumKind(), i.mediumReason());
        out.printf("  %-16s %s%n", "last shutdown", i.cleanShutdownAtOpen() ? "clean" : "unclean: recovery ran");
        out.printf("  %-16s %s%n", "shutdown count", i.shutdownCount() < 0 ? "not exposed by this device" : i.shutdownCount());
    }
}
