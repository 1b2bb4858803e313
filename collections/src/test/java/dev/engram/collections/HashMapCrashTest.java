package dev.engram.collections;

import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.Trace;
import dev.engram.tx.TxEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash tests of {@link PersistentHashMap}: after recovery from any crash image of one operation, the
 * map equals the model before it or the model after it, and the heap holds exactly the reachable
 * blocks (no leak, no dangling block).
 */
class HashMapCrashTest {
    /** A Kryo-coded value, so that puts and removes allocate and free blobs. */
    public static final class Payload {
        String text;
        long n;

        public Payload() {
        }

        Payload(String text, long n) {
            this.text = text;
            this.n = n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Payload p && p.n == n && Objects.equals(p.text, text);
        }

        @Override
        public int hashCode() {
            return Objects.hash(text, n);
        }

        @Override
        public String toString() {
            return text + "/" + n;
        }
    }

    static final Codec<Long> KEYS = Codec.int64();
    static final Codec<String> STRINGS = Codec.string(24);
    static final Codec<Payload> PAYLOADS = Codec.kryo(Payload.class);

    @TempDir
    Path dir;

    static PersistentHashMap<Long, String> map(PersistentCollections c) {
        return c.hashMap("m", KEYS, STRINGS);
    }

    static PersistentHashMap<Long, Payload> blobs(PersistentCollections c) {
        return c.hashMap("b", KEYS, PAYLOADS);
    }

    /** Keys whose hash lands in {@code segment} of a default map. */
    static List<Long> keysInSegment(int segment, int n) {
        List<Long> keys = new ArrayList<>();
        int shift = 64 - Integer.numberOfTrailingZeros(HashLayout.DEFAULT_SEGMENTS);
        byte[] enc = new byte[8];
        for (long k = 0; keys.size() < n; k++) {
            KEYS.encode(k, enc, 0);
            if ((int) (PersistentHashMap.hash(enc, 8) >>> shift) == segment) {
                keys.add(k);
            }
        }
        return keys;
    }

    private <V> CrashReport check(Map<Long, V> before, Consumer<Map<Long, V>> op,
                                  java.util.function.Function<PersistentCollections, Map<Long, V>> opener) throws Exception {
        return check(m -> m.putAll(before), op, opener);
    }

    /** {@code setup} builds the state before (on the pool and on a model), {@code op} is the crashing operation. */
    private <V> CrashReport check(Consumer<Map<Long, V>> setup, Consumer<Map<Long, V>> op,
                                  java.util.function.Function<PersistentCollections, Map<Long, V>> opener) throws Exception {
        Map<Long, V> before = new HashMap<>();
        setup.accept(before);
        Map<Long, V> after = new HashMap<>(before);
        op.accept(after);
        byte[] image = CrashFixture.image(dir, c -> setup.accept(opener.apply(c)));
        Trace trace = CrashFixture.record(image, c -> op.accept(opener.apply(c)));
        int[] outcomes = new int[2];
        CrashReport report = CrashFixture.explore(trace, img -> {
            TxEngine engine = CrashFixture.open(img);
            PersistentCollections c = PersistentCollections.of(engine);
            Map<Long, V> m = opener.apply(c);
            Map<Long, V> seen = new HashMap<>(m);
            assertThat(seen).as("map after recovery").isIn(before, after);
            outcomes[seen.equals(before) ? 0 : 1]++;
            assertThat(m.size()).isEqualTo(seen.size());
            CrashFixture.assertNoLeak(engine, c);
        });
        assertThat(report.distinctImages()).isGreaterThan(1);
        // the oracle discriminates: some images roll the operation back, some keep it
        assertThat(outcomes[0]).as("images showing the state before").isPositive();
        assertThat(outcomes[1]).as("images showing the state after").isPositive();
        return report;
    }

    static Map<Long, String> model(int n) {
        Map<Long, String> m = new HashMap<>();
        for (long i = 0; i < n; i++) {
            m.put(i * 7, "v" + i);
        }
        return m;
    }

    @Test
    void shouldInsertAtomically() throws Exception {
        check(model(20), m -> m.put(1000L, "new"), HashMapCrashTest::map);
    }

    @Test
    void shouldInsertIntoATableWithRoomAtomically() throws Exception {
        // No table is allocated or resized: the insert's slot cells are flushed by nothing but the insert.
        List<Long> keys = keysInSegment(9, 3);
        check(m -> {
            m.put(keys.get(0), "zero");
            m.put(keys.get(1), "one");
        }, m -> m.put(keys.get(2), "a value of 24 characters"), HashMapCrashTest::map);
    }

    @Test
    void shouldInsertOverATombstoneAtomically() throws Exception {
        // Two keys of one segment and one home slot: removing the first leaves a tombstone there, still
        // holding its cells, and the third key (same home slot) is inserted over it.
        List<Long> keys = keysWithHomeSlot(11, 3);
        check(m -> {
            m.put(keys.get(0), "the first key's value");
            m.put(keys.get(1), "the second key's value");
            m.remove(keys.get(0));
        }, m -> m.put(keys.get(2), "third"), HashMapCrashTest::map);
    }

    /** Keys of {@code segment} whose home slot in a segment's first (8-slot) table is the same. */
    static List<Long> keysWithHomeSlot(int segment, int n) {
        List<Long> keys = new ArrayList<>();
        byte[] enc = new byte[8];
        long home = -1;
        for (long k : keysInSegment(segment, 64 * n)) {
            KEYS.encode(k, enc, 0);
            long slot = PersistentHashMap.hash(enc, 8) & (HashLayout.INITIAL_CAPACITY - 1);
            if (home < 0) {
                home = slot;
            }
            if (slot == home) {
                keys.add(k);
                if (keys.size() == n) {
                    return keys;
                }
            }
        }
        throw new IllegalStateException("no " + n + " keys share a home slot in segment " + segment);
    }

    @Test
    void shouldReplaceAtomically() throws Exception {
        check(model(20), m -> m.put(7L, "replaced"), HashMapCrashTest::map);
    }

    @Test
    void shouldRemoveAtomically() throws Exception {
        check(model(20), m -> m.remove(14L), HashMapCrashTest::map);
    }

    @Test
    void shouldAllocateASegmentsFirstTableAtomically() throws Exception {
        check(new HashMap<>(), m -> m.put(keysInSegment(3, 1).getFirst(), "first"), HashMapCrashTest::map);
    }

    @Test
    void shouldResizeASegmentAtomically() throws Exception {
        List<Long> keys = keysInSegment(5, 7);
        Map<Long, String> before = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            before.put(keys.get(i), "s" + i);
        }
        // 6 of 8 slots used: the 7th insert passes 3/4 and rehashes the segment into 16 slots
        CrashReport r = check(before, m -> m.put(keys.get(6), "resize"), HashMapCrashTest::map);
        assertThat(r.crashPoints()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldReplaceAndRemoveBlobValuesWithoutLeaks() throws Exception {
        Map<Long, Payload> before = new HashMap<>();
        for (long i = 0; i < 10; i++) {
            before.put(i, new Payload("p" + i, i));
        }
        check(before, m -> m.put(3L, new Payload("bigger payload", 99)), HashMapCrashTest::blobs);
        check(before, m -> m.remove(4L), HashMapCrashTest::blobs);
    }

    @Test
    void shouldClearAtomically() throws Exception {
        check(model(12), Map::clear, HashMapCrashTest::map);
    }
}
