package dev.engram.pool.medium;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Forced pmem on tmpfs with the default write-back path (the JDK intrinsic). */
class ForcedPmemMediumTest extends MediumContractTest {
    private FileMediumSupport files;

    WriteBackPath path() {
        return WriteBackPath.UNSAFE_WRITEBACK;
    }

    @Override
    Medium newMedium(long size) throws Exception {
        if (files == null) {
            files = new FileMediumSupport(Path.of("/dev/shm"));
        }
        return new CpuCacheMedium(MediumKind.FORCED_PMEM, files.map(size), path().bind());
    }

    @AfterEach
    void removeFiles() throws Exception {
        medium.close();
        files.close();
    }

    @Test
    void shouldCountCacheLinesWrittenBack() {
        MediumCounters.Snapshot before = medium.counters().snapshot();
        medium.putLong(60, 1);
        medium.flush(60, 8);     // straddles lines 0 and 1
        medium.flush(128, 256);  // lines 2..5
        medium.drain();
        MediumCounters.Snapshot d = medium.counters().snapshot().minus(before);
        assertThat(d.linesWrittenBack()).isEqualTo(2 + 4);
        assertThat(d.msyncCalls()).isZero();
        assertThat(((CpuCacheMedium) medium).writeBackPath()).isEqualTo(path());
    }
}
