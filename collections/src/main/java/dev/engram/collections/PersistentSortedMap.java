package dev.engram.collections;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.LongConsumer;

/**
 * A persistent {@link NavigableMap} over a B+tree ({@link BTree}, {@link TreeLayout}). Keys need a
 * fixed-width, order-preserving codec and are compared in encoded form; the map's order is the
 * codec's order ({@link #comparator()} is null for {@link Comparable} keys, whose natural order it
 * is). Null keys and values are not allowed.
 *
 * <p>This one class is the whole map and every view of it: {@link #subMap}, {@link #headMap},
 * {@link #tailMap} and {@link #descendingMap} return instances with bounds and a direction over the
 * same tree. Each mutation is one transaction or joins the caller's (see {@link Guard});
 * {@link #pollFirstEntry()} and {@link #pollLastEntry()} find and remove in one.
 *
 * <p>Iterators are <b>weakly consistent</b>: they read one leaf at a time under the tree's read lock
 * and continue after the last key returned, so they never throw
 * {@link java.util.ConcurrentModificationException}, never return a key twice, and show changes
 * made behind their position. Entries from navigation methods are immutable snapshots; entries from
 * iterators write through on {@code setValue}. A bounded view's {@code size()} counts its entries.
 *
 * <p>Thread safety: safe for concurrent use; readers share the tree's read lock, writers hold its
 * write lock (lock order: this tree's lock only).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class PersistentSortedMap<K, V> extends AbstractMap<K, V>
        implements NavigableMap<K, V>, PersistentCollections.Reachable {
    private final BTree<K, V> tree;
    private final Class<K> type;
    private final boolean descending;
    private final K lo;
    private final byte[] loEnc;
    private final boolean loInclusive;
    private final K hi;
    private final byte[] hiEnc;
    private final boolean hiInclusive;

    PersistentSortedMap(BTree<K, V> tree) {
        this(tree, false, null, null, false, null, null, false);
    }

    private PersistentSortedMap(BTree<K, V> tree, boolean descending, K lo, byte[] loEnc, boolean loInclusive,
                                K hi, byte[] hiEnc, boolean hiInclusive) {
        this.tree = tree;
        this.type = tree.keys.codec.type();
        this.descending = descending;
        this.lo = lo;
        this.loEnc = loEnc;
        this.loInclusive = loInclusive;
        this.hi = hi;
        this.hiEnc = hiEnc;
        this.hiInclusive = hiInclusive;
    }

    // ---- keys and bounds --------------------------------------------------------------------------

    /** Encodes a key for navigation: null is an NPE, a foreign type a ClassCastException. */
    private byte[] enc(Object key) {
        Objects.requireNonNull(key, "key");
        return tree.keys.prepare(type.cast(key));
    }

    private boolean tooLow(byte[] k) {
        if (loEnc == null) {
            return false;
        }
        final int c = tree.compare(k, loEnc);
        return c < 0 || (c == 0 && !loInclusive);
    }

    private boolean tooHigh(byte[] k) {
        if (hiEnc == null) {
            return false;
        }
        final int c = tree.compare(k, hiEnc);
        return c > 0 || (c == 0 && !hiInclusive);
    }

    private boolean inRange(byte[] k) {
        return !tooLow(k) && !tooHigh(k);
    }

    private boolean inClosedRange(byte[] k) {
        return (loEnc == null || tree.compare(k, loEnc) >= 0) && (hiEnc == null || tree.compare(k, hiEnc) <= 0);
    }

    private boolean bounded() {
        return loEnc != null || hiEnc != null;
    }

    // ---- absolute (ascending) navigation within the bounds -----------------------------------------

    private BTree.Hit<K, V> absLowest() {
        final BTree.Hit<K, V> e = loEnc == null ? tree.edge(false) : tree.find(loEnc, loInclusive ? BTree.GE : BTree.GT);
        return e == null || tooHigh(e.enc) ? null : e;
    }

    private BTree.Hit<K, V> absHighest() {
        final BTree.Hit<K, V> e = hiEnc == null ? tree.edge(true) : tree.find(hiEnc, hiInclusive ? BTree.LE : BTree.LT);
        return e == null || tooLow(e.enc) ? null : e;
    }

    private BTree.Hit<K, V> absUp(byte[] k, int rel) {
        if (tooLow(k)) {
            return absLowest();
        }
        final BTree.Hit<K, V> e = tree.find(k, rel);
        return e == null || tooHigh(e.enc) ? null : e;
    }

    private BTree.Hit<K, V> absDown(byte[] k, int rel) {
        if (tooHigh(k)) {
            return absHighest();
        }
        final BTree.Hit<K, V> e = tree.find(k, rel);
        return e == null || tooLow(e.enc) ? null : e;
    }

    // ---- Map ----------------------------------------------------------------------------------------

    @Override
    public V get(Object key) {
        Objects.requireNonNull(key, "key");
        if (!type.isInstance(key)) {
            return null;
        }
        final byte[] k = enc(key);
        return inRange(k) ? tree.get(k) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public V put(K key, V value) {
        return put(key, value, false);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return put(key, value, true);
    }

    private V put(K key, V value, boolean onlyIfAbsent) {
        final byte[] k = enc(key);
        Objects.requireNonNull(value, "value");
        if (!inRange(k)) {
            throw new IllegalArgumentException("key out of range: " + key);
        }
        return tree.put(k, tree.values.prepare(value), onlyIfAbsent);
    }

    @Override
    public V remove(Object key) {
        Objects.requireNonNull(key, "key");
        if (!type.isInstance(key)) {
            return null;
        }
        final byte[] k = enc(key);
        return inRange(k) ? tree.remove(k) : null;
    }

    @Override
    public int size() {
        if (!bounded()) {
            return (int) Math.min(tree.size(), Integer.MAX_VALUE);
        }
        int n = 0;
        for (Iterator<Entry<K, V>> it = entrySet().iterator(); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    @Override
    public boolean isEmpty() {
        return bounded() ? absLowest() == null : tree.size() == 0;
    }

    @Override
    public void clear() {
        if (bounded()) {
            for (Iterator<Entry<K, V>> it = entrySet().iterator(); it.hasNext(); ) {
                it.next();
                it.remove();
            }
        } else {
            tree.clear();
        }
    }

    // ---- NavigableMap ---------------------------------------------------------------------------

    @Override
    public Entry<K, V> firstEntry() {
        return descending ? absHighest() : absLowest();
    }

    @Override
    public Entry<K, V> lastEntry() {
        return descending ? absLowest() : absHighest();
    }

    @Override
    public Entry<K, V> ceilingEntry(K key) {
        final byte[] k = enc(key);
        return descending ? absDown(k, BTree.LE) : absUp(k, BTree.GE);
    }

    @Override
    public Entry<K, V> floorEntry(K key) {
        final byte[] k = enc(key);
        return descending ? absUp(k, BTree.GE) : absDown(k, BTree.LE);
    }

    @Override
    public Entry<K, V> higherEntry(K key) {
        final byte[] k = enc(key);
        return descending ? absDown(k, BTree.LT) : absUp(k, BTree.GT);
    }

    @Override
    public Entry<K, V> lowerEntry(K key) {
        final byte[] k = enc(key);
        return descending ? absUp(k, BTree.GT) : absDown(k, BTree.LT);
    }

    private static <K> K keyOrNull(Entry<K, ?> e) {
        return e == null ? null : e.getKey();
    }

    private static <K> K keyOrThrow(Entry<K, ?> e) {
        if (e == null) {
            throw new NoSuchElementException("map is empty");
        }
        return e.getKey();
    }

    @Override
    public K firstKey() {
        return keyOrThrow(firstEntry());
    }

    @Override
    public K lastKey() {
        return keyOrThrow(lastEntry());
    }

    @Override
    public K ceilingKey(K key) {
        return keyOrNull(ceilingEntry(key));
    }

    @Override
    public K floorKey(K key) {
        return keyOrNull(floorEntry(key));
    }

    @Override
    public K higherKey(K key) {
        return keyOrNull(higherEntry(key));
    }

    @Override
    public K lowerKey(K key) {
        return keyOrNull(lowerEntry(key));
    }

    @Override
    public Entry<K, V> pollFirstEntry() {
        return poll(true);
    }

    @Override
    public Entry<K, V> pollLastEntry() {
        return poll(false);
    }

    private Entry<K, V> poll(boolean first) {
        return Guard.write(tree.engine, tree.lock.writeLock(), tx -> {
            final Entry<K, V> e = first ? firstEntry() : lastEntry();
            if (e != null) {
                tree.remove(((BTree.Hit<K, V>) e).enc);
            }
            return e;
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public Comparator<? super K> comparator() {
        final Comparator<? super K> ascending = Comparable.class.isAssignableFrom(type) ? null
                : (a, b) -> tree.compare(enc(a), enc(b));
        return descending ? (ascending == null ? (Comparator<? super K>) Collections.reverseOrder() : Collections.reverseOrder(ascending))
                : ascending;
    }

    @Override
    public NavigableMap<K, V> descendingMap() {
        return new PersistentSortedMap<>(tree, !descending, lo, loEnc, loInclusive, hi, hiEnc, hiInclusive);
    }

    /** A view with new absolute bounds, each checked against this view's range. */
    private NavigableMap<K, V> view(K newLo, boolean newLoIncl, boolean keepLo, K newHi, boolean newHiIncl, boolean keepHi) {
        byte[] l = loEnc;
        K lk = lo;
        boolean li = loInclusive;
        byte[] h = hiEnc;
        K hk = hi;
        boolean hiIncl = hiInclusive;
        if (!keepLo) {
            l = enc(newLo);
            checkBound(l, newLoIncl, "fromKey");
            lk = newLo;
            li = newLoIncl;
        }
        if (!keepHi) {
            h = enc(newHi);
            checkBound(h, newHiIncl, "toKey");
            hk = newHi;
            hiIncl = newHiIncl;
        }
        if (l != null && h != null && tree.compare(l, h) > 0) {
            throw new IllegalArgumentException("fromKey > toKey");
        }
        return new PersistentSortedMap<>(tree, descending, lk, l, li, hk, h, hiIncl);
    }

    private void checkBound(byte[] k, boolean inclusive, String name) {
        if (inclusive ? !inRange(k) : !inClosedRange(k)) {
            throw new IllegalArgumentException(name + " out of range");
        }
    }

    @Override
    public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        return descending ? view(toKey, toInclusive, false, fromKey, fromInclusive, false)
                : view(fromKey, fromInclusive, false, toKey, toInclusive, false);
    }

    @Override
    public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
        return descending ? view(toKey, inclusive, false, null, false, true) : view(null, false, true, toKey, inclusive, false);
    }

    @Override
    public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
        return descending ? view(null, false, true, fromKey, inclusive, false) : view(fromKey, inclusive, false, null, false, true);
    }

    @Override
    public SortedMap<K, V> subMap(K fromKey, K toKey) {
        return subMap(fromKey, true, toKey, false);
    }

    @Override
    public SortedMap<K, V> headMap(K toKey) {
        return headMap(toKey, false);
    }

    @Override
    public SortedMap<K, V> tailMap(K fromKey) {
        return tailMap(fromKey, true);
    }

    @Override
    public NavigableSet<K> navigableKeySet() {
        return new KeySetView<>(this);
    }

    @Override
    public Set<K> keySet() {
        return navigableKeySet();
    }

    @Override
    public NavigableSet<K> descendingKeySet() {
        return descendingMap().navigableKeySet();
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new EntrySetView<>(this, EntryIterator::new);
    }

    @Override
    public void reachableBlocks(LongConsumer sink) {
        tree.reachableBlocks(sink);
    }


    /** Weakly consistent: one leaf per batch, continuing after the last key returned. */
    private final class EntryIterator implements Iterator<Entry<K, V>> {
        private BTree.Hit<K, V>[] batch;
        private int position;
        private byte[] last;
        private boolean canRemove;
        private boolean ended;

        @Override
        public boolean hasNext() {
            if (ended) {
                return false;
            }
            if (batch == null || position == batch.length) {
                final byte[] from;
                final boolean inclusive;
                if (last != null) {
                    from = last;
                    inclusive = false;
                } else if (descending) {
                    from = hiEnc;
                    inclusive = hiInclusive;
                } else {
                    from = loEnc;
                    inclusive = loInclusive;
                }
                batch = tree.batch(from, inclusive, descending);
                position = 0;
            }
            if (position == batch.length || (descending ? tooLow(batch[position].enc) : tooHigh(batch[position].enc))) {
                ended = true;
                return false;
            }
            return true;
        }

        @Override
        public Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            final BTree.Hit<K, V> e = batch[position++];
            last = e.enc;
            canRemove = true;
            return new EntrySetView.WriteThroughEntry<>(PersistentSortedMap.this, e.getKey(), e.getValue());
        }

        @Override
        public void remove() {
            if (!canRemove) {
                throw new IllegalStateException("next() was not called, or remove() was already called for this element");
            }
            tree.remove(last);
            canRemove = false;
        }
    }
}
