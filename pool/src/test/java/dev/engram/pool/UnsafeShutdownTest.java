package dev.engram.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class UnsafeShutdownTest {
    @TempDir
    Path dir;

    @Test
    void shouldSumTheDirtyShutdownCountsOfTheRegionsDimms() throws Exception {
        Path sys = dir.resolve("sys");
        Path region = sys.resolve("devices/ndbus0/region0");
        Path pmem = region.resolve("namespace0.0/block/pmem0");
        Files.createDirectories(pmem);
        Files.createDirectories(sys.resolve("dev/block"));
        Files.createSymbolicLink(sys.resolve("dev/block/259:0"), pmem);
        Files.writeString(region.resolve("mapping0"), "nmem0,0,1073741824,0\n");
        Files.writeString(region.resolve("mapping1"), "nmem1,0,1073741824,1\n");
        for (String n : new String[]{"nmem0", "nmem1"}) {
            Files.createDirectories(sys.resolve("bus/nd/devices/" + n + "/nfit"));
        }
        Files.writeString(sys.resolve("bus/nd/devices/nmem0/nfit/dirty_shutdown"), "3\n");
        Files.writeString(sys.resolve("bus/nd/devices/nmem1/nfit/dirty_shutdown"), "4\n");

        assertThat(new SysfsUnsafeShutdownCounter(sys).forDevice(259, 0)).isEqualTo(OptionalLong.of(7));
    }

    @Test
    void shouldReportNoCounterForANonPmemDevice() throws Exception {
        Path sys = dir.resolve("sys");
        Path sda = sys.resolve("devices/pci0/block/sda");
        Files.createDirectories(sda);
        Files.createDirectories(sys.resolve("dev/block"));
        Files.createSymbolicLink(sys.resolve("dev/block/8:0"), sda);
        assertThat(new SysfsUnsafeShutdownCounter(sys).forDevice(8, 0)).isEmpty();
        assertThat(new SysfsUnsafeShutdownCounter(sys).forDevice(8, 1)).isEmpty();
    }

    @Test
    void shouldFindNoCounterForThisMachinesFilesAndStillOpen() {
        Path file = dir.resolve("plain.pool");
        assertThat(UnsafeShutdownCounter.system().read(dir)).isEmpty();
        Pool.create(file, TestPools.options()).close();
        try (Pool pool = Pool.open(file, TestPools.options())) {
            assertThat(pool.info().shutdownCount()).isEqualTo(-1);
            assertThat(pool.info().unsafeShutdown()).isFalse();
        }
    }

    @Test
    void shouldDecodeLinuxDeviceNumbers() {
        long dev = (259L << 8) | 3; // small numbers: major in bits 8..19, minor in 0..7
        assertThat(SysfsUnsafeShutdownCounter.major(dev)).isEqualTo(259);
        assertThat(SysfsUnsafeShutdownCounter.minor(dev)).isEqualTo(3);
        long big = (0x12345L << 44) | (0xABCL << 8) | (0x678L << 20) | 0x9A; // large major and minor parts
        assertThat(SysfsUnsafeShutdownCounter.major(big)).isEqualTo((0x12345L << 12) | 0xABC);
        assertThat(SysfsUnsafeShutdownCounter.minor(big)).isEqualTo((0x678L << 8) | 0x9A);
    }

    @Test
    void shouldReportAnUnsafeShutdownWhenTheCounterMovedWhileThePoolWasInUse() throws Exception {
        AtomicLong device = new AtomicLong(5);
        PoolOptions o = TestPools.options().withShutdownCounter(f -> OptionalLong.of(device.get()));
        Path file = dir.resolve("usc.pool");
        Path crashed = dir.resolve("usc-crashed.pool");
        try (Pool pool = Pool.create(file, o)) {
            assertThat(pool.header().shutdownCount()).isEqualTo(5);
            Files.copy(file, crashed, StandardCopyOption.REPLACE_EXISTING);
        }
        device.set(6);
        try (Pool pool = Pool.open(crashed, o)) {
            assertThat(pool.info().unsafeShutdown()).isTrue();
            assertThat(pool.recoveryNeeded()).isTrue();
            assertThat(pool.header().shutdownCount()).isEqualTo(6);
        }
        try (Pool pool = Pool.open(file, o)) {
            assertThat(pool.info().unsafeShutdown()).as("closed cleanly before the counter moved").isFalse();
        }
    }
}
