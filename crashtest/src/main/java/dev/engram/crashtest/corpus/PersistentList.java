package dev.engram.crashtest.corpus;

import dev.engram.pool.medium.Medium;

import static dev.engram.crashtest.corpus.Invariants.require;
import static dev.engram.crashtest.corpus.ReferenceLayout.HEAD;
import static dev.engram.crashtest.corpus.ReferenceLayout.NODE_CAPACITY;
import static dev.engram.crashtest.corpus.ReferenceLayout.NODE_NEXT;
import static dev.engram.crashtest.corpus.ReferenceLayout.NODE_SIZE;
import static dev.engram.crashtest.corpus.ReferenceLayout.NODE_VALUE;
import static dev.engram.crashtest.corpus.ReferenceLayout.node;

/**
 * Reference structure 4: a singly linked list grown by pushing at the head. Correct protocol:
 * initialise the node (value, next = old head), persist the whole node, then persist HEAD = node.
 * Nodes straddle two cache lines (value on one, next on the other), so a flush that covers only the
 * value leaves next unflushed. Invariant: the list from HEAD is node(k), node(k-1), ..., node(0)
 * with value(i) in node(i), for some k &lt; {@link #PUSHES}.
 */
final class PersistentList {
    static final int PUSHES = 3;

    static {
        if (PUSHES > NODE_CAPACITY) {
            throw new ExceptionInInitializerError("PUSHES exceeds NODE_CAPACITY");
        }
    }

    private PersistentList() {
    }

    static long value(int i) {
        return 100 + i;
    }

    static void check(Medium m) {
        long p = m.getLong(HEAD);
        if (p == 0) {
            return;
        }
        int k = -1;
        for (int i = 0; i < PUSHES; i++) {
            if (node(i) == p) {
                k = i;
            }
        }
        require(k >= 0, "HEAD points at a node, HEAD=0x" + Long.toHexString(p));
        for (int i = k; i >= 0; i--) {
            long v = m.getLong(node(i) + NODE_VALUE);
            long next = m.getLong(node(i) + NODE_NEXT);
            require(v == value(i), "node " + i + " holds " + value(i) + ", got " + v);
            long expectedNext = i == 0 ? 0 : node(i - 1);
            require(next == expectedNext, "node " + i + " links to 0x" + Long.toHexString(expectedNext)
                    + ", got 0x" + Long.toHexString(next));
        }
    }

    @FunctionalInterface
    interface Push {
        void run(Medium m, int i);
    }

    static void workload(Medium m, Push push) {
        for (int i = 0; i < PUSHES; i++) {
            push.run(m, i);
        }
    }

    static void correct(Medium m, int i) {
        long n = node(i);
        m.putLong(n + NODE_VALUE, value(i));
        m.putLong(n + NODE_NEXT, m.getLong(HEAD));
        m.persist(n, NODE_SIZE);
        m.putLongPersist(HEAD, n);
    }

    /** Publish before initialise: HEAD is switched before the node is written. */
    static void publishBeforeInit(Medium m, int i) {
        long n = node(i);
        long oldHead = m.getLong(HEAD);
        m.putLongPersist(HEAD, n);
        m.putLong(n + NODE_VALUE, value(i));
        m.putLong(n + NODE_NEXT, oldHead);
        m.persist(n, NODE_SIZE);
    }

    /** The flush covers only the value's line; next stays unflushed when HEAD is published. */
    static void flushTooShort(Medium m, int i) {
        long n = node(i);
        m.putLong(n + NODE_VALUE, value(i));
        m.putLong(n + NODE_NEXT, m.getLong(HEAD));
        m.persist(n, Long.BYTES);
        m.putLongPersist(HEAD, n);
    }
}
