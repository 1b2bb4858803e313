package dev.engram.pool.medium;

import dev.engram.pool.OutOfBoundsException;
import dev.engram.pool.PoolClosedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract every medium keeps, written once and run against each implementation (STYLE.md §5). */
abstract class MediumContractTest {
    static final long SIZE = 1 << 20;

    Medium medium;

    abstract Medium newMedium(long size) throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        medium = newMedium(SIZE);
    }

    @AfterEach
    void tearDown() {
        medium.close();
    }

    @Test
    void shouldReadBackPrimitivesLittleEndian() {
        medium.putLong(8, 0x0102030405060708L);
        medium.putInt(100, 0xCAFEBABE);
        medium.putShort(200, (short) 0xBEEF);
        medium.putByte(300, (byte) 7);

        assertThat(medium.getLong(8)).isEqualTo(0x0102030405060708L);
        assertThat(medium.getByte(8)).isEqualTo((byte) 0x08);
        assertThat(medium.getInt(100)).isEqualTo(0xCAFEBABE);
        assertThat(medium.getShort(200)).isEqualTo((short) 0xBEEF);
        assertThat(medium.getByte(300)).isEqualTo((byte) 7);
    }

    @Test
    void shouldCopyFillAndReadRanges() {
        byte[] data = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        medium.putBytes(1000, data, 0, data.length);
        medium.copy(1000, 2000, data.length);
        medium.fill(3000, 16, (byte) 0x5A);

        byte[] back = new byte[data.length];
        medium.getBytes(2000, back, 0, back.length);
        assertThat(back).containsExactly(data);
        assertThat(medium.readOnlySlice(3000, 16).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).containsOnly((byte) 0x5A);
    }

    @Test
    void shouldComputeCrc32cOfARange() {
        byte[] data = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        medium.putBytes(64, data, 0, data.length);
        // CRC32C("123456789") is the standard check value 0xE3069283.
        assertThat(medium.crc32c(64, data.length)).isEqualTo(0xE3069283);
    }

    @Test
    void shouldRefuseAccessOutsideTheMapping() {
        long size = medium.size();
        assertThatThrownBy(() -> medium.getLong(size - 4)).isInstanceOf(OutOfBoundsException.class)
                .hasMessageContaining("offset=" + (size - 4)).hasMessageContaining("size=" + size);
        assertThatThrownBy(() -> medium.putLong(-8, 1)).isInstanceOf(OutOfBoundsException.class);
        assertThatThrownBy(() -> medium.putBytes(Long.MAX_VALUE - 2, new byte[8], 0, 8)).isInstanceOf(OutOfBoundsException.class);
        assertThatThrownBy(() -> medium.copy(0, size - 1, 2)).isInstanceOf(OutOfBoundsException.class);
        assertThatThrownBy(() -> medium.flush(size, 1)).isInstanceOf(OutOfBoundsException.class);
        assertThatThrownBy(() -> medium.fill(0, -1, (byte) 0)).isInstanceOf(OutOfBoundsException.class);
        assertThatThrownBy(() -> medium.readOnlySlice(size - 1, 2)).isInstanceOf(OutOfBoundsException.class);
    }

    @Test
    void shouldCountFlushesAndDrains() {
        MediumCounters.Snapshot before = medium.counters().snapshot();
        medium.putLong(0, 1);
        medium.persist(0, 8);
        medium.flush(64, 128);
        medium.drain();

        MediumCounters.Snapshot d = medium.counters().snapshot().minus(before);
        assertThat(d.flushes()).isEqualTo(2);
        assertThat(d.drains()).isEqualTo(2);
    }

    @Test
    void shouldKeepDataAndOffsetsAcrossGrow() {
        medium.putLong(SIZE - 8, 42);
        medium.grow(SIZE * 2);

        assertThat(medium.size()).isEqualTo(SIZE * 2);
        assertThat(medium.getLong(SIZE - 8)).isEqualTo(42);
        medium.putLong(SIZE * 2 - 8, 43);
        medium.persist(SIZE * 2 - 8, 8);
        assertThat(medium.getLong(SIZE * 2 - 8)).isEqualTo(43);
    }

    @Test
    void shouldRefuseUseAfterClose() {
        medium.close();
        assertThatThrownBy(() -> medium.getLong(0)).isInstanceOf(PoolClosedException.class);
        assertThatThrownBy(() -> medium.putLong(0, 1)).isInstanceOf(PoolClosedException.class);
        medium = newMediumQuietly();
    }

    private Medium newMediumQuietly() {
        try {
            return newMedium(SIZE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
