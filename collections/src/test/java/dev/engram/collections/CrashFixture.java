package dev.engram.collections;

import dev.engram.allocator.HeapCheckReport;
import dev.engram.crashtest.CrashChecker;
import dev.engram.crashtest.CrashExplorer;
import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.CrashStrategy;
import dev.engram.crashtest.Trace;
import dev.engram.crashtest.TracingMedium;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.medium.Medium;
import dev.engram.tx.AllocatorTxHeap;
import dev.engram.tx.ObjectPool;
import dev.engram.tx.TxEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds a pool image, records a workload on it, and explores the crash images (see DESIGN.md §6). */
final class CrashFixture {
    static final long SIZE = 4 << 20;
    static final long SEED = Long.getLong("engram.crash.seed", 0x7EA5EEDL);

    private CrashFixture() {
    }

    /** A fresh pool file with {@code setup} applied, as bytes (the file is deleted). */
    static byte[] image(Path dir, Consumer<PersistentCollections> setup) {
        Path file = dir.resolve("base-" + System.nanoTime() + ".pool");
        PoolOptions options = PoolOptions.defaults().withSize(SIZE).withLanes(4, 16 << 10).withPolicy(MappingPolicy.PAGE_CACHE);
        try (ObjectPool pool = ObjectPool.create(file, TestPools.LAYOUT, options)) {
            setup.accept(PersistentCollections.of(pool));
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens (recovering) the transaction layer over an image. */
    static TxEngine open(Medium medium) {
        return TxEngine.open(Pool.attach(medium, TestPools.LAYOUT.name()), AllocatorTxHeap.FACTORY);
    }

    static Trace record(byte[] image, Consumer<PersistentCollections> workload) throws Exception {
        return TracingMedium.record(image.length, m -> m.putBytes(0, image, 0, image.length), m -> {
            TxEngine engine = open(m);
            workload.accept(PersistentCollections.of(engine));
            engine.close();
        });
    }

    /** Every drain point with in-order prefixes, plus seeded random per-line subsets. */
    static CrashReport explore(Trace trace, CrashChecker checker) {
        System.out.println("crash exploration seed: " + SEED + " (rerun with -Dengram.crash.seed=" + SEED + ")");
        CrashReport report = CrashExplorer.builder()
                .strategies(CrashStrategy.prefixes(), CrashStrategy.random(SEED, 16))
                .build()
                .explore(trace, checker);
        System.out.println(report.summary());
        report.assertPassed();
        return report;
    }

    /**
     * The heap is consistent and holds exactly the collection blocks the collections reach: nothing
     * leaked by an interrupted transaction, nothing reachable that was freed.
     */
    static void assertNoLeak(TxEngine engine, PersistentCollections collections) {
        AllocatorTxHeap heap = (AllocatorTxHeap) engine.heap();
        HeapCheckReport check = heap.heap().check();
        assertThat(check.problems()).as("heap check").isEmpty();
        List<Long> allocated = new ArrayList<>();
        for (int type : BlockTypes.ALL) {
            heap.forEach(type, allocated::add);
        }
        List<Long> reachable = collections.reachableBlocks();
        assertThat(new TreeSet<>(reachable)).as("reachable blocks have no duplicates").hasSize(reachable.size());
        assertThat(new TreeSet<>(allocated)).as("allocated collection blocks = reachable blocks")
                .isEqualTo(new TreeSet<>(reachable));
    }
}
