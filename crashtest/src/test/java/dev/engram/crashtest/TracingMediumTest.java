package dev.engram.crashtest;

import dev.engram.pool.OutOfBoundsException;
import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracingMediumTest {

    @Test
    void shouldRecordAnAlignedLongAsOneGranule() {
        TracingMedium t = TracingMedium.over(MemoryMedium.allocate(4096));
        t.putLong(64, 42);

        Trace trace = t.trace();
        assertThat(trace.eventCount()).isEqualTo(1);
        assertThat(trace.kind(0)).isEqualTo(Trace.STORE);
        assertThat(trace.granuleCount()).isEqualTo(1);
        assertThat(trace.granuleOffset(0)).isEqualTo(64);
        assertThat(trace.granuleValue(0)).isEqualTo(42);
    }

    @Test
    void shouldSplitUnalignedAndPartialStoresAtEightByteBoundariesKeepingWholeWords() {
        MemoryMedium m = MemoryMedium.allocate(4096);
        m.putLong(0, 0x1111_1111_1111_1111L);
        TracingMedium t = TracingMedium.over(m);
        t.putLong(4, -1L);
        t.putByte(17, (byte) 0x7F);

        Trace trace = t.trace();
        assertThat(trace.granulesOf(0)).isEqualTo(2);
        assertThat(trace.granuleOffset(0)).isEqualTo(0);
        assertThat(trace.granuleValue(0)).isEqualTo(0xFFFF_FFFF_1111_1111L);
        assertThat(trace.granuleOffset(1)).isEqualTo(8);
        assertThat(trace.granuleValue(1)).isEqualTo(0x0000_0000_FFFF_FFFFL);
        assertThat(trace.granuleOffset(2)).isEqualTo(16);
        assertThat(trace.granuleValue(2)).isEqualTo(0x7F00L);
    }

    @Test
    void shouldRecordFlushDrainAndGrowInProgramOrder() {
        TracingMedium t = TracingMedium.over(MemoryMedium.allocate(4096));
        t.putLong(0, 1);
        t.persist(0, 8);
        t.grow(8192);
        t.fill(4096, 100, (byte) 1);

        Trace trace = t.trace();
        assertThat(trace.eventCount()).isEqualTo(5);
        assertThat(trace.kind(1)).isEqualTo(Trace.FLUSH);
        assertThat(trace.kind(2)).isEqualTo(Trace.DRAIN);
        assertThat(trace.kind(3)).isEqualTo(Trace.GROW);
        assertThat(trace.offset(3)).isEqualTo(8192);
        assertThat(trace.granulesOf(4)).isEqualTo(13);
        assertThat(trace.drainCount()).isEqualTo(1);
        assertThat(trace.finalSize()).isEqualTo(8192);
    }

    @Test
    void shouldCaptureTheBaseImageAndPassReadsThrough() {
        MemoryMedium m = MemoryMedium.allocate(4096);
        m.putLong(8, 7);
        TracingMedium t = TracingMedium.over(m);
        t.putLong(8, 9);

        assertThat(t.trace().base().get(ValueLayout.JAVA_LONG_UNALIGNED, 8)).isEqualTo(7);
        assertThat(t.getLong(8)).isEqualTo(9);
        assertThat(m.getLong(8)).isEqualTo(9);
    }

    @Test
    void shouldNotRecordAStoreTheDelegateRefused() {
        TracingMedium t = TracingMedium.over(MemoryMedium.allocate(4096));

        assertThatThrownBy(() -> t.putLong(4092, 1)).isInstanceOf(OutOfBoundsException.class).hasMessageContaining("offset=4092");
        assertThat(t.eventCount()).isZero();
    }

    @Test
    void shouldRefuseAMediumWhoseSizeIsNotAWholeNumberOfGranules() {
        assertThatThrownBy(() -> TracingMedium.over(MemoryMedium.allocate(4100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a traced medium's size must be a multiple of 8 bytes, size=4100");
    }

    @Test
    void shouldTraceAHundredThousandOperationsInPrimitiveArrays() {
        TracingMedium t = TracingMedium.over(MemoryMedium.allocate(1 << 20));
        for (int i = 0; i < 100_000; i++) {
            t.putLong((i * 8L) % (1 << 20), i);
            if (i % 10 == 9) {
                t.persist((i * 8L) % (1 << 20), 8);
            }
        }

        Trace trace = t.trace();
        assertThat(trace.eventCount()).isEqualTo(120_000);
        assertThat(trace.granuleCount()).isEqualTo(100_000);
        assertThat(trace.granuleValue(99_999)).isEqualTo(99_999);
    }
}
