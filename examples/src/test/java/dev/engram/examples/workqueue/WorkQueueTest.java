package dev.engram.examples.workqueue;

import dev.engram.tx.ObjectPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkQueueTest {
    @TempDir
    Path dir;

    @Test
    void shouldRunTheMostUrgentJobFirstAndEqualPrioritiesInOrder() {
        try (ObjectPool pool = WorkQueueDemo.open(dir.resolve("q.pool"))) {
            WorkQueue q = new WorkQueue(pool);
            q.submit(5, "low");
            q.submit(1, "urgent");
            q.submit(3, "mid");
            q.submit(1, "urgent too");
            List<String> order = new ArrayList<>();
            for (WorkQueue.Done d = q.takeAndRun(UnaryOperator.identity()); d != null; d = q.takeAndRun(UnaryOperator.identity())) {
                order.add(d.payload());
            }
            assertThat(order).containsExactly("urgent", "urgent too", "mid", "low");
        }
    }

    @Test
    void shouldLoseNoJobAndDoNoneTwiceAcrossARestart() throws InterruptedException {
        Path file = dir.resolve("q.pool");
        try (ObjectPool pool = WorkQueueDemo.open(file)) {
            WorkQueueDemo.Session first = WorkQueueDemo.run(new WorkQueue(pool), 100, 3, 40);
            assertThat(first.done()).isEqualTo(40);
            assertThat(first.pendingAfter()).isEqualTo(60);
        }
        try (ObjectPool pool = WorkQueueDemo.open(file)) {
            WorkQueue q = new WorkQueue(pool);
            assertThat(q.pendingCount()).as("pending after restart").isEqualTo(60);
            assertThat(q.results()).as("done after restart").hasSize(40);

            WorkQueueDemo.Session second = WorkQueueDemo.run(q, 50, 3, Integer.MAX_VALUE);
            assertThat(second.done()).isEqualTo(60 + 50);
            assertThat(second.pendingAfter()).isZero();

            // Sequence numbers 1..100 came from the first session's job-0..job-99, 101..150 from the second's.
            Map<Long, String> expected = LongStream.rangeClosed(1, 150).boxed().collect(Collectors.toMap(
                    s -> s, s -> "JOB-" + (s <= 100 ? s - 1 : s - 101)));
            assertThat(q.results()).isEqualTo(expected);
        }
    }

    @Test
    void shouldKeepTheJobPendingWhenItsWorkFails() {
        try (ObjectPool pool = WorkQueueDemo.open(dir.resolve("q.pool"))) {
            WorkQueue q = new WorkQueue(pool);
            long seq = q.submit(0, "fragile");
            assertThatThrownBy(() -> q.takeAndRun(p -> {
                throw new IllegalStateException("worker failed on " + p);
            })).hasMessageContaining("worker failed on fragile");
            assertThat(q.pendingCount()).isEqualTo(1);
            assertThat(q.takeAndRun(String::toUpperCase)).isEqualTo(new WorkQueue.Done(seq, 0, "fragile", "FRAGILE"));
        }
    }
}
