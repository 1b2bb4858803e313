package dev.engram.crashtest;

import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PmreorderExportTest {

    @Test
    void shouldWriteStoresFlushesAndFencesInPmreordersStoreLogFormat() throws Exception {
        TracingMedium t = TracingMedium.over(MemoryMedium.allocate(4096));
        t.putLong(8, 0x0102030405060708L);
        t.putShort(14, (short) 0x7F00);
        t.putInt(20, 0xAABBCCDD);
        t.persist(0, 64);
        StringWriter out = new StringWriter();

        PmreorderExport.write(t.trace(), Path.of("pool.obj"), out);

        assertThat(out.toString()).isEqualTo("START"
                + "|REGISTER_FILE;pool.obj;0x7f0000000000;0x1000;0x0"
                + "|STORE;0x7f0000000008;0x102030405060708;0x8"
                + "|STORE;0x7f000000000e;0x7f00;0x2"
                + "|STORE;0x7f0000000014;0xaabbccdd;0x4"
                + "|FLUSH;0x7f0000000000;0x40"
                + "|FENCE"
                + "|STOP");
    }

    @Test
    void shouldSplitAStoreCrossingAGranuleBoundaryIntoPieces() throws Exception {
        TracingMedium t = TracingMedium.over(MemoryMedium.allocate(4096));
        t.putInt(6, 0x11223344);
        StringWriter out = new StringWriter();

        PmreorderExport.write(t.trace(), Path.of("p"), out);

        assertThat(out.toString()).contains("|STORE;0x7f0000000006;0x3344;0x2|STORE;0x7f0000000008;0x1122;0x2|");
    }
}
