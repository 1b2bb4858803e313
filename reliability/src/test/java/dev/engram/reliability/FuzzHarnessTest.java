package dev.engram.reliability;

import dev.engram.pool.Pool;
import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.PoolHeaderLayout;
import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fuzzers' own machinery can fail: the oracle, the hang bound, the re-checksumming, the seeds. */
class FuzzHarnessTest {
    @Test
    void oracleAcceptsTypedRejectionsAndNormalReturns() {
        try (FuzzOracle oracle = new FuzzOracle()) {
            assertThat(oracle.check(() -> { })).isNull();
            assertThat(oracle.check(() -> {
                throw new PoolCorruptedException("bad");
            })).isNull();
            assertThat(oracle.outcomes()).containsEntry("ok", 1L).containsEntry("CORRUPTED", 1L);
        }
    }

    @Test
    void oracleReportsEveryOtherThrowable() {
        try (FuzzOracle oracle = new FuzzOracle()) {
            assertThat(oracle.check(() -> {
                throw new NullPointerException("npe");
            })).isInstanceOf(NullPointerException.class);
            assertThat(oracle.check(() -> {
                throw new InternalError("a fault occurred in an unsafe memory access operation");
            })).isInstanceOf(InternalError.class);
            assertThat(oracle.check(() -> {
                throw new AssertionError("property");
            })).isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void oracleReportsAnInputThatDoesNotReturnWithinTheBound() {
        try (FuzzOracle oracle = new FuzzOracle(Duration.ofMillis(300))) {
            Throwable hang = oracle.check(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait();
                }
            });
            assertThat(hang).isInstanceOf(AssertionError.class).hasMessageContaining("did not finish");
            assertThat(hang.getStackTrace()).isNotEmpty();
            assertThat(oracle.check(() -> { })).as("a fresh worker after a hang").isNull();
        }
    }

    @Test
    void everySeedIsAValidPoolThatTheTargetsAccept() {
        for (SeedImage seed : FuzzSeeds.all()) {
            FuzzTargets.attach(seed.copy());
            try (MemoryMedium m = MemoryMedium.allocate(seed.bytes().length)) {
                MemorySegment.copy(seed.bytes(), 0, m.segmentForHarness(), ValueLayout.JAVA_BYTE, 0, seed.bytes().length);
                Pool pool = Pool.attach(m, EngramStack.LAYOUT);
                assertThat(EngramStack.recoverAndOpen(pool, FuzzTargets.GROWTH_CAP).check().isConsistent())
                        .as("seed %s", seed).isTrue();
            }
        }
    }

    @Test
    void rechecksummedHeaderMutationReachesTheGeometryValidator() {
        SeedImage seed = FuzzSeeds.all().getFirst();
        byte[] image = seed.copy();
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (int base : new int[] {0, (int) PoolHeaderLayout.BACKUP_OFFSET}) {
            b.putInt(base + PoolHeaderLayout.LANE_COUNT_OFFSET, 0);
        }
        PoolMutator.fixImage(image, seed);
        assertThatThrownBy(() -> FuzzTargets.attach(image)).isInstanceOf(PoolCorruptedException.class)
                .hasMessageContaining("'lane count' at offset " + PoolHeaderLayout.LANE_COUNT_OFFSET);
    }

    @Test
    void sameInputSeedGivesTheSameInput() {
        PoolMutator.Mutated a = PoolImageMutationFuzzTest.inputFor(42);
        PoolMutator.Mutated b = PoolImageMutationFuzzTest.inputFor(42);
        assertThat(a.description()).isEqualTo(b.description());
        assertThat(a.bytes()).isEqualTo(b.bytes());
        assertThat(PoolMutator.mutate(Choices.of(new Random(7)), FuzzSeeds.all(), 8).steps()).isNotEmpty();
    }
}
