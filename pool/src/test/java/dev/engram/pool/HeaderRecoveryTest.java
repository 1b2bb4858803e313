package dev.engram.pool;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Corrupts one thing at a time and checks both the fallback and the exact failure (STYLE.md §5). */
class HeaderRecoveryTest {
    @TempDir
    Path dir;
    Path file;
    java.util.UUID uuid;

    @BeforeEach
    void createPool() {
        file = dir.resolve("h.pool");
        try (Pool pool = Pool.create(file, TestPools.options())) {
            uuid = pool.header().uuid();
        }
    }

    private void flipByte(long offset) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x10);
        }
    }

    private byte[] readBytes(long offset, int length) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[length];
            f.seek(offset);
            f.readFully(b);
            return b;
        }
    }

    @Test
    void shouldFallBackToTheBackupWhenThePrimaryChecksumFailsAndRepairIt() throws Exception {
        flipByte(PoolHeaderLayout.CHECKSUM_OFFSET);
        try (Pool pool = Pool.open(file, TestPools.options())) {
            assertThat(pool.header().uuid()).isEqualTo(uuid);
            assertThat(pool.info().headerRepaired()).contains("primary header").contains("CRC32C");
        }
        // The writable open rewrote both copies: the primary decodes again.
        PoolHeader primary = PoolHeader.decode(readBytes(0, 4096), "primary");
        assertThat(primary.uuid()).isEqualTo(uuid);
    }

    @Test
    void shouldFallBackToTheBackupWhenThePrimaryIsTornInItsBody() throws Exception {
        flipByte(PoolHeaderLayout.POOL_SIZE_OFFSET + 1);
        try (Pool pool = Pool.open(file, TestPools.options())) {
            assertThat(pool.header().poolSize()).isEqualTo(TestPools.SIZE);
        }
    }

    @Test
    void shouldUsePrimaryWhenOnlyTheBackupIsDamaged() throws Exception {
        flipByte(PoolHeaderLayout.BACKUP_OFFSET + PoolHeaderLayout.UUID_OFFSET);
        try (Pool pool = Pool.open(file, TestPools.options())) {
            assertThat(pool.header().uuid()).isEqualTo(uuid);
            assertThat(pool.info().headerRepaired()).contains("backup header");
        }
    }

    @Test
    void shouldPreferTheNewerBackupWhenAnUpdateWasInterruptedBeforeThePrimary() throws Exception {
        // An update writes the backup first: emulate a crash right after it by making the backup newer.
        byte[] raw = readBytes(PoolHeaderLayout.BACKUP_OFFSET, 4096);
        PoolHeader backup = PoolHeader.decode(raw, "backup");
        PoolHeader newer = backup.withGeneration(backup.generation() + 5);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(PoolHeaderLayout.BACKUP_OFFSET);
            f.write(newer.encode());
        }
        try (Pool pool = Pool.open(file, TestPools.options())) {
            assertThat(pool.info().headerRepaired()).contains("primary header is older");
            assertThat(pool.header().generation()).isEqualTo(newer.generation() + 1);
        }
    }

    @Test
    void shouldRefuseWhenBothCopiesAreDamagedNamingBoth() throws Exception {
        flipByte(PoolHeaderLayout.CHECKSUM_OFFSET);
        flipByte(PoolHeaderLayout.BACKUP_OFFSET + PoolHeaderLayout.CHECKSUM_OFFSET);
        assertThatThrownBy(() -> Pool.open(file, TestPools.options()))
                .isInstanceOf(PoolCorruptedException.class)
                .hasMessageContaining("both header copies are invalid")
                .hasMessageContaining("primary header")
                .hasMessageContaining("backup header")
                .hasMessageContaining("CRC32C");
    }

    @Test
    void shouldWriteFieldsAtTheDocumentedOffsets() {
        PoolHeader h = new PoolHeader(1, 0, 0x11, 0, 0, new java.util.UUID(0x0102030405060708L, 0x1112131415161718L),
                0x2222, 1 << 20, 2 << 20, 12288, 4096, 1, 4096, 16384, (1 << 20) - 16384, 8192, 2, 1, 7, -1, 42, "lay");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h.encode()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(h.encode(), 0, 6, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ENGRAM");
        assertThat(b.get(6)).isEqualTo((byte) 0);
        assertThat(b.get(7)).isEqualTo((byte) 1);
        assertThat(b.getShort(8)).isEqualTo((short) 1);
        assertThat(b.getInt(12)).isEqualTo(4096);
        assertThat(b.getLong(16)).isEqualTo(0x11);
        assertThat(b.getLong(40)).isEqualTo(0x0102030405060708L);
        assertThat(b.getLong(48)).isEqualTo(0x1112131415161718L);
        assertThat(b.getLong(56)).isEqualTo(0x2222);
        assertThat(b.getLong(64)).isEqualTo(1 << 20);
        assertThat(b.getLong(72)).isEqualTo(2 << 20);
        assertThat(b.getLong(80)).isEqualTo(12288);
        assertThat(b.getLong(88)).isEqualTo(4096);
        assertThat(b.getInt(96)).isEqualTo(1);
        assertThat(b.getInt(100)).isEqualTo(4096);
        assertThat(b.getLong(104)).isEqualTo(16384);
        assertThat(b.getLong(112)).isEqualTo((1 << 20) - 16384);
        assertThat(b.getLong(120)).isEqualTo(8192);
        assertThat(b.getInt(128)).isEqualTo(2);
        assertThat(b.getInt(132)).isEqualTo(1);
        assertThat(b.getLong(136)).isEqualTo(7);
        assertThat(b.getLong(144)).isEqualTo(-1);
        assertThat(b.getLong(152)).isEqualTo(42);
        assertThat(b.getShort(160)).isEqualTo((short) 3);
        assertThat(new String(h.encode(), 256, 3, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("lay");
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(h.encode(), 0, 4092);
        assertThat(b.getInt(4092)).isEqualTo((int) crc.getValue());
        assertThat(PoolHeader.decode(h.encode(), "roundtrip")).isEqualTo(h);
    }
}
