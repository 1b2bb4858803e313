package dev.engram.pool.medium;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PageCacheMediumTest extends MediumContractTest {
    @TempDir
    static Path dir;

    private FileMediumSupport files;

    @Override
    Medium newMedium(long size) throws Exception {
        if (files == null) {
            files = new FileMediumSupport(dir);
        }
        return new PageCacheMedium(files.map(size));
    }

    @AfterEach
    void removeFiles() throws Exception {
        medium.close();
        files.close();
    }

    @Test
    void shouldMsyncOnlyTheCoalescedDirtyPages() {
        MediumCounters.Snapshot before = medium.counters().snapshot();
        medium.putLong(10, 1);
        medium.flush(10, 8);          // page 0
        medium.flush(4096 + 5, 8);    // page 1: coalesces with page 0
        medium.flush(40960, 100);     // page 10: a separate run
        medium.drain();

        MediumCounters.Snapshot d = medium.counters().snapshot().minus(before);
        assertThat(d.msyncCalls()).isEqualTo(2);
        assertThat(d.bytesMsynced()).isEqualTo(3 * 4096);
        assertThat(d.linesWrittenBack()).isZero();
    }

    @Test
    void shouldNotMsyncWhenNothingWasFlushed() {
        MediumCounters.Snapshot before = medium.counters().snapshot();
        medium.putLong(0, 5);
        medium.drain();
        assertThat(medium.counters().snapshot().minus(before).msyncCalls()).isZero();
    }

    @Test
    void shouldMsyncARangeSpanningPagesOnce() {
        MediumCounters.Snapshot before = medium.counters().snapshot();
        medium.flush(4000, 200); // crosses the boundary of pages 0 and 1
        medium.drain();
        MediumCounters.Snapshot d = medium.counters().snapshot().minus(before);
        assertThat(d.msyncCalls()).isEqualTo(1);
        assertThat(d.bytesMsynced()).isEqualTo(2 * 4096);
    }
}
