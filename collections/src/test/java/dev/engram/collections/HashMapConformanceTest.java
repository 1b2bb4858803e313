package dev.engram.collections;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import junit.extensions.TestSetup;
import junit.framework.Test;
import junit.framework.TestSuite;

import java.util.Map;

/**
 * Guava testlib's ConcurrentMap suite (run by the JUnit Vintage engine) against
 * {@link PersistentHashMap}, in forced-pmem mode on /dev/shm and in page-cache mode.
 *
 * <p>Features not declared, with the reason: null keys and values (a ConcurrentMap forbids them), a
 * known iteration order (hash order), serialization (a persistent map lives in its pool), and
 * fail-fast iterators (they are weakly consistent by design).
 */
public class HashMapConformanceTest {
    public static Test suite() {
        TestSuite all = new TestSuite("PersistentHashMap");
        all.addTest(mode("forced-pmem", TestPools.forcedPmem("engram-hm-")));
        all.addTest(mode("page-cache", TestPools.pageCache("engram-hm-")));
        return all;
    }

    private static Test mode(String name, TestPools pools) {
        TestPools.Rotation rotation = new TestPools.Rotation(pools, 256);
        Test suite = ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        PersistentHashMap<String, String> map = rotation.next()
                                .hashMap(rotation.name(), Codec.string(16), Codec.string(16));
                        for (Map.Entry<String, String> e : entries) {
                            map.put(e.getKey(), e.getValue());
                        }
                        return map;
                    }
                })
                .named("PersistentHashMap " + name)
                .withFeatures(CollectionSize.ANY, MapFeature.GENERAL_PURPOSE,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE)
                .createTestSuite();
        return new TestSetup(suite) {
            @Override
            protected void tearDown() {
                pools.close();
            }
        };
    }
}
