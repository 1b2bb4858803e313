package dev.engram.allocator;

import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For every drain point of a scenario, rebuilds the crash image (durable stores only, and
 * separately every store issued), runs redo recovery and opens the heap, then checks: the heap is
 * consistent; the destination slots equal the state before or after the operation in flight (all
 * or nothing); the live objects are exactly the slots' targets (no leak, no double allocation);
 * and the heap still allocates.
 */
class CrashAtomicityTest {
    private static final int SLOTS = 16;
    private static final int CHUNKS = 24;

    /** One scenario step, run against the recording heap. */
    interface Step extends Consumer<TestPool> {
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {7, 8, 9, 10})
    void randomOperationsAreAtomicAtEveryDrainPoint(long seed) {
        final Random rnd = new Random(seed);
        final List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            final int slot = rnd.nextInt(SLOTS);
            final int other = rnd.nextInt(SLOTS);
            final long size = rnd.nextInt(4) == 0 ? 300_000 : rnd.nextInt(300);
            final int kind = rnd.nextInt(4);
            steps.add(p -> {
                final long cur = p.medium.getLong(TestPool.slot(slot));
                if (kind == 0 || cur == 0) {
                    if (cur == 0) {
                        p.heap.allocate(size, slot, TestPool.slot(slot), p.log);
                    }
                } else if (kind == 1) {
                    p.heap.free(cur, TestPool.slot(slot), p.log);
                } else if (kind == 2) {
                    p.heap.realloc(cur, size + 500, slot, TestPool.slot(slot), p.log);
                } else {
                    final long otherCur = p.medium.getLong(TestPool.slot(other));
                    final Reservation r = p.heap.reserve(size, slot);
                    if (otherCur != 0 && other != slot) {
                        p.heap.publish(new Reservation[] {r}, new long[] {TestPool.slot(slot)}, new long[] {cur, otherCur},
                                new long[] {0, TestPool.slot(other)}, p.log);
                    } else {
                        p.heap.publish(new Reservation[] {r}, new long[] {TestPool.slot(slot)}, new long[] {cur},
                                new long[] {0}, p.log);
                    }
                }
            });
        }
        final List<String> failures = explore(steps, true);
        assertThat(failures).as("seed: " + seed).isEmpty();
    }

    @Test
    void emptyingARunRetiresItAtomically() {
        final List<Step> steps = new ArrayList<>();
        steps.add(p -> p.heap.allocate(5000, 1, TestPool.slot(0), p.log));
        steps.add(p -> p.heap.allocate(5000, 1, TestPool.slot(1), p.log));
        steps.add(p -> p.reopen());
        steps.add(p -> p.heap.publish(null, null, new long[] {p.medium.getLong(TestPool.slot(0)), p.medium.getLong(TestPool.slot(1))},
                new long[] {TestPool.slot(0), TestPool.slot(1)}, p.log));
        steps.add(p -> assertThat(p.heap.stats().classes()).as("the emptied run was retired").isEmpty());
        steps.add(p -> p.heap.allocate(600_000, 2, TestPool.slot(2), p.log));
        assertThat(explore(steps, false)).isEmpty();
    }

    @Test
    void harnessCatchesABrokenPublishThatSetsTheBitmapBeforeTheDestination() {
        final List<Step> steps = new ArrayList<>();
        steps.add(p -> p.heap.allocate(64, 1, TestPool.slot(0), p.log));
        steps.add(p -> {
            final Reservation r = p.heap.reserve(64, 1);
            final int block = r.run.blockIndexOf(r.objectOffset());
            final long word = RunLayout.bitmapWordOffset(r.run.runStart, block);
            p.medium.putLong(word, p.medium.getLong(word) | RunLayout.bitMask(block));
            p.medium.persist(word, 8);
            p.medium.putLongPersist(TestPool.slot(1), r.objectOffset());
        });
        assertThat(explore(steps, false)).anySatisfy(f -> assertThat(f).contains("live objects"));
    }

    /** Runs the steps on a recording heap and checks every crash image; returns the failures. */
    private static List<String> explore(List<Step> steps, boolean prefill) {
        final MemoryMedium backing;
        final TestPool setup = TestPool.create(8, CHUNKS, CHUNKS);
        if (prefill) {
            for (int i = 0; i < SLOTS; i += 3) {
                setup.heap.allocate(i * 40L, i, TestPool.slot(i), setup.log);
            }
        }
        backing = (MemoryMedium) setup.medium;
        final RecordingMedium rec = new RecordingMedium(backing);
        final TestPool p = TestPool.wrap(rec);
        final List<long[]> states = new ArrayList<>();
        final List<Integer> drainsBefore = new ArrayList<>();
        states.add(slots(rec));
        for (Step step : steps) {
            drainsBefore.add(rec.drains());
            step.accept(p);
            states.add(slots(rec));
        }
        drainsBefore.add(rec.drains());
        final List<String> failures = new ArrayList<>();
        for (int d = 1; d <= rec.drains(); d++) {
            int op = 0;
            while (op + 1 < drainsBefore.size() && drainsBefore.get(op + 1) < d) {
                op++;
            }
            for (boolean all : new boolean[] {false, true}) {
                try (MemoryMedium image = rec.image(d, all)) {
                    final String why = verifyImage(image, states.get(op), states.get(op + 1));
                    if (why != null) {
                        failures.add("drain " + d + (all ? " (all stores)" : " (durable)") + ", step " + op + ": " + why);
                    }
                }
            }
        }
        rec.close();
        return failures;
    }

    private static long[] slots(dev.engram.pool.medium.MediumReader m) {
        final long[] v = new long[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            v[i] = m.getLong(TestPool.slot(i));
        }
        return v;
    }

    private static String verifyImage(MemoryMedium image, long[] before, long[] after) {
        try {
            final PersistentHeap heap = TestPool.reopen(image);
            final HeapCheckReport report = heap.check();
            if (!report.isConsistent()) {
                return "inconsistent: " + report.problems();
            }
            final long[] now = slots(image);
            if (!Arrays.equals(now, before) && !Arrays.equals(now, after)) {
                return "slots " + Arrays.toString(now) + " are neither " + Arrays.toString(before) + " nor " + Arrays.toString(after);
            }
            final Set<Long> live = new HashSet<>();
            heap.forEachObject(live::add);
            final Set<Long> referenced = new HashSet<>();
            for (long v : now) {
                if (v != 0 && !referenced.add(v)) {
                    return "two slots share object " + v;
                }
            }
            if (!live.equals(referenced)) {
                return "live objects " + live + " differ from referenced " + referenced;
            }
            if (heap.stats().objectsUsed() != live.size()) {
                return "stats count " + heap.stats().objectsUsed() + " objects, walk found " + live.size();
            }
            final RedoLog log = RedoLog.open(image, TestPool.LOG, TestPool.LOG_BYTES);
            final long fresh = heap.allocate(48, 99, 0, log);
            if (referenced.contains(fresh)) {
                return "allocation after recovery returned live object " + fresh;
            }
            return null;
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
