package dev.engram.examples.workqueue;

import dev.engram.collections.Codec;
import dev.engram.collections.PersistentCollections;
import dev.engram.collections.PersistentHashMap;
import dev.engram.collections.PersistentSortedMap;
import dev.engram.tx.ObjectPool;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A persistent priority work queue. Pending jobs live in a sorted map keyed by (priority,
 * sequence number), so the smallest priority comes out first and equal priorities come out in
 * submission order. Finished jobs move to a results map in the same transaction that takes them
 * off the queue: after a crash or a restart every job is either pending or done, never both and
 * never neither.
 *
 * <p>Thread safety: any number of producer and consumer threads. {@link #submit} is serialized by
 * this object's monitor (taken before its transaction, never inside one) because it reads and bumps
 * the persistent sequence counter; {@link #takeAndRun} needs no lock of its own, since
 * {@code pollFirstEntry} finds and removes the head in one step. Lock order inside transactions:
 * counters, then pending (submit); pending, then results (take).
 */
public final class WorkQueue {
    /**
     * Sort key of a pending job. Public because the record codec reads it through its accessors.
     *
     * @param priority lower runs first
     * @param sequence submission order, unique in the pool
     */
    public record JobKey(int priority, long sequence) {
    }

    /**
     * A job taken off the queue, with the result its work produced.
     *
     * @param sequence the job's sequence number
     * @param priority the job's priority
     * @param payload  what was submitted
     * @param result   what the work returned, now recorded in the pool
     */
    public record Done(long sequence, int priority, String payload, String result) {
    }

    static final int MAX_TEXT = 64;
    private static final String NEXT_SEQUENCE = "next-sequence";

    private final ObjectPool pool;
    private final PersistentHashMap<String, Long> counters;
    private final PersistentSortedMap<JobKey, String> pending;
    private final PersistentHashMap<Long, String> results;

    /**
     * Opens (or creates, on first use) the queue's collections in {@code pool}.
     *
     * @param pool the pool holding the queue
     */
    public WorkQueue(ObjectPool pool) {
        this.pool = pool;
        PersistentCollections c = PersistentCollections.of(pool);
        this.counters = c.hashMap("queue-counters", Codec.string(16), Codec.int64());
        // int32 then int64, both order-preserving: the record codec sorts by priority, then sequence.
        this.pending = c.sortedMap("queue-pending", Codec.record(JobKey.class, Codec.int32(), Codec.int64()),
                Codec.string(MAX_TEXT));
        this.results = c.hashMap("queue-results", Codec.int64(), Codec.string(MAX_TEXT));
    }

    /**
     * Adds a job.
     *
     * @param priority lower runs first
     * @param payload  the job, at most 64 chars
     * @return the job's sequence number
     */
    public synchronized long submit(int priority, String payload) {
        return pool.transaction(tx -> {
            long sequence = counters.getOrDefault(NEXT_SEQUENCE, 1L);
            counters.put(NEXT_SEQUENCE, sequence + 1);
            pending.put(new JobKey(priority, sequence), payload);
            return sequence;
        });
    }

    /**
     * Takes the most urgent job, runs {@code work} on its payload and records the result, all in one
     * transaction. {@code work} must only compute: whatever it does outside the pool is not rolled
     * back if the transaction is.
     *
     * @param work computes the job's result from its payload
     * @return the job done, or null when the queue is empty
     */
    public Done takeAndRun(UnaryOperator<String> work) {
        return pool.transaction(tx -> {
            Map.Entry<JobKey, String> head = pending.pollFirstEntry();
            if (head == null) {
                return null;
            }
            JobKey key = head.getKey();
            String result = work.apply(head.getValue());
            String previous = results.put(key.sequence(), result);
            if (previous != null) {
                // Cannot happen while the invariant holds; aborting keeps the job pending.
                throw new IllegalStateException("job " + key.sequence() + " was already done: " + previous);
            }
            return new Done(key.sequence(), key.priority(), head.getValue(), result);
        });
    }

    /**
     * Jobs waiting.
     *
     * @return the number of pending jobs
     */
    public int pendingCount() {
        return pending.size();
    }

    /**
     * Results of the jobs done so far.
     *
     * @return results by sequence number, a copy
     */
    public Map<Long, String> results() {
        return Map.copyOf(results);
    }
}
