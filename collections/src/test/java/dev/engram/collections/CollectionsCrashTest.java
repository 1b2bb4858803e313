package dev.engram.collections;

import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.Trace;
import dev.engram.tx.TxEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash tests of the sorted map (insert, leaf split, delete with leaf merge and root collapse), the
 * list (add at an index, growth), the deque (add and poll at both ends, growth) and a transaction
 * spanning four collections. Legal outcomes after recovery: the state before the operation or the
 * state after it, with the heap holding exactly the reachable blocks.
 */
class CollectionsCrashTest {
    static final Codec<Long> KEYS = Codec.int64();
    static final Codec<String> VALUES = Codec.string(24);

    @TempDir
    Path dir;

    static PersistentSortedMap<Long, String> tree(PersistentCollections c) {
        return c.sortedMap("t", KEYS, VALUES);
    }

    static PersistentList<String> list(PersistentCollections c) {
        return c.list("l", VALUES);
    }

    static PersistentDeque<String> deque(PersistentCollections c) {
        return c.deque("d", VALUES);
    }

    static PersistentHashMap<Long, String> hash(PersistentCollections c) {
        return c.hashMap("h", KEYS, VALUES);
    }

    /** The observable state of every collection used here, as plain java.util values. */
    static List<Object> state(PersistentCollections c) {
        return List.of(new TreeMap<>(tree(c)), new ArrayList<>(list(c)), new ArrayList<>(deque(c)),
                new TreeMap<>(hash(c)));
    }

    private CrashReport check(Consumer<PersistentCollections> setup, Consumer<PersistentCollections> op) throws Exception {
        byte[] image = CrashFixture.image(dir, setup);
        List<Object> before = after(image, c -> { });
        List<Object> after = after(image, op);
        assertThat(after).isNotEqualTo(before);
        Trace trace = CrashFixture.record(image, op);
        int[] outcomes = new int[2];
        CrashReport report = CrashFixture.explore(trace, img -> {
            TxEngine engine = CrashFixture.open(img);
            PersistentCollections c = PersistentCollections.of(engine);
            List<Object> seen = state(c);
            assertThat(seen).as("state after recovery").isIn(before, after);
            outcomes[seen.equals(before) ? 0 : 1]++;
            CrashFixture.assertNoLeak(engine, c);
        });
        assertThat(outcomes[0]).as("images showing the state before").isPositive();
        assertThat(outcomes[1]).as("images showing the state after").isPositive();
        return report;
    }

    /** The state after running {@code op} on a copy of the image (the model of the outcome). */
    private static List<Object> after(byte[] image, Consumer<PersistentCollections> op) {
        dev.engram.pool.medium.MemoryMedium m = dev.engram.pool.medium.MemoryMedium.allocate(image.length);
        m.putBytes(0, image, 0, image.length);
        TxEngine engine = CrashFixture.open(m);
        PersistentCollections c = PersistentCollections.of(engine);
        op.accept(c);
        List<Object> s = state(c);
        engine.close();
        m.close();
        return s;
    }

    static Consumer<PersistentCollections> filled(int treeEntries, Function<Long, Boolean> keep, int listElements, int dequeElements) {
        return c -> {
            PersistentSortedMap<Long, String> t = tree(c);
            for (long k = 0; k < treeEntries; k++) {
                t.put(k * 10, "v" + k);
            }
            for (long k = 0; k < treeEntries; k++) {
                if (!keep.apply(k * 10)) {
                    t.remove(k * 10);
                }
            }
            for (int i = 0; i < listElements; i++) {
                list(c).add("e" + i);
            }
            for (int i = 0; i < dequeElements; i++) {
                deque(c).addLast("q" + i);
            }
            hash(c).put(1L, "one");
        };
    }

    int leafCapacity() {
        return TreeLayout.leafCapacity(KEYS.width() + VALUES.width());
    }

    @Test
    void shouldInsertIntoASortedMapLeafAtomically() throws Exception {
        check(filled(10, k -> true, 0, 0), c -> tree(c).put(55L, "new"));
    }

    @Test
    void shouldSplitASortedMapLeafAtomically() throws Exception {
        int cap = leafCapacity();
        CrashReport r = check(filled(cap, k -> true, 0, 0), c -> tree(c).put(5L, "splits"));
        assertThat(r.crashPoints()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void shouldMergeSortedMapLeavesAndCollapseTheRootAtomically() throws Exception {
        int cap = leafCapacity();
        int leftAfterSplit = cap / 2;
        int keepLeft = cap / 4; // one more removal drops the left leaf below a quarter: merge
        check(filled(cap + 1, k -> k >= (leftAfterSplit - keepLeft) * 10L, 0, 0),
                c -> tree(c).remove((long) (leftAfterSplit - keepLeft) * 10));
    }

    @Test
    void shouldAddToAListAtAnIndexAtomically() throws Exception {
        check(filled(0, k -> true, 5, 0), c -> list(c).add(2, "middle"));
    }

    @Test
    void shouldGrowAListAtomically() throws Exception {
        check(filled(0, k -> true, ArrayLayout.INITIAL_CAPACITY, 0), c -> list(c).add("grows"));
    }

    @Test
    void shouldAddAndPollADequeAtBothEndsAtomically() throws Exception {
        check(filled(0, k -> true, 0, 4), c -> deque(c).addFirst("front"));
        check(filled(0, k -> true, 0, 4), c -> deque(c).pollFirst());
        check(filled(0, k -> true, 0, 4), c -> deque(c).pollLast());
        check(filled(0, k -> true, 0, ArrayLayout.INITIAL_CAPACITY), c -> deque(c).addLast("grows"));
    }

    @Test
    void shouldCommitUpdatesOfFourCollectionsInOneTransactionAtomically() throws Exception {
        check(filled(5, k -> true, 3, 3), c -> c.engine().transaction(tx -> {
            tree(c).put(7L, "seven");
            list(c).remove(0);
            deque(c).pollFirst();
            hash(c).put(2L, "two");
            return null;
        }));
    }
}
