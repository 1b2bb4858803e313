package dev.engram.pool;

import dev.engram.pool.linux.CloneMethod;
import dev.engram.pool.linux.TestFiles;
import dev.engram.pool.medium.MediumKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pool-level clones (DESIGN.md §2.3): a new identity, the same contents, and shared extents handled. */
class PoolCloneTest {
    @TempDir
    Path dir;

    /** Writes the whole heap: preallocated but unwritten extents are not shared by a reflink. */
    private static void fillHeap(Pool pool) {
        pool.medium().fillPersist(pool.header().heapOffset(), pool.header().heapSize(), (byte) 0x5A);
    }

    private static long writeMarker(Pool pool, long value) {
        long at = pool.header().heapOffset() + 4096;
        pool.medium().putLongPersist(at, value);
        return at;
    }

    @Test
    void shouldCopyWhereExtentsCannotBeSharedAndGiveTheCloneANewUuid() {
        Path src = dir.resolve("src.pool");
        Path dst = dir.resolve("dst.pool");
        long at;
        java.util.UUID srcUuid;
        try (Pool pool = Pool.create(src, TestPools.options())) {
            at = writeMarker(pool, 77);
            srcUuid = pool.header().uuid();
        }
        CloneReport report = Pool.clone(src, dst);

        assertThat(report.method()).isIn(CloneMethod.COPY_FILE_RANGE, CloneMethod.COPY);
        assertThat(report.shared()).isFalse();
        assertThat(report.bytes()).isEqualTo(TestPools.SIZE);
        try (Pool clone = Pool.open(dst, TestPools.options())) {
            assertThat(clone.header().uuid()).isEqualTo(report.uuid()).isNotEqualTo(srcUuid);
            assertThat(clone.info().compatFeatures() & PoolFeatures.COMPAT_CLONED).isNotZero();
            assertThat(clone.reader().getLong(at)).isEqualTo(77);
            assertThat(clone.recoveryNeeded()).isFalse();
        }
        try (Pool pool = Pool.open(src, TestPools.options())) {
            assertThat(pool.header().uuid()).isEqualTo(srcUuid);
        }
    }

    @Test
    void shouldRefuseToCloneAPoolOpenForWritingElsewhere() {
        Path src = dir.resolve("busy.pool");
        try (Pool pool = Pool.create(src, TestPools.options())) {
            assertThatThrownBy(() -> Pool.clone(src, dir.resolve("x.pool"))).isInstanceOf(PoolBusyException.class)
                    .hasMessageContaining("cloneTo");
        }
        assertThat(dir.resolve("x.pool")).doesNotExist();
    }

    @Test
    void shouldRefuseAnExistingTargetAndLeaveItAlone() throws Exception {
        Path src = dir.resolve("s.pool");
        Path dst = dir.resolve("taken.pool");
        Pool.create(src, TestPools.options()).close();
        Files.writeString(dst, "mine");
        assertThatThrownBy(() -> Pool.clone(src, dst)).isInstanceOf(PoolIoException.class).hasMessageContaining("exists");
        assertThat(Files.readString(dst)).isEqualTo("mine");
    }

    @Test
    void shouldRefuseToCloneSomethingThatIsNotAPool() throws Exception {
        Path junk = dir.resolve("junk.pool");
        Files.write(junk, new byte[1 << 20]);
        assertThatThrownBy(() -> Pool.clone(junk, dir.resolve("j2.pool"))).isInstanceOf(PoolCorruptedException.class);
        assertThat(dir.resolve("j2.pool")).doesNotExist();
    }

    @Test
    void shouldCloneAnOpenPoolAsACrashConsistentSnapshot() {
        Path src = dir.resolve("live.pool");
        Path dst = dir.resolve("snap.pool");
        try (Pool pool = Pool.create(src, TestPools.options())) {
            long at = writeMarker(pool, 5);
            CloneReport report = pool.cloneTo(dst);
            writeMarker(pool, 6);
            try (Pool snap = Pool.open(dst, TestPools.options())) {
                assertThat(snap.recoveryNeeded()).as("taken while in use: recovers like a crash image").isTrue();
                assertThat(snap.reader().getLong(at)).isEqualTo(5);
                assertThat(snap.header().uuid()).isEqualTo(report.uuid());
            }
        }
    }

    @Test
    void shouldReflinkOnXfsAndReportTheSharedFraction() throws Exception {
        Path base = TestFiles.freshDir(TestFiles.reflinkDir());
        try {
            Path src = base.resolve("src.pool");
            Path dst = base.resolve("dst.pool");
            long at;
            try (Pool pool = Pool.create(src, TestPools.options())) {
                fillHeap(pool);
                at = writeMarker(pool, 99);
            }
            CloneReport report = Pool.clone(src, dst);
            assertThat(report.method()).isEqualTo(CloneMethod.REFLINK);
            try (Pool clone = Pool.open(dst, TestPools.options().withPolicy(MappingPolicy.AUTO))) {
                // Only the header pages were rewritten (copied on write); the rest is still shared.
                assertThat(clone.info().sharedFraction()).isGreaterThan(0.9);
                assertThat(clone.info().mediumKind()).isEqualTo(MediumKind.PAGE_CACHE);
                assertThat(clone.reader().getLong(at)).isEqualTo(99);
                clone.medium().putLongPersist(at, 100);
            }
            try (Pool pool = Pool.open(src, TestPools.options())) {
                assertThat(pool.reader().getLong(at)).as("copy-on-write kept the source").isEqualTo(99);
            }
        } finally {
            TestFiles.deleteTree(base);
        }
    }

    @Test
    void shouldUnshareOrKeepThePageCacheBeforeADaxMappingAsThePolicySays() throws Exception {
        Path base = TestFiles.freshDir(TestFiles.reflinkDir());
        try {
            Path src = base.resolve("src.pool");
            Path dst = base.resolve("dst.pool");
            try (Pool pool = Pool.create(src, TestPools.options())) {
                fillHeap(pool);
            }
            Pool.clone(src, dst);
            PoolHeader h;
            try (Pool p = Pool.open(dst, TestPools.options().withReadOnly(true))) {
                h = p.header();
            }
            // This machine has no DAX: the decision is driven as if the probe had said "DAX".
            boolean keepPageCache = PoolOpener.guardSharedExtents(dst, h,
                    TestPools.options().withSharedExtents(SharedExtentPolicy.PAGE_CACHE), () -> true);
            assertThat(keepPageCache).isTrue();
            assertThat(PoolOpener.sharedFraction(dst)).isGreaterThan(0.9);

            boolean keepAfterUnshare = PoolOpener.guardSharedExtents(dst, h,
                    TestPools.options().withSharedExtents(SharedExtentPolicy.UNSHARE), () -> true);
            assertThat(keepAfterUnshare).isFalse();
            assertThat(PoolOpener.sharedFraction(dst)).isZero();
            assertThat(PoolOpener.guardSharedExtents(dst, h, TestPools.options().withPolicy(MappingPolicy.PAGE_CACHE), () -> true))
                    .as("a page-cache open never needs to unshare").isFalse();
        } finally {
            TestFiles.deleteTree(base);
        }
    }
}
