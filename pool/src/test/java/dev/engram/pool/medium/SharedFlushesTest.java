package dev.engram.pool.medium;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SharedFlushesTest {
    private final SharedFlushes shared = new SharedFlushes();
    private final List<Long> writtenBack = new ArrayList<>();
    private final AtomicInteger fences = new AtomicInteger();

    private int drain() {
        return shared.drain(writtenBack::add, fences::incrementAndGet);
    }

    @Test
    void shouldWriteBackEachRegisteredLineOnceBeforeTheFence() {
        assertThat(shared.register(4096 + 8, 8)).isTrue();
        assertThat(shared.register(60, 8)).isTrue(); // straddles lines 0 and 64

        assertThat(drain()).isEqualTo(3);

        assertThat(writtenBack).containsExactly(4096L, 0L, 64L);
        assertThat(fences).hasValue(1);
    }

    @Test
    void shouldForgetLinesOnceADrainCoveredThem() {
        shared.register(128, 8);
        drain();
        writtenBack.clear();

        assertThat(drain()).isZero();
        assertThat(writtenBack).isEmpty();
        assertThat(fences).as("a drain fences even with nothing pending").hasValue(2);
    }

    @Test
    void shouldWriteBackALineAgainWhenRegisteredAgain() {
        shared.register(128, 8);
        drain();
        shared.register(128, 8);
        writtenBack.clear();

        assertThat(drain()).isEqualTo(1);
        assertThat(writtenBack).containsExactly(128L);
    }

    @Test
    void shouldKeepARegistrationThatRacesWithADrainPendingForTheNextDrain() {
        shared.register(128, 8);
        // The registration lands after this drain wrote the line back, before its fence completed.
        shared.drain(line -> writtenBack.add(line), () -> shared.register(128, 8));
        writtenBack.clear();

        assertThat(drain()).as("the racing registration is not covered by the first fence").isEqualTo(1);
        assertThat(writtenBack).containsExactly(128L);
    }

    @Test
    void shouldLeaveABusyRegistrarsLineForItsOwnDrainToComplete() throws Exception {
        Thread registrar = new Thread(() -> shared.register(128, 8));
        registrar.start();
        registrar.join();

        assertThat(drain()).as("written back for this fence").isEqualTo(1);
        assertThat(drain()).as("still pending: this drain saw it once, its registrar may come back").isEqualTo(1);
        assertThat(drain()).as("the same registration seen pending twice: completed by the second drain").isZero();
        assertThat(writtenBack).containsExactly(128L, 128L);
        assertThat(fences).hasValue(3);
    }

    @Test
    void shouldKeepALinePendingWhileItsRegistrarRegistersAgain() throws Exception {
        Runnable register = () -> shared.register(128, 8);
        Thread first = new Thread(register);
        first.start();
        first.join();
        drain();
        Thread second = new Thread(register);
        second.start();
        second.join();

        assertThat(drain()).as("a new registration since the last drain: not stale").isEqualTo(1);
        assertThat(drain()).isEqualTo(1);
        assertThat(drain()).isZero();
    }

    private int drain(long scopeStart, long scopeEnd) {
        return shared.drain(writtenBack::add, fences::incrementAndGet, scopeStart, scopeEnd);
    }

    private static void onOtherThread(Runnable action) throws InterruptedException {
        Thread t = new Thread(action);
        t.start();
        t.join();
    }

    @Test
    void shouldWriteBackAnotherThreadsLineOnlyForADrainWhoseScopeMeetsItsGuard() throws Exception {
        onOtherThread(() -> shared.register(128, 8, 1000, 2000));

        assertThat(drain(3000, 3100)).as("scope after the guard").isZero();
        assertThat(drain(900, 1000)).as("scope ends where the guard starts").isZero();
        assertThat(drain(1999, 2001)).as("scope meets the guard's last byte").isEqualTo(1);
        assertThat(drain()).as("a full drain meets every guard").isEqualTo(1);
        assertThat(writtenBack).containsExactly(128L, 128L);
        assertThat(fences).hasValue(4);
    }

    @Test
    void shouldAlwaysCompleteTheCallersOwnLinesInAScopedDrain() {
        shared.register(128, 8, 1000, 2000);

        assertThat(drain(0, 0)).isEqualTo(1);
        assertThat(drain()).as("completed by the registrar's own scoped drain").isZero();
    }

    @Test
    void shouldTreatAnUnguardedRegistrationAsGuardingEverything() throws Exception {
        onOtherThread(() -> shared.register(128, 8));

        assertThat(drain(0, 1)).isEqualTo(1);
        assertThat(drain(Long.MAX_VALUE - 1, Long.MAX_VALUE)).isEqualTo(1);
    }

    @Test
    void shouldWidenTheGuardWhileAnEarlierRegistrationIsPending() throws Exception {
        onOtherThread(() -> {
            shared.register(128, 8, 1000, 1100);
            shared.register(128, 8, 5000, 5100);
        });

        assertThat(drain(3000, 3001)).as("the union is the two guards' span").isEqualTo(1);
        assertThat(drain(1000, 1001)).as("the first registration's guard still counts").isEqualTo(1);
        assertThat(drain(5000, 5001)).as("seen pending twice, so completed by the drain before").isZero();
    }

    @Test
    void shouldNarrowTheGuardOnceTheEarlierRegistrationIsComplete() throws Exception {
        onOtherThread(() -> {
            shared.register(128, 8, 1000, 1100);
            shared.drain(line -> { }, () -> { });
            shared.register(128, 8, 5000, 5100);
        });

        assertThat(drain(1000, 1001)).as("the completed registration's guard is gone").isZero();
        assertThat(drain(5000, 5001)).isEqualTo(1);
    }

    @Test
    void shouldNeverSkipALineWhoseUnflushedGuardsMeetTheScope() throws Exception {
        // Property against a model: since a line was last written back, the registrations of it by
        // anyone widen what it guards; a scoped drain must write back every line whose widened guard
        // meets its scope, and every line the draining thread registered itself.
        java.util.Random random = new java.util.Random(0x5C0BEL);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            int lineCount = 8;
            long[] guardStart = new long[lineCount];
            long[] guardEnd = new long[lineCount];
            boolean[] ownSince = new boolean[lineCount];
            java.util.Arrays.fill(guardStart, Long.MAX_VALUE);
            java.util.Arrays.fill(guardEnd, Long.MIN_VALUE);
            int scopedSkips = 0;
            for (int step = 0; step < 3000; step++) {
                int line = random.nextInt(lineCount);
                // short ranges over few bytes, so that guards and scopes often share just one byte
                long start = random.nextInt(40);
                long end = start + 1 + random.nextInt(4);
                switch (random.nextInt(4)) {
                    case 0 -> {
                        other.submit(() -> shared.register(line * 64L, 8, start, end)).get();
                        guardStart[line] = Math.min(guardStart[line], start);
                        guardEnd[line] = Math.max(guardEnd[line], end);
                        ownSince[line] = false; // the line changed hands (a lane handed over)
                    }
                    case 1 -> {
                        shared.register(line * 64L, 8, start, end);
                        guardStart[line] = Math.min(guardStart[line], start);
                        guardEnd[line] = Math.max(guardEnd[line], end);
                        ownSince[line] = true;
                    }
                    default -> {
                        writtenBack.clear();
                        drain(start, end);
                        for (int l = 0; l < lineCount; l++) {
                            boolean meets = guardStart[l] < end && start < guardEnd[l];
                            boolean mine = ownSince[l] && guardStart[l] <= guardEnd[l];
                            if (meets || mine) {
                                assertThat(writtenBack).as("step " + step + ", line " + l).contains(l * 64L);
                            } else if (guardStart[l] <= guardEnd[l]) {
                                scopedSkips++;
                            }
                            if (writtenBack.contains(l * 64L)) {
                                guardStart[l] = Long.MAX_VALUE;
                                guardEnd[l] = Long.MIN_VALUE;
                                ownSince[l] = false;
                            }
                        }
                    }
                }
            }
            assertThat(scopedSkips).as("the scope let some lines wait").isPositive();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void shouldRefuseWhenTheTableIsFull() {
        for (int i = 0; i < SharedFlushes.CAPACITY; i++) {
            assertThat(shared.register((long) i * 64, 8)).isTrue();
        }
        assertThat(shared.register(64L * SharedFlushes.CAPACITY, 8)).isFalse();
        assertThat(shared.register(0, 8)).as("a known line still registers").isTrue();
    }

    @Test
    void shouldGiveEveryLineOneSlotUnderConcurrentRegistration() throws Exception {
        int threads = 4;
        int lines = 200;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < lines; i++) {
                    shared.register((long) i * 64, 8);
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }

        assertThat(drain()).isEqualTo(lines);
        assertThat(writtenBack).doesNotHaveDuplicates().hasSize(lines);
    }
}
