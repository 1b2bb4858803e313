package dev.engram.allocator;

import dev.engram.pool.OutOfPoolMemoryException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random alloc/free/realloc/multi-publish/cancel/reopen sequences against a model of the
 * destination slots: no overlap, alignment, destinations match, stats match, every run's volatile
 * copy of its bitmap matches the media, and after freeing everything every chunk is free or in an
 * empty run (no leak).
 */
class HeapPropertyTest {

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99991, 777, 31337})
    void randomOperationsMatchTheModel(long seed) {
        try {
            run(seed);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed: " + seed + " — " + e.getMessage(), e);
        }
    }

    private static long randomSize(Random rnd) {
        final int kind = rnd.nextInt(10);
        if (kind < 6) {
            return rnd.nextInt(200);
        }
        if (kind < 9) {
            return rnd.nextInt(20_000);
        }
        return 200_000 + rnd.nextInt(700_000);
    }

    private static void run(long seed) {
        final Random rnd = new Random(seed);
        final int slots = 200;
        try (TestPool p = TestPool.create(8, 12, 24)) {
            final Map<Integer, Long> model = new HashMap<>();
            for (int step = 0; step < 1500; step++) {
                final int op = rnd.nextInt(100);
                final int slot = rnd.nextInt(slots);
                final Long current = model.get(slot);
                if (op < 20) {
                    if (current == null) {
                        try {
                            model.put(slot, p.heap.allocate(randomSize(rnd), slot, TestPool.slot(slot), p.log));
                        } catch (OutOfPoolMemoryException full) {
                            assertThat(p.medium.getLong(TestPool.slot(slot))).isZero();
                        }
                    }
                } else if (op < 45) {
                    if (current == null) {
                        final Reservation r = p.heap.tryReserve(randomSize(rnd), slot);
                        if (r != null) {
                            if (rnd.nextInt(10) == 0) {
                                p.heap.cancel(r);
                            } else {
                                p.heap.publish(r, TestPool.slot(slot), p.log);
                                model.put(slot, r.objectOffset());
                            }
                        }
                    }
                } else if (op < 80) {
                    if (current != null) {
                        p.heap.free(current, TestPool.slot(slot), p.log);
                        model.remove(slot);
                    }
                } else if (op < 90) {
                    if (current != null) {
                        final long size = randomSize(rnd);
                        final Reservation probe = p.heap.tryReserve(size, slot);
                        if (probe != null) {
                            p.heap.cancel(probe);
                            model.put(slot, p.heap.realloc(current, size, slot, TestPool.slot(slot), p.log));
                        }
                    }
                } else if (op < 97) {
                    multiPublish(p, rnd, model, slots);
                } else {
                    p.reopen();
                }
                if (step % 50 == 0) {
                    verify(p, model, slots);
                }
            }
            verify(p, model, slots);
            for (Map.Entry<Integer, Long> e : model.entrySet()) {
                p.heap.free(e.getValue(), TestPool.slot(e.getKey()), p.log);
            }
            model.clear();
            verify(p, model, slots);
            final HeapStats s = p.heap.stats();
            long runChunks = 0;
            for (HeapStats.ClassStats c : s.classes()) {
                assertThat(c.blocksUsed()).isZero();
                runChunks += c.runs() * SizeClasses.runChunks(c.classId());
            }
            assertThat(s.usedSpans()).isZero();
            assertThat(s.freeChunks() + runChunks).isEqualTo(s.chunks());
            final HeapStats afterReopen = p.reopen().stats();
            assertThat(afterReopen.objectsUsed()).isZero();
        }
    }

    private static void multiPublish(TestPool p, Random rnd, Map<Integer, Long> model, int slots) {
        final Set<Integer> used = new HashSet<>();
        final int nAlloc = rnd.nextInt(4);
        final int nFree = rnd.nextInt(4);
        final java.util.List<Reservation> rs = new java.util.ArrayList<>();
        final java.util.List<Long> dests = new java.util.ArrayList<>();
        final java.util.List<Integer> allocSlots = new java.util.ArrayList<>();
        for (int i = 0; i < nAlloc; i++) {
            final int slot = rnd.nextInt(slots);
            if (model.containsKey(slot) || !used.add(slot)) {
                continue;
            }
            final Reservation r = p.heap.tryReserve(randomSize(rnd), slot);
            if (r != null) {
                rs.add(r);
                dests.add(TestPool.slot(slot));
                allocSlots.add(slot);
            }
        }
        final java.util.List<Integer> freeSlots = new java.util.ArrayList<>();
        for (int i = 0; i < nFree; i++) {
            final int slot = rnd.nextInt(slots);
            if (model.containsKey(slot) && used.add(slot)) {
                freeSlots.add(slot);
            }
        }
        final long[] frees = freeSlots.stream().mapToLong(model::get).toArray();
        final long[] freeDests = freeSlots.stream().mapToLong(TestPool::slot).toArray();
        p.heap.publish(rs.toArray(new Reservation[0]), dests.stream().mapToLong(Long::longValue).toArray(), frees, freeDests, p.log);
        for (int i = 0; i < rs.size(); i++) {
            model.put(allocSlots.get(i), rs.get(i).objectOffset());
        }
        freeSlots.forEach(model::remove);
    }

    private static void verify(TestPool p, Map<Integer, Long> model, int slots) {
        final TreeMap<Long, Long> extents = new TreeMap<>();
        for (int s = 0; s < slots; s++) {
            final long value = p.medium.getLong(TestPool.slot(s));
            final Long expected = model.get(s);
            assertThat(value).as("slot %d", s).isEqualTo(expected == null ? 0L : expected);
            if (expected != null) {
                assertThat(expected % 16).isZero();
                assertThat(p.heap.typeNum(expected)).isEqualTo(s);
                extents.put(expected - 16, expected + p.heap.usableSize(expected));
            }
        }
        long end = Long.MIN_VALUE;
        for (Map.Entry<Long, Long> e : extents.entrySet()) {
            assertThat(e.getKey()).as("overlap at %d", e.getKey()).isGreaterThanOrEqualTo(end);
            end = e.getValue();
        }
        final Set<Long> live = new HashSet<>();
        p.heap.forEachObject(live::add);
        assertThat(live).containsExactlyInAnyOrderElementsOf(model.values());
        assertThat(p.heap.check().isConsistent()).isTrue();
        assertThat(p.heap.stats().objectsUsed()).isEqualTo(model.size());
        verifyDurableBitmaps(p.heap);
    }

    /** Every loaded run's {@link RunState#durable} copy equals its bitmap on the media. */
    static void verifyDurableBitmaps(PersistentHeap heap) {
        for (ZoneState z : heap.chunks().zonesSnapshot()) {
            if (!z.loaded) {
                continue;
            }
            final Set<RunState> seen = new HashSet<>();
            for (int c = 0; c < z.chunkCount; c++) {
                final RunState run = z.runs[c];
                if (run == null || !seen.add(run) || run.retiring) {
                    continue;
                }
                for (int w = 0; w < run.durable.length; w++) {
                    assertThat(run.durable[w]).as("run at %d, bitmap word %d", run.runStart, w)
                            .isEqualTo(heap.medium().getLong(RunLayout.bitmapWordOffset(run.runStart, w * RunLayout.BITS_PER_WORD)));
                }
            }
        }
    }
}
