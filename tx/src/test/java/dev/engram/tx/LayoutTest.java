package dev.engram.tx;

import dev.engram.pool.InvalidOptionException;
import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Javadoc tables of the layout classes, checked byte for byte. */
class LayoutTest {
    @Test
    void shouldMatchTheUndoLogTable() {
        assertThat(UndoLogLayout.GENERATION_OFFSET).isZero();
        assertThat(UndoLogLayout.FIRST_OVERFLOW_OFFSET).isEqualTo(8);
        assertThat(UndoLogLayout.NEXT_OVERFLOW_OFFSET).isZero();
        assertThat(UndoLogLayout.CAPACITY_OFFSET).isEqualTo(8);
        assertThat(UndoLogLayout.ENTRY_TARGET_OFFSET).isZero();
        assertThat(UndoLogLayout.ENTRY_LENGTH_OFFSET).isEqualTo(8);
        assertThat(UndoLogLayout.ENTRY_CHECKSUM_OFFSET).isEqualTo(12);
        assertThat(UndoLogLayout.ENTRY_DATA_OFFSET).isEqualTo(16);
    }

    @Test
    void shouldWriteAnEntryAtTheDocumentedOffsets() {
        MemoryMedium m = MemoryMedium.allocate(1 << 16);
        m.fill(8192, 24, (byte) 0x5A);
        UndoLog log = UndoLog.format(m, 0, 4096);
        assertThat(m.getLong(0)).as("generation").isEqualTo(1);
        assertThat(log.append(8192, 20)).isEqualTo(20);
        long entry = UndoLogLayout.HEADER_LENGTH;
        assertThat(m.getLong(entry)).as("target").isEqualTo(8192);
        assertThat(m.getInt(entry + 8)).as("length").isEqualTo(20);
        assertThat(m.getByte(entry + 16 + 19)).as("last data byte").isEqualTo((byte) 0x5A);
        assertThat(m.getInt(entry + 16 + 20)).as("padding to 8").isZero();
        m.fill(8192, 20, (byte) 0);
        assertThat(UndoLog.recover(m, 0, 4096, 8192, 1 << 16, 1 << 15, 1 << 16)).isEqualTo(1);
        assertThat(m.getByte(8192 + 19)).isEqualTo((byte) 0x5A);
        assertThat(m.getLong(0)).as("generation after recovery").isEqualTo(2);
        assertThat(UndoLog.recover(m, 0, 4096, 8192, 1 << 16, 1 << 15, 1 << 16)).as("retired").isZero();
    }

    @Test
    void shouldMatchTheRootTable() {
        assertThat(RootLayout.MAGIC_OFFSET).isZero();
        assertThat(RootLayout.ROOT_OBJECT_OFFSET).isEqualTo(8);
        assertThat(RootLayout.TYPE_COUNT_OFFSET).isEqualTo(16);
        assertThat(RootLayout.TYPE_ENTRIES_OFFSET).isEqualTo(64);
        assertThat(RootLayout.TYPE_CAPACITY).isEqualTo(63);
        assertThat(RootLayout.typeEntryOffset(8192, 62) + TypeTableLayout.ENTRY_LENGTH).isEqualTo(8192 + 4096);
        assertThat(new String(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(RootLayout.MAGIC).array(), 0, 6, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ENGRTX");
    }

    @ParameterizedTest
    @CsvSource({"2048,1024,1024", "4096,3072,1024", "16384,12288,4096", "65536,49152,16384"})
    void shouldSplitLanes(int lane, int undo, int redo) {
        LaneLayout l = LaneLayout.of(lane);
        assertThat(l.undoSize()).isEqualTo(undo);
        assertThat(l.redoSize()).isEqualTo(redo);
        assertThat(l.redoOffset(1 << 20)).isEqualTo((1 << 20) + undo);
    }

    @ParameterizedTest
    @CsvSource({"2047", "1984", "2100", "64"})
    void shouldRejectLanesTooSmallOrMisaligned(int lane) {
        assertThatThrownBy(() -> LaneLayout.of(lane)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("lane size " + lane + " must be a multiple of 64 and at least 2048");
    }
}
