package dev.engram.bench.collections;

import dev.engram.bench.BenchFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peers behind the collections benchmark's figures hold what they are given: every key put (one
 * commit each, or a batch per commit) reads back with its value, scans walk signed key order from
 * the start key, and closing removes the peer's files. On tmpfs, as in the benchmark: on a disk each
 * of the thousand commits would wait for a sync.
 */
class JavaPeersTest {
    static final int N = 2_000;

    private Path dir;

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory(BenchFiles.shmDir(), "peers-test-");
    }

    @AfterEach
    void deleteDir() {
        PeerMap.deleteTree(dir);
    }

    private static byte[] valueOf(long key) {
        byte[] v = new byte[CollectionsBenchmark.VALUE_BYTES];
        Arrays.fill(v, (byte) key);
        v[0] = (byte) (key >>> 56);
        return v;
    }

    /** Puts the first half one commit each and the rest in batches, as the put and read suites do. */
    private static NavigableMap<Long, byte[]> fill(PeerMap map, long[] keys) {
        NavigableMap<Long, byte[]> expected = new TreeMap<>();
        for (int i = 0; i < keys.length / 2; i++) {
            map.put(keys[i], valueOf(keys[i]));
            expected.put(keys[i], valueOf(keys[i]));
        }
        for (int from = keys.length / 2; from < keys.length; from += 100) {
            int to = Math.min(from + 100, keys.length);
            byte[] shared = valueOf(7);
            map.putAll(keys, from, to, shared);
            for (int i = from; i < to; i++) {
                expected.put(keys[i], shared);
            }
        }
        return expected;
    }

    @ParameterizedTest
    @ValueSource(strings = {JavaPeers.LMDB, JavaPeers.MAPDB, JavaPeers.MVSTORE, JavaPeers.CHRONICLE})
    void shouldReadBackEveryEntryAndDeleteItsFilesOnClose(String peer) throws IOException {
        long[] keys = CollectionsBenchmark.keys(N);
        PeerMap map = JavaPeers.open(peer, dir, N, JavaPeers.Kind.HASH);
        NavigableMap<Long, byte[]> expected = fill(map, keys);

        for (Map.Entry<Long, byte[]> e : expected.entrySet()) {
            assertThat(map.get(e.getKey())).as("key %d", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(map.get(expected.firstKey() - 1)).isNull();
        assertThat(expected).hasSize(N); // the benchmark's keys are distinct
        map.close();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {JavaPeers.LMDB, JavaPeers.MAPDB, JavaPeers.MVSTORE})
    void shouldScanInSignedKeyOrderFromTheStartKey(String peer) throws IOException {
        long[] keys = CollectionsBenchmark.keys(N);
        try (PeerMap map = JavaPeers.open(peer, dir, N, JavaPeers.Kind.SORTED)) {
            assertThat(map.sorted()).isTrue();
            NavigableMap<Long, byte[]> expected = fill(map, keys);
            assertThat(expected.firstKey()).isNegative(); // both signs present: LMDB's byte order must be mapped

            for (long from : new long[] {keys[0], expected.firstKey(), -1L, 0L, expected.lastKey() - 1}) {
                List<Long> seen = new ArrayList<>();
                List<byte[]> values = new ArrayList<>();
                int read = map.scan(from, 100, (k, v) -> {
                    seen.add(k);
                    values.add(v);
                });

                List<Long> want = expected.tailMap(from, true).keySet().stream().limit(100).toList();
                assertThat(seen).as("scan from %d", from).isEqualTo(want);
                assertThat(read).isEqualTo(want.size());
                for (int i = 0; i < seen.size(); i++) {
                    assertThat(values.get(i)).isEqualTo(expected.get(seen.get(i)));
                }
            }
        }
    }

    @Test
    void shouldOpenMapDbsHashMapForGetsAndItsBTreeForScans() throws IOException {
        assertThat(JavaPeers.separateSorted(JavaPeers.MAPDB)).isTrue();
        assertThat(JavaPeers.separateSorted(JavaPeers.LMDB)).isFalse();
        try (PeerMap hash = JavaPeers.open(JavaPeers.MAPDB, dir, N, JavaPeers.Kind.HASH)) {
            assertThat(hash.sorted()).isFalse();
        }
    }
}
