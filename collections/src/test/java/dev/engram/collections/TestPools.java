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

    private final Path dir;
    private final MappingPolicy policy;
    private final Deque<ObjectPool> pools = new ArrayDeque<>();
    private int created;

    private TestPools(Path dir, MappingPolicy policy) {
        this.dir = dir;
        this.policy = policy;
    }

    static TestPools forcedPmem(String prefix) {
        try {
            Path base = Files.isDirectory(SHM) ? SHM : Path.of(System.getProperty("java.io.tmpdir"));
            return new TestPools(Files.createTempDirectory(base, prefix), MappingPolicy.FORCE_PMEM);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestPools pageCache(String prefix) {
        try {
            return new TestPools(Files.createTempDirectory(prefix), MappingPolicy.PAGE_CACHE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PoolOptions options(long size) {
        return PoolOptions.defaults().withSize(size).withPolicy(policy);
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    synchronized ObjectPool create(long size) {
        ObjectPool pool = ObjectPool.create(dir.resolve("p" + (created++) + ".pool"), LAYOUT, options(size));
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
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(TestPools::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
