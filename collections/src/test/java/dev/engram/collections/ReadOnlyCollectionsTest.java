package dev.engram.collections;

import dev.engram.tx.ObjectPool;
import dev.engram.tx.ReadOnlyPoolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Collections of a pool opened read-only: every read works, every change is refused, the file stays as it was. */
class ReadOnlyCollectionsTest {
    final TestPools pools = TestPools.pageCache("engram-readonly-");

    @AfterEach
    void cleanUp() {
        pools.close();
    }

    @Test
    void shouldReadEveryKindOfCollectionAndRefuseChanges() throws IOException {
        Path file = pools.path("ro.pool");
        try (ObjectPool pool = ObjectPool.create(file, TestPools.LAYOUT, pools.options(8 << 20))) {
            PersistentCollections c = PersistentCollections.of(pool);
            PersistentHashMap<Long, String> users = c.hashMap("users", Codec.int64(), Codec.string(16));
            PersistentSortedMap<Long, String> byId = c.sortedMap("byId", Codec.int64(), Codec.string(16));
            PersistentList<String> log = c.list("log", Codec.string(16));
            for (long k = 0; k < 500; k++) {
                users.put(k, "u" + k);
                byId.put(k, "u" + k);
            }
            log.add("created");
            log.add("filled");
        }
        byte[] before = Files.readAllBytes(file);
        try (ObjectPool pool = ObjectPool.open(file, TestPools.LAYOUT, pools.options(8 << 20).withReadOnly(true))) {
            PersistentCollections c = PersistentCollections.of(pool);
            assertThat(c.names()).containsExactly("users", "byId", "log");
            PersistentHashMap<Long, String> users = c.hashMap("users", Codec.int64(), Codec.string(16));
            PersistentSortedMap<Long, String> byId = c.sortedMap("byId", Codec.int64(), Codec.string(16));
            PersistentList<String> log = c.list("log", Codec.string(16));
            assertThat(users).hasSize(500).containsEntry(42L, "u42");
            assertThat(byId.firstKey()).isZero();
            assertThat(byId.subMap(10L, 13L)).containsExactly(Map.entry(10L, "u10"), Map.entry(11L, "u11"),
                    Map.entry(12L, "u12"));
            assertThat(byId.descendingMap().firstKey()).isEqualTo(499L);
            assertThat(log).containsExactly("created", "filled");

            assertThatThrownBy(() -> users.put(1000L, "x")).isInstanceOf(ReadOnlyPoolException.class)
                    .hasMessageContaining("pool " + file + " was opened read-only: a transaction is refused");
            assertThatThrownBy(() -> byId.remove(1L)).isInstanceOf(ReadOnlyPoolException.class);
            assertThatThrownBy(() -> log.add("more")).isInstanceOf(ReadOnlyPoolException.class);
            assertThatThrownBy(() -> c.deque("new", Codec.int64())).as("creating a collection")
                    .isInstanceOf(ReadOnlyPoolException.class);
            assertThat(users.get(1L)).isEqualTo("u1");
        }
        assertThat(Files.readAllBytes(file)).as("the file is unchanged").isEqualTo(before);
    }
}
