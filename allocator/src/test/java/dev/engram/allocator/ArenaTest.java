package dev.engram.allocator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exclusive per-thread arenas: threads allocating at once never share a run (its lock, its bitmap
 * line), a dead thread's arena and runs go to the next thread that needs one, and threads beyond
 * the exclusive arenas share arenas under their monitors.
 */
class ArenaTest {
    private static final long SIZE = 64;

    /** Runs {@code body} on a new thread and waits for it; rethrows what it threw. */
    private static void onNewThread(Runnable body) throws InterruptedException {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        assertThat(failure.get()).isNull();
    }

    /**
     * Starts {@code count} threads that each allocate one object into {@code slot(first + i)} and then
     * stay alive, holding their arenas, until the returned latch is counted down.
     */
    private static List<Thread> holdArenas(TestPool p, RedoLog[] logs, int first, int count, CountDownLatch release)
            throws InterruptedException {
        final CountDownLatch allocated = new CountDownLatch(count);
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int slot = first + i;
            final Thread t = new Thread(() -> {
                p.heap.allocate(SIZE, 1, TestPool.slot(slot), logs[slot]);
                allocated.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        allocated.await();
        return threads;
    }

    /** Logs for {@code count} threads: the pool's own, then 512-byte ones in the slot area past slot 127. */
    private static RedoLog[] logs(TestPool p, int count) {
        final RedoLog[] logs = new RedoLog[count];
        logs[0] = p.log;
        for (int i = 1; i < count; i++) {
            logs[i] = RedoLog.format(p.medium, TestPool.slot(128) + (long) (i - 1) * 512, 512);
        }
        return logs;
    }

    @Test
    void threadsAllocatingAtOnceUseDifferentRuns() throws InterruptedException {
        try (TestPool p = TestPool.createWithArenas(64, 16, 4, 1)) {
            final RedoLog[] logs = logs(p, 2);
            final CountDownLatch release = new CountDownLatch(1);
            final List<Thread> threads = holdArenas(p, logs, 0, 2, release);
            final long a = p.medium.getLong(TestPool.slot(0));
            final long b = p.medium.getLong(TestPool.slot(1));
            assertThat(p.heap.chunks().runHint(a)).isNotNull().isNotSameAs(p.heap.chunks().runHint(b));
            release.countDown();
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    @Test
    void aDeadThreadsArenaAndRunGoToTheNextThread() throws InterruptedException {
        final int arenas = 3;
        try (TestPool p = TestPool.createWithArenas(64, 16, arenas, 1)) {
            final RedoLog[] logs = logs(p, arenas + 1);
            onNewThread(() -> p.heap.allocate(SIZE, 1, TestPool.slot(0), logs[0]));
            final RunState deadThreadsRun = p.heap.chunks().runHint(p.medium.getLong(TestPool.slot(0)));
            // every other exclusive arena held by a live thread: the next thread can only take the dead one's
            final CountDownLatch release = new CountDownLatch(1);
            final List<Thread> holders = holdArenas(p, logs, 1, arenas - 1, release);
            onNewThread(() -> p.heap.allocate(SIZE, 1, TestPool.slot(arenas), logs[arenas]));
            assertThat(p.heap.chunks().runHint(p.medium.getLong(TestPool.slot(arenas)))).isSameAs(deadThreadsRun);
            for (int i = 1; i < arenas; i++) {
                assertThat(p.heap.chunks().runHint(p.medium.getLong(TestPool.slot(i)))).isNotSameAs(deadThreadsRun);
            }
            release.countDown();
            for (Thread t : holders) {
                t.join();
            }
        }
    }

    @Test
    void threadsBeyondTheExclusiveArenasShareArenasSafely() throws InterruptedException {
        final int arenas = 2;
        final int extra = 3;
        try (TestPool p = TestPool.createWithArenas(64, 16, arenas, 1)) {
            final RedoLog[] logs = logs(p, arenas + extra);
            final CountDownLatch release = new CountDownLatch(1);
            final List<Thread> holders = holdArenas(p, logs, 0, arenas, release);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Thread> sharers = new ArrayList<>();
            for (int i = 0; i < extra; i++) {
                final int slot = arenas + i;
                final Thread t = new Thread(() -> {
                    try {
                        for (int k = 0; k < 2_000; k++) {
                            final long obj = p.heap.allocate(SIZE, 2, TestPool.slot(slot), logs[slot]);
                            p.heap.free(obj, TestPool.slot(slot), logs[slot]);
                        }
                        p.heap.allocate(SIZE, 2, TestPool.slot(slot), logs[slot]);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                t.start();
                sharers.add(t);
            }
            for (Thread t : sharers) {
                t.join();
            }
            release.countDown();
            for (Thread t : holders) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(p.heap.check().problems()).isEmpty();
            assertThat(p.heap.stats().objectsUsed()).isEqualTo(arenas + extra);
            HeapPropertyTest.verifyDurableBitmaps(p.heap);
            final java.util.Set<Long> objects = new java.util.HashSet<>();
            for (int s = 0; s < arenas + extra; s++) {
                assertThat(objects.add(p.medium.getLong(TestPool.slot(s)))).as("slot %d unique", s).isTrue();
            }
        }
    }

    @Test
    void aFullHeapIsFullOnlyOnceOtherLiveArenasRunsAreUsedUp() throws InterruptedException {
        try (TestPool p = TestPool.createWithArenas(64, 16, 2, 1)) {
            final RedoLog[] logs = logs(p, 2);
            final CountDownLatch release = new CountDownLatch(1);
            // a live, idle thread whose arena keeps a run with one block taken and the rest free
            final List<Thread> holders = holdArenas(p, logs, 1, 1, release);
            final RunState held = p.heap.chunks().runHint(p.medium.getLong(TestPool.slot(1)));
            final List<Reservation> taken = new ArrayList<>();
            Reservation r;
            while ((r = p.heap.tryReserve(SIZE, 3)) != null) {
                taken.add(r);
            }
            held.lock.lock();
            try {
                assertThat(held.takenCount).as("the other arena's run was used before giving up").isEqualTo(held.blocks);
            } finally {
                held.lock.unlock();
            }
            for (Reservation each : taken) {
                p.heap.cancel(each);
            }
            release.countDown();
            for (Thread t : holders) {
                t.join();
            }
            assertThat(p.heap.check().problems()).isEmpty();
            assertThat(p.heap.stats().objectsUsed()).isEqualTo(1);
        }
    }
}
