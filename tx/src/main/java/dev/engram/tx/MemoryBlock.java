package dev.engram.tx;

import dev.engram.pool.OutOfBoundsException;
import dev.engram.pool.medium.Medium;

/**
 * A typed handle over one heap block: reads and writes at offsets inside the block, checked with
 * one comparison against the bound fixed when the handle was made.
 *
 * <p>A transactional block (the default) saves every written range in the running transaction
 * before the store (once per range per transaction) and rejects writes outside a transaction with
 * an {@link IllegalStateException}. A non-transactional block writes directly; the caller makes
 * the bytes durable with {@link #flush} / {@link #persist} and owns crash consistency.
 *
 * <p>Thread safety: reads are safe from any thread; two threads writing the same block must be
 * ordered by the caller.
 */
public final class MemoryBlock {
    private final TxEngine engine;
    private final Medium medium;
    private final long offset;
    private final long size;
    private final boolean transactional;

    MemoryBlock(TxEngine engine, long offset, long size, boolean transactional) {
        this.engine = engine;
        this.medium = engine.medium();
        this.offset = offset;
        this.size = size;
        this.transactional = transactional;
    }

    /** {@return the pool offset of the block's first byte: its persistent address} */
    public long offset() {
        return offset;
    }

    /** {@return the usable bytes of the block: valid indexes are {@code 0 .. size() - 1}} */
    public long size() {
        return size;
    }

    /** {@return whether writes are saved in the running transaction (true) or go straight to the pool} */
    public boolean isTransactional() {
        return transactional;
    }

    private long at(long index, long length) {
        if (index < 0 || index > size - length) {
            throw new OutOfBoundsException("block access index=" + index + " length=" + length + " size=" + size
                    + " (block at offset=" + offset + ")");
        }
        return offset + index;
    }

    private long forWrite(long index, long length) {
        long at = at(index, length);
        if (engine.isReadOnly()) {
            throw engine.refuseReadOnly("a write of " + length + " bytes at index=" + index + " to the block at offset="
                    + offset);
        }
        if (transactional) {
            Transaction tx = engine.current();
            if (tx == null) {
                throw new IllegalStateException("write of " + length + " bytes at index=" + index
                        + " to transactional block at offset=" + offset + " outside a transaction; wrap it in"
                        + " pool.transaction(...), or use a non-transactional block and flush it yourself");
            }
            if (!tx.covers(at, length)) {
                tx.addRange(at, length);
            }
        }
        return at;
    }

    /**
     * Saves {@code [index, index + length)} in the running transaction at once (one drain for many later writes).
     *
     * @param index  byte index in the block of the first byte
     * @param length bytes to save
     * @throws OutOfBoundsException  if the range is outside the block
     * @throws IllegalStateException if no transaction runs on this thread
     */
    public void addToTransaction(long index, long length) {
        long at = at(index, length);
        Transaction tx = engine.current();
        if (tx == null) {
            throw new IllegalStateException("addToTransaction outside a transaction (block at offset=" + offset + ")");
        }
        tx.addRange(at, length);
    }

    /**
     * Reads one byte at {@code index}.
     *
     * @param index byte index in the block; the byte must lie inside it
     * @return the value
     * @throws OutOfBoundsException if the range is outside the block
     */
    public byte getByte(long index) {
        return medium.getByte(at(index, 1));
    }

    /**
     * Reads a little-endian short at {@code index}.
     *
     * @param index byte index in the block; the 2 bytes must lie inside it
     * @return the value
     * @throws OutOfBoundsException if the range is outside the block
     */
    public short getShort(long index) {
        return medium.getShort(at(index, 2));
    }

    /**
     * Reads a little-endian int at {@code index}.
     *
     * @param index byte index in the block; the 4 bytes must lie inside it
     * @return the value
     * @throws OutOfBoundsException if the range is outside the block
     */
    public int getInt(long index) {
        return medium.getInt(at(index, 4));
    }

