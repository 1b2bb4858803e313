package dev.engram.collections;

import dev.engram.tx.ObjectPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Seeded random operations against the java.util twins (TreeMap, ArrayDeque), large enough to split
 * and merge inner B+tree nodes, compared again after close and reopen; codec checks on reopen.
 */
class ModelTest {
    final TestPools pools = TestPools.forcedPmem("engram-model-");

    @AfterEach
    void cleanUp() {
        pools.close();
    }

    public record Point(long x, int y) {
    }

    @Test
    void shouldMatchATreeMapThroughSplitsMergesAndReopen() {
        long seed = System.nanoTime();
        System.out.println("ModelTest sorted map seed: " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        ObjectPool pool = pools.create(128 << 20);
        Path file = pool.pool().path();
        PersistentSortedMap<Long, Long> map = PersistentCollections.of(pool).sortedMap("big", Codec.int64(), Codec.int64());
        TreeMap<Long, Long> model = new TreeMap<>();
        for (long k = 0; k < 30_000; k++) {
            map.put(k, k);
            model.put(k, k);
        }
        for (int i = 0; i < 60_000; i++) {
            long k = random.nextLong(40_000);
            if (random.nextInt(3) == 0) {
                assertThat(map.put(k, -k)).as("seed " + seed).isEqualTo(model.put(k, -k));
            } else {
                assertThat(map.remove(k)).as("seed " + seed).isEqualTo(model.remove(k));
            }
        }
        long probe = random.nextLong(40_000);
        assertThat(map.ceilingKey(probe)).isEqualTo(model.ceilingKey(probe));
        assertThat(map.floorKey(probe)).isEqualTo(model.floorKey(probe));
        assertThat(map.subMap(probe, probe + 500)).isEqualTo(model.subMap(probe, probe + 500));
        assertThat(new ArrayList<>(map.descendingMap().entrySet())).isEqualTo(new ArrayList<>(model.descendingMap().entrySet()));
        pool.close();
        try (ObjectPool reopened = ObjectPool.open(file, TestPools.LAYOUT, pools.options(128 << 20))) {
            PersistentCollections c = PersistentCollections.of(reopened);
            PersistentSortedMap<Long, Long> again = c.sortedMap("big", Codec.int64(), Codec.int64());
            assertThat(again).as("seed " + seed).isEqualTo(model);
            assertThat(new ArrayList<>(again.keySet())).isEqualTo(new ArrayList<>(model.keySet()));
            again.clear();
            CrashFixture.assertNoLeak(reopened.engine(), c);
        }
    }

    @Test
    void shouldMatchAnArrayDeque() {
        long seed = System.nanoTime();
        System.out.println("ModelTest deque seed: " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        ObjectPool pool = pools.create(32 << 20);
        PersistentDeque<Integer> deque = PersistentCollections.of(pool).deque("d", Codec.int32());
        ArrayDeque<Integer> model = new ArrayDeque<>();
        for (int i = 0; i < 5000; i++) {
            switch (random.nextInt(7)) {
                case 0 -> {
                    deque.addFirst(i);
                    model.addFirst(i);
                }
                case 1, 2 -> {
                    deque.addLast(i);
                    model.addLast(i);
                }
                case 3 -> assertThat(deque.pollFirst()).as("seed " + seed).isEqualTo(model.pollFirst());
                case 4 -> assertThat(deque.pollLast()).as("seed " + seed).isEqualTo(model.pollLast());
                case 5 -> assertThat(deque.peekLast()).as("seed " + seed).isEqualTo(model.peekLast());
                default -> {
                    Integer o = random.nextInt(i + 1);
                    assertThat(deque.removeLastOccurrence(o)).as("seed " + seed).isEqualTo(model.removeLastOccurrence(o));
                }
            }
        }
        assertThat(new ArrayList<>(deque)).isEqualTo(new ArrayList<>(model));
        ArrayList<Integer> down = new ArrayList<>();
        deque.descendingIterator().forEachRemaining(down::add);
        ArrayList<Integer> modelDown = new ArrayList<>();
        model.descendingIterator().forEachRemaining(modelDown::add);
        assertThat(down).isEqualTo(modelDown);
    }

    @Test
    void shouldRejectOtherCodecsOrKindWhenReopeningByName() {
        ObjectPool pool = pools.create(16 << 20);
        PersistentCollections c = PersistentCollections.of(pool);
        c.hashMap("users", Codec.uuid(), Codec.record(Point.class, Codec.int64(), Codec.int32()))
                .put(new UUID(1, 2), new Point(3, 4));
        assertThatThrownBy(() -> c.hashMap("users", Codec.uuid(), Codec.string(8)))
                .isInstanceOf(CodecMismatchException.class)
                .hasMessageContaining("collection 'users' was created as a hash map with codecs [uuid;rec:"
                        + Point.class.getName() + "(i64,i32)], not opened as a hash map with [uuid;str:8]");
        assertThatThrownBy(() -> c.list("users", Codec.uuid()))
                .isInstanceOf(CodecMismatchException.class).hasMessageContaining("not opened as a list");
        assertThatThrownBy(() -> c.sortedMap("bad", Codec.kryo(Point.class), Codec.int64()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sorted map keys need a fixed-width, order-preserving codec");
        assertThat(c.names()).containsExactly("users");
        Map<UUID, Point> users = c.hashMap("users", Codec.uuid(), Codec.record(Point.class, Codec.int64(), Codec.int32()));
        assertThat(users).containsEntry(new UUID(1, 2), new Point(3, 4));
    }

    @Test
    void shouldKeepEncodedOrderEqualToNaturalOrder() {
        byte[] a = new byte[8];
        byte[] b = new byte[8];
        double[] ds = {Double.NEGATIVE_INFINITY, -1.5, -0.0, 0.0, 1e-300, 2.5, Double.POSITIVE_INFINITY, Double.NaN};
        for (int i = 0; i + 1 < ds.length; i++) {
            Codec.float64().encode(ds[i], a, 0);
            Codec.float64().encode(ds[i + 1], b, 0);
            assertThat(java.util.Arrays.compareUnsigned(a, b)).as(ds[i] + " < " + ds[i + 1]).isNegative();
            assertThat(Codec.float64().decode(a, 0)).isEqualTo(ds[i]);
        }
        long[] ls = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
        for (int i = 0; i + 1 < ls.length; i++) {
            Codec.int64().encode(ls[i], a, 0);
            Codec.int64().encode(ls[i + 1], b, 0);
            assertThat(java.util.Arrays.compareUnsigned(a, b)).isNegative();
        }
        Codec<String> s = Codec.string(4);
        byte[] x = new byte[s.width()];
        byte[] y = new byte[s.width()];
        String[] ss = {"", "\0", "a", "a\0", "ab", "b", "\uFFFF"};
        for (int i = 0; i + 1 < ss.length; i++) {
            s.encode(ss[i], x, 0);
            s.encode(ss[i + 1], y, 0);
            assertThat(java.util.Arrays.compareUnsigned(x, y)).as(ss[i] + " < " + ss[i + 1]).isNegative();
            assertThat(s.decode(x, 0)).isEqualTo(ss[i]);
        }
    }
}
