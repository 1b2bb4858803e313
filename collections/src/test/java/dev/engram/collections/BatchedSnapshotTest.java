package dev.engram.collections;

import dev.engram.pool.medium.MediumCounters;
import dev.engram.tx.ObjectPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutations that know up front the ranges they change save them with one {@code addRanges} (one
 * drain): counted with the medium's counters, a whole single-key mutation of either map costs the
 * snapshot's drain and the commit's.
 */
class BatchedSnapshotTest {
    final TestPools pools = TestPools.pageCache("engram-batch-");

    @AfterEach
    void cleanUp() {
        pools.close();
    }

    private static long drainsOf(ObjectPool pool, Runnable mutation) {
        MediumCounters counters = pool.engine().medium().counters();
        long before = counters.drains();
        mutation.run();
        return counters.drains() - before;
    }

    @Test
    void shouldDrainOnceForTheSnapshotsOfAHashMapInsertAndRemove() {
        ObjectPool pool = pools.create(8 << 20);
        PersistentHashMap<Long, Long> map = PersistentCollections.of(pool).hashMap("m", Codec.int64(), Codec.int64());
        map.put(7L, 70L); // makes the segment's table
        // slot and segment counters: one drain, then the commit's (two addRange calls drained 3 times)
        assertThat(drainsOf(pool, () -> map.remove(7L))).as("remove").isEqualTo(2);
        assertThat(drainsOf(pool, () -> map.put(7L, 71L))).as("insert into the same table").isEqualTo(2);
        assertThat(map).containsExactly(java.util.Map.entry(7L, 71L));
    }

    @Test
    void shouldDrainOnceForTheSnapshotsOfASortedMapPutAndRemove() {
        ObjectPool pool = pools.create(8 << 20);
        PersistentSortedMap<Long, Long> map = PersistentCollections.of(pool).sortedMap("s", Codec.int64(), Codec.int64());
        map.put(1L, 10L); // makes the root leaf
        map.put(3L, 30L);
        // leaf count, shifted entries and the tree's size: one drain, then the commit's (was 3 + 1)
        assertThat(drainsOf(pool, () -> map.put(2L, 20L))).as("put").isEqualTo(2);
        assertThat(drainsOf(pool, () -> map.remove(1L))).as("remove").isEqualTo(2);
        assertThat(map.keySet()).containsExactly(2L, 3L);
    }
}
