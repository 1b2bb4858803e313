package dev.engram.collections;

import com.google.common.collect.testing.NavigableMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringSortedMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import junit.extensions.TestSetup;
import junit.framework.Test;

import java.util.Map;
import java.util.SortedMap;

/**
 * Guava testlib's NavigableMap suite (with its derived sub-map, head-map, tail-map and descending
 * suites) against {@link PersistentSortedMap}, in forced-pmem mode on /dev/shm.
 *
 * <p>Features not declared, with the reason: null keys and values (not stored), serialization (the
 * map lives in its pool), fail-fast iterators (weakly consistent by design).
 */
public class SortedMapConformanceTest {
    public static Test suite() {
        TestPools pools = TestPools.forcedPmem("engram-sm-");
        TestPools.Rotation rotation = new TestPools.Rotation(pools, 256);
        Test suite = NavigableMapTestSuiteBuilder.using(new TestStringSortedMapGenerator() {
                    @Override
                    protected SortedMap<String, String> create(Map.Entry<String, String>[] entries) {
                        PersistentSortedMap<String, String> map = rotation.next()
                                .sortedMap(rotation.name(), Codec.string(16), Codec.string(16));
                        for (Map.Entry<String, String> e : entries) {
                            map.put(e.getKey(), e.getValue());
                        }
                        return map;
                    }
                })
                .named("PersistentSortedMap forced-pmem")
                .withFeatures(CollectionSize.ANY, MapFeature.GENERAL_PURPOSE,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE, CollectionFeature.KNOWN_ORDER)
                .createTestSuite();
        return new TestSetup(suite) {
            @Override
            protected void tearDown() {
                pools.close();
            }
        };
    }
}
