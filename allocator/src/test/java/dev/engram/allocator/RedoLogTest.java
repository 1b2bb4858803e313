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
    void shouldReplayALogWhoseWitnessedRangeIsIntact() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            m.fill(5000, 100, (byte) 0x5A);
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            log.witness(5000, 100);
            log.set(4096, 7);
            log.commit();
            assertThat(RedoLog.recover(m, LOG, CAP, 4096, 8192)).isEqualTo(RedoLog.Outcome.REPLAYED);
            assertThat(m.getLong(4096)).isEqualTo(7);
            assertThat(m.getLong(5000)).as("a witness stores nothing").isEqualTo(0x5A5A5A5A5A5A5A5AL);
        }
    }

    @Test
    void shouldDiscardALogWhoseWitnessedRangeIsTornWithoutApplyingAnything() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            m.fill(5000, 100, (byte) 0x5A);
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            log.witness(5000, 100);
            log.set(4096, 7);
            log.commit();
            m.putByte(5099, (byte) 0); // the range's last byte never reached the media
            assertThat(RedoLog.recover(m, LOG, CAP, 4096, 8192)).isEqualTo(RedoLog.Outcome.DISCARDED);
            assertThat(m.getLong(4096)).isZero();
            assertThat(RedoLog.isLive(m, LOG)).isFalse();
        }
    }

    @Test
    void shouldWitnessWholeWordsAndCountWitnessesAgainstTheCapacityOnly() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            final int room = log.remaining();
            log.witness(5003, 2); // widened to the word [5000, 5008)
            log.set(4096, 1);
            assertThat(log.size()).as("word entries only").isEqualTo(1);
            assertThat(log.remaining()).isEqualTo(room - 2);
            log.commit();
            m.putByte(5007, (byte) 1); // outside the caller's bytes, inside the witnessed word
            assertThat(RedoLog.recover(m, LOG, CAP, 4096, 8192)).isEqualTo(RedoLog.Outcome.DISCARDED);
        }
    }

    @Test
    void shouldTellWhenAWordEntryWouldChangeAWitnessedRange() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            log.witness(5000, 64);
            log.set(4096, 1);
            assertThat(log.witnessesTouched()).isFalse();
            log.set(5056, 1);
            assertThat(log.witnessesTouched()).isTrue();
            log.dropWitnesses();
            assertThat(log.witnessesTouched()).isFalse();
            assertThat(log.size()).isEqualTo(2);
        }
    }

    @Test
    void shouldRefuseAWitnessOutsideTheAllowedRangeAsCorruption() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, LOG, CAP);
            log.witness(8000, 100);
            log.set(4096, 1);
            log.commit();
            assertThatThrownBy(() -> RedoLog.recover(m, LOG, CAP, 4096, 8050))
                    .isInstanceOf(PoolCorruptedException.class)
                    .hasMessageContaining("redo log entry 1")
                    .hasMessageContaining("witnessing 104 bytes");
            assertThat(m.getLong(4096)).isZero();
            assertThatThrownBy(() -> log.witness(8100, 200)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.witness(4096, 0)).isInstanceOf(IllegalArgumentException.class);
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

    /**
     * Random operations on a few words, in logs short enough to be scanned and long enough to be
     * hashed (the index is built when a log grows past 16 entries): the entries merge as the rules
     * say (into the latest entry of the word when it has the same operation) and the applied words
     * equal the operations done in order.
     */
    @Test
    void shouldMergeAndApplyLikeTheOperationsInOrderAtAnyLogLength() {
        final java.util.Random rnd = new java.util.Random(11);
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, LOG, 4096);
            for (int round = 0; round < 200; round++) {
                final int targets = 1 + rnd.nextInt(40);
                final int ops = 1 + rnd.nextInt(80);
                final long[] model = new long[targets];
                for (int t = 0; t < targets; t++) {
                    model[t] = m.getLong(4096 + 8L * t);
                }
                final java.util.List<long[]> entries = new java.util.ArrayList<>();
                for (int k = 0; k < ops; k++) {
                    final int t = rnd.nextInt(targets);
                    final int op = 1 + rnd.nextInt(3);
                    final long v = rnd.nextLong();
                    final long target = 4096 + 8L * t;
                    switch (op) {
                        case RedoLogLayout.OP_SET -> { log.set(target, v); model[t] = v; }
                        case RedoLogLayout.OP_OR -> { log.or(target, v); model[t] |= v; }
                        default -> { log.and(target, v); model[t] &= v; }
                    }
                    long[] latest = null;
                    for (int e = entries.size() - 1; e >= 0 && latest == null; e--) {
                        if (entries.get(e)[0] == target) {
                            latest = entries.get(e);
                        }
                    }
                    if (latest == null || latest[1] != op) {
                        entries.add(new long[] {target, op});
                    }
                }
                assertThat(log.size()).as("round %d", round).isEqualTo(entries.size());
                log.process();
                for (int t = 0; t < targets; t++) {
                    assertThat(m.getLong(4096 + 8L * t)).as("round %d word %d", round, t).isEqualTo(model[t]);
                }
            }
        }
    }
}
