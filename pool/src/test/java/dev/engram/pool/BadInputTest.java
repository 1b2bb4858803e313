package dev.engram.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bad-input table of issue #3: every case ends in the typed exception for its cause, with a
 * message naming what is wrong, and the file on disk unchanged.
 */
class BadInputTest {
    @TempDir
    Path dir;

    interface Setup {
        Path make(Path dir) throws Exception;
    }

    record Case(String name, Setup setup, PoolOptions options, Class<? extends EngramException> type, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Path validPool(Path dir) {
        Path file = dir.resolve("p.pool");
        Pool.create(file, TestPools.options()).close();
        return file;
    }

    /** Overwrites a header field in both copies and fixes their checksums, as a writer of that format would. */
    static void patchBothHeaders(Path file, int fieldOffset, byte[] value) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (long base : new long[]{PoolHeaderLayout.PRIMARY_OFFSET, PoolHeaderLayout.BACKUP_OFFSET}) {
                byte[] h = new byte[PoolHeaderLayout.HEADER_LENGTH];
                f.seek(base);
                f.readFully(h);
                System.arraycopy(value, 0, h, fieldOffset, value.length);
                CRC32C crc = new CRC32C();
                crc.update(h, 0, PoolHeaderLayout.CHECKSUM_OFFSET);
                ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(PoolHeaderLayout.CHECKSUM_OFFSET, (int) crc.getValue());
                f.seek(base);
                f.write(h);
            }
        }
    }

    static byte[] le16(int v) {
        return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array();
    }

    static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    static List<Case> openCases() {
        PoolOptions o = TestPools.options();
        return List.of(
                new Case("missing file", d -> d.resolve("nothing.pool"), o, PoolIoException.class, "does not exist"),
                new Case("empty file", d -> Files.createFile(d.resolve("empty.pool")), o, PoolCorruptedException.class,
                        "empty or truncated"),
                new Case("file shorter than the headers", d -> {
                    Path f = validPool(d);
                    truncate(f, 5000);
                    return f;
                }, o, PoolCorruptedException.class, "smaller than the pool's fixed area"),
                new Case("truncated file", d -> {
                    Path f = validPool(d);
                    truncate(f, TestPools.SIZE / 2);
                    return f;
                }, o, PoolCorruptedException.class, "is truncated"),
                new Case("wrong signature (random bytes)", d -> {
                    Path f = d.resolve("random.pool");
                    byte[] junk = new byte[(int) TestPools.SIZE];
                    new Random(7).nextBytes(junk);
                    Files.write(f, junk);
                    return f;
                }, o, PoolCorruptedException.class, "signature"),
                new Case("newer major version", d -> {
                    Path f = validPool(d);
                    patchBothHeaders(f, PoolHeaderLayout.MAJOR_OFFSET, le16(PoolHeaderLayout.MAJOR_VERSION + 1));
                    return f;
                }, o, UnsupportedFormatException.class, "major version 2"),
                new Case("unknown incompat feature", d -> {
                    Path f = validPool(d);
                    patchBothHeaders(f, PoolHeaderLayout.INCOMPAT_OFFSET, le64(1L << 40));
                    return f;
                }, o, UnsupportedFormatException.class, "incompat feature flag 0x10000000000"),
                new Case("unknown ro-compat feature, writable open", d -> {
                    Path f = validPool(d);
                    patchBothHeaders(f, PoolHeaderLayout.RO_COMPAT_OFFSET, le64(1L << 3));
                    return f;
                }, o, UnsupportedFormatException.class, "open it read-only"),
                new Case("wrong layout name", PoolIoLambda.valid(), o.withLayout("other"), LayoutMismatchException.class,
                        "created with layout 'test', not 'other'"),
                new Case("bad checksum in both headers", d -> {
                    Path f = validPool(d);
                    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                        r.seek(PoolHeaderLayout.CHECKSUM_OFFSET);
                        r.writeInt(0x12345678);
                        r.seek(PoolHeaderLayout.BACKUP_OFFSET + PoolHeaderLayout.CHECKSUM_OFFSET);
                        r.writeInt(0x12345678);
                    }
                    return f;
                }, o, PoolCorruptedException.class, "both header copies are invalid"),
                new Case("heap offset outside the pool", d -> {
                    Path f = validPool(d);
                    patchBothHeaders(f, PoolHeaderLayout.HEAP_OFFSET_OFFSET, le64(1L << 40));
                    return f;
                }, o, PoolCorruptedException.class, "'heap offset'"),
                new Case("pool size not a multiple of the page size", d -> {
                    Path f = validPool(d);
                    patchBothHeaders(f, PoolHeaderLayout.POOL_SIZE_OFFSET, le64(TestPools.SIZE - 100));
                    return f;
                }, o, PoolCorruptedException.class, "'pool size'"),
                new Case("read-only file opened for writing", d -> {
                    Path f = validPool(d);
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
                    return f;
                }, o, PoolIoException.class, "read-only file"),
                new Case("directory instead of a file", d -> Files.createDirectory(d.resolve("adir")), o,
                        PoolIoException.class, "is a directory"),
                new Case("symbolic link", d -> Files.createSymbolicLink(d.resolve("link.pool"), validPool(d)), o,
                        PoolIoException.class, "symbolic link"));
    }

    /** Small indirection so a case can say "a valid pool" without repeating the lambda. */
    interface PoolIoLambda {
        static Setup valid() {
            return BadInputTest::validPool;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openCases")
    void shouldRefuseOpeningWithATypedExceptionAndChangeNothing(Case c) throws Exception {
        Path file = c.setup().make(dir);
        byte[] before = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;

        assertThatThrownBy(() -> Pool.open(file, c.options()))
                .isInstanceOf(c.type())
                .hasMessageContaining(c.message());

        if (before != null) {
            assertThat(Arrays.equals(Files.readAllBytes(file), before)).as("file unchanged").isTrue();
        }
    }

    @Test
    void shouldOpenAPoolWithUnknownRoCompatFeaturesReadOnly() throws Exception {
        Path f = validPool(dir);
        patchBothHeaders(f, PoolHeaderLayout.RO_COMPAT_OFFSET, le64(1L << 3));
        try (Pool pool = Pool.open(f, TestPools.options().withReadOnly(true))) {
            assertThat(pool.info().roCompatFeatures()).isEqualTo(8);
        }
    }

    @Test
    void shouldRefuseCreatingOverAnExistingFile() throws Exception {
        Path f = validPool(dir);
        byte[] before = Files.readAllBytes(f);
        assertThatThrownBy(() -> Pool.create(f, TestPools.options())).isInstanceOf(PoolIoException.class)
                .hasMessageContaining("already exists");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
    }

    @Test
    void shouldRefuseCreatingWithASizeThatIsNotAPageMultipleOrTooSmall() {
        Path f = dir.resolve("s.pool");
        assertThatThrownBy(() -> Pool.create(f, TestPools.options().withSize((2 << 20) + 100)))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("multiple of the page size");
        assertThatThrownBy(() -> Pool.create(f, TestPools.options().withSize(64 << 10)))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("at least");
        assertThat(f).doesNotExist();
    }

    @Test
    void shouldRefuseCreatingWhenTheLanesLeaveNoHeap() {
        Path f = dir.resolve("lanes.pool");
        assertThatThrownBy(() -> Pool.create(f, TestPools.options().withSize(1 << 20).withLanes(1024, 4096)))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("leaves no heap");
        assertThat(f).doesNotExist();
    }

    @Test
    void shouldRefuseCreatingInAMissingDirectory() {
        Path f = dir.resolve("no/such/dir/p.pool");
        assertThatThrownBy(() -> Pool.create(f, TestPools.options())).isInstanceOf(PoolIoException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void shouldNameTheMissingFlagWhenForcedPmemCannotWriteBack() throws Exception {
        Path f = dir.resolve("noflag.pool");
        try (ChildJvm child = ChildJvm.start(List.of("--enable-native-access=ALL-UNNAMED"), ForcedPmemOpenMain.class, f.toString())) {
            String line = child.readLine();
            while (line != null && line.startsWith("WARNING")) {
                line = child.readLine();
            }
            assertThat(line).startsWith("ERROR JVM_FLAG_MISSING")
                    .contains("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED");
            child.finish();
        }
        assertThat(f).doesNotExist();
    }
}
