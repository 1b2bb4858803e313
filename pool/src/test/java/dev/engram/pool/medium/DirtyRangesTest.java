package dev.engram.pool.medium;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class DirtyRangesTest {
    @Test
    void shouldReturnNothingWhenEmpty() {
        assertThat(new DirtyRanges().take()).isEmpty();
    }

    @Test
    void shouldCoalesceOverlappingAndAdjacentRanges() {
        DirtyRanges r = new DirtyRanges();
        r.add(8192, 12288);
        r.add(0, 4096);
        r.add(4096, 8192);
        r.add(40960, 45056);
        assertThat(r.take()).containsExactly(0, 12288, 40960, 45056);
        assertThat(r.take()).isEmpty();
    }

    @Test
    void shouldAbsorbRepeatedRanges() {
        DirtyRanges r = new DirtyRanges();
        for (int i = 0; i < 1000; i++) {
            r.add(4096, 8192);
        }
        assertThat(r.take()).containsExactly(4096, 8192);
    }

    @Test
    void shouldMatchAModelOfCoveredPages() {
        long seed = 20261123L;
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            DirtyRanges r = new DirtyRanges();
            boolean[] covered = new boolean[64];
            int n = 1 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                int start = random.nextInt(64);
                int end = start + 1 + random.nextInt(Math.min(8, 64 - start));
                r.add(start * 4096L, end * 4096L);
                for (int p = start; p < end; p++) {
                    covered[p] = true;
                }
            }
            long[] runs = r.take();
            boolean[] got = new boolean[64];
            for (int i = 0; i < runs.length; i += 2) {
                if (i > 0) {
                    assertThat(runs[i]).as("seed %d: runs sorted and separated", seed).isGreaterThan(runs[i - 1]);
                }
                for (long p = runs[i] / 4096; p < runs[i + 1] / 4096; p++) {
                    got[(int) p] = true;
                }
            }
            assertThat(got).as("seed %d round %d", seed, round).isEqualTo(covered);
        }
    }
}
