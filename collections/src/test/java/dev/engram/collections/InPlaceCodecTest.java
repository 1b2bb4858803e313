package dev.engram.collections;

import dev.engram.pool.medium.Medium;
import dev.engram.tx.ObjectPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The built-in codecs' in-place paths ({@link FixedCodecs.Fixed#read}, {@code write}, {@code word})
 * agree byte for byte with their array encodings, and the hash map's word-key path
 * ({@link PersistentHashMap#hashWord}) finds what the array path stored: same hash, same slots.
 */
class InPlaceCodecTest {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final TestPools pools = TestPools.forcedPmem("engram-inplace-");

    @AfterEach
    void cleanUp() {
        pools.close();
    }

    @SuppressWarnings("unchecked")
    private static <T> void roundTrip(Medium m, long at, Codec<T> codec, T value) {
        FixedCodecs.Fixed<T> fixed = (FixedCodecs.Fixed<T>) codec;
        int w = codec.width();
        byte[] expected = new byte[w];
        codec.encode(value, expected, 0);
        m.fill(at, w + 8, (byte) 0x5A);
        fixed.check(value);
        fixed.write(m, at, value);
        byte[] written = new byte[w];
        m.getBytes(at, written, 0, w);
        assertThat(written).as(codec + " write of " + value).isEqualTo(expected);
        assertThat(m.getByte(at + w)).as(codec + " writes no byte past its width").isEqualTo((byte) 0x5A);
        T read = fixed.read(m, at);
        assertThat(read).as(codec + " read").isEqualTo(codec.decode(expected, 0));
        assertThat(fixed.read(m.readOnlySlice(at - 8, w + 16), 8)).as(codec + " read from a view").isEqualTo(read);
        if (w <= Long.BYTES) {
            byte[] padded = new byte[Long.BYTES];
            System.arraycopy(expected, 0, padded, 0, w);
            long word = (long) LONG_LE.get(padded, 0);
            assertThat(fixed.word(value)).as(codec + " word of " + value).isEqualTo(word);
            assertThat(PersistentHashMap.hashWord(word, w)).as(codec + " hash of the word")
                    .isEqualTo(PersistentHashMap.hash(expected, w));
        }
    }

    @Test
    void shouldReadAndWriteInPlaceExactlyTheArrayEncoding() {
        ObjectPool pool = pools.create(16 << 20);
        Medium m = pool.engine().medium();
        long at = pool.engine().transaction(tx -> tx.alloc(4096, BlockTypes.BLOB));
        SplittableRandom random = new SplittableRandom(7);
        for (long v : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, random.nextLong()}) {
            roundTrip(m, at, Codec.int64(), v);
            roundTrip(m, at, Codec.float64(), Double.longBitsToDouble(v));
            roundTrip(m, at, Codec.int32(), (int) v);
            roundTrip(m, at, Codec.uuid(), new UUID(v, ~v));
        }
        for (double d : new double[] {-0.0, 0.0, Double.NaN, Double.NEGATIVE_INFINITY, -1.5, 3.25}) {
            roundTrip(m, at, Codec.float64(), d);
        }
        roundTrip(m, at, Codec.bool(), true);
        roundTrip(m, at, Codec.bool(), false);
        for (String s : List.of("", "a", "ab", "\uD800", "\u00E9t\u00E9")) {
            roundTrip(m, at, Codec.string(3), s);
            roundTrip(m, at, Codec.string(1000), s);
        }
        roundTrip(m, at, Codec.string(1), "z"); // 4 bytes wide: a word key
        for (int n : new int[] {0, 1, 3, 4}) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            roundTrip(m, at, Codec.bytes(4), b); // 8 bytes wide: a word key
            roundTrip(m, at, Codec.bytes(64), b);
        }
    }

    @Test
    void shouldRefuseABadValueBeforeWritingAndATornLengthOnRead() {
        ObjectPool pool = pools.create(16 << 20);
        Medium m = pool.engine().medium();
        long at = pool.engine().transaction(tx -> tx.alloc(256, BlockTypes.BLOB));
        FixedCodecs.BytesCodec bytes = (FixedCodecs.BytesCodec) Codec.bytes(8);
        assertThatThrownBy(() -> bytes.check(new byte[9])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLength=8");
        FixedCodecs.StringCodec string = (FixedCodecs.StringCodec) Codec.string(2);
        assertThatThrownBy(() -> string.check("abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxChars=2");
        m.fill(at, 256, (byte) 0xFF);
        assertThatThrownBy(() -> bytes.read(m, at)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bytes.read(m.readOnlySlice(at, 12), 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> string.read(m, at)).isInstanceOf(IllegalStateException.class);
    }

    private static <K> void exercise(PersistentHashMap<K, Long> map, Map<K, Long> model, IntFunction<K> key, int n) {
        for (int i = 0; i < n; i++) {
            K k = key.apply(i);
            assertThat(map.put(k, (long) i)).isEqualTo(model.put(k, (long) i));
        }
        for (int i = 0; i < n; i += 3) {
            K k = key.apply(i);
            assertThat(map.remove(k)).isEqualTo(model.remove(k));
        }
        for (int i = 1; i < n; i += 5) {
            K k = key.apply(i);
            assertThat(map.replace(k, (long) -i)).isEqualTo(model.replace(k, (long) -i));
            assertThat(map.replace(k, (long) -i, (long) i)).isEqualTo(model.replace(k, (long) -i, (long) i));
            assertThat(map.remove(k, (long) (i + 1))).isEqualTo(model.remove(k, (long) (i + 1)));
            assertThat(map.putIfAbsent(k, 7L)).isEqualTo(model.putIfAbsent(k, 7L));
        }
        for (int i = 0; i < n + 10; i++) {
            K k = key.apply(i);
            assertThat(map.get(k)).as("get " + k).isEqualTo(model.get(k));
            assertThat(map.containsKey(k)).isEqualTo(model.containsKey(k));
        }
        assertThat(new HashMap<>(map)).isEqualTo(model);
    }

    @Test
    void shouldAgreeWithAModelForWordAndArrayKeysAcrossAReopen() {
        ObjectPool pool = pools.create(64 << 20);
        Path file = pool.pool().path();
        PersistentCollections c = PersistentCollections.of(pool);
        Map<Long, Long> longs = new HashMap<>();
        Map<Integer, Long> ints = new HashMap<>();
        Map<Boolean, Long> bools = new HashMap<>();
        Map<String, Long> shortStrings = new HashMap<>();
        Map<UUID, Long> uuids = new HashMap<>();
        Map<String, Long> strings = new HashMap<>();
        exercise(c.hashMap("i64", Codec.int64(), Codec.int64()), longs, i -> (long) i * 0x9E37_79B9L, 3000);
        exercise(c.hashMap("i32", Codec.int32(), Codec.int64()), ints, i -> i * 31, 3000);
        exercise(c.hashMap("bool", Codec.bool(), Codec.int64()), bools, i -> i % 2 == 0, 2);
        exercise(c.hashMap("str1", Codec.string(1), Codec.int64()), shortStrings, i -> String.valueOf((char) ('A' + i)), 50);
        exercise(c.hashMap("uuid", Codec.uuid(), Codec.int64()), uuids, i -> new UUID(i, -i), 500);
        exercise(c.hashMap("str", Codec.string(12), Codec.int64()), strings, i -> "k" + i, 500);
        pool.close();
        try (ObjectPool reopened = ObjectPool.open(file, TestPools.LAYOUT, pools.options(64 << 20))) {
            PersistentCollections again = PersistentCollections.of(reopened);
            assertThat(new HashMap<>(again.hashMap("i64", Codec.int64(), Codec.int64()))).isEqualTo(longs);
            assertThat(new HashMap<>(again.hashMap("i32", Codec.int32(), Codec.int64()))).isEqualTo(ints);
            assertThat(new HashMap<>(again.hashMap("bool", Codec.bool(), Codec.int64()))).isEqualTo(bools);
            assertThat(new HashMap<>(again.hashMap("str1", Codec.string(1), Codec.int64()))).isEqualTo(shortStrings);
            assertThat(new HashMap<>(again.hashMap("uuid", Codec.uuid(), Codec.int64()))).isEqualTo(uuids);
            assertThat(new HashMap<>(again.hashMap("str", Codec.string(12), Codec.int64()))).isEqualTo(strings);
            for (Map.Entry<Long, Long> e : longs.entrySet()) {
                assertThat(again.hashMap("i64", Codec.int64(), Codec.int64()).get(e.getKey())).isEqualTo(e.getValue());
            }
            CrashFixture.assertNoLeak(reopened.engine(), again);
        }
    }
}
