package dev.engram.reliability;

import dev.engram.allocator.ChunkHeaderLayout;
import dev.engram.allocator.HeapLayout;
import dev.engram.allocator.PersistentHeap;
import dev.engram.allocator.RedoLog;
import dev.engram.allocator.ZoneLayout;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.medium.Medium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Valid pools with real content, the starting points of every mutation: objects of several size
 * classes and chunk spans, some freed, in zones of {@value EngramStack#CHUNKS_PER_ZONE} chunks (so a
 * few MiB hold several zones); one pool whose heap grew through {@link Pool#grow}; one whose lane
 * holds a committed redo log that was never applied (the state a crash leaves).
 */
final class FuzzSeeds {
    static final long MIB = 1L << 20;
    private static final long[] SIZES = {1, 24, 64, 100, 250, 700, 1500, 4000, 9000, 30000, 100_000, 300_000};
    private static volatile List<SeedImage> cached;

    private FuzzSeeds() {
    }

    /** The seed images, built once per JVM. */
    static List<SeedImage> all() {
        List<SeedImage> s = cached;
        if (s == null) {
            synchronized (FuzzSeeds.class) {
                if (cached == null) {
                    cached = build();
                }
                s = cached;
            }
        }
        return s;
    }

    private static List<SeedImage> build() {
        try {
            Path dir = Files.createTempDirectory(scratchRoot(), "engram-seeds");
            try {
                return List.of(mixed(dir), grown(dir), pendingRedo(dir));
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** tmpfs when there is one: the campaigns write thousands of pool files. */
    static Path scratchRoot() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static SeedImage mixed(Path dir) {
        Path f = dir.resolve("mixed.pool");
        List<Long> objects = new ArrayList<>();
        try (Pool pool = Pool.create(f, EngramStack.options().withSize(8 * MIB).withLanes(4, 4096))) {
            PersistentHeap heap = format(pool, pool.header().heapSize());
            RedoLog log = EngramStack.lane(pool, 0);
            int slot = 0;
            for (int round = 0; round < 2; round++) {
                for (long size : SIZES) {
                    heap.allocate(size, 1 + size % 5, EngramStack.rootSlot(pool, slot++), log);
                }
            }
            freeEveryThird(pool, heap, log, slot);
            heap.forEachObject(objects::add);
        }
        return describe("mixed", f, objects);
    }

    private static SeedImage grown(Path dir) {
        Path f = dir.resolve("grown.pool");
        List<Long> objects = new ArrayList<>();
        try (Pool pool = Pool.create(f, EngramStack.options().withSize(2 * MIB).withMaxSize(6 * MIB).withLanes(2, 8192))) {
            PersistentHeap heap = format(pool, pool.header().maxPoolSize() - pool.header().heapOffset());
            RedoLog log = EngramStack.lane(pool, 1);
            int slot = 0;
            while (pool.header().poolSize() < 4 * MIB) {
                heap.allocate(200_000, 9, EngramStack.rootSlot(pool, slot++), log);
                heap.allocate(90, 2, EngramStack.rootSlot(pool, slot++), log);
            }
            freeEveryThird(pool, heap, log, slot);
            heap.forEachObject(objects::add);
        }
        return describe("grown", f, objects);
    }

    private static SeedImage pendingRedo(Path dir) {
        Path f = dir.resolve("pending.pool");
        List<Long> objects = new ArrayList<>();
        try (Pool pool = Pool.create(f, EngramStack.options().withSize(8 * MIB).withLanes(4, 4096))) {
            PersistentHeap heap = format(pool, pool.header().heapSize());
            RedoLog log = EngramStack.lane(pool, 0);
            for (int i = 0; i < 12; i++) {
                heap.allocate(SIZES[i], 3, EngramStack.rootSlot(pool, i), log);
            }
            heap.forEachObject(objects::add);
            RedoLog pending = EngramStack.lane(pool, 2);
            pending.set(EngramStack.rootSlot(pool, 300), objects.getFirst());
            pending.set(EngramStack.rootSlot(pool, 301), 0x1234_5678L);
            pending.or(EngramStack.rootSlot(pool, 302), 0xF0);
            pending.and(EngramStack.rootSlot(pool, 0), -1L);
            pending.commit(); // durable and live; never applied: recovery must replay it
        }
        return describe("pending-redo", f, objects);
    }

    private static PersistentHeap format(Pool pool, long maxHeap) {
        Medium m = pool.medium();
        PoolHeader h = pool.header();
        for (int i = 0; i < h.laneCount(); i++) {
            RedoLog.format(m, pool.laneOffset(i), h.laneSize());
        }
        return PersistentHeap.create(m, h.heapOffset(), h.heapSize(), maxHeap, EngramStack.CHUNKS_PER_ZONE,
                EngramStack.extender(pool, 64 * MIB));
    }

    private static void freeEveryThird(Pool pool, PersistentHeap heap, RedoLog log, int slots) {
        for (int i = 0; i < slots; i += 3) {
            long slot = EngramStack.rootSlot(pool, i);
            heap.free(pool.medium().getLong(slot), slot, log);
        }
    }

    private static SeedImage describe(String name, Path f, List<Long> objects) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        PoolHeader h = PoolHeader.decode(java.util.Arrays.copyOf(bytes, 4096), name);
        List<Long> lanes = new ArrayList<>();
        for (int i = 0; i < h.laneCount(); i++) {
            lanes.add(h.laneAreaOffset() + (long) i * h.laneSize());
        }
        List<Long> zones = new ArrayList<>();
        List<Long> chunkHeaders = new ArrayList<>();
        List<Long> runs = new ArrayList<>();
        int zoneCount = ZoneLayout.zoneCount(EngramStack.CHUNKS_PER_ZONE, h.heapSize());
        for (int z = 0; z < zoneCount; z++) {
            long base = ZoneLayout.zoneBase(h.heapOffset(), EngramStack.CHUNKS_PER_ZONE, z);
            long data = ZoneLayout.zoneDataStart(h.heapOffset(), EngramStack.CHUNKS_PER_ZONE, z);
            zones.add(base);
            int chunks = ZoneLayout.chunkCount(EngramStack.CHUNKS_PER_ZONE, h.heapSize(), z);
            int c = 0;
            while (c < chunks) {
                long at = ZoneLayout.chunkHeaderOffset(base, c);
                long word = b.getLong((int) at);
                if (word == ChunkHeaderLayout.FREE) {
                    c++;
                    continue;
                }
                chunkHeaders.add(at);
                if (ChunkHeaderLayout.type(word) == ChunkHeaderLayout.TYPE_RUN) {
                    runs.add(ZoneLayout.chunkOffset(data, c));
                }
                c += (int) Math.max(1, ChunkHeaderLayout.sizeChunks(word));
            }
        }
        List<Long> blocks = objects.stream().map(o -> o - 16).toList();
        if (chunkHeaders.isEmpty() || runs.isEmpty() || blocks.isEmpty() || zones.size() < 2) {
            throw new IllegalStateException("seed " + name + " lacks structure: zones=" + zones + " chunks="
                    + chunkHeaders + " runs=" + runs + " blocks=" + blocks.size());
        }
        assert HeapLayout.HEADER_SIZE == 4096;
        return new SeedImage(name, bytes, h.heapOffset(), List.copyOf(lanes), h.laneSize(), List.copyOf(zones),
                List.copyOf(chunkHeaders), List.copyOf(runs), blocks);
    }
}
