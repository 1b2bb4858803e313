package dev.engram.crashtest.pool;

import dev.engram.crashtest.CrashExplorer;
import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.CrashStrategy;
import dev.engram.crashtest.Trace;
import dev.engram.crashtest.TracingMedium;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool layer's own crash test: a header update (here the one {@code grow} makes) interrupted at
 * every drain point, with every subset of its in-flight stores the harness builds, must leave a
 * header that opens and is either wholly the old one or wholly the new one.
 */
class PoolHeaderCrashTest {
    static final long SIZE = 1 << 20;
    static final long GROWN = 2 << 20;

    @TempDir
    Path dir;

    @Test
    void shouldSeeTheOldOrTheNewHeaderAfterACrashDuringAnUpdate() throws Exception {
        Path file = dir.resolve("h.pool");
        PoolOptions options = PoolOptions.defaults().withLayout("crash").withSize(SIZE).withMaxSize(GROWN)
                .withLanes(2, 4096).withPolicy(MappingPolicy.PAGE_CACHE);
        PoolHeader before;
        try (Pool pool = Pool.create(file, options)) {
            before = pool.header();
        }
        byte[] image = Files.readAllBytes(file);

        Trace trace = TracingMedium.record(SIZE, m -> m.putBytes(0, image, 0, image.length), m -> {
            try (Pool attached = Pool.attach(m, "crash")) {
                attached.grow(GROWN);
            }
        });

        CrashReport report = CrashExplorer.builder()
                .strategies(CrashStrategy.prefixes(), CrashStrategy.random(11, 64), CrashStrategy.exhaustive(4096))
                .build()
                .explore(trace, img -> {
                    try (Pool p = Pool.attach(img, "crash")) {
                        PoolHeader h = p.header();
                        assertThat(h.uuid()).isEqualTo(before.uuid());
                        assertThat(h.poolSize()).isIn(SIZE, GROWN);
                        assertThat(h.heapSize()).isEqualTo(h.poolSize() - before.heapOffset());
                        assertThat(img.size()).isGreaterThanOrEqualTo(h.poolSize());
                    }
                });

        report.assertPassed();
        assertThat(report.checkerCallsPerDistinctImage()).isEqualTo(1.0);
    }
}
