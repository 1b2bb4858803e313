package dev.engram.cli;

import dev.engram.pool.PoolOptions;
import dev.engram.tx.MemoryBlock;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;
import dev.engram.tx.Ref;
import dev.engram.tx.References;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run behind {@code bin/engram}'s start-up cache: the launcher runs this class once
 * per jar and JDK with {@code -XX:AOTCacheOutput} (JEP 483/514/515), so the JVM records the
 * classes every command loads and links, and the profiles of their hot methods, into an AOT cache
 * that later runs start from.
 *
 * <p>It runs every command in this JVM, output discarded, on a scratch pool in a fresh temporary
 * directory: a pool with a typed object graph (so the check's graph walk and its leak report run),
 * each command in text and JSON, the usual error paths, and {@code check} several times so its walk
 * gets a profile. Everything it writes is deleted before it returns. Not part of the tool's
 * interface: users run {@code engram}, never this class.
 */
public final class AotTraining {
    private static final int NODE = 20;
    private static final int LEAF = 21;
    private static final int CHECK_ROUNDS = 8;

    private AotTraining() {
    }

    /**
     * Runs the training workload.
     *
     * @param args ignored
     * @throws IOException if the scratch directory cannot be made
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("engram-aot-training");
        try (PrintStream none = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8)) {
            train(dir, none);
        } finally {
            deleteTree(dir);
        }
    }

    private static void train(Path dir, PrintStream none) {
        Path pool = dir.resolve("training.pool");
        Path empty = dir.resolve("empty.pool");
        Path list = dir.resolve("badblocks.txt");
        run(none, "--version");
        run(none, "--help");
        run(none, "check", "--help");
        run(none, "no-such-command");
        run(none, "check", dir.resolve("missing.pool").toString());
        run(none, "create", "--size", "8M", "--lanes", "4", empty.toString());
        run(none, "create", "--json", "--size", "8M", empty.toString());
        populate(pool);
        writeList(list, "");
        for (int i = 0; i < CHECK_ROUNDS; i++) {
            run(none, "check", pool.toString());
            run(none, "check", "--json", pool.toString());
        }
        run(none, "check", "--dry-run", pool.toString());
        run(none, "check", "--badblocks", list.toString(), pool.toString());
        for (String json : new String[] {null, "--json"}) {
            for (String[] cmd : new String[][] {
                {"info"}, {"stats"}, {"objects"}, {"dump", "--offset", "0", "--length", "256"},
                {"badblocks", "--list", list.toString()}}) {
                List<String> a = new ArrayList<>(List.of(cmd));
                if (json != null) {
                    a.add(json);
                }
                a.add(pool.toString());
                run(none, a.toArray(String[]::new));
            }
        }
        run(none, "heapmap", "-o", dir.resolve("heapmap.png").toString(), "--width", "256", pool.toString());
        run(none, "check", "--repair", pool.toString());
        run(none, "generate-completion");
    }

    /** A pool whose root reaches a chain of nodes, each with a leaf, and two leaked leaves. */
    private static void populate(Path pool) {
        ObjectLayout layout = ObjectLayout.named("aot-training")
                .declareBlockType(NODE, "node", References.at(0, 8))
                .declareBlockType(LEAF, "leaf", References.none());
        PoolOptions o = PoolOptions.defaults().withSize(16L << 20).withLanes(4, 16 << 10);
        try (ObjectPool p = ObjectPool.create(pool, layout, o)) {
            p.run(tx -> {
                long next = 0;
                for (int i = 0; i < 2000; i++) {
                    MemoryBlock leaf = p.allocateBlock(48 + (i % 4) * 64, LEAF);
                    MemoryBlock node = p.allocateBlock(16, NODE);
                    node.setLong(0, next);
                    node.setLong(8, leaf.offset());
                    next = node.offset();
                }
                p.setRoot(new Ref<>(next, Object.class));
                p.allocateBlock(64, LEAF);
                p.allocateBlock(300_000, LEAF);
            });
        }
    }

    private static void run(PrintStream none, String... args) {
        Engram.execute(args, none, none);
    }

    private static void writeList(Path list, String text) {
        try {
            Files.writeString(list, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
