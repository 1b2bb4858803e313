package dev.engram.collections;

import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.medium.Medium;
import dev.engram.tx.ObjectPool;
import dev.engram.tx.RootLayout;
import dev.engram.tx.Transaction;
import dev.engram.tx.TxEngine;
import dev.engram.tx.TypeTable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The collections of one pool, found by name in a persistent directory that is the pool's root
 * object ({@link DirectoryLayout}).
 *
 * <pre>{@code
 * try (ObjectPool pool = ObjectPool.create(path, ObjectLayout.named("app"), PoolOptions.defaults())) {
 *     PersistentCollections c = PersistentCollections.of(pool);
 *     PersistentHashMap<Long, String> users = c.hashMap("users", Codec.int64(), Codec.string(32));
 *     PersistentSortedMap<Long, String> byTime = c.sortedMap("byTime", Codec.int64(), Codec.string(32));
 *     pool.run(tx -> {              // both updates commit atomically
 *         users.put(1L, "ada");
 *         byTime.put(System.nanoTime(), "ada");
 *     });
 * }
 * }</pre>
 *
 * <p>A collection is created on first use and recorded with its codecs' descriptors; opening it
 * again with other codecs, or as another kind, is a {@link CodecMismatchException}. Asking twice for
 * the same name returns the same instance (its locks are shared by every caller in the JVM).
 *
 * <p>Persistence order: a new collection's header block, its descriptor block, its directory
 * entry and the directory's count are written in one transaction (the directory's first creation
 * also sets the pool's root word in it), together with the collections' entries in the pool's
 * type table ({@link BlockTypes#DECLARATIONS}; written once, then found in place). Thread safety: every method may be called from any thread;
 * the directory is guarded by this object's monitor, taken before any collection lock.
 */
public final class PersistentCollections {
    private static final Map<TxEngine, PersistentCollections> INSTANCES = new WeakHashMap<>();

    private final TxEngine engine;
    private final Medium medium;
    private final Map<String, Object> open = new HashMap<>();

    private PersistentCollections(TxEngine engine) {
        this.engine = engine;
        this.medium = engine.medium();
    }

    /**
     * The collections of an object pool.
     *
     * @param pool an open object pool
     * @return the collections of the pool, one instance per pool (its transaction engine) and JVM
     */
    public static PersistentCollections of(ObjectPool pool) {
        return of(pool.engine());
    }

    /**
     * The collections of a transaction engine (for pools opened without {@link ObjectPool}, such as crash images).
     *
     * @param engine the pool's transaction engine
     * @return the collections of the pool, one instance per engine and JVM
     */
    public static PersistentCollections of(TxEngine engine) {
        synchronized (INSTANCES) {
            return INSTANCES.computeIfAbsent(engine, PersistentCollections::new);
        }
    }

    TxEngine engine() {
        return engine;
    }

    /**
     * Opens the hash map {@code name}, creating it empty (in its own transaction) if the pool has none.
     * Keys are compared in encoded form, so equal keys must encode to equal bytes.
     *
     * @param name   the collection's name, 1 to 48 chars, unique in the pool
     * @param <K>    the key type
     * @param <V>    the value type
     * @param keys   the key codec
     * @param values the value codec
     * @return the collection; the same instance for every call with this name
     * @throws IllegalArgumentException if the name is empty or too long
     * @throws CodecMismatchException   if the name exists with another kind or other codecs
     * @throws dev.engram.pool.PoolCorruptedException if the pool's root object is not the collections'
     *         directory (the pool's root is used by something else)
     */
    public <K, V> PersistentHashMap<K, V> hashMap(String name, Codec<K> keys, Codec<V> values) {
        return open(name, DirectoryLayout.KIND_HASH_MAP, keys, values, PersistentHashMap.class,
                tx -> PersistentHashMap.create(tx, engine, keys, values),
                header -> new PersistentHashMap<>(engine, header, keys, values));
    }

    /**
     * Opens the sorted map {@code name}, creating it empty (in its own transaction) if the pool has none.
     * The key codec must be fixed-width and order-preserving.
     *
     * @param name   the collection's name, 1 to 48 chars, unique in the pool
     * @param <K>    the key type
     * @param <V>    the value type
     * @param keys   the key codec: fixed-width and order-preserving
     * @param values the value codec
     * @return the collection; the same instance for every call with this name
     * @throws IllegalArgumentException if the name is empty or too long, or the key codec is variable-width or not
     *         order-preserving
     * @throws CodecMismatchException   if the name exists with another kind or other codecs
     * @throws dev.engram.pool.PoolCorruptedException if the pool's root object is not the collections'
     *         directory (the pool's root is used by something else)
     */
    public <K, V> PersistentSortedMap<K, V> sortedMap(String name, Codec<K> keys, Codec<V> values) {
        return open(name, DirectoryLayout.KIND_SORTED_MAP, keys, values, PersistentSortedMap.class,
                tx -> BTree.create(tx, engine, keys, values),
                header -> new PersistentSortedMap<>(new BTree<>(engine, header, keys, values)));
    }

    /**
     * Opens the list {@code name}, creating it empty (in its own transaction) if the pool has none.
     *
     * @param name   the collection's name, 1 to 48 chars, unique in the pool
     * @param <E>      the element type
     * @param elements the element codec
     * @return the collection; the same instance for every call with this name
     * @throws IllegalArgumentException if the name is empty or too long
     * @throws CodecMismatchException   if the name exists with another kind or other codecs
     * @throws dev.engram.pool.PoolCorruptedException if the pool's root object is not the collections'
     *         directory (the pool's root is used by something else)
     */
    public <E> PersistentList<E> list(String name, Codec<E> elements) {
        return open(name, DirectoryLayout.KIND_LIST, elements, null, PersistentList.class,
                tx -> PersistentList.create(tx, engine, elements),
                header -> new PersistentList<>(engine, header, elements));
    }

    /**
     * Opens the deque {@code name}, creating it empty (in its own transaction) if the pool has none.
     *
     * @param name   the collection's name, 1 to 48 chars, unique in the pool
     * @param <E>      the element type
     * @param elements the element codec
     * @return the collection; the same instance for every call with this name
     * @throws IllegalArgumentException if the name is empty or too long
     * @throws CodecMismatchException   if the name exists with another kind or other codecs
     * @throws dev.engram.pool.PoolCorruptedException if the pool's root object is not the collections'
     *         directory (the pool's root is used by something else)
     */
    public <E> PersistentDeque<E> deque(String name, Codec<E> elements) {
        return open(name, DirectoryLayout.KIND_DEQUE, elements, null, PersistentDeque.class,
                tx -> PersistentDeque.create(tx, engine, elements),
                header -> new PersistentDeque<>(engine, header, elements));
    }

    /** {@return the names of every collection in the pool, in creation order} */
    public synchronized List<String> names() {
        List<String> names = new ArrayList<>();
        long dir = directory();
        if (dir != 0) {
            int n = medium.getInt(dir + DirectoryLayout.COUNT_OFFSET);
            for (int i = 0; i < n; i++) {
                names.add(readName(DirectoryLayout.entryOffset(dir, i)));
            }
        }
        return names;
    }

    /**
     * Every block the collections can reach (headers, tables, nodes, arrays, blobs, descriptors and
     * the directory), for leak checks against the heap's own list of blocks.
     *
     * @return the pool offsets of the blocks, the directory's first
     * @throws IllegalStateException if a collection in the pool was not opened in this JVM (its codecs are
     *         needed to walk it)
     */
    public synchronized List<Long> reachableBlocks() {
        List<Long> blocks = new ArrayList<>();
        long dir = directory();
        if (dir == 0) {
            return blocks;
        }
        blocks.add(dir);
        int n = medium.getInt(dir + DirectoryLayout.COUNT_OFFSET);
        for (int i = 0; i < n; i++) {
            long e = DirectoryLayout.entryOffset(dir, i);
            blocks.add(medium.getLong(e + DirectoryLayout.ENTRY_CODECS));
            long header = medium.getLong(e + DirectoryLayout.ENTRY_HEADER);
            Object c = byHeader(header, medium.getInt(e + DirectoryLayout.ENTRY_KIND), readName(e));
            ((Reachable) c).reachableBlocks(blocks::add);
        }
        return blocks;
    }

    private Object byHeader(long header, int kind, String name) {
        Object c = open.get(name);
        if (c == null) {
            throw new IllegalStateException("collection '" + name + "' (" + DirectoryLayout.kindName(kind)
                    + ") was not opened in this JVM; open it with its codecs before checking reachability");
        }
        return c;
    }

    /** Internal: collections that can list their blocks. */
    interface Reachable {
        void reachableBlocks(java.util.function.LongConsumer sink);
    }

    interface Creator {
        long create(Transaction tx);
    }

    interface Opener<C> {
        C open(long header);
    }

    private synchronized <C> C open(String name, int kind, Codec<?> keys, Codec<?> values, Class<?> type,
                                     Creator creator, Opener<C> opener) {
        if (name.isEmpty() || name.length() > DirectoryLayout.NAME_MAX_CHARS) {
            throw new IllegalArgumentException("collection name must be 1.." + DirectoryLayout.NAME_MAX_CHARS + " chars, name='" + name + "'");
        }
        String codecs = keys.descriptor() + (values == null ? "" : ";" + values.descriptor());
        Object existing = open.get(name);
        long dir = directory();
        int index = dir == 0 ? -1 : find(dir, name);
        if (index >= 0) {
            long e = DirectoryLayout.entryOffset(dir, index);
            int storedKind = medium.getInt(e + DirectoryLayout.ENTRY_KIND);
            String stored = readDescriptor(medium.getLong(e + DirectoryLayout.ENTRY_CODECS));
            if (storedKind != kind || !stored.equals(codecs)) {
                throw new CodecMismatchException("collection '" + name + "' was created as a " + DirectoryLayout.kindName(storedKind)
                        + " with codecs [" + stored + "], not opened as a " + DirectoryLayout.kindName(kind)
                        + " with [" + codecs + "]; open it with the codecs it was created with");
            }
            if (existing != null) {
                @SuppressWarnings("unchecked")
                C c = (C) type.cast(existing);
                return c;
            }
            C c = opener.open(medium.getLong(e + DirectoryLayout.ENTRY_HEADER));
            open.put(name, c);
            return c;
        }
        long header = engine.transaction(tx -> {
            TypeTable.declare(engine, BlockTypes.DECLARATIONS);
            long d = ensureDirectory(tx);
            long h = creator.create(tx);
            addEntry(tx, d, name, kind, h, codecs);
            tx.onAbort(() -> forget(name));
            return h;
        });
        C c = opener.open(header);
        open.put(name, c);
        return c;
    }

    private synchronized void forget(String name) {
        open.remove(name);
    }

    private long directory() {
        long root = medium.getLong(RootLayout.rootObjectOffset(engine.pool().rootAreaOffset()));
        if (root == 0) {
            return 0;
        }
        int type = engine.heap().typeNum(root);
        if (type != BlockTypes.DIRECTORY || medium.getLong(root + DirectoryLayout.MAGIC_OFFSET) != DirectoryLayout.MAGIC) {
            throw new PoolCorruptedException("pool root object at offset=" + root + " has type " + type
                    + ", expected the collections directory (type " + BlockTypes.DIRECTORY
                    + "); collections need the root object of their pool");
        }
        return root;
    }

    private long ensureDirectory(Transaction tx) {
        long dir = directory();
        if (dir != 0) {
            return dir;
        }
        dir = tx.zalloc(DirectoryLayout.blockSize(DirectoryLayout.INITIAL_CAPACITY), BlockTypes.DIRECTORY);
        medium.putLong(dir + DirectoryLayout.MAGIC_OFFSET, DirectoryLayout.MAGIC);
        medium.putInt(dir + DirectoryLayout.CAPACITY_OFFSET, DirectoryLayout.INITIAL_CAPACITY);
        setRoot(tx, dir);
        return dir;
    }

    private void setRoot(Transaction tx, long block) {
        long word = RootLayout.rootObjectOffset(engine.pool().rootAreaOffset());
        tx.addRange(word, Long.BYTES);
        medium.putLong(word, block);
    }

    private void addEntry(Transaction tx, long dir, String name, int kind, long header, String codecs) {
        int count = medium.getInt(dir + DirectoryLayout.COUNT_OFFSET);
        int capacity = medium.getInt(dir + DirectoryLayout.CAPACITY_OFFSET);
        if (count == capacity) {
            long bigger = tx.zalloc(DirectoryLayout.blockSize(capacity * 2), BlockTypes.DIRECTORY);
            medium.copy(dir, bigger, DirectoryLayout.blockSize(capacity));
            medium.putInt(bigger + DirectoryLayout.CAPACITY_OFFSET, capacity * 2);
            setRoot(tx, bigger);
            tx.free(dir);
            dir = bigger;
        }
        byte[] descriptor = codecs.getBytes(StandardCharsets.UTF_8);
        long d = tx.alloc(Integer.BYTES + descriptor.length, BlockTypes.DESCRIPTOR);
        medium.putInt(d, descriptor.length);
        medium.putBytes(d + Integer.BYTES, descriptor, 0, descriptor.length);
        long e = DirectoryLayout.entryOffset(dir, count);
        tx.addRange(e, DirectoryLayout.ENTRY_LENGTH);
        byte[] n = new byte[2 * DirectoryLayout.NAME_MAX_CHARS + 2];
        NAME.encode(name, n, 0);
        medium.fill(e, DirectoryLayout.ENTRY_LENGTH, (byte) 0);
        medium.putBytes(e + DirectoryLayout.ENTRY_NAME, n, 0, n.length);
        medium.putInt(e + DirectoryLayout.ENTRY_KIND, kind);
        medium.putLong(e + DirectoryLayout.ENTRY_HEADER, header);
        medium.putLong(e + DirectoryLayout.ENTRY_CODECS, d);
        tx.addRange(dir + DirectoryLayout.COUNT_OFFSET, Integer.BYTES);
        medium.putInt(dir + DirectoryLayout.COUNT_OFFSET, count + 1);
    }

    private static final Codec<String> NAME = Codec.string(DirectoryLayout.NAME_MAX_CHARS);

    private int find(long dir, String name) {
        int n = medium.getInt(dir + DirectoryLayout.COUNT_OFFSET);
        int capacity = medium.getInt(dir + DirectoryLayout.CAPACITY_OFFSET);
        if (n < 0 || n > capacity || DirectoryLayout.blockSize(capacity) > engine.heap().usableSize(dir)) {
            throw new PoolCorruptedException("collections directory at offset=" + dir + " records count " + n
                    + " and capacity " + capacity + ", which its block of " + engine.heap().usableSize(dir) + " bytes cannot hold");
        }
        for (int i = 0; i < n; i++) {
            if (readName(DirectoryLayout.entryOffset(dir, i)).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private String readName(long entry) {
        byte[] n = new byte[2 * DirectoryLayout.NAME_MAX_CHARS + 2];
        medium.getBytes(entry + DirectoryLayout.ENTRY_NAME, n, 0, n.length);
        return NAME.decode(n, 0);
    }

    private String readDescriptor(long block) {
        int length = medium.getInt(block);
        long usable = engine.heap().usableSize(block);
        if (length < 0 || length > usable - Integer.BYTES) {
            throw new PoolCorruptedException("codec descriptor at offset=" + block + " records length " + length
                    + ", expected 0.." + (usable - Integer.BYTES));
        }
        byte[] b = new byte[length];
        medium.getBytes(block + Integer.BYTES, b, 0, length);
        return new String(b, StandardCharsets.UTF_8);
    }
}
