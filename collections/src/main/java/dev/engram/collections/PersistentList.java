package dev.engram.collections;

import dev.engram.tx.Transaction;
import dev.engram.tx.TxEngine;

import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.function.LongConsumer;

/**
 * A persistent {@link java.util.List} with constant-time indexed access: one array of element cells
 * ({@link ArrayLayout}) that doubles when full. Null elements are not allowed.
 *
 * <p>Persistence order (one transaction per mutation, or the caller's): {@code add(i, e)} grows
 * first if needed (see {@link ArrayStore}), saves the cells from {@code i} to the new end, shifts
 * them up, writes the new cell, then saves and bumps the size; {@code remove(i)} saves cells
 * {@code i..size}, shifts them down, then the size; {@code set} saves and rewrites one cell.
 *
 * <p>Iterators are {@link AbstractList}'s: index-based and fail-fast for changes made through this
 * instance by the iterating thread. Under concurrent change from other threads they are weakly
 * consistent: each {@code next()} reads the element at its index at that moment, so elements may be
 * skipped or seen twice when others insert or remove before the cursor, and a
 * {@link java.util.ConcurrentModificationException} may be thrown when the list shrinks under it.
 * Thread safety: safe for concurrent use (one read-write lock per list).
 *
 * @param <E> the element type
 */
public final class PersistentList<E> extends AbstractList<E> implements RandomAccess, PersistentCollections.Reachable {
    private final ArrayStore<E> store;

    PersistentList(TxEngine engine, long header, Codec<E> codec) {
        this.store = new ArrayStore<>(engine, header, codec, ArrayLayout.LIST_MAGIC, BlockTypes.LIST_ARRAY);
    }

    static long create(Transaction tx, TxEngine engine, Codec<?> codec) {
        return ArrayStore.create(tx, engine, codec, ArrayLayout.LIST_MAGIC, BlockTypes.LIST_HEADER);
    }

    @Override
    public E get(int index) {
        store.lock.readLock().lock();
        try {
            store.checkIndex(index, store.size());
            return store.cells.read(store.cell(index));
        } finally {
            store.lock.readLock().unlock();
        }
    }

    @Override
    public int size() {
        // Under the read lock: a writer holds the write lock until its transaction ends, so no
        // other thread sees a size that may still be rolled back.
        store.lock.readLock().lock();
        try {
            return (int) store.size();
        } finally {
            store.lock.readLock().unlock();
        }
    }

    @Override
    public E set(int index, E element) {
        final byte[] e = store.cells.prepare(element);
        return Guard.write(store.engine, store.lock.writeLock(), tx -> {
            store.checkIndex(index, store.size());
            final long at = store.cell(index);
            final E old = store.cells.read(at);
            tx.addRange(at, store.width);
            store.cells.release(tx, at);
            store.cells.store(tx, at, e);
            return old;
        });
    }

    /**
     * Appends at the end as it is when the write lock is held, not at a size read before it
     * (AbstractList's {@code add(size(), e)} would race with another thread's append or rollback).
     */
    @Override
    public boolean add(E element) {
        insert(true, 0, element);
        return true;
    }

    @Override
    public void add(int index, E element) {
        insert(false, index, element);
    }

    /** Inserts at the end ({@code append}, read under the lock) or at {@code position}. */
    private void insert(boolean append, int position, E element) {
        final byte[] e = store.cells.prepare(element);
        Guard.write(store.engine, store.lock.writeLock(), tx -> {
            final long size = store.size();
            final long index = append ? size : position;
            if (index < 0 || index > size) {
                throw new IndexOutOfBoundsException("index=" + index + " size=" + size);
            }
            store.ensureRoom(tx);
            final long at = store.cell(index);
            final long moved = (size - index) * store.width;
            tx.addRange(at, moved + store.width);
            store.medium.copy(at, at + store.width, moved);
            store.cells.store(tx, at, e);
            store.setHeadAndSize(tx, 0, size + 1);
            return null;
        });
        modCount++;
    }

    @Override
    public E remove(int index) {
        final E old = Guard.write(store.engine, store.lock.writeLock(), tx -> {
            final long size = store.size();
            store.checkIndex(index, size);
            final long at = store.cell(index);
            final E value = store.cells.read(at);
            store.cells.release(tx, at);
            final long moved = (size - index - 1) * store.width;
            tx.addRange(at, moved + store.width);
            store.medium.copy(at + store.width, at, moved);
            store.setHeadAndSize(tx, 0, size - 1);
            return value;
        });
        modCount++;
        return old;
    }

    @Override
    public void clear() {
        Guard.write(store.engine, store.lock.writeLock(), tx -> {
            store.clear(tx);
            return null;
        });
        modCount++;
    }

    @Override
    public void reachableBlocks(LongConsumer sink) {
        store.reachableBlocks(sink);
    }
}
