package dev.engram.collections;

import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.medium.Medium;
import dev.engram.tx.Transaction;
import dev.engram.tx.TxEngine;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;

/**
 * The persistent B+tree behind {@link PersistentSortedMap} ({@link TreeLayout}): fixed-width,
 * order-preserving keys compared as unsigned bytes; values in leaf entries; leaves doubly linked.
 *
 * <p>Persistence order (one transaction per mutation): an in-place insert or delete saves the
 * leaf's count word and the shifted entry range, shifts, writes the entry, then the count. A full
 * leaf is split first: the upper half is copied into a fresh leaf (no undo needed), then the old
 * leaf's count and links, the old next leaf's prev link and the parent are saved and updated (a
 * full parent splits the same way, up to a new root). A leaf below a quarter full after a delete is
 * merged with a sibling when both fit in one leaf (the right one is freed at commit); an inner node
 * likewise; a root with one child is replaced by it.
 *
 * <p>Lock order: one read-write lock per tree; mutations take the write lock through {@link Guard}
 * (held to the end of a caller's transaction), reads the read lock.
 */
final class BTree<K, V> implements PersistentCollections.Reachable {
    static final int LT = 0;
    static final int LE = 1;
    static final int EQ = 2;
    static final int GE = 3;
    static final int GT = 4;

    final TxEngine engine;
    final Medium medium;
    final long header;
    final Cell<K> keys;
    final Cell<V> values;
    final int kw;
    final int ew;
    final int leafCap;
    final int innerCap;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ThreadLocal<byte[]> scratch;

