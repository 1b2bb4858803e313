package dev.engram.reliability;

import dev.engram.allocator.HeapCheckReport;
import dev.engram.allocator.PersistentHeap;
import dev.engram.allocator.RedoLog;
import dev.engram.pool.EngramException;
import dev.engram.pool.OutOfPoolMemoryException;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.medium.MemoryMedium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * What the fuzzers run on an untrusted image. Each target either returns normally or throws; the
 * oracle ({@link FuzzOracle}) accepts only {@link EngramException}s. Targets also assert properties
 * that must hold whenever the input was accepted (as {@link AssertionError}s, which the oracle
 * reports): a heap that {@code check()} finds consistent stays consistent through allocations and
 * frees, every object {@code forEachObject} lists can be freed, and a pool that opened and closed
 * opens again.
 */
final class FuzzTargets {
    /** The heap may grow while fuzzing, but a forged maximum must not make a test allocate gigabytes. */
    static final long GROWTH_CAP = 12L << 20;

    enum Target {
        /** {@link Pool#attach} on a memory image, recovery, heap open, check, stats, iteration, alloc/free. */
        ATTACH,
        /** The same through {@link Pool#open} of a file, then close and a second open. */
        OPEN_FILE,
        /** {@link Pool#open} read-only and {@link HeapCheckReport#run} on the reader. */
        OPEN_READ_ONLY,
        /** {@link RedoLog#recover} on every lane-sized region of the image, no validation first. */
        RECOVER_REGIONS
    }

    private FuzzTargets() {
    }

    static void run(Target target, byte[] image, Path scratch) {
        switch (target) {
            case ATTACH -> attach(image);
            case OPEN_FILE -> openFile(image, scratch, false);
            case OPEN_READ_ONLY -> openFile(image, scratch, true);
            case RECOVER_REGIONS -> recoverRegions(image);
        }
    }

    private static MemoryMedium load(byte[] image) {
        MemoryMedium m = MemoryMedium.allocate(image.length);
        MemorySegment.copy(image, 0, m.segmentForHarness(), ValueLayout.JAVA_BYTE, 0, image.length);
        return m;
    }

    static void attach(byte[] image) {
        try (MemoryMedium m = load(image)) {
            Pool pool = Pool.attach(m, EngramStack.LAYOUT);
            exercise(pool);
            pool.close();
        }
    }

    static void openFile(byte[] image, Path scratch, boolean readOnly) {
        Path file = scratch.resolve("fuzz-" + Thread.currentThread().threadId() + ".pool");
        try {
            Files.deleteIfExists(file);
            Files.write(file, image);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            boolean consistent;
            try (Pool pool = Pool.open(file, EngramStack.options().withReadOnly(readOnly))) {
                if (readOnly) {
                    PoolHeader h = pool.header();
                    HeapCheckReport.run(pool.reader(), h.heapOffset(), h.heapSize());
                    return;
                }
                consistent = exercise(pool);
            }
            // Accepted once and closed cleanly: it must open again, and stay as consistent as it was.
            try (Pool again = Pool.open(file, EngramStack.options())) {
                PersistentHeap heap = EngramStack.recoverAndOpen(again, GROWTH_CAP);
                if (consistent) {
                    HeapCheckReport report = heap.check();
                    if (!report.isConsistent()) {
                        throw new AssertionError("consistent heap became inconsistent across close/open: " + report.problems());
                    }
                }
            }
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Recovery, heap open, check, stats, iteration and a few allocations and frees. Returns whether
     * the heap was (and stayed) consistent.
     */
    static boolean exercise(Pool pool) {
        PoolHeader h = pool.header();
        PersistentHeap heap = EngramStack.recoverAndOpen(pool, GROWTH_CAP);
        HeapCheckReport before = heap.check();
        heap.stats();
        List<Long> objects = new ArrayList<>();
        heap.forEachObject(o -> {
            if (objects.size() < 64) {
                objects.add(o);
            }
        });
        heap.forEachObject(3, o -> { });
        if (!EngramStack.lanesHoldRedoLogs(h)) {
            return before.isConsistent(); // a lane of 64 bytes holds no redo entry: the lane layer must refuse it
        }
        RedoLog log = EngramStack.lane(pool, 0);
        long a = tryAllocate(heap, 48, 3, EngramStack.rootSlot(pool, 500), log);
        long b = tryAllocate(heap, 5000, 4, EngramStack.rootSlot(pool, 501), log);
        long s = tryAllocate(heap, 600_000, 5, 0, log);
        if (!objects.isEmpty()) {
            heap.free(objects.get(objects.size() / 2), 0, log);
        }
        if (a != 0) {
            heap.free(a, EngramStack.rootSlot(pool, 500), log);
        }
        if (before.isConsistent()) {
            HeapCheckReport after = heap.check();
            if (!after.isConsistent()) {
                throw new AssertionError("allocations and frees made a consistent heap inconsistent: " + after.problems());
            }
            List<Long> live = new ArrayList<>();
            heap.forEachObject(live::add);
            for (long o : new long[] {b, s}) {
                if (o != 0 && !live.contains(o)) {
                    throw new AssertionError("allocated object " + o + " is not listed by forEachObject");
                }
            }
        }
        heap.stats();
        return before.isConsistent();
    }

    private static long tryAllocate(PersistentHeap heap, long size, long type, long destination, RedoLog log) {
        try {
            return heap.allocate(size, type, destination, log);
        } catch (OutOfPoolMemoryException e) {
            return 0;
        }
    }

    /** Recovers every lane-sized region of the pool, wherever the header says lanes are or not. */
    static void recoverRegions(byte[] image) {
        try (MemoryMedium m = load(image)) {
            long laneSize = 4096;
            if (image.length >= 104) {
                int recorded = java.nio.ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(100);
                if (recorded >= 64 && recorded <= (1 << 20)) {
                    laneSize = recorded & ~63L;
                }
            }
            long end = Math.min(image.length, 256L << 10);
            for (long off = 12288; off + 64 <= end; off += laneSize) {
                try {
                    RedoLog.recover(m, off, laneSize, 12288, m.size());
                } catch (EngramException e) {
                    // a corrupt region is reported; the next one is independent
                }
            }
        }
    }
}
