package dev.engram.allocator;

import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedoLogTest {
    private static final long LOG = 0;
    private static final long CAP = 1024;

    @Test
    void shouldApplySetOrAndAndThenClear() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            m.putLong(4104, 0xF0);
            m.putLong(4112, 0xFF);
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            log.set(4096, 42);
            log.or(4104, 0x0F);
            log.and(4112, 0x0F);
            log.process();
            assertThat(m.getLong(4096)).isEqualTo(42);
            assertThat(m.getLong(4104)).isEqualTo(0xFF);
            assertThat(m.getLong(4112)).isEqualTo(0x0F);
            assertThat(RedoLog.isLive(m, LOG)).isFalse();
            assertThat(log.size()).isZero();
        }
    }

    @Test
    void shouldMergeRepeatedOperationsOnTheSameWord() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            log.or(4096, 1);
            log.or(4096, 4);
            log.set(4104, 1);
            log.set(4104, 2);
            log.and(4096, ~1L);
            assertThat(log.size()).isEqualTo(3);
            log.process();
            assertThat(m.getLong(4096)).isEqualTo(4);
            assertThat(m.getLong(4104)).isEqualTo(2);
        }
    }

    @Test
    void shouldReplayACommittedLogIdempotently() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            log.set(4096, 7);
            log.or(4104, 8);
            log.commit();
            assertThat(m.getLong(4096)).isZero();
            assertThat(RedoLog.recover(m, LOG, CAP, 4096, 8192)).isEqualTo(RedoLog.Outcome.REPLAYED);
            assertThat(m.getLong(4096)).isEqualTo(7);
            assertThat(m.getLong(4104)).isEqualTo(8);
            assertThat(RedoLog.recover(m, LOG, CAP, 4096, 8192)).isEqualTo(RedoLog.Outcome.EMPTY);
        }
    }

    @Test
    void shouldDiscardATornLogWithoutApplyingAnything() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            log.set(4096, 7);
            log.set(4104, 9);
            log.commit();
            m.putLong(RedoLogLayout.entryOffset(LOG, 1) + 8, 10);
            assertThat(RedoLog.recover(m, LOG, CAP, 4096, 8192)).isEqualTo(RedoLog.Outcome.DISCARDED);
            assertThat(m.getLong(4096)).isZero();
            assertThat(m.getLong(4104)).isZero();
            assertThat(RedoLog.isLive(m, LOG)).isFalse();
        }
    }

    @Test
    void shouldRefuseAValidLogWhoseTargetIsOutsideTheAllowedRange() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            log.set(2048, 7);
            log.commit();
            assertThatThrownBy(() -> RedoLog.recover(m, LOG, CAP, 4096, 8192))
                    .isInstanceOf(PoolCorruptedException.class)
                    .hasMessageContaining("redo log entry 0 at offset=64")
                    .hasMessageContaining("expected target in [4096, 8192)")
                    .hasMessageContaining("actual target 2048");
            assertThat(m.getLong(2048)).isZero();
        }
    }

    @Test
    void shouldRefuseToOpenALiveLogAndRejectOverflow() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, LOG, RedoLogLayout.bytesFor(2));
            log.set(4096, 1);
            log.set(4104, 1);
            assertThatThrownBy(() -> log.set(4112, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("redo log full: capacity=2");
            log.commit();
            assertThatThrownBy(() -> RedoLog.open(m, LOG, CAP)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("recover first");
            assertThatThrownBy(() -> log.set(4097, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("target=4097");
        }
    }

    @Test
    void shouldCostTwoDrainsPerProcess() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            final var before = m.counters().snapshot();
            log.set(4096, 1);
            log.or(4104, 2);
            log.process();
            assertThat(m.counters().snapshot().minus(before).drains()).isEqualTo(2);
        }
    }

    /**
     * The retire of one process (valid word 0, left for the next drain) and the next commit's valid
     * word are on the same line: the commit must not write that line back a second time before its
     * fence, each write-back of the line costing a full write-back latency on CPU-cache media.
     */
    @Test
    void shouldWriteBackEachLineOncePerDrainAcrossConsecutiveProcesses() {
        try (MemoryMedium raw = MemoryMedium.allocate(8192)) {
            final WriteBackLedger m = new WriteBackLedger(raw);
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            final long writeBacksBefore = m.writeBacks();
            final long drainsBefore = m.drains();
            for (int i = 0; i < 3; i++) {
                log.set(4096, i);
                log.or(4104 + 64, 1L << i);
                log.process();
            }
            assertThat(m.repeats()).isZero();
            // per process: entries line and valid-word line at commit, the two target lines at apply
            assertThat(m.writeBacks() - writeBacksBefore).isEqualTo(3 * 4);
            assertThat(m.drains() - drainsBefore).isEqualTo(6);
            assertThat(m.getLong(4096)).isEqualTo(2);
            assertThat(m.getLong(4104 + 64)).isEqualTo(7);
        }
    }

    /**
     * orKnowing/andKnowing: apply stores the result computed from the caller's value without reading
     * the word (seen here by breaking the caller's promise: the media word differs), the committed
     * entry is still an OR/AND that a replay applies to the media value, and an entry merged into an
     * earlier one for the same word is read-modify-written as usual.
     */
    @Test
    void shouldApplyAKnownResultWithoutReadingAndReplayTheOperation() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            m.putLong(4096, 0b1000);
            m.putLong(4160, 0b1111);
            log.orKnowing(4096, 0b1, 0b100);
            log.andKnowing(4160, ~0b10L, 0b11);
            log.commit();
            try (MemoryMedium copy = MemoryMedium.allocate(8192)) {
                copy.putBytes(0, m.readOnlySlice(0, 8192).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, 8192);
                assertThat(RedoLog.recover(copy, LOG, CAP, 4096, 8192)).isEqualTo(RedoLog.Outcome.REPLAYED);
                assertThat(copy.getLong(4096)).isEqualTo(0b1001);
                assertThat(copy.getLong(4160)).isEqualTo(0b1101);
            }
            log.apply();
            log.clear();
            assertThat(m.getLong(4096)).isEqualTo(0b101);
            assertThat(m.getLong(4160)).isEqualTo(0b01);

            log.or(4096, 0b10);
            log.orKnowing(4096, 0b1, 0);
            log.process();
            assertThat(m.getLong(4096)).isEqualTo(0b111);
        }
    }
}
