package dev.engram.allocator;

import dev.engram.crashtest.CrashReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.engram.allocator.TestPool.slot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Allocation, free, realloc and reserve/publish interrupted at every drain point, with subsets of
 * the stores in flight (program-order prefixes, seeded random per-line prefixes, and every
 * combination where there are at most {@link #EXHAUSTIVE_LIMIT}), each image recovered and checked
 * by {@link HeapCrash#check}. Each test prints its seed and the number of images checked.
 */
class HeapCrashTest {
    private static final long SEED = 0xA110CL;
    private static final int SAMPLES = 64;
    private static final long EXHAUSTIVE_LIMIT = 4096;
    private static final int CHUNKS = HeapCrash.CHUNKS;

    /** Traces {@code op} on a {@link HeapCrash#prefill prefilled} heap. */
    private static HeapCrash.Recorded onPrefilledHeap(HeapCrash.Step op) throws Exception {
        return HeapCrash.record(CHUNKS, HeapCrash::prefill, List.of(op), HeapCrash.PREFILL_WORDS);
    }

    private static CrashReport explore(String name, HeapCrash.Recorded r) {
        final CrashReport report = r.explore(name, SEED, SAMPLES, EXHAUSTIVE_LIMIT);
        report.assertPassed();
        assertThat(report.checkerCallsPerDistinctImage()).isEqualTo(1.0);
        assertThat(report.crashPoints()).isEqualTo(r.trace().drainCount() + 1);
        // every drain adds at least the image where its stores are all durable
        assertThat(report.distinctImages()).isGreaterThanOrEqualTo(report.crashPoints());
        return report;
    }

    @ParameterizedTest(name = "size={0} ({1})")
    @CsvSource({
            "64, block of a run that already holds objects",
            "3000, first block of a new run (chunk header in the log)",
            "300000, chunk span"})
    void allocationIsAllOrNothing(long size, String what) throws Exception {
        final HeapCrash.Recorded r = onPrefilledHeap(p -> p.heap.allocate(size, 7, slot(5), p.log));

        explore("alloc-" + size, r);
        assertThat(r.states().getLast()[5]).as("the workload allocated").isNotZero();
    }

    @ParameterizedTest(name = "slot {0} ({1})")
    @CsvSource({
            "0, block whose run keeps another object",
            "2, last block of its run (the run is retired in the same log)",
            "3, chunk span"})
    void freeIsAllOrNothing(int slot, String what) throws Exception {
        final HeapCrash.Recorded r = onPrefilledHeap(p -> p.heap.free(p.medium.getLong(slot(slot)), slot(slot), p.log));

        explore("free-slot" + slot, r);
        assertThat(r.states().getLast()[slot]).as("the workload freed").isZero();
    }

    @ParameterizedTest(name = "to {0} bytes")
    @ValueSource(longs = {5000, 400_000})
    void reallocMovesAllOrNothingAndCarriesTheData(long newSize) throws Exception {
        final HeapCrash.Recorded r = onPrefilledHeap(p -> p.heap.realloc(p.medium.getLong(slot(2)), newSize, 2, slot(2), p.log));

        explore("realloc-" + newSize, r);
        assertThat(r.states().getLast()[2]).as("the object moved").isNotEqualTo(r.states().getFirst()[2]);
    }

    @Test
    void reservationsAndFreesPublishedTogetherAreAllOrNothing() throws Exception {
        final HeapCrash.Recorded r = onPrefilledHeap(p -> {
            final Reservation small = p.heap.reserve(200, 8);
            final Reservation large = p.heap.reserve(600_000, 9);
            p.heap.publish(new Reservation[] {small, large}, new long[] {slot(8), slot(9)},
                    new long[] {p.medium.getLong(slot(1)), p.medium.getLong(slot(3))},
                    new long[] {slot(1), slot(3)}, p.log);
        });

        explore("publish-2-reservations-2-frees", r);
        final long[] after = r.states().getLast();
        assertThat(after[8]).isNotZero();
        assertThat(after[9]).isNotZero();
        assertThat(after[1]).isZero();
        assertThat(after[3]).isZero();
    }

    @Test
    void emptyingARunRetiresItAtomically() throws Exception {
        final HeapCrash.Recorded r = HeapCrash.record(CHUNKS, p -> {
            p.heap.allocate(5000, 1, slot(0), p.log);
            p.heap.allocate(5000, 1, slot(1), p.log);
        }, List.of(
                p -> p.heap.publish(null, null, new long[] {p.medium.getLong(slot(0)), p.medium.getLong(slot(1))},
                        new long[] {slot(0), slot(1)}, p.log),
                p -> assertThat(p.heap.stats().classes()).as("the emptied run was retired").isEmpty(),
                p -> p.heap.allocate(600_000, 2, slot(2), p.log)));

        explore("retire-run", r);
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {7, 8, 9, 10})
    void randomOperationSequencesAreAtomicAtEveryDrainPoint(long seed) throws Exception {
        final Random rnd = new Random(seed);
        final List<HeapCrash.Step> steps = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            steps.add(randomStep(rnd));
        }
        final HeapCrash.Recorded r = HeapCrash.record(24, p -> {
            for (int i = 0; i < HeapCrash.SLOTS; i += 3) {
                p.heap.allocate(i * 40L, i, slot(i), p.log);
            }
        }, steps);

        final CrashReport report = r.explore("random-" + seed, seed, SAMPLES, EXHAUSTIVE_LIMIT);
        assertThat(report.failures()).as("seed: " + seed).isEmpty();
        report.assertPassed();
        assertThat(report.checkerCallsPerDistinctImage()).isEqualTo(1.0);
    }

    /** Allocate into an empty slot, free, realloc, or reserve + publish with one or two frees. */
    private static HeapCrash.Step randomStep(Random rnd) {
        final int target = rnd.nextInt(HeapCrash.SLOTS);
        final int other = rnd.nextInt(HeapCrash.SLOTS);
        final long size = rnd.nextInt(4) == 0 ? 300_000 : rnd.nextInt(300);
        final int kind = rnd.nextInt(4);
        return p -> {
            final long cur = p.medium.getLong(slot(target));
            if (cur == 0) {
                p.heap.allocate(size, target, slot(target), p.log);
            } else if (kind == 1) {
                p.heap.free(cur, slot(target), p.log);
            } else if (kind == 2) {
                p.heap.realloc(cur, size + 500, target, slot(target), p.log);
            } else if (kind == 3) {
                final long otherCur = p.medium.getLong(slot(other));
                final Reservation r = p.heap.reserve(size, target);
                if (otherCur != 0 && other != target) {
                    p.heap.publish(new Reservation[] {r}, new long[] {slot(target)}, new long[] {cur, otherCur},
                            new long[] {0, slot(other)}, p.log);
                } else {
                    p.heap.publish(new Reservation[] {r}, new long[] {slot(target)}, new long[] {cur},
                            new long[] {0}, p.log);
                }
            }
        };
    }
}
