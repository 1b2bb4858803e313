package dev.engram.examples.workqueue;

import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One producer and several consumers sharing a {@link WorkQueue} in a pool. The producer releases
 * one permit per committed job; consumers take a permit before taking a job, so nobody polls an empty
 * queue in a loop. A consumer stops when it takes a permit and finds no job (the producer adds one
 * such "stop" permit per consumer when it is done), or when the run's budget of jobs is spent.
 */
public final class WorkQueueDemo {
    static final ObjectLayout LAYOUT = ObjectLayout.named("engram-workqueue");

    private WorkQueueDemo() {
    }

    /**
     * Runs one session: 20 new jobs, 3 consumers.
     *
     * @param args {@code [POOL]}, default {@code workqueue.pool}
     * @throws InterruptedException if interrupted while waiting for the threads
     */
    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args.length > 0 ? args[0] : "workqueue.pool");
        try (ObjectPool pool = open(file)) {
            Session s = run(new WorkQueue(pool), 20, 3, Integer.MAX_VALUE);
            report(s, System.out);
        }
    }

    static ObjectPool open(Path file) {
        PoolOptions options = PoolOptions.defaults().withSize(16L << 20).withPolicy(MappingPolicy.AUTO);
        return Files.exists(file) ? ObjectPool.open(file, LAYOUT, options) : ObjectPool.create(file, LAYOUT, options);
    }

    /** What one session did. */
    record Session(int submitted, int done, int pendingAfter) {
    }

    /**
     * Submits {@code jobs} new jobs from one producer thread while {@code consumers} threads work the
     * queue (jobs left from an earlier session included); at most {@code budget} jobs are done.
     */
    static Session run(WorkQueue queue, int jobs, int consumers, int budget) throws InterruptedException {
        Semaphore available = new Semaphore(queue.pendingCount());   // jobs left by an earlier run count too
        AtomicInteger remaining = new AtomicInteger(budget);
        AtomicInteger done = new AtomicInteger();

        Thread producer = Thread.ofPlatform().name("producer").start(() -> {
            for (int i = 0; i < jobs; i++) {
                queue.submit(i % 3, "job-" + i);   // priorities 0, 1, 2
                available.release();
            }
            available.release(consumers);          // one stop permit per consumer
        });
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            workers.add(Thread.ofPlatform().name("consumer-" + c).start(() -> {
                while (remaining.getAndDecrement() > 0) {
                    available.acquireUninterruptibly();
                    if (queue.takeAndRun(p -> p.toUpperCase(Locale.ROOT)) == null) {
                        return;
                    }
                    done.incrementAndGet();
                }
            }));
        }
        producer.join();
        for (Thread w : workers) {
            w.join();
        }
        return new Session(jobs, done.get(), queue.pendingCount());
    }

    static void report(Session s, PrintStream out) {
        out.printf("submitted %d, done %d this session, %d still pending%n", s.submitted(), s.done(), s.pendingAfter());
    }
}
