package dev.engram.collections;

import dev.engram.tx.Transaction;
import dev.engram.tx.TxEngine;

import java.util.AbstractCollection;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * A persistent {@link Deque}: a circular array of element cells ({@link ArrayLayout}) with a head
 * index, doubling when full. Null elements are not allowed; the deque is unbounded (offers succeed
 * while the pool has room).
 *
 * <p>Persistence order (one transaction per operation, or the caller's): an add at either end grows
 * first if full ({@link ArrayStore#relocate}), saves and writes the new cell, then saves and updates
 * the head and size words together; a poll reads the end cell, frees its blob (if any) at commit and
 * updates head and size; removing from the middle copies the remaining cells into a fresh array.
 *
 * <p>Iterators are <b>weakly consistent</b>: they copy the elements under the read lock when
 * created, so they never throw {@link java.util.ConcurrentModificationException} and do not see
 * later changes; {@code remove()} removes the element at the iterator's logical position if it is
 * still there, else its first occurrence. Thread safety: safe for concurrent use (one read-write
 * lock per deque).
 *
 * @param <E> the element type
 */
public final class PersistentDeque<E> extends AbstractCollection<E> implements Deque<E>, PersistentCollections.Reachable {
    private final ArrayStore<E> store;

    PersistentDeque(TxEngine engine, long header, Codec<E> codec) {
        this.store = new ArrayStore<>(engine, header, codec, ArrayLayout.DEQUE_MAGIC, BlockTypes.DEQUE_ARRAY);
    }

    static long create(Transaction tx, TxEngine engine, Codec<?> codec) {
        return ArrayStore.create(tx, engine, codec, ArrayLayout.DEQUE_MAGIC, BlockTypes.DEQUE_HEADER);
    }

    // ---- ends ---------------------------------------------------------------------------------------

    @Override
    public void addFirst(E e) {
        final byte[] b = store.cells.prepare(e);
        Guard.write(store.engine, store.lock.writeLock(), tx -> {
            store.ensureRoom(tx);
            final long head = (store.head() - 1) & (store.capacity() - 1);
            final long at = store.cell(head);
            tx.addRange(at, store.width);
            store.cells.store(tx, at, b);
            store.setHeadAndSize(tx, head, store.size() + 1);
            return null;
        });
    }

    @Override
    public void addLast(E e) {
        final byte[] b = store.cells.prepare(e);
        Guard.write(store.engine, store.lock.writeLock(), tx -> {
            store.ensureRoom(tx);
            final long size = store.size();
            final long at = store.cell(store.physical(size));
            tx.addRange(at, store.width);
            store.cells.store(tx, at, b);
            store.setHeadAndSize(tx, store.head(), size + 1);
            return null;
        });
    }

    @Override
    public E pollFirst() {
        return poll(true);
    }

    @Override
    public E pollLast() {
        return poll(false);
    }

    private E poll(boolean first) {
        return Guard.write(store.engine, store.lock.writeLock(), tx -> {
            final long size = store.size();
            if (size == 0) {
                return null;
            }
            final long at = store.cell(store.physical(first ? 0 : size - 1));
            final E value = store.cells.read(at);
            store.cells.release(tx, at);
            final long head = first ? (store.head() + 1) & (store.capacity() - 1) : store.head();
            store.setHeadAndSize(tx, size == 1 ? 0 : head, size - 1);
            return value;
        });
    }

    private E peek(boolean first) {
        store.lock.readLock().lock();
        try {
            final long size = store.size();
            return size == 0 ? null : store.cells.read(store.cell(store.physical(first ? 0 : size - 1)));
        } finally {
            store.lock.readLock().unlock();
        }
    }

    @Override
    public E peekFirst() {
        return peek(true);
    }

    @Override
    public E peekLast() {
        return peek(false);
    }

    private static <E> E orThrow(E e) {
        if (e == null) {
            throw new NoSuchElementException("deque is empty");
        }
        return e;
    }

    @Override
    public boolean offerFirst(E e) {
        addFirst(e);
        return true;
    }

    @Override
    public boolean offerLast(E e) {
        addLast(e);
        return true;
    }

    @Override
    public E removeFirst() {
        return orThrow(pollFirst());
    }

    @Override
    public E removeLast() {
        return orThrow(pollLast());
    }

    @Override
    public E getFirst() {
        return orThrow(peekFirst());
    }

    @Override
    public E getLast() {
        return orThrow(peekLast());
    }

    @Override
    public boolean add(E e) {
        addLast(e);
        return true;
    }

    @Override
    public boolean offer(E e) {
        return offerLast(e);
    }

    @Override
    public E remove() {
        return removeFirst();
    }

    @Override
    public E poll() {
        return pollFirst();
    }

    @Override
    public E element() {
        return getFirst();
    }

    @Override
    public E peek() {
        return peekFirst();
    }

    @Override
    public void push(E e) {
        addFirst(e);
    }

    @Override
    public E pop() {
        return removeFirst();
    }

    // ---- whole collection ---------------------------------------------------------------------------

    @Override
    public int size() {
        // Under the read lock, as in PersistentList: no uncommitted size from another thread.
        store.lock.readLock().lock();
        try {
            return (int) store.size();
        } finally {
            store.lock.readLock().unlock();
        }
    }

    @Override
    public void clear() {
        Guard.write(store.engine, store.lock.writeLock(), tx -> {
            store.clear(tx);
            return null;
        });
    }

    @Override
    public boolean remove(Object o) {
        return removeFirstOccurrence(o);
    }

    @Override
    public boolean removeFirstOccurrence(Object o) {
        return removeOccurrence(o, true, -1);
    }

    @Override
    public boolean removeLastOccurrence(Object o) {
        return removeOccurrence(o, false, -1);
    }

    /** Removes logical index {@code hint} if it holds {@code o}, else the first or last occurrence. */
    private boolean removeOccurrence(Object o, boolean first, long hint) {
        if (o == null || !store.cells.codec.type().isInstance(o)) {
            return false;
        }
        @SuppressWarnings("unchecked")
        final byte[] wanted = store.cells.prepare((E) o);
        return Guard.write(store.engine, store.lock.writeLock(), tx -> {
            final long size = store.size();
            long found = -1;
            if (hint >= 0 && hint < size && store.cells.matches(store.cell(store.physical(hint)), wanted)) {
                found = hint;
            }
            for (long j = 0; j < size && found < 0; j++) {
                final long i = first ? j : size - 1 - j;
                if (store.cells.matches(store.cell(store.physical(i)), wanted)) {
                    found = i;
                }
            }
            if (found < 0) {
                return false;
            }
            store.cells.release(tx, store.cell(store.physical(found)));
            store.relocate(tx, store.capacity(), found);
            return true;
        });
    }

    @Override
    public boolean contains(Object o) {
        return o != null && super.contains(o);
    }

    private Object[] snapshot() {
        store.lock.readLock().lock();
        try {
            final int size = (int) store.size();
            final Object[] out = new Object[size];
            for (int i = 0; i < size; i++) {
                out[i] = store.cells.read(store.cell(store.physical(i)));
            }
            return out;
        } finally {
            store.lock.readLock().unlock();
        }
    }

    @Override
    public Iterator<E> iterator() {
        return new SnapshotIterator(snapshot(), false);
    }

    @Override
    public Iterator<E> descendingIterator() {
        return new SnapshotIterator(snapshot(), true);
    }

    @Override
    public void reachableBlocks(LongConsumer sink) {
        store.reachableBlocks(sink);
    }

    /** Iterates a copy; {@code remove} removes the element at its logical position (adjusted for earlier removals). */
    private final class SnapshotIterator implements Iterator<E> {
        private final Object[] elements;
        private final boolean reversed;
        private int next;
        private int removed;
        private int last = -1;

        SnapshotIterator(Object[] elements, boolean reversed) {
            this.elements = elements;
            this.reversed = reversed;
        }

        @Override
        public boolean hasNext() {
            return next < elements.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public E next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = next++;
            return (E) elements[reversed ? elements.length - 1 - last : last];
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException("next() was not called, or remove() was already called for this element");
            }
            final int index = reversed ? elements.length - 1 - last : last;
            final Object e = elements[index];
            // ascending: earlier removals shifted this element down; descending: they were behind it
            removeOccurrence(Objects.requireNonNull(e), !reversed, reversed ? index : index - removed);
            removed++;
            last = -1;
        }
    }
}
