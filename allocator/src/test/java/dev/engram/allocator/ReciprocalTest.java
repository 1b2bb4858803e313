package dev.engram.allocator;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReciprocalTest {

    /** Every run class: every block boundary divides exactly, and offsets inside a block do not. */
    @Test
    void exactQuotientMatchesDivisionForEveryRunClass() {
        final Random rnd = new Random(5);
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            final int size = SizeClasses.blockSize(cls);
            final int blocks = SizeClasses.blocksPerRun(cls);
            assertThat((long) size * blocks).isLessThanOrEqualTo(Reciprocal.MAX_EXACT_DIVIDEND);
            assertThat((long) size).isLessThanOrEqualTo(Reciprocal.MAX_EXACT_DIVISOR);
            final Reciprocal r = new Reciprocal(size);
            for (int b = 0; b < blocks; b++) {
                final long at = (long) b * size;
                assertThat(r.exactQuotient(at)).as("class %d block %d", cls, b).isEqualTo(b);
                assertThat(r.exactQuotient(at + 16)).isEqualTo(-1);
                assertThat(r.exactQuotient(at + size - 16)).isEqualTo(size == 16 ? b + 1 : -1);
                final long inside = at + 1 + rnd.nextInt(size - 1);
                assertThat(r.exactQuotient(inside)).isEqualTo(-1);
            }
        }
    }

    @Test
    void exactQuotientIsExactOverItsWholeRangeForTheLargestDivisor() {
        final long d = Reciprocal.MAX_EXACT_DIVISOR;
        final Reciprocal r = new Reciprocal(d);
        for (long q = 0; q * d < Reciprocal.MAX_EXACT_DIVIDEND; q++) {
            assertThat(r.exactQuotient(q * d)).isEqualTo(q);
            assertThat(r.exactQuotient(q * d + d - 1)).isEqualTo(-1);
        }
        final Reciprocal odd = new Reciprocal(d - 3);
        final Random rnd = new Random(9);
        for (int i = 0; i < 100_000; i++) {
            final long x = rnd.nextLong(Reciprocal.MAX_EXACT_DIVIDEND);
            assertThat(odd.exactQuotient(x)).isEqualTo(x % (d - 3) == 0 ? x / (d - 3) : -1);
        }
    }

    /** Zone sizes of several shapes, dividends near multiples and at random up to 2^52. */
    @Test
    void quotientMatchesDivisionForZoneSizes() {
        final Random rnd = new Random(7);
        for (int chunksPerZone : new int[] {1, 2, 7, 64, 4096, HeapLayout.MAX_CHUNKS_PER_ZONE}) {
            final long d = ZoneLayout.zoneSize(chunksPerZone);
            final Reciprocal r = new Reciprocal(d);
            assertThat(r.divisor()).isEqualTo(d);
            for (long k = 0; k < 2000; k++) {
                for (long x : new long[] {k * d - 1, k * d, k * d + 1}) {
                    if (x >= 0) {
                        assertThat(r.quotient(x)).as("zone size %d, x=%d", d, x).isEqualTo(x / d);
                    }
                }
            }
            for (int i = 0; i < 100_000; i++) {
                final long x = rnd.nextLong(1L << 52);
                assertThat(r.quotient(x)).isEqualTo(x / d);
                final long k = x / d;
                assertThat(r.quotient(k * d)).isEqualTo(k);
                if (k > 0) {
                    assertThat(r.quotient(k * d - 1)).isEqualTo(k - 1);
                }
            }
        }
    }

    @Test
    void divisorMustBePositive() {
        assertThatThrownBy(() -> new Reciprocal(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("divisor=0");
    }
}
