package dev.engram.pool.medium;

import dev.engram.pool.MediaErrorException;
import dev.engram.pool.PoolClosedException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Forced pmem on tmpfs. The in-process write-back is {@link WriteBackPath#MAPPED_FORCE} (msync here):
 * it cannot crash this JVM, so a broken page probe shows up as a failed test, not a dead fork. The CLWB
 * intrinsic is exercised in child JVMs by {@link TruncatedWriteBackTest}.
 */
class ForcedPmemTruncatedMappingTest extends TruncatedMappingContract {
    @Override
    Path directory() {
        return Path.of("/dev/shm");
    }

    @Override
    SegmentMedium open(MappedFile mapped) {
        return new CpuCacheMedium(MediumKind.FORCED_PMEM, mapped, WriteBackPath.MAPPED_FORCE.bind());
    }

    @Test
    void flushOfATruncatedRangeRaisesMediaErrorAtTheFirstLostPage() {
        // msync alone reports success for a truncated range; only the page probe notices the loss.
        assertThatThrownBy(() -> medium.flush(KEPT - 64, 8192))
                .isInstanceOf(MediaErrorException.class)
                .hasMessageContaining("cache write-back of ")
                .hasMessageContaining("(pool offset " + KEPT + ")");
    }

    @Test
    void flushOfTheKeptRangeStillSucceeds() {
        medium.putLong(0, 5);

        medium.flush(0, KEPT);
        medium.drain();
    }

    @Test
    void writesAreRefusedAfterAFlushMediaError() {
        assertThatThrownBy(() -> medium.flush(KEPT, 64)).isInstanceOf(MediaErrorException.class);

        assertThatThrownBy(() -> medium.putLong(0, 1))
                .isInstanceOf(PoolClosedException.class)
                .hasMessageContaining("refused a write after an earlier persistence failure");
    }
}
