package dev.engram.crashtest;

import dev.engram.pool.medium.Medium;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrashExplorerTest {
    private static final long SIZE = 4096;

    private static Trace trace(MediumAction workload) throws Exception {
        return TracingMedium.record(SIZE, m -> { }, workload);
    }

    /** Every image the checker saw, as the two words at offsets a and b. */
    private static Set<List<Long>> images(Trace trace, CrashExplorer explorer, long a, long b) {
        Set<List<Long>> seen = new HashSet<>();
        explorer.explore(trace, m -> seen.add(List.of(m.getLong(a), m.getLong(b))));
        return seen;
    }

    private static CrashExplorer exhaustive() {
        return CrashExplorer.builder().strategies(CrashStrategy.exhaustive(1 << 20)).build();
    }

    @Test
    void shouldLetDifferentLinesPersistInEitherOrder() throws Exception {
        Trace trace = trace(m -> {
            m.putLong(0, 1);
            m.putLong(64, 2);
            m.persist(0, 128);
        });

        assertThat(images(trace, exhaustive(), 0, 64))
                .containsExactlyInAnyOrder(List.of(0L, 0L), List.of(1L, 0L), List.of(0L, 2L), List.of(1L, 2L));
    }

    @Test
    void shouldLoseEachInFlightLineAloneWithTheOthersComplete() throws Exception {
        // data on three lines, then a commit word vouching for it, all flushed before one drain
        Trace trace = trace(m -> {
            for (int line = 0; line < 3; line++) {
                for (int word = 0; word < 8; word++) {
                    m.putLong(line * 64L + word * 8L, 1);
                }
            }
            m.putLong(192, 7);
            m.persist(0, 256);
        });
        List<List<Long>> torn = new ArrayList<>();
        CrashReport report = CrashExplorer.builder().strategies(CrashStrategy.lineLost()).build().explore(trace, m -> {
            if (m.getLong(192) == 7) {
                torn.add(List.of(m.getLong(0), m.getLong(64), m.getLong(128)));
            }
        });

        assertThat(torn).as("the commit word durable, exactly one data line lost")
                .containsExactlyInAnyOrder(List.of(0L, 1L, 1L), List.of(1L, 0L, 1L), List.of(1L, 1L, 0L));
        assertThat(report.pointsOverExhaustiveLimit()).isZero();
    }

    @Test
    void shouldPersistOneLinesStoresInProgramOrder() throws Exception {
        Trace trace = trace(m -> {
            m.putLong(0, 1);
            m.putLong(8, 2);
            m.persist(0, 16);
        });

        assertThat(images(trace, exhaustive(), 0, 8))
                .containsExactlyInAnyOrder(List.of(0L, 0L), List.of(1L, 0L), List.of(1L, 2L));
    }

    @Test
    void shouldMakeAFlushedAndDrainedStoreDurableAtEveryLaterPoint() throws Exception {
        Trace trace = trace(m -> {
            m.putLongPersist(0, 1);
            m.putLong(64, 2);
            m.persist(64, 8);
        });
        List<Long> atSecondDrain = new ArrayList<>();
        CrashExplorer.builder().strategies(CrashStrategy.exhaustive(1 << 20)).build().explore(trace, m -> {
            if (m.getLong(64) != 0) {
                atSecondDrain.add(m.getLong(0));
            }
        });

        assertThat(atSecondDrain).containsOnly(1L);
    }

    @Test
    void shouldTreatUnflushedStoresAsInFlightUnlessToldToUsePmreordersModel() throws Exception {
        Trace trace = trace(m -> {
            m.putLong(0, 1);
            m.drain();
        });

        assertThat(images(trace, exhaustive(), 0, 8)).containsExactlyInAnyOrder(List.of(0L, 0L), List.of(1L, 0L));
        CrashExplorer flushedOnly = CrashExplorer.builder().strategies(CrashStrategy.exhaustive(1 << 20))
                .unflushedStoresInFlight(false).build();
        assertThat(images(trace, flushedOnly, 0, 8)).containsExactly(List.of(0L, 0L));
    }

    @Test
    void shouldCallTheCheckerExactlyOncePerDistinctImage() throws Exception {
        Trace trace = trace(m -> {
            for (int i = 0; i < 40; i++) {
                m.putLong((i % 8) * 64L + (i % 3) * 8L, i);
                if (i % 5 == 4) {
                    m.persist(0, 512);
                }
            }
        });
        List<ByteBuffer> contents = new ArrayList<>();

        CrashReport report = CrashExplorer.defaults().explore(trace, m -> {
            byte[] copy = new byte[(int) m.size()];
            m.getBytes(0, copy, 0, copy.length);
            contents.add(ByteBuffer.wrap(copy));
        });

        assertThat(report.checkerCalls()).isEqualTo(contents.size()).isEqualTo(report.distinctImages());
        assertThat(new HashSet<>(contents)).hasSize(contents.size());
        assertThat(report.checkerCallsPerDistinctImage()).isEqualTo(1.0);
        assertThat(report.candidates()).isGreaterThan(report.distinctImages());
    }

    @Test
    void shouldRestoreWhatTheCheckerWroteBeforeBuildingTheNextImage() throws Exception {
        Trace trace = trace(m -> {
            m.putLong(0, 1);
            m.putLong(64, 2);
            m.persist(0, 128);
            m.putLong(128, 3);
            m.persist(128, 8);
        });
        Set<List<Long>> clean = images(trace, exhaustive(), 0, 64);
        Set<List<Long>> afterScribbling = new HashSet<>();

        exhaustive().explore(trace, m -> {
            afterScribbling.add(List.of(m.getLong(0), m.getLong(64)));
            m.fill(0, m.size(), (byte) 0x5A);
            m.putLong(0, 99);
        });

        assertThat(afterScribbling).isEqualTo(clean);
    }

    @Test
    void shouldReproduceRandomImagesAndFailuresWithTheSameSeed() throws Exception {
        Trace trace = trace(m -> {
            for (int i = 0; i < 64; i++) {
                m.putLong((i % 16) * 64L, i + 1);
            }
            m.persist(0, 1024);
        });
        CrashChecker failsOnOddSum = m -> {
            long sum = 0;
            for (int i = 0; i < 16; i++) {
                sum += m.getLong(i * 64L);
            }
            if (sum % 2 == 1) {
                throw new AssertionError("odd sum " + sum);
            }
        };

        List<String> first = describe(trace, 7, failsOnOddSum);
        List<String> again = describe(trace, 7, failsOnOddSum);
        List<String> other = describe(trace, 8, failsOnOddSum);

        assertThat(first).isNotEmpty().isEqualTo(again).isNotEqualTo(other);
    }

    private static List<String> describe(Trace trace, long seed, CrashChecker checker) {
        return CrashExplorer.builder().strategies(CrashStrategy.random(seed, 32)).maxReportedFailures(1000).build()
                .explore(trace, checker).failures().stream().map(CrashFailure::describe).toList();
    }

    @Test
    void shouldReportTheDrainPointTheSubsetAndTheSeedOfAFailure() throws Exception {
        Trace trace = trace(m -> {
            m.putLong(0, 1);
            m.putLongPersist(64, 1);
        });

        CrashReport report = CrashExplorer.builder().strategies(CrashStrategy.random(42, 16)).build()
                .explore(trace, m -> {
                    if (m.getLong(64) == 1 && m.getLong(0) == 0) {
                        throw new IllegalStateException("flag without data");
                    }
                });

        assertThat(report.failingImages()).isEqualTo(1);
        CrashFailure f = report.failures().getFirst();
        assertThat(f.point()).isZero();
        assertThat(f.endOfTrace()).isFalse();
        assertThat(f.seed()).isEqualTo(42);
        assertThat(f.selection().lines()).containsExactly(0, 1);
        assertThat(f.selection().prefixes()).containsExactly(0, 1);
        assertThat(f.describe()).contains("drain #0", "seed=42", "line@0x0: 0/1, line@0x40: 1/1", "flag without data");
        assertThatThrownBy(report::assertPassed).isInstanceOf(AssertionError.class).hasMessageContaining("1 failing");
    }

    @Test
    void shouldCountPointsTooLargeForTheExhaustiveStrategy() throws Exception {
        Trace trace = trace(m -> {
            for (int i = 0; i < 20; i++) {
                m.putLong(i * 64L, 1);
            }
            m.drain();
        });

        CrashReport report = CrashExplorer.builder().strategies(CrashStrategy.exhaustive(1000)).build().explore(trace, m -> { });

        assertThat(report.pointsOverExhaustiveLimit()).isEqualTo(2);
        assertThat(report.checkerCalls()).isZero();
    }

    @Test
    void shouldGiveTheCheckerAMediumOfTheSizeAtTheCrashPoint() throws Exception {
        Trace trace = trace(m -> {
            m.putLongPersist(0, 1);
            m.grow(2 * SIZE);
            m.putLongPersist(SIZE, 2);
        });
        Set<Long> sizes = new HashSet<>();

        CrashExplorer.defaults().explore(trace, (Medium m) -> sizes.add(m.size()));

        assertThat(sizes).containsExactlyInAnyOrder(SIZE, 2 * SIZE);
    }
}
