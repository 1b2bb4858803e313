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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run behind {@code bin/engram}'s start-up cache. The launcher runs it twice, once per
 * jar and JDK: {@code populate DIR} makes the training pools, then {@code train DIR}, under
 * {@code -XX:AOTCacheOutput} (JEP 483/514/515), runs the commands on them, so the JVM records the
 * classes those commands load and link, and what their hot methods did, into an AOT cache that
 * later runs start from.
 *
 * <p>Two JVMs, because the AOT cache is loaded and linked in full at every start-up: the training
 * JVM must load what the commands load and no more, not the transaction and allocation code that
 * writes the pools. For the same reason it trains only the read commands people run often ({@code
 * check}, {@code info}, {@code stats}, {@code objects}, {@code dump}, {@code badblocks}, help,
 * version and the usual errors): {@code heapmap} (AWT and ImageIO, a thousand classes), {@code
 * create}, {@code clone} and {@code check --repair} start without them. {@code check} runs on a
 * pool of 300,000 objects, so its walk is trained at a realistic size.
 *
 * <p>Output is discarded; the launcher deletes DIR. Not part of the tool's interface: users run
 * {@code engram}, never this class.
 */
public final class AotTraining {
    private static final int NODE = 20;
    private static final int LEAF = 21;
    private static final int BLOB = 22;
    /** Objects in the large pool {@code check} is trained on. */
    static final int CHECK_OBJECTS = 300_000;
    private static final int CHECK_ROUNDS = 4;

    private AotTraining() {
    }

    /**
     * Runs one phase.
     *
     * @param args {@code populate DIR} or {@code train DIR}
     * @throws IOException if a training file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !(args[0].equals("populate") || args[0].equals("train"))) {
            throw new IllegalArgumentException("usage: AotTraining populate|train DIR");
        }
        Path dir = Path.of(args[1]);
        if (args[0].equals("populate")) {
            populate(dir);
        } else {
            try (PrintStream none = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8)) {
                train(dir, none);
            }
        }
    }

    /** The pools: a small one with a typed graph (root, chain of nodes, leaves, two leaks) and a large flat one. */
    static void populate(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectLayout layout = ObjectLayout.named("aot-training")
                .declareBlockType(NODE, "node", References.at(0, 8))
                .declareBlockType(LEAF, "leaf", References.none());
        PoolOptions small = PoolOptions.defaults().withSize(16L << 20).withLanes(4, 16 << 10);
        try (ObjectPool p = ObjectPool.create(graphPool(dir), layout, small)) {
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
        PoolOptions large = PoolOptions.defaults().withSize(64L << 20).withSparse(true);
        try (ObjectPool p = ObjectPool.create(largePool(dir), ObjectLayout.named("aot-training"), large)) {
            for (int done = 0; done < CHECK_OBJECTS; done += 1000) {
                p.run(tx -> {
                    for (int i = 0; i < 1000; i++) {
                        p.allocateBlock(64, BLOB);
                    }
                });
            }
        }
        Files.writeString(badBlockList(dir), "");
    }

    /** The commands, on the pools {@link #populate} made in {@code dir}. */
    static void train(Path dir, PrintStream none) {
        String graph = graphPool(dir).toString();
        String large = largePool(dir).toString();
        String list = badBlockList(dir).toString();
        run(none, "--version");
        run(none, "--help");
        run(none, "check");
        run(none, "no-such-command");
        run(none, "check", dir.resolve("missing.pool").toString());
        for (int i = 0; i < CHECK_ROUNDS; i++) {
            run(none, "check", large);
            run(none, "check", "--json", large);
        }
        run(none, "check", graph);
        run(none, "check", "--json", graph);
        run(none, "check", "--dry-run", graph);
        run(none, "check", "--badblocks", list, graph);
        for (String json : new String[] {null, "--json"}) {
            for (String[] cmd : new String[][] {
                {"info"}, {"stats"}, {"objects"}, {"dump", "--offset", "0", "--length", "256"},
                {"badblocks", "--list", list}}) {
                List<String> a = new ArrayList<>(List.of(cmd));
                if (json != null) {
                    a.add(json);
                }
                a.add(graph);
                run(none, a.toArray(String[]::new));
            }
        }
    }

    private static Path graphPool(Path dir) {
        return dir.resolve("graph.pool");
    }

    private static Path largePool(Path dir) {
        return dir.resolve("large.pool");
    }

    private static Path badBlockList(Path dir) {
        return dir.resolve("badblocks.txt");
    }

    private static void run(PrintStream none, String... args) {
        Engram.execute(args, none, none);
    }
}