    /**
     * An entry read from the tree, with its key's encoding. Immutable.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    static final class Hit<K, V> extends AbstractMap.SimpleImmutableEntry<K, V> {
        private static final long serialVersionUID = 1L;
        final transient byte[] enc;

        Hit(K key, V value, byte[] enc) {
            super(key, value);
            this.enc = enc;
        }
    }

    BTree(TxEngine engine, long header, Codec<K> keyCodec, Codec<V> valueCodec) {
        this.engine = engine;
        this.medium = engine.medium();
        this.header = header;
        this.keys = new Cell<>(checkKeyCodec(keyCodec), engine);
        this.values = new Cell<>(valueCodec, engine);
        this.kw = keys.width;
        this.ew = kw + values.width;
        if (medium.getLong(header) != TreeLayout.MAGIC) {
            throw new PoolCorruptedException("sorted map header at offset=" + header + " has magic "
                    + Long.toHexString(medium.getLong(header)) + ", expected " + Long.toHexString(TreeLayout.MAGIC));
        }
        this.leafCap = medium.getInt(header + TreeLayout.LEAF_CAPACITY_OFFSET);
        this.innerCap = medium.getInt(header + TreeLayout.INNER_CAPACITY_OFFSET);
        if (leafCap != TreeLayout.leafCapacity(ew) || innerCap != TreeLayout.innerCapacity(kw)
                || medium.getInt(header + TreeLayout.KEY_WIDTH_OFFSET) != kw) {
            throw new CodecMismatchException("sorted map at offset=" + header + " records leaf capacity " + leafCap
                    + ", inner capacity " + innerCap + ", key width " + medium.getInt(header + TreeLayout.KEY_WIDTH_OFFSET)
                    + "; its codecs need " + TreeLayout.leafCapacity(ew) + ", " + TreeLayout.innerCapacity(kw) + ", " + kw);
        }
        final int w = kw;
        this.scratch = ThreadLocal.withInitial(() -> new byte[w]);
    }

    private static <K> Codec<K> checkKeyCodec(Codec<K> codec) {
        if (codec.width() == Codec.VARIABLE || !codec.orderPreserving()) {
            throw new IllegalArgumentException("sorted map keys need a fixed-width, order-preserving codec; "
                    + codec.descriptor() + " is not");
        }
        return codec;
    }

    static <K, V> long create(Transaction tx, TxEngine engine, Codec<K> keyCodec, Codec<V> valueCodec) {
        checkKeyCodec(keyCodec);
        int kw = keyCodec.width();
        int vw = valueCodec.width() == Codec.VARIABLE ? Long.BYTES : valueCodec.width();
        Medium m = engine.medium();
        long h = tx.zalloc(TreeLayout.HEADER_LENGTH, BlockTypes.TREE_HEADER);
        m.putLong(h, TreeLayout.MAGIC);
        m.putInt(h + TreeLayout.KEY_WIDTH_OFFSET, kw);
        m.putInt(h + TreeLayout.VALUE_WIDTH_OFFSET, vw);
        m.putInt(h + TreeLayout.LEAF_CAPACITY_OFFSET, TreeLayout.leafCapacity(kw + vw));
        m.putInt(h + TreeLayout.INNER_CAPACITY_OFFSET, TreeLayout.innerCapacity(kw));
        return h;
    }

    // ---- reading ---------------------------------------------------------------------------------

    long size() {
        return medium.getLong(header + TreeLayout.SIZE_OFFSET);
    }

    private long root() {
        return medium.getLong(header + TreeLayout.ROOT_OFFSET);
    }

    private int height() {
        return medium.getInt(header + TreeLayout.HEIGHT_OFFSET);
    }

    private int count(long node) {
        return medium.getInt(node + TreeLayout.NODE_COUNT);
    }

    int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, kw, b, 0, kw);
    }

    private int compareAt(byte[] probe, long at) {
        final byte[] s = scratch.get();
        medium.getBytes(at, s, 0, kw);
        return Arrays.compareUnsigned(probe, 0, kw, s, 0, kw);
    }

    /** Index of the child to follow: the first key greater than the probe. */
    private int childIndex(long inner, byte[] probe) {
        int lo = 0;
        int hi = count(inner);
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (compareAt(probe, TreeLayout.key(inner, mid, innerCap, kw)) >= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the probe in the leaf, or {@code -(insertion point + 1)}. */
    private int leafSearch(long leaf, byte[] probe) {
        int lo = 0;
        int hi = count(leaf) - 1;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            final int c = compareAt(probe, TreeLayout.entry(leaf, mid, ew));
            if (c > 0) {
                lo = mid + 1;
            } else if (c < 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Descends to the leaf for {@code probe}, recording nodes and child indices when arrays are given. */
    private long descend(byte[] probe, long[] nodes, int[] indices) {
        long node = root();
        final int height = height();
        for (int level = 0; level < height - 1; level++) {
            final int i = probe == null ? 0 : childIndex(node, probe);
            if (nodes != null) {
                nodes[level] = node;
                indices[level] = i;
            }
            node = medium.getLong(TreeLayout.child(node, i));
        }
        return node;
    }

    private long edgeLeaf(boolean last) {
        long node = root();
        final int height = height();
        for (int level = 0; level < height - 1; level++) {
            node = medium.getLong(TreeLayout.child(node, last ? count(node) : 0));
        }
        return node;
    }

    private Hit<K, V> hit(long leaf, int index) {
        final long at = TreeLayout.entry(leaf, index, ew);
        final byte[] enc = new byte[kw];
        medium.getBytes(at, enc, 0, kw);
        return new Hit<>(keys.codec.decode(enc, 0), values.read(at + kw), enc);
    }

    private Hit<K, V> atOrAfter(long leaf, int index) {
        while (leaf != 0) {
            if (index < count(leaf)) {
                return hit(leaf, index);
            }
            leaf = medium.getLong(leaf + TreeLayout.LEAF_NEXT);
            index = 0;
        }
        return null;
    }

    private Hit<K, V> atOrBefore(long leaf, int index) {
        while (leaf != 0) {
            if (index >= 0) {
                return hit(leaf, index);
            }
            leaf = medium.getLong(leaf + TreeLayout.LEAF_PREV);
            index = leaf == 0 ? -1 : count(leaf) - 1;
        }
        return null;
    }

    /** The entry related to {@code probe} by {@code rel} ({@link #LT} .. {@link #GT}), or null. */
    Hit<K, V> find(byte[] probe, int rel) {
        lock.readLock().lock();
        try {
            if (root() == 0) {
                return null;
            }
            final long leaf = descend(probe, null, null);
            final int i = leafSearch(leaf, probe);
            final boolean found = i >= 0;
            final int ins = found ? i : -(i + 1);
            return switch (rel) {
                case EQ -> found ? hit(leaf, i) : null;
                case GE -> atOrAfter(leaf, ins);
                case GT -> atOrAfter(leaf, found ? i + 1 : ins);
                case LE -> atOrBefore(leaf, found ? i : ins - 1);
                default -> atOrBefore(leaf, ins - 1);
            };
        } finally {
            lock.readLock().unlock();
        }
    }

    V get(byte[] probe) {
        Hit<K, V> h = find(probe, EQ);
        return h == null ? null : h.getValue();
    }

    Hit<K, V> edge(boolean last) {
        lock.readLock().lock();
        try {
            if (root() == 0) {
                return null;
            }
            final long leaf = edgeLeaf(last);
            return last ? atOrBefore(leaf, count(leaf) - 1) : atOrAfter(leaf, 0);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Up to one leaf of entries in iteration order, starting at {@code from} (null: at the first or
     * last entry), inclusive or not. Empty at the end.
     */
    Hit<K, V>[] batch(byte[] from, boolean inclusive, boolean descending) {
        lock.readLock().lock();
        try {
            if (root() == 0) {
                return newHits(0);
            }
            long leaf;
            int index;
            if (from == null) {
                leaf = edgeLeaf(descending);
                index = descending ? count(leaf) - 1 : 0;
            } else {
                leaf = descend(from, null, null);
                final int i = leafSearch(leaf, from);
                if (i >= 0) {
                    index = inclusive ? i : (descending ? i - 1 : i + 1);
                } else {
                    index = descending ? -(i + 1) - 1 : -(i + 1);
                }
            }
            while (leaf != 0 && (descending ? index < 0 : index >= count(leaf))) {
                leaf = medium.getLong(leaf + (descending ? TreeLayout.LEAF_PREV : TreeLayout.LEAF_NEXT));
                index = descending && leaf != 0 ? count(leaf) - 1 : 0;
            }
            if (leaf == 0) {
                return newHits(0);
            }
            final int n = descending ? index + 1 : count(leaf) - index;
            final Hit<K, V>[] out = newHits(n);
            for (int j = 0; j < n; j++) {
                out[j] = hit(leaf, descending ? index - j : index + j);
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Hit<K, V>[] newHits(int n) {
        return (Hit<K, V>[]) new Hit<?, ?>[n];
    }

    // ---- writing (under the write lock, inside a transaction) --------------------------------------

    /** Puts; returns the old value or null. {@code onlyIfAbsent} leaves an existing value (and returns it). */
    V put(byte[] k, byte[] v, boolean onlyIfAbsent) {
        return Guard.write(engine, lock.writeLock(), tx -> {
            if (root() == 0) {
                final long leaf = tx.zalloc(TreeLayout.leafBytes(leafCap, ew), BlockTypes.TREE_LEAF);
                writeEntry(tx, leaf, 0, k, v);
                medium.putInt(leaf + TreeLayout.NODE_COUNT, 1);
                tx.addRange(header + TreeLayout.ROOT_OFFSET, TreeLayout.KEY_WIDTH_OFFSET - TreeLayout.ROOT_OFFSET);
                medium.putLong(header + TreeLayout.ROOT_OFFSET, leaf);
                medium.putLong(header + TreeLayout.SIZE_OFFSET, 1);
                medium.putInt(header + TreeLayout.HEIGHT_OFFSET, 1);
                return null;
            }
            final int height = height();
            final long[] nodes = new long[height];
            final int[] indices = new int[height];
            long leaf = descend(k, nodes, indices);
            final int i = leafSearch(leaf, k);
            if (i >= 0) {
                final long at = TreeLayout.entry(leaf, i, ew) + kw;
                final V old = values.read(at);
                if (!onlyIfAbsent) {
                    tx.addRange(at, values.width);
                    values.release(tx, at);
                    values.store(tx, at, v);
                }
                return old;
            }
            int ins = -(i + 1);
            int count = count(leaf);
            if (count == leafCap) {
                final int mid = count / 2;
                final long right = splitLeaf(tx, leaf, mid);
                final byte[] separator = new byte[kw];
                medium.getBytes(TreeLayout.entry(right, 0, ew), separator, 0, kw);
                insertInner(tx, nodes, indices, height - 2, separator, right);
                if (ins > mid) {
                    leaf = right;
                    ins -= mid;
                }
                count = count(leaf);
            }
            final long at = TreeLayout.entry(leaf, ins, ew);
            // count, the entries that shift and the tree's size: one drain (addSize finds its range saved)
            tx.addRanges(new long[] {leaf + TreeLayout.NODE_COUNT, at, header + TreeLayout.SIZE_OFFSET},
                    new long[] {Integer.BYTES, (long) (count - ins + 1) * ew, Long.BYTES});
            medium.copy(at, at + ew, (long) (count - ins) * ew);
            writeEntry(tx, leaf, ins, k, v);
            medium.putInt(leaf + TreeLayout.NODE_COUNT, count + 1);
            addSize(tx, 1);
            return null;
        });
    }

    private void writeEntry(Transaction tx, long leaf, int index, byte[] k, byte[] v) {
        final long at = TreeLayout.entry(leaf, index, ew);
        medium.putBytes(at, k, 0, kw);
        values.store(tx, at + kw, v);
    }

    private void addSize(Transaction tx, long delta) {
        tx.addRange(header + TreeLayout.SIZE_OFFSET, Long.BYTES);
        medium.putLong(header + TreeLayout.SIZE_OFFSET, size() + delta);
    }

    /** Moves entries [mid, count) of a full leaf into a fresh right sibling and links it in. */
    private long splitLeaf(Transaction tx, long leaf, int mid) {
        final int count = count(leaf);
        final long right = tx.zalloc(TreeLayout.leafBytes(leafCap, ew), BlockTypes.TREE_LEAF);
        medium.copy(TreeLayout.entry(leaf, mid, ew), TreeLayout.entry(right, 0, ew), (long) (count - mid) * ew);
        final long next = medium.getLong(leaf + TreeLayout.LEAF_NEXT);
        medium.putInt(right + TreeLayout.NODE_COUNT, count - mid);
        medium.putLong(right + TreeLayout.LEAF_PREV, leaf);
        medium.putLong(right + TreeLayout.LEAF_NEXT, next);
        if (next != 0) {
            tx.addRanges(new long[] {next + TreeLayout.LEAF_PREV, leaf}, new long[] {Long.BYTES, TreeLayout.LEAF_LINKS_END});
            medium.putLong(next + TreeLayout.LEAF_PREV, right);
        } else {
            tx.addRange(leaf, TreeLayout.LEAF_LINKS_END);
        }
        medium.putInt(leaf + TreeLayout.NODE_COUNT, mid);
        medium.putLong(leaf + TreeLayout.LEAF_NEXT, right);
        return right;
    }

    /** Inserts {@code separator} and {@code right} after child {@code indices[level]} of {@code nodes[level]}; level -1 grows a new root. */
    private void insertInner(Transaction tx, long[] nodes, int[] indices, int level, byte[] separator, long right) {
        if (level < 0) {
            final long oldRoot = root();
            final long r = tx.zalloc(TreeLayout.innerBytes(innerCap, kw), BlockTypes.TREE_INNER);
            medium.putInt(r + TreeLayout.NODE_COUNT, 1);
            medium.putLong(TreeLayout.child(r, 0), oldRoot);
            medium.putLong(TreeLayout.child(r, 1), right);
            medium.putBytes(TreeLayout.key(r, 0, innerCap, kw), separator, 0, kw);
            tx.addRange(header + TreeLayout.ROOT_OFFSET, TreeLayout.KEY_WIDTH_OFFSET - TreeLayout.ROOT_OFFSET);
            medium.putLong(header + TreeLayout.ROOT_OFFSET, r);
            medium.putInt(header + TreeLayout.HEIGHT_OFFSET, height() + 1);
            return;
        }
        final long node = nodes[level];
        final int pos = indices[level];
        final int count = count(node);
        if (count < innerCap) {
            final long keyAt = TreeLayout.key(node, pos, innerCap, kw);
            final long childAt = TreeLayout.child(node, pos + 1);
            tx.addRanges(new long[] {node + TreeLayout.NODE_COUNT, keyAt, childAt},
                    new long[] {Integer.BYTES, (long) (count - pos + 1) * kw, (long) (count - pos + 1) * Long.BYTES});
            medium.copy(keyAt, keyAt + kw, (long) (count - pos) * kw);
            medium.putBytes(keyAt, separator, 0, kw);
            medium.copy(childAt, childAt + Long.BYTES, (long) (count - pos) * Long.BYTES);
            medium.putLong(childAt, right);
            medium.putInt(node + TreeLayout.NODE_COUNT, count + 1);
            return;
        }
        // split a full inner node: count + 1 keys, the middle one moves up
        final byte[] ks = new byte[(count + 1) * kw];
        final long[] cs = new long[count + 2];
        readInner(node, count, ks, cs, 0, 0);
        System.arraycopy(ks, pos * kw, ks, (pos + 1) * kw, (count - pos) * kw);
        System.arraycopy(separator, 0, ks, pos * kw, kw);
        System.arraycopy(cs, pos + 1, cs, pos + 2, count - pos);
        cs[pos + 1] = right;
        final int mid = (count + 1) / 2;
        final byte[] up = Arrays.copyOfRange(ks, mid * kw, (mid + 1) * kw);
        final long sibling = tx.zalloc(TreeLayout.innerBytes(innerCap, kw), BlockTypes.TREE_INNER);
        writeInner(tx, node, false, ks, 0, cs, 0, mid);
        writeInner(tx, sibling, true, ks, mid + 1, cs, mid + 1, count - mid);
        insertInner(tx, nodes, indices, level - 1, up, sibling);
    }

    private void readInner(long node, int count, byte[] ks, long[] cs, int keyAt, int childAt) {
        medium.getBytes(TreeLayout.key(node, 0, innerCap, kw), ks, keyAt * kw, count * kw);
        for (int j = 0; j <= count; j++) {
            cs[childAt + j] = medium.getLong(TreeLayout.child(node, j));
        }
    }

    /** Writes {@code n} keys from {@code ks[k0..]} and {@code n + 1} children from {@code cs[c0..]} into a node. */
    private void writeInner(Transaction tx, long node, boolean fresh, byte[] ks, int k0, long[] cs, int c0, int n) {
        if (!fresh) {
            tx.addRange(node, TreeLayout.innerBytes(innerCap, kw));
        }
        medium.putInt(node + TreeLayout.NODE_COUNT, n);
        for (int j = 0; j <= n; j++) {
            medium.putLong(TreeLayout.child(node, j), cs[c0 + j]);
        }
        medium.putBytes(TreeLayout.key(node, 0, innerCap, kw), ks, k0 * kw, n * kw);
    }

    /** Removes {@code k}; returns the old value or null. */
    V remove(byte[] k) {
        return Guard.write(engine, lock.writeLock(), tx -> {
            if (root() == 0) {
                return null;
            }
            final int height = height();
            final long[] nodes = new long[height];
            final int[] indices = new int[height];
            final long leaf = descend(k, nodes, indices);
            final int i = leafSearch(leaf, k);
            if (i < 0) {
                return null;
            }
            final long at = TreeLayout.entry(leaf, i, ew);
            final V old = values.read(at + kw);
            values.release(tx, at + kw);
            final int count = count(leaf);
            tx.addRanges(new long[] {leaf + TreeLayout.NODE_COUNT, at, header + TreeLayout.SIZE_OFFSET},
                    new long[] {Integer.BYTES, (long) (count - i) * ew, Long.BYTES});
            medium.copy(at + ew, at, (long) (count - i - 1) * ew);
            medium.putInt(leaf + TreeLayout.NODE_COUNT, count - 1);
            addSize(tx, -1);
            if (height > 1 && count - 1 < leafCap / 4) {
                mergeLeaf(tx, nodes, indices, height - 2, leaf);
            }
            return old;
        });
    }

    private void mergeLeaf(Transaction tx, long[] nodes, int[] indices, int level, long leaf) {
        final long parent = nodes[level];
        final int ci = indices[level];
        final int pc = count(parent);
        final long left;
        final long right;
        final int separator;
        if (ci > 0) {
            left = medium.getLong(TreeLayout.child(parent, ci - 1));
            right = leaf;
            separator = ci - 1;
        } else if (pc >= 1) {
            left = leaf;
            right = medium.getLong(TreeLayout.child(parent, 1));
            separator = 0;
        } else {
            return;
        }
        final int lc = count(left);
        final int rc = count(right);
        if (lc + rc > leafCap) {
            return;
        }
        tx.addRange(left, TreeLayout.LEAF_LINKS_END);
        tx.addRange(TreeLayout.entry(left, lc, ew), (long) rc * ew);
        medium.copy(TreeLayout.entry(right, 0, ew), TreeLayout.entry(left, lc, ew), (long) rc * ew);
        final long next = medium.getLong(right + TreeLayout.LEAF_NEXT);
        medium.putInt(left + TreeLayout.NODE_COUNT, lc + rc);
        medium.putLong(left + TreeLayout.LEAF_NEXT, next);
        if (next != 0) {
            tx.addRange(next + TreeLayout.LEAF_PREV, Long.BYTES);
            medium.putLong(next + TreeLayout.LEAF_PREV, left);
        }
        tx.free(right);
        removeFromInner(tx, nodes, indices, level, separator);
    }

    /** Removes key {@code k} and child {@code k + 1} of {@code nodes[level]}, then rebalances upwards. */
    private void removeFromInner(Transaction tx, long[] nodes, int[] indices, int level, int k) {
        final long node = nodes[level];
        final int count = count(node);
        tx.addRange(node + TreeLayout.NODE_COUNT, Integer.BYTES);
        final long keyAt = TreeLayout.key(node, k, innerCap, kw);
        tx.addRange(keyAt, (long) (count - k) * kw);
        medium.copy(keyAt + kw, keyAt, (long) (count - k - 1) * kw);
        final long childAt = TreeLayout.child(node, k + 1);
        tx.addRange(childAt, (long) (count - k) * Long.BYTES);
        medium.copy(childAt + Long.BYTES, childAt, (long) (count - k - 1) * Long.BYTES);
        medium.putInt(node + TreeLayout.NODE_COUNT, count - 1);
        if (level == 0) {
            if (count - 1 == 0) {
                tx.addRange(header + TreeLayout.ROOT_OFFSET, TreeLayout.KEY_WIDTH_OFFSET - TreeLayout.ROOT_OFFSET);
                medium.putLong(header + TreeLayout.ROOT_OFFSET, medium.getLong(TreeLayout.child(node, 0)));
                medium.putInt(header + TreeLayout.HEIGHT_OFFSET, height() - 1);
                tx.free(node);
            }
            return;
        }
        if (count - 1 >= innerCap / 4) {
            return;
        }
        final long parent = nodes[level - 1];
        final int ci = indices[level - 1];
        final long left;
        final long right;
        final int separator;
        if (ci > 0) {
            left = medium.getLong(TreeLayout.child(parent, ci - 1));
            right = node;
            separator = ci - 1;
        } else if (count(parent) >= 1) {
            left = node;
            right = medium.getLong(TreeLayout.child(parent, 1));
            separator = 0;
        } else {
            return;
        }
        final int lc = count(left);
        final int rc = count(right);
        if (lc + rc + 1 > innerCap) {
            return;
        }
        final byte[] ks = new byte[(lc + rc + 1) * kw];
        final long[] cs = new long[lc + rc + 2];
        readInner(left, lc, ks, cs, 0, 0);
        medium.getBytes(TreeLayout.key(parent, separator, innerCap, kw), ks, lc * kw, kw);
        readInner(right, rc, ks, cs, lc + 1, lc + 1);
        writeInner(tx, left, false, ks, 0, cs, 0, lc + rc + 1);
        tx.free(right);
        removeFromInner(tx, nodes, indices, level - 1, separator);
    }

    /** Frees every node and blob; the tree becomes empty. */
    void clear() {
        Guard.write(engine, lock.writeLock(), tx -> {
            final long root = root();
            if (root != 0) {
                freeSubtree(tx, root, height());
                tx.addRange(header + TreeLayout.ROOT_OFFSET, TreeLayout.KEY_WIDTH_OFFSET - TreeLayout.ROOT_OFFSET);
                medium.fill(header + TreeLayout.ROOT_OFFSET, TreeLayout.KEY_WIDTH_OFFSET - TreeLayout.ROOT_OFFSET, (byte) 0);
            }
            return null;
        });
    }

    private void freeSubtree(Transaction tx, long node, int levels) {
        walk(node, levels, block -> tx.free(block), at -> values.release(tx, at));
    }

    private void walk(long node, int levels, LongConsumer blocks, LongConsumer valueCells) {
        final int count = count(node);
        if (levels == 1) {
            for (int j = 0; j < count; j++) {
                valueCells.accept(TreeLayout.entry(node, j, ew) + kw);
            }
        } else {
            for (int j = 0; j <= count; j++) {
                walk(medium.getLong(TreeLayout.child(node, j)), levels - 1, blocks, valueCells);
            }
        }
        blocks.accept(node);
    }

    @Override
    public void reachableBlocks(LongConsumer sink) {
        sink.accept(header);
        final long root = root();
        if (root != 0) {
            walk(root, height(), sink, at -> {
                final long blob = values.blob(at);
                if (blob != 0) {
                    sink.accept(blob);
                }
            });
        }
    }
}
