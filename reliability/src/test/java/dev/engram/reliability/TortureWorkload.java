package dev.engram.reliability;

import dev.engram.allocator.HeapCheckReport;
import dev.engram.collections.Codec;
import dev.engram.collections.PersistentCollections;
import dev.engram.collections.PersistentHashMap;
import dev.engram.collections.PersistentList;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.AllocatorTxHeap;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.LongConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill -9 torture's transactions, shared by the child that runs them ({@link TortureChild}) and
 * the parent that replays them into a model ({@link KillTortureTest}).
 *
 * <p>Transaction {@code t} (ids 1, 2, 3, ... in commit order) is a pure function of the campaign
 * seed and {@code t}: it puts one value (or, one time in eight, 2..31 values, to make undo logs
 * large) into the map at random keys, removes a random key one time in four, and appends {@code t}
 * to the list. Values are Kryo strings of 0..300 chars, so every put allocates a blob and frees the
 * old one: the heap churns in every transaction. Because the list is exactly {@code [1..N]} after
 * any crash, the parent knows which transactions are in the pool and can rebuild the map's
 * expected content by replaying them: "no transaction half-applied" is then "list is a prefix of
 * the ids and the map equals the replay of that prefix".
 */
final class TortureWorkload {
    static final ObjectLayout LAYOUT = ObjectLayout.named("reliability-torture");
    static final String MAP = "map";
    static final String LIST = "list";
    static final int KEYS = 256;
    static final long POOL_SIZE = 64L << 20;
    static final long WARM_POOL_SIZE = 8L << 20;

    private TortureWorkload() {
    }

    static PoolOptions options(MappingPolicy policy) {
        return PoolOptions.defaults().withSize(POOL_SIZE).withPolicy(policy);
    }

    static PersistentHashMap<Long, String> map(PersistentCollections c) {
        return c.hashMap(MAP, Codec.int64(), Codec.kryo(String.class));
    }

    static PersistentList<Long> list(PersistentCollections c) {
        return c.list(LIST, Codec.int64());
    }

    /** Applies transaction {@code t} to a map and a list: the persistent pair (inside a transaction) or the model. */
    static void apply(long seed, long t, Map<Long, String> map, List<Long> list) {
        SplittableRandom r = random(seed, t);
        int puts = r.nextInt(8) == 0 ? 2 + r.nextInt(30) : 1;
        for (int i = 0; i < puts; i++) {
            long key = r.nextInt(KEYS);
            map.put(key, "t" + t + "/" + i + ":" + "x".repeat(r.nextInt(300)));
        }
        if (r.nextInt(4) == 0) {
            map.remove((long) r.nextInt(KEYS));
        }
        list.add(t);
    }

    /** Whether the child first runs transaction {@code t} and rolls it back (about one in eight). */
    static boolean abortsFirst(long seed, long t) {
        return random(seed ^ 0x5DEECE66DL, t).nextInt(8) == 0;
    }

    private static SplittableRandom random(long seed, long t) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + t);
    }

    /**
     * The heap is consistent and every allocated block (of any type, including undo-log overflow
     * buffers) is reachable from the collections: a transaction interrupted by the kill leaked nothing
     * and freed nothing that is still in use.
     */
    static void assertHeapExact(ObjectPool pool, PersistentCollections c, String context) {
        assertHeapExact(pool, c, context, leaks -> { });
    }

    /** {@link #assertHeapExact(ObjectPool, PersistentCollections, String)}, telling {@code leaks} the unreachable blocks first. */
    static void assertHeapExact(ObjectPool pool, PersistentCollections c, String context, LongConsumer leaks) {
        AllocatorTxHeap heap = (AllocatorTxHeap) pool.engine().heap();
        HeapCheckReport check = heap.heap().check();
        assertThat(check.problems()).as("heap check, %s", context).isEmpty();
        List<Long> allocated = new ArrayList<>();
        heap.heap().forEachObject(allocated::add);
        List<Long> reachable = c.reachableBlocks();
        assertThat(new TreeSet<>(reachable)).as("reachable blocks are distinct, %s", context).hasSize(reachable.size());
        TreeSet<Long> unreachable = new TreeSet<>(allocated);
        unreachable.removeAll(reachable);
        leaks.accept(unreachable.size());
        assertThat(new TreeSet<>(allocated)).as("allocated blocks = reachable blocks, %s", context)
                .isEqualTo(new TreeSet<>(reachable));
        assertThat(check.objects()).as("objects counted by the heap check, %s", context).isEqualTo(allocated.size());
    }
}
