package dev.engram.collections;

import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;

/**
 * Pools for tests: forced pmem on {@code /dev/shm} (as PMDK's {@code PMEM_IS_PMEM_FORCE=1}) or the
 * page cache in a temporary directory. {@link #close} closes every pool and deletes the directory.
 */
final class TestPools implements AutoCloseable {
    static final ObjectLayout LAYOUT = ObjectLayout.named("collections-test");
    static final Path SHM = Path.of("/dev/shm");

    private final Path base;
    private final String prefix;
    private final MappingPolicy policy;
    private Path dir;
    private final Deque<ObjectPool> pools = new ArrayDeque<>();
    private int created;

    /** The directory is made on first use: suite factories may be built and never run. */
    private TestPools(Path base, String prefix, MappingPolicy policy) {
        this.base = base;
        this.prefix = prefix;
        this.policy = policy;
    }

    static TestPools forcedPmem(String prefix) {
        return new TestPools(Files.isDirectory(SHM) ? SHM : Path.of(System.getProperty("java.io.tmpdir")), prefix,
                MappingPolicy.FORCE_PMEM);
    }

    static TestPools pageCache(String prefix) {
        return new TestPools(Path.of(System.getProperty("java.io.tmpdir")), prefix, MappingPolicy.PAGE_CACHE);
    }

    private synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory(base, prefix);
                // a suite built for discovery only never runs its tear-down: clean up at exit too
                Runtime.getRuntime().addShutdownHook(new Thread(this::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    PoolOptions options(long size) {
        return PoolOptions.defaults().withSize(size).withPolicy(policy);
    }

    Path path(String name) {
        return dir().resolve(name);
    }

    synchronized ObjectPool create(long size) {
        ObjectPool pool = ObjectPool.create(dir().resolve("p" + (created++) + ".pool"), LAYOUT, options(size));
        pools.push(pool);
        return pool;
    }

    /** Keeps only the newest {@code keep} pools open (the others are closed and deleted). */
    synchronized void retire(int keep) {
        while (pools.size() > keep) {
            ObjectPool old = pools.removeLast();
            Path file = old.pool().path();
            old.close();
            delete(file);
        }
    }

    @Override
    public synchronized void close() {
        retire(0);
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(TestPools::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dir = null;
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Hands out fresh collections for a conformance suite: each gets a new name; a new pool is started
     * every {@code perPool} collections and pools older than the previous one are closed.
     */
    static final class Rotation {
        private final TestPools pools;
        private final int perPool;
        private ObjectPool current;
        private int inPool;
        private int serial;

        Rotation(TestPools pools, int perPool) {
            this.pools = pools;
            this.perPool = perPool;
        }

        synchronized PersistentCollections next() {
            if (current == null || inPool == perPool) {
                current = pools.create(16 << 20);
                pools.retire(2);
                inPool = 0;
            }
            inPool++;
            return PersistentCollections.of(current);
        }

        synchronized String name() {
            return "c" + (serial++);
        }
    }
}
