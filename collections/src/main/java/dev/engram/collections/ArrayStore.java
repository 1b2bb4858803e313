package dev.engram.collections;

import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.medium.Medium;
import dev.engram.tx.Transaction;
import dev.engram.tx.TxEngine;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;

/**
 * The header and cell array shared by {@link PersistentList} and {@link PersistentDeque}
 * ({@link ArrayLayout}). Physical index {@code p} lives at {@code array + p * width}.
 *
 * <p>Persistence order: growth copies the cells into a fresh array (no undo needed), then saves and
 * rewrites the header's head, capacity and array words, and frees the old array at commit. Lock:
 * one read-write lock per collection, taken through {@link Guard} for writes.
 */
final class ArrayStore<E> {
    final TxEngine engine;
    final Medium medium;
    final long header;
    final Cell<E> cells;
    final int width;
    final int arrayType;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    ArrayStore(TxEngine engine, long header, Codec<E> codec, long magic, int arrayType) {
        this.engine = engine;
        this.medium = engine.medium();
        this.header = header;
        this.cells = new Cell<>(codec, engine);
        this.width = cells.width;
        this.arrayType = arrayType;
        if (medium.getLong(header) != magic) {
            throw new PoolCorruptedException("collection header at offset=" + header + " has magic "
                    + Long.toHexString(medium.getLong(header)) + ", expected " + Long.toHexString(magic));
        }
        if (medium.getInt(header + ArrayLayout.WIDTH_OFFSET) != width) {
            throw new CodecMismatchException("collection at offset=" + header + " has " + medium.getInt(header + ArrayLayout.WIDTH_OFFSET)
                    + "-byte cells, but its codec needs " + width);
        }
    }

    static long create(Transaction tx, TxEngine engine, Codec<?> codec, long magic, int headerType) {
        final long h = tx.zalloc(ArrayLayout.HEADER_LENGTH, headerType);
        engine.medium().putLong(h, magic);
        engine.medium().putInt(h + ArrayLayout.WIDTH_OFFSET, codec.width() == Codec.VARIABLE ? Long.BYTES : codec.width());
        return h;
    }

    long head() {
        return medium.getLong(header + ArrayLayout.HEAD_OFFSET);
    }

    long size() {
        return medium.getLong(header + ArrayLayout.SIZE_OFFSET);
    }

    long capacity() {
        return medium.getLong(header + ArrayLayout.CAPACITY_OFFSET);
    }

    long array() {
        return medium.getLong(header + ArrayLayout.ARRAY_OFFSET);
    }

    long cell(long physical) {
        return array() + physical * width;
    }

    /** Physical index of logical index {@code i} (capacity a power of two, or head 0). */
    long physical(long i) {
        final long cap = capacity();
        return cap == 0 ? 0 : (head() + i) & (cap - 1);
    }

    void setHeadAndSize(Transaction tx, long head, long size) {
        tx.addRange(header + ArrayLayout.HEAD_OFFSET, 2 * Long.BYTES);
        medium.putLong(header + ArrayLayout.HEAD_OFFSET, head);
        medium.putLong(header + ArrayLayout.SIZE_OFFSET, size);
    }

    /**
     * Copies the elements, in logical order and skipping logical index {@code skip} (or none when
     * negative), to index 0.. of a fresh array of {@code newCapacity}; head becomes 0.
     */
    void relocate(Transaction tx, long newCapacity, long skip) {
        final long size = size();
        final long fresh = newCapacity == 0 ? 0 : tx.zalloc(newCapacity * width, arrayType);
        long to = 0;
        for (long i = 0; i < size; i++) {
            if (i != skip) {
                medium.copy(cell(physical(i)), fresh + to * width, width);
                to++;
            }
        }
        final long old = array();
        tx.addRange(header + ArrayLayout.HEAD_OFFSET, ArrayLayout.WIDTH_OFFSET - ArrayLayout.HEAD_OFFSET);
        medium.putLong(header + ArrayLayout.HEAD_OFFSET, 0);
        medium.putLong(header + ArrayLayout.SIZE_OFFSET, to);
        medium.putLong(header + ArrayLayout.CAPACITY_OFFSET, newCapacity);
        medium.putLong(header + ArrayLayout.ARRAY_OFFSET, fresh);
        if (old != 0) {
            tx.free(old);
        }
    }

    /** Grows to hold one more element (capacity doubles, from {@link ArrayLayout#INITIAL_CAPACITY}). */
    void ensureRoom(Transaction tx) {
        final long cap = capacity();
        if (size() == cap) {
            relocate(tx, Math.max(ArrayLayout.INITIAL_CAPACITY, cap * 2), -1);
        }
    }

    /** Releases every element's blob and frees the array. */
    void clear(Transaction tx) {
        final long size = size();
        if (!cells.inline) {
            for (long i = 0; i < size; i++) {
                cells.release(tx, cell(physical(i)));
            }
        }
        final long old = array();
        tx.addRange(header + ArrayLayout.HEAD_OFFSET, ArrayLayout.WIDTH_OFFSET - ArrayLayout.HEAD_OFFSET);
        medium.fill(header + ArrayLayout.HEAD_OFFSET, ArrayLayout.WIDTH_OFFSET - ArrayLayout.HEAD_OFFSET, (byte) 0);
        if (old != 0) {
            tx.free(old);
        }
    }

    void reachableBlocks(LongConsumer sink) {
        sink.accept(header);
        if (array() != 0) {
            sink.accept(array());
        }
        final long size = size();
        for (long i = 0; i < size; i++) {
            final long blob = cells.blob(cell(physical(i)));
            if (blob != 0) {
                sink.accept(blob);
            }
        }
    }

    void checkIndex(long index, long size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index=" + index + " size=" + size);
        }
    }
}
