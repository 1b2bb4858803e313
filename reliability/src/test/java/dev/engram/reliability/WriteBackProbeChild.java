package dev.engram.reliability;

import dev.engram.collections.PersistentCollections;
import dev.engram.collections.PersistentList;
import dev.engram.collections.Codec;
import dev.engram.pool.MappingPolicy;
import dev.engram.tx.ObjectPool;

import java.nio.file.Path;

/**
 * Child JVM of {@link TortureRegressionTest}: creates a forced-pmem pool, commits one transaction
 * and drains, and prints {@code RESULT ok} or {@code RESULT <exception class>}. A JVM crash shows
 * as exit code 134 instead.
 */
public final class WriteBackProbeChild {
    private WriteBackProbeChild() {
    }

    public static void main(String[] args) {
        try (ObjectPool pool = ObjectPool.create(Path.of(args[0]), TortureWorkload.LAYOUT,
                TortureWorkload.options(MappingPolicy.FORCE_PMEM).withSize(TortureWorkload.WARM_POOL_SIZE))) {
            PersistentList<Long> list = PersistentCollections.of(pool).list("probe", Codec.int64());
            pool.run(tx -> list.add(1L));
            pool.drain();
            System.out.println("RESULT ok");
        } catch (RuntimeException e) {
            System.out.println("RESULT " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
