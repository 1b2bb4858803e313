package dev.engram.tx;

import dev.engram.pool.MappingPolicy;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MemoryMedium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Pools for engine tests: small, two lanes of 4 KiB, on the fake heap. */
final class Fixture {
    static final String LAYOUT = "tx-test";

    private Fixture() {
    }

    static PoolOptions options() {
        return PoolOptions.defaults().withLayout(LAYOUT).withSize(1 << 20).withLanes(2, 4096)
                .withPolicy(MappingPolicy.PAGE_CACHE);
    }

    /** Creates a pool file, formats it, runs {@code setup}, closes it and returns its bytes. */
    static byte[] image(Path dir, Consumer<TxEngine> setup) {
        return image(dir, FakeHeap.FACTORY, setup);
    }

    static byte[] image(Path dir, TxHeap.Factory factory, Consumer<TxEngine> setup) {
        return image(dir, factory, options(), setup);
    }

    static byte[] image(Path dir, TxHeap.Factory factory, PoolOptions options, Consumer<TxEngine> setup) {
        Path file = dir.resolve("base-" + System.nanoTime() + ".pool");
        try (Pool pool = Pool.create(file, options)) {
            TxEngine engine = TxEngine.format(pool, factory);
            setup.accept(engine);
            engine.close();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens (recovering) an engine over an in-memory image. */
    static TxEngine open(Medium medium) {
        return open(medium, FakeHeap.FACTORY);
    }

    static TxEngine open(Medium medium, TxHeap.Factory factory) {
        return TxEngine.open(Pool.attach(medium, LAYOUT), factory);
    }

    static TxEngine open(byte[] image) {
        return open(image, FakeHeap.FACTORY);
    }

    static TxEngine open(byte[] image, TxHeap.Factory factory) {
        MemoryMedium m = MemoryMedium.allocate(image.length);
        m.segmentForHarness().copyFrom(java.lang.foreign.MemorySegment.ofArray(image));
        return open(m, factory);
    }

    /** The bytes of an engine's in-memory medium. */
    static byte[] bytes(TxEngine e) {
        return ((MemoryMedium) e.medium()).segmentForHarness().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    static long rootWord(TxEngine e) {
        return RootLayout.rootObjectOffset(e.pool().rootAreaOffset());
    }

    /** Fills {@code length} bytes at {@code offset} with {@code value} outside any transaction and persists. */
    static void fillPersist(TxEngine e, long offset, long length, int value) {
        e.medium().fill(offset, length, (byte) value);
        e.medium().persist(offset, length);
    }

    /** True when every byte of the range equals {@code value}. */
    static boolean all(TxEngine e, long offset, long length, int value) {
        for (long i = 0; i < length; i++) {
            if (e.medium().getByte(offset + i) != (byte) value) {
                return false;
            }
        }
        return true;
    }
}
