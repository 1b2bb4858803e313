package dev.engram.allocator;

import dev.engram.crashtest.CrashExplorer;
import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.CrashStrategy;
import dev.engram.crashtest.MediumAction;
import dev.engram.crashtest.Trace;
import dev.engram.crashtest.TracingMedium;
import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumReader;
import dev.engram.pool.medium.MemoryMedium;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allocator's crash oracle on the crashtest harness: heap workloads on a {@link TestPool} are
 * traced with {@link TracingMedium}, every crash image is recovered the way a pool does it
 * ({@link RedoLog#recover} for the lane, then {@link PersistentHeap#open}) and checked against the
 * destination-slot states the workload passed through.
 *
 * <p>What a recovered image must satisfy ({@link #check}):
 * <ul>
 *   <li>{@link PersistentHeap#check} reports nothing;</li>
 *   <li>the slots equal one of the recorded states (for a one-operation workload: all of it or none);</li>
 *   <li>the allocated objects are exactly the objects the slots name, each named once: a new object
 *       is allocated iff its destination holds it, a freed one is free iff its destination is 0 (no
 *       leak, no double allocation), and the statistics count the same objects;</li>
 *   <li>objects whose first word the workload fixed (a realloc's copy) hold it;</li>
 *   <li>the heap still allocates, and never hands out a live object.</li>
 * </ul>
 */
final class HeapCrash {
    static final int CHUNKS_PER_ZONE = 8;
    /** Destination slots the workloads use (the oracle reads only these). */
    static final int SLOTS = 16;
    /** Heap size of the one-operation scenarios, in chunks. */
    static final int CHUNKS = 16;
    /** First word of the object {@link #prefill} puts in slot 2 (a realloc must carry it over). */
    static final long PAYLOAD = 0x0BADC0DE_5EED0001L;
    /** What the oracle checks in scenarios built on {@link #prefill}. */
    static final Map<Integer, Long> PREFILL_WORDS = Map.of(2, PAYLOAD);

    /** One step of a workload or setup. */
    @FunctionalInterface
    interface Step {
        void run(TestPool pool);
    }

    /**
     * A traced workload with the slot states it may legally leave behind.
     *
     * @param firstWords slot → the first word its object must hold whenever the slot is non-zero
     */
    record Recorded(Trace trace, List<long[]> states, Map<Integer, Long> firstWords) {
        /** Runs the explorer over the trace with this workload's oracle and prints the summary with the seed. */
        CrashReport explore(String name, long seed, int samplesPerPoint, long exhaustiveLimit) {
            final CrashReport report = CrashExplorer.builder()
                    .strategies(CrashStrategy.prefixes(), CrashStrategy.random(seed, samplesPerPoint),
                            CrashStrategy.exhaustive(exhaustiveLimit), CrashStrategy.lineLost())
                    .saveFailuresTo(Path.of("target", "crashtest-failures", "allocator", name))
                    .build()
                    .explore(trace, image -> check(image, states, firstWords));
            System.out.println(name + " seed=" + seed + " (" + trace.drainCount() + " drains): " + report.summary());
            return report;
        }
    }

    private HeapCrash() {
    }

    /** Formats a pool of {@code chunks} chunks, runs {@code setup} untraced, then traces {@code steps}. */
    static Recorded record(int chunks, Step setup, List<Step> steps, Map<Integer, Long> firstWords) throws Exception {
        final List<long[]> states = new ArrayList<>();
        final MediumAction format = m -> setup.run(TestPool.format(m, CHUNKS_PER_ZONE));
        final MediumAction workload = m -> {
            final TestPool p = TestPool.wrap(m);
            states.add(slots(m));
            for (Step step : steps) {
                step.run(p);
                states.add(slots(m));
            }
        };
        final Trace trace = TracingMedium.record(TestPool.mediumSizeFor(CHUNKS_PER_ZONE, chunks), format, workload);
        return new Recorded(trace, List.copyOf(states), Map.copyOf(firstWords));
    }

    /**
     * Objects in slots 0..3: two 64-byte blocks sharing a run, a 100-byte block alone in its run
     * (carrying {@link #PAYLOAD}) and a chunk span, so the traced operation works on a populated heap.
     */
    static void prefill(TestPool p) {
        p.heap.allocate(64, 0, TestPool.slot(0), p.log);
        p.heap.allocate(64, 1, TestPool.slot(1), p.log);
        p.heap.allocate(100, 2, TestPool.slot(2), p.log);
        p.heap.allocate(300_000, 3, TestPool.slot(3), p.log);
        writeFirstWord(p, 2, PAYLOAD);
    }

    /**
     * The slot states {@code op} passes through when run untraced after {@code setup} and a reopen,
     * exactly as {@link #record} runs it: the legal outcomes for a broken variant of the same
     * operation, which must end where the correct one does.
     */
    static List<long[]> statesOf(int chunks, Step setup, Step op) {
        try (MemoryMedium m = MemoryMedium.allocate(TestPool.mediumSizeFor(CHUNKS_PER_ZONE, chunks))) {
            setup.run(TestPool.format(m, CHUNKS_PER_ZONE));
            final TestPool p = TestPool.wrap(m);
            final long[] before = slots(m);
            op.run(p);
            return List.of(before, slots(m));
        }
    }

    static Recorded record(int chunks, Step setup, List<Step> steps) throws Exception {
        return record(chunks, setup, steps, Map.of());
    }

    static long[] slots(MediumReader m) {
        final long[] v = new long[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            v[i] = m.getLong(TestPool.slot(i));
        }
        return v;
    }

    /** Stores {@code word} as the object's first word, persisted (setup data a realloc must carry over). */
    static void writeFirstWord(TestPool p, int slot, long word) {
        final long object = p.medium.getLong(TestPool.slot(slot));
        p.medium.putLong(object, word);
        p.medium.persist(object, Long.BYTES);
    }

    /** Recovers {@code image} as a pool would and checks the invariant; throws on any violation. */
    static void check(Medium image, List<long[]> legal, Map<Integer, Long> firstWords) {
        RedoLog.recover(image, TestPool.LOG, TestPool.LOG_BYTES, TestPool.SLOTS, image.size());
        final PersistentHeap heap = PersistentHeap.open(image, TestPool.HEAP, image.size() - TestPool.HEAP, null);

        assertThat(heap.check().problems()).as("heap check after recovery").isEmpty();

        final long[] now = slots(image);
        assertThat(legal).as("slots after recovery %s must be a state the workload passed through",
                Arrays.toString(now)).anyMatch(s -> Arrays.equals(s, now));

        final Set<Long> referenced = new HashSet<>();
        for (int i = 0; i < SLOTS; i++) {
            if (now[i] != 0) {
                assertThat(referenced.add(now[i])).as("object %d named by two slots (double allocation)", now[i]).isTrue();
            }
        }
        final Set<Long> live = new HashSet<>();
        heap.forEachObject(live::add);
        assertThat(live).as("allocated objects == objects the slots name (no leak, no unallocated destination)")
                .isEqualTo(referenced);
        assertThat(heap.stats().objectsUsed()).as("objects counted by stats").isEqualTo(live.size());

        for (Map.Entry<Integer, Long> e : firstWords.entrySet()) {
            final long object = now[e.getKey()];
            if (object != 0) {
                assertThat(image.getLong(object)).as("first word of the object in slot %d", e.getKey()).isEqualTo(e.getValue());
            }
        }

        final RedoLog log = RedoLog.open(image, TestPool.LOG, TestPool.LOG_BYTES);
        final long small = heap.allocate(48, 99, PersistentHeap.NO_DESTINATION, log);
        final long run = heap.allocate(3000, 99, PersistentHeap.NO_DESTINATION, log);
        assertThat(referenced).as("allocation after recovery returned a live object").doesNotContain(small, run);
        assertThat(small).isNotEqualTo(run);
    }
}
