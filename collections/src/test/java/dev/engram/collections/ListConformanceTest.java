package dev.engram.collections;

import com.google.common.collect.testing.ListTestSuiteBuilder;
import com.google.common.collect.testing.TestStringListGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.ListFeature;
import junit.extensions.TestSetup;
import junit.framework.Test;

import java.util.List;

/**
 * Guava testlib's List suite against {@link PersistentList}, in forced-pmem mode on /dev/shm.
 *
 * <p>Features not declared, with the reason: null elements (not stored), serialization (the list
 * lives in its pool).
 */
public class ListConformanceTest {
    public static Test suite() {
        TestPools pools = TestPools.forcedPmem("engram-ls-");
        TestPools.Rotation rotation = new TestPools.Rotation(pools, 256);
        Test suite = ListTestSuiteBuilder.using(new TestStringListGenerator() {
                    @Override
                    protected List<String> create(String[] elements) {
                        PersistentList<String> list = rotation.next().list(rotation.name(), Codec.string(16));
                        for (String e : elements) {
                            list.add(e);
                        }
                        return list;
                    }
                })
                .named("PersistentList forced-pmem")
                .withFeatures(CollectionSize.ANY, ListFeature.GENERAL_PURPOSE, CollectionFeature.ALLOWS_NULL_QUERIES,
                        CollectionFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION)
                .createTestSuite();
        return new TestSetup(suite) {
            @Override
            protected void tearDown() {
                pools.close();
            }
        };
    }
}
