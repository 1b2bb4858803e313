package dev.engram.pool;

import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void shouldCreateWriteReopenAndReadBack() {
        Path file = dir.resolve("a.pool");
        long heap;
        try (Pool pool = Pool.create(file, TestPools.options().withPolicy(MappingPolicy.PAGE_CACHE))) {
            heap = pool.header().heapOffset();
            Medium m = pool.medium();
            m.putLong(heap, 0xFEEDL);
            m.persist(heap, 8);
            assertThat(pool.recoveryNeeded()).isFalse();
        }
        try (Pool pool = Pool.open(file, PoolOptions.defaults().withLayout("test"))) {
            assertThat(pool.reader().getLong(heap)).isEqualTo(0xFEEDL);
            assertThat(pool.info().cleanShutdownAtOpen()).isTrue();
            assertThat(pool.recoveryNeeded()).isFalse();
            assertThat(pool.info().poolSize()).isEqualTo(TestPools.SIZE);
            assertThat(pool.info().layout()).isEqualTo("test");
        }
    }

    @Test
    void shouldCreateTheFileWithMode0600() throws Exception {
        Path file = dir.resolve("mode.pool");
        Pool.create(file, TestPools.options()).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void shouldLayTheFileOutAsTheHeaderSays() {
        try (Pool pool = Pool.create(dir.resolve("geo.pool"), TestPools.options())) {
            PoolHeader h = pool.header();
            assertThat(h.rootAreaOffset()).isEqualTo(8192);
            assertThat(h.laneAreaOffset()).isEqualTo(12288);
            assertThat(pool.laneOffset(1)).isEqualTo(12288 + 4096);
            assertThat(h.heapOffset()).isEqualTo(12288 + 4 * 4096);
            assertThat(h.heapOffset() + h.heapSize()).isEqualTo(TestPools.SIZE);
            assertThatThrownBy(() -> pool.laneOffset(4)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void shouldReportRecoveryNeededAfterAnUncleanShutdown() throws Exception {
        Path file = dir.resolve("live.pool");
        Path crashed = dir.resolve("crashed.pool");
        try (Pool pool = Pool.create(file, TestPools.options())) {
            pool.medium().drain();
            // A copy taken while the pool is open looks exactly like a pool after a crash: "in use".
            Files.copy(file, crashed, StandardCopyOption.REPLACE_EXISTING);
        }
        try (Pool pool = Pool.open(crashed, TestPools.options())) {
            assertThat(pool.recoveryNeeded()).isTrue();
            assertThat(pool.info().cleanShutdownAtOpen()).isFalse();
        }
        try (Pool pool = Pool.open(crashed, TestPools.options())) {
            assertThat(pool.recoveryNeeded()).as("the clean close after recovery counts").isFalse();
        }
    }

    @Test
    void shouldUseThePageCacheInAutoModeWithoutDaxAndSayWhy() {
        try (Pool pool = Pool.create(dir.resolve("auto.pool"), TestPools.options().withPolicy(MappingPolicy.AUTO))) {
            assertThat(pool.info().mediumKind()).isEqualTo(MediumKind.PAGE_CACHE);
            assertThat(pool.info().mediumReason()).contains("MAP_SYNC");
        }
    }

    @Test
    void shouldRefuseRequireDaxOnAFileWithoutDaxAndLeaveNothingBehind() {
        Path file = dir.resolve("dax.pool");
        assertThatThrownBy(() -> Pool.create(file, TestPools.options().withPolicy(MappingPolicy.REQUIRE_DAX)))
                .isInstanceOf(DaxUnavailableException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("MAP_SYNC");
        assertThat(file).doesNotExist();
    }

    @Test
    void shouldRefuseRequireDaxWhenOpeningAnExistingNonDaxPool() {
        Path file = dir.resolve("dax2.pool");
        Pool.create(file, TestPools.options()).close();
        assertThatThrownBy(() -> Pool.open(file, TestPools.options().withPolicy(MappingPolicy.REQUIRE_DAX)))
                .isInstanceOf(DaxUnavailableException.class)
                .hasMessageContaining("Operation not supported");
    }

    @Test
    void shouldOpenForcedPmemOnTmpfs() throws Exception {
        Path shm = TestPools.shmDir();
        try (Pool pool = Pool.create(shm.resolve("f.pool"), TestPools.options().withPolicy(MappingPolicy.FORCE_PMEM))) {
            assertThat(pool.info().mediumKind()).isEqualTo(MediumKind.FORCED_PMEM);
            long before = pool.medium().counters().linesWrittenBack();
            pool.medium().putLong(pool.header().heapOffset(), 1);
            pool.medium().persist(pool.header().heapOffset(), 8);
            assertThat(pool.medium().counters().linesWrittenBack() - before).isEqualTo(1);
        } finally {
            TestPools.deleteTree(shm);
        }
    }

    @Test
    void shouldGrowUpToTheMaximumAndKeepTheNewSizeAfterReopen() {
        Path file = dir.resolve("grow.pool");
        long max = 4L << 20;
        try (Pool pool = Pool.create(file, TestPools.options().withMaxSize(max))) {
            long heap = pool.grow(3L << 20);
            assertThat(heap).isEqualTo((3L << 20) - pool.header().heapOffset());
            pool.medium().putLong((3L << 20) - 8, 99);
            pool.medium().persist((3L << 20) - 8, 8);
            assertThatThrownBy(() -> pool.grow(max + 4096)).isInstanceOf(OutOfPoolMemoryException.class)
                    .hasMessageContaining("maximum");
        }
        try (Pool pool = Pool.open(file, TestPools.options())) {
            assertThat(pool.header().poolSize()).isEqualTo(3L << 20);
            assertThat(pool.reader().getLong((3L << 20) - 8)).isEqualTo(99);
        }
    }

    @Test
    void shouldRefuseUseAfterCloseAndCloseTwiceQuietly() {
        Pool pool = Pool.create(dir.resolve("closed.pool"), TestPools.options());
        pool.close();
        pool.close();
        assertThatThrownBy(pool::medium).isInstanceOf(PoolClosedException.class);
    }

    @Test
    void shouldOpenReadOnlyWithoutWritingAnything() throws Exception {
        Path file = dir.resolve("ro.pool");
        Pool.create(file, TestPools.options()).close();
        byte[] before = Files.readAllBytes(file);
        try (Pool pool = Pool.open(file, TestPools.options().withReadOnly(true))) {
            assertThat(pool.isReadOnly()).isTrue();
            assertThat(pool.reader().getLong(0)).isEqualTo(PoolHeaderLayout.SIGNATURE);
            assertThatThrownBy(pool::medium).isInstanceOf(PoolIoException.class).hasMessageContaining("read-only");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void shouldAttachToAnImageWithoutWritingTheHeader() {
        try (Pool pool = Pool.create(dir.resolve("img.pool"), TestPools.options())) {
            dev.engram.pool.medium.MemoryMedium image = dev.engram.pool.medium.MemoryMedium.allocate(TestPools.SIZE);
            byte[] all = new byte[(int) TestPools.SIZE];
            pool.reader().getBytes(0, all, 0, all.length);
            image.putBytes(0, all, 0, all.length);
            try (Pool attached = Pool.attach(image, "test")) {
                assertThat(attached.recoveryNeeded()).isTrue();
                assertThat(attached.header().uuid()).isEqualTo(pool.header().uuid());
            }
            assertThat(image.getLong(0)).isEqualTo(PoolHeaderLayout.SIGNATURE);
            image.close();
        }
    }
}