    /**
     * Reads a little-endian long at {@code index}.
     *
     * @param index byte index in the block; the 8 bytes must lie inside it
     * @return the value
     * @throws OutOfBoundsException if the range is outside the block
     */
    public long getLong(long index) {
        return medium.getLong(at(index, 8));
    }

    /**
     * Copies {@code length} bytes of the block, from {@code index}, into {@code dst}.
     *
     * @param index    byte index in the block of the first byte read
     * @param dst      the destination array
     * @param dstIndex index in {@code dst} of the first byte written
     * @param length   bytes to copy
     * @throws OutOfBoundsException if the range is outside the block
     */
    public void getBytes(long index, byte[] dst, int dstIndex, int length) {
        medium.getBytes(at(index, length), dst, dstIndex, length);
    }

    /**
     * Stores one byte at {@code index}; a transactional block saves the range first.
     *
     * @param index byte index in the block; the byte must lie inside it
     * @param value the value
     * @throws OutOfBoundsException  if the range is outside the block
     * @throws IllegalStateException if the block is transactional and no transaction runs on this thread
     */
    public void setByte(long index, byte value) {
        medium.putByte(forWrite(index, 1), value);
    }

    /**
     * Stores a little-endian short at {@code index}; a transactional block saves the range first.
     *
     * @param index byte index in the block; the 2 bytes must lie inside it
     * @param value the value
     * @throws OutOfBoundsException  if the range is outside the block
     * @throws IllegalStateException if the block is transactional and no transaction runs on this thread
     */
    public void setShort(long index, short value) {
        medium.putShort(forWrite(index, 2), value);
    }

    /**
     * Stores a little-endian int at {@code index}; a transactional block saves the range first.
     *
     * @param index byte index in the block; the 4 bytes must lie inside it
     * @param value the value
     * @throws OutOfBoundsException  if the range is outside the block
     * @throws IllegalStateException if the block is transactional and no transaction runs on this thread
     */
    public void setInt(long index, int value) {
        medium.putInt(forWrite(index, 4), value);
    }

    /**
     * Stores a little-endian long at {@code index}; a transactional block saves the range first.
     *
     * @param index byte index in the block; the 8 bytes must lie inside it
     * @param value the value
     * @throws OutOfBoundsException  if the range is outside the block
     * @throws IllegalStateException if the block is transactional and no transaction runs on this thread
     */
    public void setLong(long index, long value) {
        medium.putLong(forWrite(index, 8), value);
    }

    /**
     * Stores {@code length} bytes of {@code src} at {@code index}; a transactional block saves the range first.
     *
     * @param index    byte index in the block of the first byte written
     * @param src      the source array
     * @param srcIndex index in {@code src} of the first byte
     * @param length   bytes to store
     * @throws OutOfBoundsException  if the range is outside the block
     * @throws IllegalStateException if the block is transactional and no transaction runs on this thread
     */
    public void setBytes(long index, byte[] src, int srcIndex, int length) {
        medium.putBytes(forWrite(index, length), src, srcIndex, length);
    }

    /**
     * Sets {@code length} bytes from {@code index} to {@code value}; a transactional block saves the range first.
     *
     * @param index  byte index in the block of the first byte
     * @param length bytes to set
     * @param value  the byte written to each
     * @throws OutOfBoundsException  if the range is outside the block
     * @throws IllegalStateException if the block is transactional and no transaction runs on this thread
     */
    public void fill(long index, long length, byte value) {
        medium.fill(forWrite(index, length), length, value);
    }

    /**
     * Starts write-back of a range (non-transactional use).
     *
     * @param index  byte index in the block of the first byte
     * @param length bytes in the range; call {@code pool.drain()} or {@link #persist} to wait for them
     * @throws OutOfBoundsException if the range is outside the block
     */
    public void flush(long index, long length) {
        medium.flush(at(index, length), length);
    }

    /** Makes the whole block durable (flush + drain). */
    public void persist() {
        medium.persist(offset, size);
    }

    @Override
    public String toString() {
        return "MemoryBlock[offset=" + offset + ", size=" + size + (transactional ? "" : ", non-transactional") + "]";
    }
}
