package dev.engram.allocator;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A set of per-class current runs that threads reserve from, so that threads on different arenas
 * never share a run (its lock, its bitmap line) on the allocation path.
 *
 * <p>Two kinds. An <em>exclusive</em> arena is held by one thread ({@link #holder}), claimed once
 * and used without any lock: its {@link #current} runs are touched only by that thread. When the
 * thread dies, the next thread that finds it dead takes the arena over with its runs (a thread's
 * death happens-before {@code isAlive()} returning false). A <em>shared</em> arena ({@code holder}
 * always null) serves the threads that found every exclusive arena held; they use it under its
 * monitor, the first lock in the heap's lock order.
 */
final class Arena {
    private static final VarHandle HOLDER;

    static {
        try {
            HOLDER = MethodHandles.lookup().findVarHandle(Arena.class, "holder", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int id;
    final boolean exclusive;
    final RunState[] current = new RunState[SizeClasses.COUNT];
    /** The thread an exclusive arena belongs to, or null while it is free; always null when shared. */
    @SuppressWarnings("unused") // through HOLDER
    private volatile Thread holder;

    Arena(int id, boolean exclusive) {
        this.id = id;
        this.exclusive = exclusive;
    }

    /**
     * Makes this exclusive arena the calling thread's if it is free or its holder has died; false
     * when a live thread holds it.
     */
    boolean tryClaim() {
        final Thread self = Thread.currentThread();
        Thread h = holder;
        while (h == null || !h.isAlive()) {
            if (HOLDER.compareAndSet(this, h, self)) {
                return true;
            }
            h = holder;
        }
        return h == self;
    }

    /** {@return the thread that holds this exclusive arena, or null} */
    Thread holder() {
        return holder;
    }
}
