package dev.engram.reliability;

import dev.engram.collections.PersistentCollections;
import dev.engram.collections.PersistentHashMap;
import dev.engram.collections.PersistentList;
import dev.engram.pool.MappingPolicy;
import dev.engram.tx.ObjectPool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM of {@link KillTortureTest}: warms up on a scratch pool, waits for {@code GO} on
 * stdin, opens (and so recovers) the pool, prints
 * {@code READY <listSize>}, then runs transactions {@code listSize+1, listSize+2, ...} of
 * {@link TortureWorkload} until it is killed, printing {@code ACK <t>} only after the commit and a
 * {@link ObjectPool#drain()} (a small transaction is durable at the next drain, not when commit
 * returns). Stops by itself after {@code maxTx} transactions (printing {@code DONE}), so a parent
 * that never kills does not leave it running.
 *
 * <p>Arguments: policy, pool path, seed, maxTx.
 */
public final class TortureChild {
    /** Thrown inside a transaction body to roll it back on purpose. */
    static final class Rollback extends RuntimeException {
        Rollback() {
            super("deliberate rollback", null, false, false);
        }
    }

    private TortureChild() {
    }

    public static void main(String[] args) throws IOException {
        MappingPolicy policy = MappingPolicy.valueOf(args[0]);
        Path path = Path.of(args[1]);
        long seed = Long.parseLong(args[2]);
        int maxTx = Integer.parseInt(args[3]);
        warmUp(policy, path.resolveSibling("warm-" + ProcessHandle.current().pid() + ".pool"), seed);
        // The parent starts this JVM while it still checks the previous round, and says GO once it
        // closed the pool: JVM start-up and class loading stay out of the kill rounds' time.
        String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!"GO".equals(go)) {
            throw new IllegalStateException("expected GO on stdin, got " + go);
        }
        // stdout is the acknowledgement pipe: autoflush off, flushed explicitly after each line
        PrintStream acks = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        try (ObjectPool pool = ObjectPool.open(path, TortureWorkload.LAYOUT, TortureWorkload.options(policy))) {
            PersistentCollections c = PersistentCollections.of(pool);
            PersistentHashMap<Long, String> map = TortureWorkload.map(c);
            PersistentList<Long> list = TortureWorkload.list(c);
            long next = list.size() + 1L;
            acks.println("READY " + (next - 1));
            acks.flush();
            for (int i = 0; i < maxTx; i++, next++) {
                long t = next;
                if (TortureWorkload.abortsFirst(seed, t)) {
                    try {
                        pool.run(tx -> {
                            TortureWorkload.apply(seed, t, map, list);
                            throw new Rollback();
                        });
                        throw new IllegalStateException("transaction " + t + " committed despite the rollback");
                    } catch (Rollback expected) {
                        // rolled back: the same id is then committed for real below
                    }
                }
                pool.run(tx -> TortureWorkload.apply(seed, t, map, list));
                pool.drain();
                acks.println("ACK " + t);
                acks.flush();
            }
            acks.println("DONE");
            acks.flush();
        }
    }

    /** Loads and compiles the code paths on a scratch pool of the same medium, then deletes it. */
    private static void warmUp(MappingPolicy policy, Path scratch, long seed) throws IOException {
        try (ObjectPool pool = ObjectPool.create(scratch, TortureWorkload.LAYOUT,
                TortureWorkload.options(policy).withSize(TortureWorkload.WARM_POOL_SIZE))) {
            PersistentCollections c = PersistentCollections.of(pool);
            PersistentHashMap<Long, String> map = TortureWorkload.map(c);
            PersistentList<Long> list = TortureWorkload.list(c);
            for (long t = 1; t <= 5; t++) {
                long id = t;
                pool.run(tx -> TortureWorkload.apply(seed, id, map, list));
                pool.drain();
            }
        } finally {
            Files.deleteIfExists(scratch);
        }
    }
}
