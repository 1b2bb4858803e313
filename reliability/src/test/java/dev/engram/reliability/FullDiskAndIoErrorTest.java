package dev.engram.reliability;

import dev.engram.allocator.HeapCheckReport;
import dev.engram.allocator.PersistentHeap;
import dev.engram.allocator.RedoLog;
import dev.engram.pool.EngramException;
import dev.engram.pool.OutOfPoolMemoryException;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolIoException;
import dev.engram.pool.medium.Medium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Full disks and I/O errors on a real (tiny, 4 MiB) tmpfs mounted per test: create and grow past
 * the free space, heap growth whose extender fails, read-only files and a read-only remount, a
 * pool file deleted while open. Every failure must be a typed {@link EngramException} and leave the
 * pool consistent and usable at its old size. Media errors (a file truncated under the mapping)
 * are in {@link TruncatedMappingTest}, in child JVMs.
 */
class FullDiskAndIoErrorTest {
    private static final long MIB = 1L << 20;
    private TinyTmpfs fs;

    @BeforeEach
    void mountTinyTmpfs() throws IOException {
        fs = TinyTmpfs.mount("4m");
    }

    @AfterEach
    void unmount() throws IOException {
        if (fs != null) {
            fs.close();
        }
    }

    private static PersistentHeap format(Pool pool) {
        Medium m = pool.medium();
        PoolHeader h = pool.header();
        for (int i = 0; i < h.laneCount(); i++) {
            RedoLog.format(m, pool.laneOffset(i), h.laneSize());
        }
        return PersistentHeap.create(m, h.heapOffset(), h.heapSize(), h.maxPoolSize() - h.heapOffset(),
                EngramStack.CHUNKS_PER_ZONE, EngramStack.extender(pool, Long.MAX_VALUE));
    }

