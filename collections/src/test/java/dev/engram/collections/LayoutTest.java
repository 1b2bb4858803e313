package dev.engram.collections;

import dev.engram.pool.medium.Medium;
import dev.engram.tx.ObjectPool;
import dev.engram.tx.RootLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte tables in the layout classes' Javadoc, checked against bytes written by the collections. */
class LayoutTest {
    final TestPools pools = TestPools.forcedPmem("engram-layout-");

    @AfterEach
    void cleanUp() {
        pools.close();
    }

    @Test
    void shouldWriteTheDocumentedBytes() {
        ObjectPool pool = pools.create(16 << 20);
        Medium m = pool.engine().medium();
        PersistentCollections c = PersistentCollections.of(pool);
        PersistentHashMap<Long, Long> h = c.hashMap("h", Codec.int64(), Codec.int64());
        h.put(5L, 6L);
        PersistentSortedMap<Long, Long> t = c.sortedMap("t", Codec.int64(), Codec.int64());
        t.put(7L, 8L);
        PersistentList<Long> l = c.list("l", Codec.int64());
        l.add(9L);
        PersistentDeque<Long> d = c.deque("d", Codec.int64());
        d.addFirst(10L);

        long dir = m.getLong(RootLayout.rootObjectOffset(pool.pool().rootAreaOffset()));
        assertThat(m.getLong(dir)).isEqualTo(0x3152_4944_4347_4E45L);
        assertThat(m.getInt(dir + 8)).as("count").isEqualTo(4);
        assertThat(m.getInt(dir + 12)).as("capacity").isEqualTo(8);
        long e = dir + 32 + 128; // entry 1: "t"
        assertThat(m.getByte(e + 1)).as("name char 0, low byte").isEqualTo((byte) 't');
        assertThat(m.getByte(e + 97)).as("name length, low byte").isEqualTo((byte) 1);
        assertThat(m.getInt(e + 104)).as("kind").isEqualTo(2);
        long tree = m.getLong(e + 112);
        long codecs = m.getLong(e + 120);
        assertThat(m.getInt(codecs)).isEqualTo("i64;i64".length());

        long hashHeader = m.getLong(dir + 32 + 112);
        assertThat(m.getLong(hashHeader)).isEqualTo(0x3150_414D_4847_4E45L);
        assertThat(m.getInt(hashHeader + 8)).as("segments").isEqualTo(64);
        assertThat(m.getInt(hashHeader + 12)).as("keyWidth").isEqualTo(8);
        assertThat(m.getInt(hashHeader + 16)).as("valueWidth").isEqualTo(8);
        assertThat(m.getInt(hashHeader + 20)).as("slotLength").isEqualTo(24);
        long seg = -1;
        for (int s = 0; s < 64; s++) {
            if (m.getLong(hashHeader + 32 + 32L * s + 16) == 1) {
                seg = hashHeader + 32 + 32L * s;
            }
        }
        assertThat(seg).as("one segment counts one entry").isPositive();
        assertThat(m.getLong(seg + 8)).as("capacity").isEqualTo(8);
        assertThat(m.getLong(seg + 24)).as("used").isEqualTo(1);

        assertThat(m.getLong(tree)).isEqualTo(0x3145_5254_4247_4E45L);
        assertThat(m.getLong(tree + 16)).as("size").isEqualTo(1);
        assertThat(m.getInt(tree + 24)).as("height").isEqualTo(1);
        assertThat(m.getInt(tree + 36)).as("leafCapacity").isEqualTo((2048 - 32) / 16);
        long leaf = m.getLong(tree + 8);
        assertThat(m.getInt(leaf)).as("leaf count").isEqualTo(1);
        assertThat(m.getLong(leaf + 32)).as("key 7, big-endian with the sign flipped")
                .isEqualTo(Long.reverseBytes(7L ^ Long.MIN_VALUE));

        long deque = m.getLong(dir + 32 + 3 * 128 + 112);
        assertThat(m.getLong(deque)).isEqualTo(0x3155_5145_4447_4E45L);
        assertThat(m.getLong(deque + 8)).as("head after addFirst into 8 slots").isEqualTo(7);
        assertThat(m.getLong(deque + 16)).as("size").isEqualTo(1);
        assertThat(m.getLong(deque + 24)).as("capacity").isEqualTo(8);
        assertThat(m.getInt(deque + 40)).as("width").isEqualTo(8);
        assertThat(m.getLong(m.getLong(deque + 32) + 7 * 8)).isEqualTo(Long.reverseBytes(10L ^ Long.MIN_VALUE));
    }
}
