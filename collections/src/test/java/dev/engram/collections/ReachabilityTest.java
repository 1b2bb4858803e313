package dev.engram.collections;

import dev.engram.tx.ObjectGraph;
import dev.engram.tx.ObjectPool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collections declare their node types, so the object-graph walk (what {@code engram check}
 * runs) reaches exactly the blocks the collections themselves list, and finds a block they lost.
 */
class ReachabilityTest {

    /**
     * Every kind of collection, with fixed-width and blob cells, grown past their first nodes and
     * tables, in transactions of 100 mutations (large enough to need undo-log overflow buffers).
     */
    private static void fill(ObjectPool pool, PersistentCollections c) {
        PersistentHashMap<Long, String> hash = c.hashMap("hash", Codec.int64(), Codec.kryo(String.class));
        PersistentSortedMap<Long, String> tree = c.sortedMap("tree", Codec.int64(), Codec.kryo(String.class));
        PersistentList<String> list = c.list("list", Codec.kryo(String.class));
        PersistentDeque<Long> deque = c.deque("deque", Codec.int64());
        PersistentHashMap<Integer, Integer> fixed = c.hashMap("fixed", Codec.int32(), Codec.int32());
        for (int batch = 0; batch < 10; batch++) {
            int from = batch * 100;
            pool.run(tx -> {
                for (int i = from; i < from + 100; i++) {
                    hash.put((long) i, "h" + i);
                    tree.put((long) i * 7, "t" + i);
                    list.add("l" + i);
                    deque.addLast((long) i);
                    fixed.put(i, -i);
                }
            });
        }
        pool.run(tx -> {
            for (int i = 0; i < 1000; i += 3) {
                hash.remove((long) i);
                tree.remove((long) i * 7);
                deque.pollFirst();
                fixed.remove(i);
            }
            for (int i = 0; i < 50; i++) {
                list.remove(0);
            }
        });
        c.hashMap("empty", Codec.int64(), Codec.int64());
    }

    @Test
    void shouldReachExactlyTheBlocksTheCollectionsList() {
        try (TestPools pools = TestPools.forcedPmem("reach")) {
            ObjectPool pool = pools.create(16 << 20);
            PersistentCollections c = PersistentCollections.of(pool);
            fill(pool, c);
            ObjectGraph.Result r = ObjectGraph.walk(pool.engine());
            assertThat(r.complete()).as(r.reasons().toString()).isTrue();
            assertThat(r.leaks()).isEmpty();
            assertThat(r.dangling()).isEmpty();
            List<Long> overflow = new ArrayList<>();
            pool.engine().heap().forEach(dev.engram.tx.TxEngine.TYPE_UNDO_OVERFLOW, overflow::add);
            assertThat(overflow).as("a batch of 100 mutations overflows the inline undo log").isNotEmpty();
            assertThat(r.reachable()).isEqualTo(new TreeSet<>(c.reachableBlocks()).size() + overflow.size());
            assertThat(r.liveBlocks()).isEqualTo(r.reachable());
        }
    }

    @Test
    void shouldFindABlobNoCollectionReaches() {
        try (TestPools pools = TestPools.forcedPmem("reach")) {
            ObjectPool pool = pools.create(4 << 20);
            PersistentCollections c = PersistentCollections.of(pool);
            PersistentHashMap<Long, String> hash = c.hashMap("hash", Codec.int64(), Codec.kryo(String.class));
            hash.put(1L, "one");
            long lost = pool.transaction(tx -> tx.alloc(64, BlockTypes.BLOB));
            ObjectGraph.Result r = ObjectGraph.walk(pool.engine());
            assertThat(r.complete()).isTrue();
            assertThat(r.leaks()).singleElement().satisfies(l -> {
                assertThat(l.offset()).isEqualTo(lost);
                assertThat(l.typeName()).isEqualTo("blob");
            });
        }
    }

    @Test
    void shouldDeclareEveryCollectionBlockType() {
        assertThat(BlockTypes.DECLARATIONS).extracting(e -> e.typeNum())
                .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(BlockTypes.ALL).boxed().toList());
    }
}