    private static List<Long> fill(Pool pool, PersistentHeap heap, int count) {
        RedoLog log = EngramStack.lane(pool, 0);
        List<Long> objects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long o = heap.allocate(100 + 8L * (i % 3), 1, EngramStack.rootSlot(pool, i), log);
            pool.medium().putLong(o, 1000 + i);
            pool.medium().persist(o, 8);
            objects.add(o);
        }
        return objects;
    }

    private static void assertIntact(Pool pool, List<Long> objects) {
        PersistentHeap heap = EngramStack.recoverAndOpen(pool, Long.MAX_VALUE);
        HeapCheckReport report = heap.check();
        assertThat(report.problems()).isEmpty();
        assertThat(report.objects()).isEqualTo(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            assertThat(pool.reader().getLong(EngramStack.rootSlot(pool, i))).isEqualTo(objects.get(i));
            assertThat(pool.reader().getLong(objects.get(i))).isEqualTo(1000 + i);
        }
    }

    @Test
    void shouldFailCreateWithNoSpaceAndLeaveNoFileWhenPoolExceedsFreeSpace() {
        Path file = fs.dir.resolve("big.pool");
        assertThatThrownBy(() -> Pool.create(file, EngramStack.options().withSize(8 * MIB)))
                .isInstanceOf(PoolIoException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("no space left");
        assertThat(file).doesNotExist();
    }

    @Test
    void shouldFailGrowTypedAndKeepThePoolUsableAtItsOldSizeWhenTheDiskIsFull() throws IOException {
        Path file = fs.dir.resolve("grow.pool");
        List<Long> objects;
        try (Pool pool = Pool.create(file, EngramStack.options().withSize(2 * MIB).withMaxSize(16 * MIB).withLanes(2, 4096))) {
            objects = fill(pool, format(pool), 20);
            assertThatThrownBy(() -> pool.grow(8 * MIB)).isInstanceOf(PoolIoException.class)
                    .hasMessageContaining("cannot grow " + file);
            assertThat(pool.header().poolSize()).isEqualTo(2 * MIB);
            // still usable at the old size, in this session
            assertIntact(pool, objects);
            PersistentHeap heap = EngramStack.recoverAndOpen(pool, Long.MAX_VALUE);
            long o = heap.allocate(100, 1, EngramStack.rootSlot(pool, 20), EngramStack.lane(pool, 0));
            pool.medium().putLong(o, 1020);
            pool.medium().persist(o, 8);
            objects.add(o);
        }
        try (Pool again = Pool.open(file, EngramStack.options())) {
            assertThat(again.header().poolSize()).isEqualTo(2 * MIB);
            assertThat(again.recoveryNeeded()).isFalse();
            assertIntact(again, objects);
        }
    }

    @Test
    void shouldFailHeapGrowthTypedAndKeepTheHeapConsistentWhenTheDiskFillsUp() {
        Path file = fs.dir.resolve("heap.pool");
        try (Pool pool = Pool.create(file, EngramStack.options().withSize(2 * MIB).withMaxSize(64 * MIB).withLanes(2, 4096))) {
            PersistentHeap heap = format(pool);
            List<Long> objects = fill(pool, heap, 10);
            RedoLog log = EngramStack.lane(pool, 0);
            // Spans of 3 chunks until the heap must grow; the extender's grow hits the full tmpfs.
            Throwable failure = null;
            int spans = 0;
            try {
                for (; spans < 64; spans++) {
                    heap.allocate(700_000, 2, 0, log);
                }
            } catch (EngramException e) {
                failure = e;
            }
            assertThat(failure).as("growth past the 4 MiB file system must fail typed").isNotNull()
                    .isInstanceOfAny(PoolIoException.class, OutOfPoolMemoryException.class);
            System.out.println("heap growth on a full disk after " + spans + " spans: " + failure);
            assertThat(heap.check().problems()).isEmpty();
            assertThat(heap.allocate(64, 1, 0, log)).as("small allocations still work").isPositive();
            assertThat(pool.reader().getLong(objects.getFirst())).isEqualTo(1000);
        }
    }

    @Test
    void shouldRaiseOutOfPoolMemoryWhenTheExtenderCannotGrow() {
        Path file = fs.dir.resolve("fixed.pool");
        try (Pool pool = Pool.create(file, EngramStack.options().withSize(2 * MIB).withLanes(2, 4096))) {
            PoolHeader h = pool.header();
            for (int i = 0; i < h.laneCount(); i++) {
                RedoLog.format(pool.medium(), pool.laneOffset(i), h.laneSize());
            }
            PersistentHeap heap = PersistentHeap.create(pool.medium(), h.heapOffset(), h.heapSize(), 32 * MIB,
                    EngramStack.CHUNKS_PER_ZONE, minBytes -> pool.header().heapSize());
            RedoLog log = EngramStack.lane(pool, 0);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 64; i++) {
                    heap.allocate(700_000, 2, 0, log);
                }
            }).isInstanceOf(OutOfPoolMemoryException.class).hasMessageContaining("no free block for an object of 700000 bytes");
            assertThat(heap.check().problems()).isEmpty();
        }
    }

    @Test
    void shouldRefuseWritableOpenOfAReadOnlyFileAndAllowReadOnlyOpen() throws IOException {
        Path file = fs.dir.resolve("ro-file.pool");
        try (Pool pool = Pool.create(file, EngramStack.options().withSize(2 * MIB).withLanes(2, 4096))) {
            fill(pool, format(pool), 3);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThatThrownBy(() -> Pool.open(file, EngramStack.options())).isInstanceOf(PoolIoException.class)
                .hasMessageContaining("read-only file");
        try (Pool ro = Pool.open(file, EngramStack.options().withReadOnly(true))) {
            PoolHeader h = ro.header();
            assertThat(HeapCheckReport.run(ro.reader(), h.heapOffset(), h.heapSize()).objects()).isEqualTo(3);
            assertThatThrownBy(ro::medium).isInstanceOf(PoolIoException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    void shouldRefuseWritableOpenOnAReadOnlyMountAndAllowReadOnlyOpen() {
        Path file = fs.dir.resolve("ro-mount.pool");
        try (Pool pool = Pool.create(file, EngramStack.options().withSize(2 * MIB).withLanes(2, 4096))) {
            fill(pool, format(pool), 5);
        }
        fs.remountReadOnly();
        assertThatThrownBy(() -> Pool.open(file, EngramStack.options())).isInstanceOf(PoolIoException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("Read-only file system");
        try (Pool ro = Pool.open(file, EngramStack.options().withReadOnly(true))) {
            PoolHeader h = ro.header();
            HeapCheckReport report = HeapCheckReport.run(ro.reader(), h.heapOffset(), h.heapSize());
            assertThat(report.problems()).isEmpty();
            assertThat(report.objects()).isEqualTo(5);
        }
        assertThatThrownBy(() -> Pool.create(fs.dir.resolve("new.pool"), EngramStack.options().withSize(MIB)))
                .isInstanceOf(PoolIoException.class);
    }

    @Test
    void shouldKeepWorkingUntilCloseWhenTheFileIsDeletedWhileOpen() throws IOException {
        Path file = fs.dir.resolve("deleted.pool");
        try (Pool pool = Pool.create(file, EngramStack.options().withSize(2 * MIB).withLanes(2, 4096))) {
            PersistentHeap heap = format(pool);
            List<Long> objects = fill(pool, heap, 5);
            Files.delete(file);
            long more = heap.allocate(4000, 7, EngramStack.rootSlot(pool, 100), EngramStack.lane(pool, 1));
            pool.medium().putLong(more, 77);
            pool.medium().persist(more, 8);
            assertThat(pool.reader().getLong(more)).isEqualTo(77);
            assertThat(heap.check().objects()).isEqualTo(6);
        }
        assertThatThrownBy(() -> Pool.open(file, EngramStack.options())).isInstanceOf(PoolIoException.class)
                .hasMessageContaining("does not exist");
    }
}
