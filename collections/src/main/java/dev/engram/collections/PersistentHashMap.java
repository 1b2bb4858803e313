package dev.engram.collections;

import dev.engram.pool.Bits;
import dev.engram.pool.MediaFaults;
import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.medium.Medium;
import dev.engram.tx.Transaction;
import dev.engram.tx.TxEngine;
import dev.engram.tx.TxFunction;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import java.util.function.LongConsumer;

/**
 * A persistent {@link ConcurrentMap}: a fixed number of segments ({@link HashLayout}), each an
 * open-addressing table with linear probing, tombstones and its own read-write lock. The high bits
 * of a key's hash pick the segment, the low 32 bits the slot. Keys are compared and hashed in their
 * encoded form. Null keys and values are not allowed.
 *
 * <p><b>Resizing is incremental</b>: a segment that passes 3/4 occupancy is rehashed alone into a
 * new table (at most half full afterwards) in the transaction of the insert that filled it; the other
 * segments stay readable and writable. No transaction ever touches more than one segment's table
 * apart from {@link #clear()}.
 *
 * <p>Persistence order (inside one transaction, see {@code Transaction}): insert saves the slot word
 * and the segment's count and used words (one drain), writes the key and value cells (free space
 * until the word says full, so not saved, only written back: the commit's drain makes them durable
 * with the word), then the slot word (state last) and the bumped count and used words; replace saves
 * and rewrites the value cell (a blob value is freed at commit); remove saves the slot word and
 * writes a tombstone; a resize fills a fresh table (no undo needed), then
 * saves the segment descriptor and points it at the new table, and frees the old one at commit.
 *
 * <p>Lock order: segment locks in ascending segment index; a mutation inside a caller's transaction
 * holds its segment's write lock until the outermost transaction ends ({@link Guard}). A get of a map
 * whose key and value codecs are fixed-width reads without locking and validates against the
 * segment's version ({@link SegmentLock}), falling back to the read lock when a writer was active;
 * other reads take the segment's read lock for the lookup only.
 *
 * <p>Iterators are <b>weakly consistent</b>: they visit segments in order, copying one segment's
 * entries under its read lock when they reach it; they never throw
 * {@link java.util.ConcurrentModificationException}, reflect each segment as it was when reached, and
 * may or may not show changes made after the iterator was created. {@code size()} sums the
 * segments' counts without locking them all.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class PersistentHashMap<K, V> extends AbstractMap<K, V>
        implements ConcurrentMap<K, V>, PersistentCollections.Reachable {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE_SEGMENT = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int PUT = 0;
    private static final int PUT_IF_ABSENT = 1;
    private static final int REPLACE = 2;

    private final TxEngine engine;
    private final Medium medium;
    private final long header;
    private final Cell<K> keys;
    private final Cell<V> values;
    private final Class<K> keyType;
    private final int segmentShift;
    private final int slotLength;
    private final int valueOffset;
    /** Probes an optimistic get makes before it falls back to the read lock. */
    private static final int OPTIMISTIC_PROBES = 64;

    private final SegmentLock[] locks;
    private final Upsert[] upserts;
    /** Both cells fixed-width: gets may read without the lock (see {@link SegmentLock}). */
    private final boolean optimisticReads;
    /** Keys are looked up as one word ({@link Cell#wordSized}): no key array on any path. */
    private final boolean wordKeys;
    private final ThreadLocal<byte[]> keyScratch;
    private Set<Entry<K, V>> entrySet;

    PersistentHashMap(TxEngine engine, long header, Codec<K> keyCodec, Codec<V> valueCodec) {
        this.engine = engine;
        this.medium = engine.medium();
        this.header = header;
        this.keys = new Cell<>(keyCodec, engine);
        this.values = new Cell<>(valueCodec, engine);
        this.keyType = keyCodec.type();
        if (medium.getLong(header + HashLayout.MAGIC_OFFSET) != HashLayout.MAGIC) {
            throw new PoolCorruptedException("hash map header at offset=" + header + " has magic "
                    + Long.toHexString(medium.getLong(header)) + ", expected " + Long.toHexString(HashLayout.MAGIC));
        }
        int segments = medium.getInt(header + HashLayout.SEGMENTS_OFFSET);
        if (segments < 2 || segments > 4096 || Integer.bitCount(segments) != 1
                || HashLayout.headerSize(segments) > engine.heap().usableSize(header)) {
            throw new PoolCorruptedException("hash map header at offset=" + header + " records " + segments
                    + " segments, expected a power of two 2..4096 that fits its block");
        }
        this.slotLength = HashLayout.slotLength(keys.width, values.width);
        int storedSlot = medium.getInt(header + HashLayout.SLOT_LENGTH_OFFSET);
        if (storedSlot != slotLength) {
            throw new CodecMismatchException("hash map at offset=" + header + " has " + storedSlot
                    + "-byte slots, but its codecs need " + slotLength);
        }
        this.segmentShift = 64 - Integer.numberOfTrailingZeros(segments);
        this.valueOffset = HashLayout.SLOT_KEY + keys.width;
        this.locks = new SegmentLock[segments];
        @SuppressWarnings("unchecked")
        final Upsert[] bodies = (Upsert[]) java.lang.reflect.Array.newInstance(Upsert.class, segments);
        this.upserts = bodies;
        for (int i = 0; i < segments; i++) {
            upserts[i] = new Upsert(i);
            locks[i] = new SegmentLock(medium, HashLayout.segmentOffset(header, i), slotLength);
        }
        this.optimisticReads = keys.inline && values.inline;
        this.wordKeys = keys.wordSized;
        final int kw = keys.width;
        this.keyScratch = ThreadLocal.withInitial(() -> new byte[kw]);
    }

    static <K, V> long create(Transaction tx, TxEngine engine, Codec<K> keyCodec, Codec<V> valueCodec) {
        Medium m = engine.medium();
        int segments = HashLayout.DEFAULT_SEGMENTS;
        int kw = keyCodec.width() == Codec.VARIABLE ? Long.BYTES : keyCodec.width();
        int vw = valueCodec.width() == Codec.VARIABLE ? Long.BYTES : valueCodec.width();
        long h = tx.zalloc(HashLayout.headerSize(segments), BlockTypes.HASH_HEADER);
        m.putLong(h + HashLayout.MAGIC_OFFSET, HashLayout.MAGIC);
        m.putInt(h + HashLayout.SEGMENTS_OFFSET, segments);
        m.putInt(h + HashLayout.KEY_WIDTH_OFFSET, kw);
        m.putInt(h + HashLayout.VALUE_WIDTH_OFFSET, vw);
        m.putInt(h + HashLayout.SLOT_LENGTH_OFFSET, HashLayout.slotLength(kw, vw));
        return h;
    }

    // ---- hashing and lookup ------------------------------------------------------------------------

    /** 64-bit hash of an encoding (multiply-rotate over 8-byte words, murmur3 finalizer). */
    static long hash(byte[] b, int length) {
        long h = 0x9E37_79B9_7F4A_7C15L ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long k = (long) LONG_LE.get(b, i) * 0x87C3_7B91_1142_53D5L;
            h = Long.rotateLeft(h ^ Long.rotateLeft(k, 31) * 0x4CF5_AD43_2745_937FL, 27) * 5 + 0x52DC_E729;
        }
        long tail = 0;
        for (int s = 0; i < length; i++, s += 8) {
            tail |= (b[i] & 0xFFL) << s;
        }
        h ^= tail * 0x87C3_7B91_1142_53D5L;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        return h ^ (h >>> 33);
    }

    /**
     * {@link #hash} of an encoding of at most 8 bytes given as its little-endian word (zero above
     * {@code length} bytes): the same value, without the array.
     */
    static long hashWord(long word, int length) {
        long h = 0x9E37_79B9_7F4A_7C15L ^ length;
        if (length == Long.BYTES) {
            long k = word * 0x87C3_7B91_1142_53D5L;
            h = Long.rotateLeft(h ^ Long.rotateLeft(k, 31) * 0x4CF5_AD43_2745_937FL, 27) * 5 + 0x52DC_E729;
        } else {
            h ^= word * 0x87C3_7B91_1142_53D5L;
        }
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        return h ^ (h >>> 33);
    }

    /** The hash of a key given as {@code enc}, or as {@code word} when {@code enc} is null. */
    private long hashKey(byte[] enc, long word) {
        return enc == null ? hashWord(word, keys.width) : hash(enc, enc.length);
    }

    private byte[] encodeKey(Object key) {
        @SuppressWarnings("unchecked")
        K k = (K) key;
        return keys.inline ? keys.prepareScratch(k, keyScratch.get()) : keys.prepare(k);
    }

    private int segmentOf(long hash) {
        return (int) (hash >>> segmentShift);
    }

    /**
     * The slot holding the key ({@code enc}, or {@code word} when {@code enc} is null), or -1. Caller
     * holds the segment's lock.
     */
    private long find(long seg, int h32, byte[] enc, long word) {
        return find(seg, h32, enc, word, Long.MAX_VALUE);
    }

    /**
     * The slot holding the key ({@code enc}, or {@code word} when {@code enc} is null), -1 when absent,
     * or -2 when {@code maxProbes} ran out (an optimistic reader's bound: a table changing under it
     * must not keep it probing). The slot word's hash bits are compared first, so a probe past another
     * key reads only that slot's first word.
     */
    private long find(long seg, int h32, byte[] enc, long word, long maxProbes) {
        final long table = medium.getLong(seg + HashLayout.SEG_TABLE);
        if (table == 0) {
            return -1;
        }
        final long capacity = medium.getLong(seg + HashLayout.SEG_CAPACITY);
        final long mask = capacity - 1;
        long index = h32 & mask;
        for (long probes = 0; probes < capacity; probes++) {
            if (probes == maxProbes) {
                return -2;
            }
            final long slot = table + index * slotLength;
            final long slotWord = medium.getLong(slot);
            final int state = HashLayout.state(slotWord);
            if (state == HashLayout.EMPTY) {
                return -1;
            }
            final long keyCell = slot + HashLayout.SLOT_KEY;
            if (state == HashLayout.FULL && HashLayout.hash32(slotWord) == h32
                    && (enc == null ? keys.matchesWord(keyCell, word) : keys.matches(keyCell, enc))) {
                return slot;
            }
            index = (index + 1) & mask;
        }
        return -1;
    }

    /**
     * {@link #find} for a map of word keys read optimistically ({@link SegmentLock}): the slot, -1, or
     * -2 after {@link #OPTIMISTIC_PROBES} probes. Small enough to inline into {@link #get}: the slot word
     * is compared whole (hash bits and state at once), and a probe past another key reads only that word.
     */
    private long findWord(SegmentLock segment, MemorySegment slots, int h32, long word) {
        final long mask = segment.mask();
        final long full = HashLayout.word(h32, HashLayout.FULL);
        long index = h32 & mask;
        for (int probes = 0; probes < OPTIMISTIC_PROBES; probes++) {
            final long slot = index * slotLength;
            final long slotWord = slots.get(LONG_LE_SEGMENT, slot);
            if (slotWord == full && keys.matchesWord(slots, slot + HashLayout.SLOT_KEY, word)) {
                return slot;
            }
            if (HashLayout.state(slotWord) == HashLayout.EMPTY) {
                return -1;
            }
            index = (index + 1) & mask;
        }
        return -2;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        Objects.requireNonNull(key, "key");
        if (!wordKeys || !optimisticReads || !keyType.isInstance(key)) {
            return getByEncoding(key);
        }
        // The common case kept short enough for the JIT to inline into the caller: no key array, no
        // lock, one probe loop; everything else is in methods of its own.
        final long word = keys.word((K) key);
        final long hash = hashWord(word, keys.width);
        final SegmentLock segmentLock = locks[segmentOf(hash)];
        final long stamp = segmentLock.tryOptimisticRead();
        final MemorySegment slots = segmentLock.slots();
        if (stamp >= 0 && slots != null) {
            try {
                final long slot = findWord(segmentLock, slots, (int) hash, word);
                if (slot >= 0) {
                    final V value = values.read(slots, slot + valueOffset);
                    if (segmentLock.validate(stamp)) {
                        return value;
                    }
                } else if (slot == -1 && segmentLock.validate(stamp)) {
                    return null;
                }
            } catch (RuntimeException tornRead) {
                // A writer moved the bytes under the read: the locked read below decides.
            } catch (InternalError fault) {
                checkMediaFault(fault);
            }
        }
        // no table yet, a stale copy, a writer, a torn read or a long probe
        return lockedGet(segmentOf(hash), hash, null, word);
    }

    /** Rethrows an error that is not a media fault; a media fault is left to the locked read to report. */
    private static void checkMediaFault(InternalError fault) {
        if (!MediaFaults.isMediaFault(fault)) {
            throw fault;
        }
    }

    /** {@link #get} of a map whose keys are not word-sized or whose cells are not all fixed-width. */
    @SuppressWarnings("unchecked")
    private V getByEncoding(Object key) {
        if (!keyType.isInstance(key)) {
            return null;
        }
        final byte[] enc = wordKeys ? null : encodeKey(key);
        final long word = wordKeys ? keys.word((K) key) : 0;
        final long hash = hashKey(enc, word);
        final int segment = segmentOf(hash);
        final SegmentLock segmentLock = locks[segment];
        final long stamp = optimisticReads ? segmentLock.tryOptimisticRead() : -1;
        if (stamp >= 0) {
            try {
                final long slot = find(HashLayout.segmentOffset(header, segment), (int) hash, enc, word, OPTIMISTIC_PROBES);
                if (slot != -2) {
                    final V value = slot < 0 ? null : values.read(slot + valueOffset);
                    if (segmentLock.validate(stamp)) {
                        return value;
                    }
                }
            } catch (RuntimeException tornRead) {
                // A writer moved the bytes under the read: the locked read below decides.
            }
        }
        return lockedGet(segment, hash, enc, word);
    }

    /** A get under the segment's read lock. */
    private V lockedGet(int segment, long hash, byte[] enc, long word) {
        final Lock lock = locks[segment].readLock();
        lock.lock();
        try {
            final long slot = find(HashLayout.segmentOffset(header, segment), (int) hash, enc, word);
            return slot < 0 ? null : values.read(slot + valueOffset);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        long n = 0;
        for (int s = 0; s < locks.length; s++) {
            n += medium.getLong(HashLayout.segmentOffset(header, s) + HashLayout.SEG_COUNT);
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    @Override
    public boolean isEmpty() {
        for (int s = 0; s < locks.length; s++) {
            if (medium.getLong(HashLayout.segmentOffset(header, s) + HashLayout.SEG_COUNT) != 0) {
                return false;
            }
        }
        return true;
    }

    // ---- mutation ------------------------------------------------------------------------------------

    @Override
    public V put(K key, V value) {
        return upsert(key, value, PUT);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return upsert(key, value, PUT_IF_ABSENT);
    }

    @Override
    public V replace(K key, V value) {
        return upsert(key, value, REPLACE);
    }

    private V upsert(K key, V value, int mode) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        final byte[] k = wordKeys ? keys.stage(key) : keys.prepare(key);
        final long word = wordKeys ? keys.word(key) : 0;
        final byte[] v = values.stage(value);
        final long hash = hashKey(k, word);
        final int segment = segmentOf(hash);
        final Lock lock = locks[segment].writeLock();
        final boolean own = Guard.lock(engine, lock);
        // The segment's body object, filled under its write lock: no capturing lambda per put.
        final Upsert op = upserts[segment];
        try {
            op.key = key;
            op.k = k;
            op.word = word;
            op.value = value;
            op.v = v;
            op.hash = hash;
            op.mode = mode;
            return engine.transaction(op);
        } finally {
            op.key = null;
            op.value = null;
            op.k = null;
            op.v = null;
            if (own) {
                lock.unlock();
            }
        }
    }

    /**
     * The transaction body of {@link #upsert}, one per segment, used only by the holder of the
     * segment's write lock (one put at a time: a body never starts another put).
     */
    private final class Upsert implements TxFunction<V> {
        private final int segment;
        K key;
        byte[] k;
        long word;
        V value;
        byte[] v;
        long hash;
        int mode;

        Upsert(int segment) {
            this.segment = segment;
        }

        @Override
        public V apply(Transaction tx) {
            final long seg = HashLayout.segmentOffset(header, segment);
            final long slot = find(seg, (int) hash, k, word);
            if (slot >= 0) {
                if (mode == PUT_IF_ABSENT) {
                    return values.read(slot + valueOffset);
                }
                V old = values.read(slot + valueOffset);
                writeValue(tx, slot, value, v);
                return old;
            }
            if (mode != REPLACE) {
                insert(tx, segment, (int) hash, key, k, value, v);
            }
            return null;
        }
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        final byte[] k = wordKeys ? keys.stage(key) : keys.prepare(key);
        final long word = wordKeys ? keys.word(key) : 0;
        final byte[] expected = values.prepare(oldValue);
        final byte[] v = values.stage(newValue);
        final long hash = hashKey(k, word);
        final int segment = segmentOf(hash);
        return Guard.write(engine, locks[segment].writeLock(), tx -> {
            final long slot = find(HashLayout.segmentOffset(header, segment), (int) hash, k, word);
            if (slot < 0 || !values.matches(slot + valueOffset, expected)) {
                return false;
            }
            writeValue(tx, slot, newValue, v);
            return true;
        });
    }

    @Override
    public V remove(Object key) {
        Objects.requireNonNull(key, "key");
        if (!keyType.isInstance(key)) {
            return null;
        }
        return removeMatching(key, null);
    }

    @Override
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(key, "key");
        if (value == null || !keyType.isInstance(key) || !values.codec.type().isInstance(value)) {
            return false;
        }
        return removeMatching(key, value) != null;
    }

    /** Removes {@code key} (only while it maps to {@code value}, when that is not null); returns the old value or null. */
    private V removeMatching(Object key, Object value) {
        final K typed = keyType.cast(key);
        final byte[] k = wordKeys ? null : keys.prepare(typed);
        final long word = wordKeys ? keys.word(typed) : 0;
        @SuppressWarnings("unchecked")
        final byte[] expected = value == null ? null : values.prepare((V) value);
        final long hash = hashKey(k, word);
        final int segment = segmentOf(hash);
        final SegmentLock segmentLock = locks[segment];
        return Guard.write(engine, segmentLock.writeLock(), tx -> {
            final long seg = HashLayout.segmentOffset(header, segment);
            final long slot = find(seg, (int) hash, k, word);
            if (slot < 0 || (expected != null && !values.matches(slot + valueOffset, expected))) {
                return null;
            }
            final V old = values.read(slot + valueOffset);
            segmentLock.saveRanges(tx, slot, Long.BYTES, seg + HashLayout.SEG_COUNT, Long.BYTES);
            keys.release(tx, slot + HashLayout.SLOT_KEY);
            values.release(tx, slot + valueOffset);
            medium.putLong(slot, HashLayout.word((int) hash, HashLayout.TOMBSTONE));
            medium.putLong(seg + HashLayout.SEG_COUNT, medium.getLong(seg + HashLayout.SEG_COUNT) - 1);
            return old;
        });
    }

    private void writeValue(Transaction tx, long slot, V value, byte[] v) {
        tx.addRange(slot + valueOffset, values.width);
        values.release(tx, slot + valueOffset);
        values.store(tx, slot + valueOffset, value, v);
    }

    /** Inserts an absent key ({@code k}, or in place when null, see {@link Cell#stage}); holds the segment's write lock. */
    private void insert(Transaction tx, int segment, int h32, K key, byte[] k, V value, byte[] v) {
        final long seg = HashLayout.segmentOffset(header, segment);
        long table = medium.getLong(seg + HashLayout.SEG_TABLE);
        long capacity = medium.getLong(seg + HashLayout.SEG_CAPACITY);
        final long count = medium.getLong(seg + HashLayout.SEG_COUNT);
        long used = medium.getLong(seg + HashLayout.SEG_USED);
        if (table == 0 || (used + 1) * 4 > capacity * 3) {
            long newCapacity = Math.max(capacity, HashLayout.INITIAL_CAPACITY);
            while ((count + 1) * 2 > newCapacity) {
                newCapacity <<= 1;
            }
            locks[segment].descriptorWritten();
            table = rehash(tx, seg, table, capacity, newCapacity);
            capacity = newCapacity;
            used = count;
        }
        final long mask = capacity - 1;
        long index = h32 & mask;
        long slot = table + index * slotLength;
        int state = HashLayout.state(medium.getLong(slot));
        while (state == HashLayout.FULL) {
            index = (index + 1) & mask;
            slot = table + index * slotLength;
            state = HashLayout.state(medium.getLong(slot));
        }
        // Only the slot word is saved: the cells of an empty or tombstone slot are free space that nothing
        // reads, so a rollback need not restore them. The commit writes back the word's cache line (a
        // saved range); the slot's lines after it are written back here. Both are durable at the commit's
        // drain, so the cells are no later than the word that publishes them. (Flushing the word's line
        // here too would write it back twice, and on CPUs whose write-back evicts, miss on the word's store.)
        locks[segment].saveRanges(tx, slot, Long.BYTES, seg + HashLayout.SEG_COUNT, 2 * Long.BYTES);
        keys.store(tx, slot + HashLayout.SLOT_KEY, key, k);
        values.store(tx, slot + valueOffset, value, v);
        final long nextLine = (slot | (Bits.CACHE_LINE - 1)) + 1;
        if (nextLine < slot + slotLength) {
            medium.flush(nextLine, slot + slotLength - nextLine);
        }
        medium.putLong(slot, HashLayout.word(h32, HashLayout.FULL));
        medium.putLong(seg + HashLayout.SEG_COUNT, count + 1);
        medium.putLong(seg + HashLayout.SEG_USED, state == HashLayout.EMPTY ? used + 1 : used);
    }

    /** Moves a segment's live slots into a fresh table of {@code newCapacity} slots; frees the old one at commit. */
    private long rehash(Transaction tx, long seg, long table, long capacity, long newCapacity) {
        final long fresh = tx.zalloc(newCapacity * slotLength, BlockTypes.HASH_TABLE);
        final long mask = newCapacity - 1;
        for (long i = 0; i < capacity; i++) {
            final long from = table + i * slotLength;
            final long word = medium.getLong(from);
            if (HashLayout.state(word) != HashLayout.FULL) {
                continue;
            }
            long index = HashLayout.hash32(word) & mask;
            while (HashLayout.state(medium.getLong(fresh + index * slotLength)) != HashLayout.EMPTY) {
                index = (index + 1) & mask;
            }
            medium.copy(from, fresh + index * slotLength, slotLength);
        }
        tx.addRange(seg, HashLayout.SEGMENT_LENGTH);
        medium.putLong(seg + HashLayout.SEG_TABLE, fresh);
        medium.putLong(seg + HashLayout.SEG_CAPACITY, newCapacity);
        medium.putLong(seg + HashLayout.SEG_USED, medium.getLong(seg + HashLayout.SEG_COUNT));
        if (table != 0) {
            tx.free(table);
        }
        return fresh;
    }

    /**
     * Removes every entry in one transaction: segment locks are taken in ascending order and held to
     * its end (inside a caller's transaction, to the end of that one).
     */
    @Override
    public void clear() {
        engine.transaction(tx -> {
            for (int s = 0; s < locks.length; s++) {
                final int segment = s;
                Guard.write(engine, locks[s].writeLock(), t -> {
                    locks[segment].descriptorWritten();
                    clearSegment(t, HashLayout.segmentOffset(header, segment));
                    return null;
                });
            }
            return null;
        });
    }

    private void clearSegment(Transaction tx, long seg) {
        final long table = medium.getLong(seg + HashLayout.SEG_TABLE);
        if (table == 0) {
            return;
        }
        final long capacity = medium.getLong(seg + HashLayout.SEG_CAPACITY);
        if (!keys.inline || !values.inline) {
            for (long i = 0; i < capacity; i++) {
                final long slot = table + i * slotLength;
                if (HashLayout.state(medium.getLong(slot)) == HashLayout.FULL) {
                    keys.release(tx, slot + HashLayout.SLOT_KEY);
                    values.release(tx, slot + valueOffset);
                }
            }
        }
        tx.addRange(seg, HashLayout.SEGMENT_LENGTH);
        medium.fill(seg, HashLayout.SEGMENT_LENGTH, (byte) 0);
        tx.free(table);
    }

    // ---- views ------------------------------------------------------------------------------------

    @Override
    public Set<Entry<K, V>> entrySet() {
        Set<Entry<K, V>> es = entrySet;
        if (es == null) {
            es = new EntrySetView<>(this, EntryIterator::new);
            entrySet = es;
        }
        return es;
    }

    @Override
    public void reachableBlocks(LongConsumer sink) {
        sink.accept(header);
        for (int s = 0; s < locks.length; s++) {
            final long seg = HashLayout.segmentOffset(header, s);
            final long table = medium.getLong(seg + HashLayout.SEG_TABLE);
            if (table == 0) {
                continue;
            }
            sink.accept(table);
            final long capacity = medium.getLong(seg + HashLayout.SEG_CAPACITY);
            for (long i = 0; i < capacity; i++) {
                final long slot = table + i * slotLength;
                if (HashLayout.state(medium.getLong(slot)) == HashLayout.FULL) {
                    long kb = keys.blob(slot + HashLayout.SLOT_KEY);
                    long vb = values.blob(slot + valueOffset);
                    if (kb != 0) {
                        sink.accept(kb);
                    }
                    if (vb != 0) {
                        sink.accept(vb);
                    }
                }
            }
        }
    }



    /** Weakly consistent: copies one segment's entries at a time, under its read lock. */
    private final class EntryIterator implements Iterator<Entry<K, V>> {
        private int nextSegment;
        private Object[] batch = new Object[0];
        private int batchSize;
        private int position;
        private K last;

        @Override
        public boolean hasNext() {
            while (position == batchSize) {
                if (nextSegment == locks.length) {
                    return false;
                }
                load(nextSegment++);
            }
            return true;
        }

        private void load(int segment) {
            final Lock lock = locks[segment].readLock();
            lock.lock();
            try {
                final long seg = HashLayout.segmentOffset(header, segment);
                final long table = medium.getLong(seg + HashLayout.SEG_TABLE);
                final int count = (int) medium.getLong(seg + HashLayout.SEG_COUNT);
                if (batch.length < 2 * count) {
                    batch = new Object[2 * count];
                }
                int n = 0;
                if (table != 0) {
                    final long capacity = medium.getLong(seg + HashLayout.SEG_CAPACITY);
                    for (long i = 0; i < capacity && n < count; i++) {
                        final long slot = table + i * slotLength;
                        if (HashLayout.state(medium.getLong(slot)) == HashLayout.FULL) {
                            batch[2 * n] = keys.read(slot + HashLayout.SLOT_KEY);
                            batch[2 * n + 1] = values.read(slot + valueOffset);
                            n++;
                        }
                    }
                }
                batchSize = n;
                position = 0;
            } finally {
                lock.unlock();
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            K k = (K) batch[2 * position];
            V v = (V) batch[2 * position + 1];
            position++;
            last = k;
            return new EntrySetView.WriteThroughEntry<>(PersistentHashMap.this, k, v);
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("next() was not called, or remove() was already called for this element");
            }
            PersistentHashMap.this.remove(last);
            last = null;
        }
    }
}
