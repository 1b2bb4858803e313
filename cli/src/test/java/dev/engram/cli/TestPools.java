package dev.engram.cli;

import dev.engram.allocator.PersistentHeap;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.MemoryBlock;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;
import dev.engram.tx.Ref;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Builds pools for the CLI tests in-process, and damages them one word at a time. */
final class TestPools {
    static final ObjectLayout LAYOUT = ObjectLayout.named("cli-test");
    static final long SIZE = 8L << 20;

    private TestPools() {
    }

    static PoolOptions options() {
        return PoolOptions.defaults().withSize(SIZE).withLanes(4, 16 << 10);
    }

    /** A pool with {@code count} objects of {@code size} bytes and type {@code type}, each holding its index; the first is the root. */
    static List<Long> create(Path path, int count, long size, int type) {
        try (ObjectPool p = ObjectPool.create(path, LAYOUT, options())) {
            return allocate(p, count, size, type, true);
        }
    }

    static List<Long> allocate(ObjectPool p, int count, long size, int type, boolean setRoot) {
        List<Long> offsets = new ArrayList<>();
        p.run(tx -> {
            for (int i = 0; i < count; i++) {
                MemoryBlock b = p.allocateBlock(size, type);
                b.setLong(0, 1000 + i);
                offsets.add(b.offset());
            }
            if (setRoot && !offsets.isEmpty()) {
                p.setRoot(new Ref<>(offsets.getFirst(), Object.class));
            }
        });
        return offsets;
    }

    static ObjectPool open(Path path) {
        return ObjectPool.open(path, LAYOUT, PoolOptions.defaults());
    }

    static PoolHeader header(Path path) {
        try (Pool p = Pool.open(path, PoolOptions.defaults().withReadOnly(true))) {
            return p.header();
        }
    }

    static int chunksPerZone(Path path) {
        try (ObjectPool p = open(path)) {
            return ((dev.engram.tx.AllocatorTxHeap) p.engine().heap()).heap().chunksPerZone();
        }
    }

    static PersistentHeap heapOf(ObjectPool p) {
        return ((dev.engram.tx.AllocatorTxHeap) p.engine().heap()).heap();
    }

    static long readLong(Path path, long offset) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, offset);
            return b.getLong(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeLong(Path path, long offset, long value) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
            ch.write(b, offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeBytes(Path path, long offset, byte[] bytes) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
