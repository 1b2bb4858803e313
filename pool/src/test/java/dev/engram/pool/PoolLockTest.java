package dev.engram.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mode agreement (DESIGN.md §2.2): one writer, or any number of readers, never both. */
class PoolLockTest {
    @TempDir
    Path dir;

    private Path newPool() {
        Path file = dir.resolve("lock.pool");
        Pool.create(file, TestPools.options()).close();
        return file;
    }

    @Test
    void shouldRefuseASecondWriterInTheSameJvmNamingTheHolder() {
        Path file = newPool();
        try (Pool first = Pool.open(file, TestPools.options())) {
            assertThatThrownBy(() -> Pool.open(file, TestPools.options()))
                    .isInstanceOf(PoolBusyException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("holder pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("this process");
            assertThat(first.medium().getLong(0)).isEqualTo(PoolHeaderLayout.SIGNATURE);
        }
        Pool.open(file, TestPools.options()).close();
    }

    @Test
    void shouldRefuseAReaderWhileAWriterHoldsThePool() {
        Path file = newPool();
        try (Pool writer = Pool.open(file, TestPools.options())) {
            assertThatThrownBy(() -> Pool.open(file, TestPools.options().withReadOnly(true)))
                    .isInstanceOf(PoolBusyException.class);
        }
    }

    @Test
    void shouldLetReadersShareAndKeepWritersOut() {
        Path file = newPool();
        try (Pool r1 = Pool.open(file, TestPools.options().withReadOnly(true));
             Pool r2 = Pool.open(file, TestPools.options().withReadOnly(true))) {
            assertThat(r1.header().uuid()).isEqualTo(r2.header().uuid());
            assertThatThrownBy(() -> Pool.open(file, TestPools.options())).isInstanceOf(PoolBusyException.class);
        }
    }

    @Test
    void shouldGiveUpAfterTheLockTimeoutWhenStillBusy() {
        Path file = newPool();
        try (Pool first = Pool.open(file, TestPools.options())) {
            assertThatThrownBy(() -> Pool.open(file, TestPools.options().withLockTimeout(Duration.ofMillis(50))))
                    .isInstanceOf(PoolBusyException.class);
        }
    }

    @Test
    void shouldRefuseASecondProcessAndLetItInAfterTheFirstCloses() throws Exception {
        Path file = newPool();
        try (Pool mine = Pool.open(file, TestPools.options()); ChildJvm child = ChildJvm.start(ChildJvm.standardFlags(), PoolHolderMain.class, file.toString())) {
            String line = child.readLine();
            assertThat(line).startsWith("ERROR BUSY").contains("holder pid " + ProcessHandle.current().pid());
            assertThat(child.finish()).isZero();
        }
        try (ChildJvm child = ChildJvm.start(ChildJvm.standardFlags(), PoolHolderMain.class, file.toString())) {
            String ready = child.readLine();
            assertThat(ready).startsWith("READY");
            long childPid = Long.parseLong(ready.substring("READY ".length()).trim());
            assertThatThrownBy(() -> Pool.open(file, TestPools.options()))
                    .isInstanceOf(PoolBusyException.class)
                    .hasMessageContaining("holder pid " + childPid);
            assertThat(child.finish()).isZero();
        }
        Pool.open(file, TestPools.options()).close();
    }

    @Test
    void shouldWaitForAnotherProcessWithinTheTimeout() throws Exception {
        Path file = newPool();
        try (ChildJvm child = ChildJvm.start(ChildJvm.standardFlags(), PoolHolderMain.class, file.toString())) {
            assertThat(child.readLine()).startsWith("READY");
            // Let the child go while this thread is already waiting on the lock.
            Thread releaser = Thread.ofVirtual().start(() -> {
                try {
                    child.finish();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Pool pool = Pool.open(file, TestPools.options().withLockTimeout(Duration.ofSeconds(60)))) {
                assertThat(pool.recoveryNeeded()).isFalse();
            }
            releaser.join();
        }
    }
}
