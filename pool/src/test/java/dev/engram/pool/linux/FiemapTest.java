package dev.engram.pool.linux;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FiemapTest {
    @TempDir
    Path dir;

    private Path shmFile;

    @AfterEach
    void deleteShmFile() throws IOException {
        if (shmFile != null) {
            Files.deleteIfExists(shmFile);
        }
    }

    @Test
    void layoutOffsetsMatchTheKernelStructs() {
        assertThat(Fiemap.MAPPED_EXTENTS_OFFSET).isEqualTo(20);
        assertThat(Fiemap.EXTENT_COUNT_OFFSET).isEqualTo(24);
        assertThat(Fiemap.HEADER_SIZE).isEqualTo(32);
        assertThat(Fiemap.FE_PHYSICAL_OFFSET).isEqualTo(8);
        assertThat(Fiemap.FE_LENGTH_OFFSET).isEqualTo(16);
        assertThat(Fiemap.FE_FLAGS_OFFSET).isEqualTo(40);
        assertThat(Fiemap.EXTENT_SIZE).isEqualTo(56);
    }

    @Test
    void decodeReadsAnExtentAtItsDocumentedOffsets() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Fiemap.EXTENT_SIZE, 8);
            buf.set(ValueLayout.JAVA_LONG, 0, 4096);
            buf.set(ValueLayout.JAVA_LONG, 8, 1 << 20);
            buf.set(ValueLayout.JAVA_LONG, 16, 8192);
            buf.set(ValueLayout.JAVA_INT, 40, Fiemap.EXTENT_SHARED | Fiemap.EXTENT_LAST);

            assertThat(Fiemap.decode(buf, 0))
                    .isEqualTo(new Fiemap.Extent(4096, 1 << 20, 8192, Fiemap.EXTENT_SHARED | Fiemap.EXTENT_LAST));
        }
    }

    @Test
    void sharedBytesCountOnlySharedExtentsUpToTheFileSize() {
        Fiemap map = new Fiemap(10_000, List.of(
                new Fiemap.Extent(0, 0, 4096, Fiemap.EXTENT_SHARED),
                new Fiemap.Extent(4096, 0, 4096, 0),
                new Fiemap.Extent(8192, 0, 4096, Fiemap.EXTENT_SHARED | Fiemap.EXTENT_LAST)));

        assertThat(map.sharedBytes()).isEqualTo(4096 + (10_000 - 8192));
        assertThat(map.sharedFraction()).isEqualTo((4096 + 1808) / 10_000.0);
    }

    @Test
    void emptyFileHasNoExtentsAndZeroSharedFraction() throws IOException {
        Fiemap map = Fiemap.of(Files.createFile(dir.resolve("empty")));

        assertThat(map.extents()).isEmpty();
        assertThat(map.sharedFraction()).isZero();
    }

    @Test
    void writtenFileIsCoveredByUnsharedExtentsWithDeviceAddresses() throws IOException {
        Path f = Files.write(dir.resolve("f"), new byte[1 << 20]);

        Fiemap map = Fiemap.of(f);

        assertThat(map.fileSize()).isEqualTo(1 << 20);
        assertThat(map.extents()).isNotEmpty().allMatch(Fiemap.Extent::hasPhysical);
        assertThat(map.extents().stream().mapToLong(Fiemap.Extent::length).sum()).isGreaterThanOrEqualTo(1 << 20);
        assertThat(map.extents().getLast().isLast()).isTrue();
        assertThat(map.sharedFraction()).isZero();
    }

    @Test
    void manyExtentsAreFetchedAcrossSeveralRequests() throws IOException {
        // Blocks written with a hole between each cannot merge, so the file has more extents than one batch holds.
        int extents = Fiemap.BATCH * 2 + 5;
        Path f = dir.resolve("sparse");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < extents; i++) {
                ch.write(ByteBuffer.wrap(new byte[4096]), i * 8192L);
            }
        }

        List<Fiemap.Extent> list = Fiemap.of(f).extents();

        assertThat(list).hasSize(extents);
        assertThat(list).extracting(Fiemap.Extent::logical)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, extents).map(i -> i * 8192).boxed().toList());
        assertThat(list.getLast().isLast()).isTrue();
    }

    @Test
    void tmpfsRefusesFiemapWithAnErrorNamingTheIoctl() throws IOException {
        shmFile = Files.write(Path.of("/dev/shm", "engram-fiemap-" + ProcessHandle.current().pid()), new byte[4096]);

        assertThatThrownBy(() -> Fiemap.of(shmFile))
                .isInstanceOf(NativeIOException.class)
                .hasMessageContaining("ioctl(FS_IOC_FIEMAP) failed on " + shmFile);
    }
}
