package dev.engram.collections;

import dev.engram.pool.medium.Medium;
import dev.engram.tx.ObjectPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gets of a fixed-width map read without the segment lock and validate afterwards
 * ({@link SegmentLock}). Writers keep every committed value uniform (64 copies of one byte), grow the
 * table (resizes move every slot) and roll back transactions that wrote a value never committed;
 * readers running meanwhile must only ever see whole committed values.
 */
class OptimisticGetTest {
    static final int VALUE = 64;
    static final byte NEVER_COMMITTED = (byte) 0x7F;
    static final int HOT_KEYS = 32;

    final TestPools pools = TestPools.forcedPmem("engram-optget-");

    @AfterEach
    void cleanUp() {
        pools.close();
    }

    static byte[] uniform(byte b) {
        byte[] v = new byte[VALUE];
        Arrays.fill(v, b);
        return v;
    }

    @Test
    void shouldNeverReturnATornOrRolledBackValue() throws Exception {
        ObjectPool pool = pools.create(64 << 20);
        PersistentHashMap<Long, byte[]> map = PersistentCollections.of(pool).hashMap("m", Codec.int64(), Codec.bytes(VALUE));
        for (long k = 0; k < HOT_KEYS; k++) {
            map.put(k, uniform((byte) 1));
        }
        int writers = 2;
        int readers = 2;
        CyclicBarrier start = new CyclicBarrier(writers + readers);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService executor = Executors.newFixedThreadPool(writers + readers);
        List<Future<Long>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            final int writer = w;
            futures.add(executor.submit(() -> {
                SplittableRandom random = new SplittableRandom(42 + writer);
                start.await();
                long fresh = 1_000_000L * (writer + 1);
                for (int i = 0; i < 3000; i++) {
                    long key = random.nextInt(HOT_KEYS);
                    int op = random.nextInt(10);
                    if (op < 6) {
                        map.put(key, uniform((byte) (1 + random.nextInt(100))));
                    } else if (op < 8) {
                        map.put(fresh++, uniform((byte) 2)); // grows the table: resizes move the hot keys
                    } else if (writer == 0) {
                        // Only one writer holds several segment locks at once, so the two never wait on each other.
                        try {
                            pool.run(tx -> {
                                for (long k = 0; k < HOT_KEYS; k++) {
                                    map.put(k, uniform(NEVER_COMMITTED));
                                }
                                throw new IllegalStateException("roll back");
                            });
                        } catch (RuntimeException expected) {
                            // the put above is rolled back
                        }
                    }
                }
                return 3000L;
            }));
        }
        for (int r = 0; r < readers; r++) {
            final int reader = r;
            futures.add(executor.submit(() -> {
                SplittableRandom random = new SplittableRandom(7 + reader);
                start.await();
                long seen = 0;
                while (writing.get()) {
                    byte[] v = map.get((long) random.nextInt(HOT_KEYS));
                    assertThat(v).as("a hot key is never absent").isNotNull().hasSize(VALUE);
                    assertThat(v[0]).as("rolled-back bytes are never visible").isNotEqualTo(NEVER_COMMITTED);
                    for (byte b : v) {
                        assertThat(b).as("a torn value: %s", Arrays.toString(v)).isEqualTo(v[0]);
                    }
                    seen++;
                }
                return seen;
            }));
        }
        try {
            for (int w = 0; w < writers; w++) {
                futures.get(w).get(5, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (int r = writers; r < futures.size(); r++) {
                assertThat(futures.get(r).get(5, TimeUnit.MINUTES)).isPositive();
            }
        } finally {
            writing.set(false);
            executor.shutdownNow();
        }
    }

    @Test
    void shouldMoveTheVersionOnlyAtTheOutermostWriteLockAndRelease() {
        ObjectPool pool = pools.create(16 << 20);
        long descriptor = pool.engine().transaction(tx -> tx.zalloc(HashLayout.SEGMENT_LENGTH, BlockTypes.BLOB));
        SegmentLock lock = new SegmentLock(pool.engine().medium(), descriptor, 24);
        long idle = lock.tryOptimisticRead();
        assertThat(idle).isNotNegative();

        lock.writeLock().lock();
        assertThat(lock.tryOptimisticRead()).as("no optimistic read while written").isEqualTo(-1);
        lock.writeLock().lock(); // reentrant, as inside a caller's transaction
        lock.writeLock().unlock();
        assertThat(lock.tryOptimisticRead()).as("still held by the outer acquire").isEqualTo(-1);
        assertThat(lock.validate(idle)).isFalse();
        lock.writeLock().unlock();

        long after = lock.tryOptimisticRead();
        assertThat(after).isNotNegative().isNotEqualTo(idle);
        assertThat(lock.validate(idle)).as("a stamp from before the write is stale").isFalse();
        assertThat(lock.validate(after)).isTrue();
    }

    @Test
    void shouldRefreshTheDescriptorCopyAtTheOutermostRelease() {
        ObjectPool pool = pools.create(16 << 20);
        Medium m = pool.engine().medium();
        long descriptor = pool.engine().transaction(tx -> tx.zalloc(HashLayout.SEGMENT_LENGTH, BlockTypes.BLOB));
        SegmentLock lock = new SegmentLock(m, descriptor, 24);
        assertThat(lock.table()).as("no table yet").isZero();

        lock.writeLock().lock();
        lock.writeLock().lock();
        lock.descriptorWritten();
        m.putLong(descriptor + HashLayout.SEG_TABLE, 4096);
        m.putLong(descriptor + HashLayout.SEG_CAPACITY, 16);
        lock.writeLock().unlock();
        assertThat(lock.table()).as("an inner release keeps the old copy").isZero();
        lock.writeLock().unlock();
        assertThat(lock.table()).isEqualTo(4096);
        assertThat(lock.mask()).isEqualTo(15);
        assertThat(lock.slots().byteSize()).as("16 slots of 24 bytes").isEqualTo(16 * 24);
        assertThat(lock.slots().get(ValueLayout.JAVA_LONG_UNALIGNED, 0)).isEqualTo(m.getLong(4096));

        lock.writeLock().lock();
        m.putLong(descriptor + HashLayout.SEG_COUNT, 3);
        lock.writeLock().unlock();
        assertThat(lock.table()).as("a write that left table and capacity alone").isEqualTo(4096);

        lock.writeLock().lock();
        lock.descriptorWritten();
        pool.close(); // the refresh at the release fails: the copy goes stale
        lock.writeLock().unlock();
        assertThat(lock.table()).isEqualTo(SegmentLock.STALE);
        assertThat(lock.tryOptimisticRead()).as("the lock was released all the same").isNotNegative();
    }
}
