package dev.engram.collections;

import com.google.common.collect.testing.QueueTestSuiteBuilder;
import com.google.common.collect.testing.TestStringQueueGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import junit.extensions.TestSetup;
import junit.framework.Test;

import java.util.Queue;

/**
 * Guava testlib's Queue suite (testlib has no Deque builder; the deque-only operations are covered
 * by {@code PersistentDequeTest} against {@link java.util.ArrayDeque}) against
 * {@link PersistentDeque}, in forced-pmem mode on /dev/shm.
 *
 * <p>Features not declared, with the reason: null elements (not stored), serialization (the deque
 * lives in its pool), fail-fast iterators (weakly consistent by design).
 */
public class DequeConformanceTest {
    public static Test suite() {
        TestPools pools = TestPools.forcedPmem("engram-dq-");
        TestPools.Rotation rotation = new TestPools.Rotation(pools, 256);
        Test suite = QueueTestSuiteBuilder.using(new TestStringQueueGenerator() {
                    @Override
                    protected Queue<String> create(String[] elements) {
                        PersistentDeque<String> deque = rotation.next().deque(rotation.name(), Codec.string(16));
                        for (String e : elements) {
                            deque.add(e);
                        }
                        return deque;
                    }
                })
                .named("PersistentDeque forced-pmem")
                .withFeatures(CollectionSize.ANY, CollectionFeature.GENERAL_PURPOSE, CollectionFeature.KNOWN_ORDER)
                .createTestSuite();
        return new TestSetup(suite) {
            @Override
            protected void tearDown() {
                pools.close();
            }
        };
    }
}
