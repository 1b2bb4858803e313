package dev.engram.tx;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolOptions;
import dev.engram.pool.medium.Medium;
import net.openhft.chronicle.bytes.Bytes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The object API (DESIGN.md §4.3): a pool file with transactions, a root object, persistent
 * references and Kryo-serialized objects of registered classes only.
 *
 * <pre>{@code
 * ObjectLayout layout = ObjectLayout.named("orders").register(Order.class, 16);
 * try (ObjectPool pool = ObjectPool.create(path, layout, PoolOptions.defaults())) {
 *     Ref<Order> ref = pool.transaction(tx -> {
 *         Ref<Order> r = pool.store(new Order("o-1", 3));
 *         pool.setRoot(r);
 *         return r;
 *     });
 * }
 * }</pre>
 *
 * <p>Object block format: {@code int32 length | Kryo bytes (class id, fields)}; the block's type
 * number is the class id, so {@link #objects} iterates one class. Create and open record the
 * layout's classes and declared block types in the pool's {@link TypeTable} (one transaction, and
 * none when the table already holds them).
 *
 * <p>Read-only: {@code open} with {@code PoolOptions.withReadOnly(true)} maps the file read-only
 * and writes nothing, not even on close. Reading works as on a writable pool (the root,
 * {@link #read}, {@link #objects}, {@link #readBytes}, blocks' getters, collections); transactions,
 * stores and any write through a block throw {@link ReadOnlyPoolException} naming the file. A pool
 * that needs recovery (a transaction did not finish) is refused: see {@link TxEngine#openReadOnly}.
 *
 * <p>Thread safety: every method may be called from any thread; independent transactions run in
 * parallel on different lanes. Writes of the same object from two threads must be ordered by the
 * caller: hold a lock (for example {@link #lockFor}) around each whole transaction. Lock order: a
 * caller's object locks are taken before the transaction begins, never inside it.
 */
public final class ObjectPool implements AutoCloseable {
    private static final int LENGTH_PREFIX = Integer.BYTES;

    private final Pool pool;
    private final TxEngine engine;
    private final Medium medium;
    private final ObjectLayout layout;
    private final ThreadLocal<Kryo> kryo;
    private final Map<Integer, Class<?>> classes = new java.util.HashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<Long, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

    private ObjectPool(Pool pool, TxEngine engine, ObjectLayout layout) {
        this.pool = pool;
        this.engine = engine;
        this.medium = engine.medium();
        this.layout = layout;
        layout.ids().forEach((c, id) -> classes.put(id, c));
        this.kryo = ThreadLocal.withInitial(() -> {
            Kryo k = new Kryo();
            k.setRegistrationRequired(true);
            layout.ids().forEach(k::register);
            return k;
        });
    }

    /**
     * Creates a pool on the allocator's heap.
     *
     * @param path    where to create the pool file; nothing may exist there
     * @param layout  the layout name (recorded) and the classes that may be stored
     * @param options size, lanes and mapping options; the layout name is taken from {@code layout}
     * @return the open pool, with an empty heap and no root object
     * @throws dev.engram.pool.InvalidOptionException if the options describe an impossible pool
     * @throws dev.engram.pool.PoolIoException        if something exists at {@code path} or it cannot be written
     */
    public static ObjectPool create(Path path, ObjectLayout layout, PoolOptions options) {
        return create(path, layout, options, AllocatorTxHeap.FACTORY);
    }

    /**
     * Creates a pool on the given heap implementation.
     *
     * @param path    where to create the pool file; nothing may exist there
     * @param layout  the layout name (recorded) and the classes that may be stored
     * @param options size, lanes and mapping options; the layout name is taken from {@code layout}
     * @param heap    the heap implementation to format
     * @return the open pool, with an empty heap and no root object
     * @throws dev.engram.pool.InvalidOptionException if the options describe an impossible pool
     * @throws dev.engram.pool.PoolIoException        if something exists at {@code path} or it cannot be written
     */
    public static ObjectPool create(Path path, ObjectLayout layout, PoolOptions options, TxHeap.Factory heap) {
        Pool pool = Pool.create(path, options.withLayout(layout.name()));
        try {
            TxEngine engine = TxEngine.format(pool, heap);
            Medium m = pool.medium();
            long root = pool.rootAreaOffset();
            m.fill(root, RootLayout.USED_LENGTH, (byte) 0);
            m.putLong(RootLayout.magicOffset(root), RootLayout.MAGIC);
            m.persist(root, RootLayout.USED_LENGTH);
            TypeTable.declare(engine, layout.typeEntries());
            return new ObjectPool(pool, engine, layout);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Opens (and recovers) a pool on the allocator's heap; with {@code options.readOnly()} it opens
     * for reading only and never recovers (see the class Javadoc).
     *
     * @param path    the pool file
     * @param layout  must have the name the pool was created with
     * @param options mapping and open options; the layout name is taken from {@code layout}
     * @return the open pool, recovered
     * @throws dev.engram.pool.LayoutMismatchException if the pool was created with another layout name
     * @throws dev.engram.pool.PoolCorruptedException  if the pool was not created by {@code ObjectPool}, or a
     *         log or header fails validation
     * @throws dev.engram.pool.PoolBusyException       if another process or opener holds the pool
     */
    public static ObjectPool open(Path path, ObjectLayout layout, PoolOptions options) {
        return open(path, layout, options, AllocatorTxHeap.FACTORY);
    }

    /**
     * Opens (and recovers) a pool on the given heap implementation.
     *
     * @param path    the pool file
     * @param layout  must have the name the pool was created with
     * @param options mapping and open options; the layout name is taken from {@code layout}
     * @param heap    the heap implementation the pool was created with
     * @return the open pool, recovered
     * @throws dev.engram.pool.LayoutMismatchException if the pool was created with another layout name
     * @throws dev.engram.pool.PoolCorruptedException  if the pool was not created by {@code ObjectPool}, or a
     *         log or header fails validation
     * @throws dev.engram.pool.PoolBusyException       if another process or opener holds the pool
     */
    public static ObjectPool open(Path path, ObjectLayout layout, PoolOptions options, TxHeap.Factory heap) {
        Pool pool = Pool.open(path, options.withLayout(layout.name()));
        try {
            long magic = pool.reader().getLong(RootLayout.magicOffset(pool.rootAreaOffset()));
            if (magic != RootLayout.MAGIC) {
                throw new dev.engram.pool.PoolCorruptedException("pool " + path + ": object area at offset="
                        + pool.rootAreaOffset() + " has magic " + Long.toHexString(magic) + ", expected "
                        + Long.toHexString(RootLayout.MAGIC) + "; it was not created by ObjectPool");
            }
            TxEngine engine = TxEngine.open(pool, heap);
            TypeTable.declare(engine, layout.typeEntries());
            return new ObjectPool(pool, engine, layout);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** {@return the transaction engine, for the lower-level block API and recovery counts} */
    public TxEngine engine() {
        return engine;
    }

    /** {@return the underlying pool file} */
    public Pool pool() {
        return pool;
    }

    // ---- transactions ----------------------------------------------------------------------------

    /**
     * Runs {@code body} in a transaction (joining a running one) and returns its value.
     *
     * @param <T>  the result type
     * @param body the work; any exception aborts the whole transaction
     * @return what {@code body} returned
     * @throws TransactionAbortedException if the body threw a checked exception or called {@link Transaction#abort()}
     * @see TxEngine#transaction
     */
    public <T> T transaction(TxFunction<T> body) {
        return engine.transaction(body);
    }

    /**
     * Runs {@code body} in a transaction.
     *
     * @param body the work; any exception aborts the whole transaction
     * @throws TransactionAbortedException if the body threw a checked exception or called {@link Transaction#abort()}
     */
    public void run(TxBody body) {
        engine.transaction(tx -> {
            body.run(tx);
            return null;
        });
    }

    private Transaction requireTx(String what) {
        if (engine.isReadOnly()) {
            throw engine.refuseReadOnly(what);
        }
        Transaction tx = engine.current();
        if (tx == null) {
            throw new IllegalStateException(what + " must run inside pool.transaction(...)");
        }
        return tx;
    }

    // ---- blocks ---------------------------------------------------------------------------------

    /**
     * Allocates a zeroed transactional block in the running transaction.
     *
     * @param size    bytes wanted, positive
     * @param typeNum the block's type number, below {@link TxEngine#TYPE_UNDO_OVERFLOW}
     * @return a transactional handle over the block
     * @throws IllegalStateException if no transaction runs on this thread
     * @throws dev.engram.pool.OutOfPoolMemoryException if no block fits; the transaction was rolled back
     */
    public MemoryBlock allocateBlock(long size, int typeNum) {
        long b = requireTx("allocateBlock").zalloc(size, typeNum);
        return new MemoryBlock(engine, b, engine.heap().usableSize(b), true);
    }

    /**
     * A transactional handle over an allocated block (its bound checked once, here).
     *
     * @param offset an allocated block's pool offset
     * @return the handle; its writes are snapshotted in the running transaction
     * @throws IllegalArgumentException if {@code offset} is not an allocated block
     */
    public MemoryBlock block(long offset) {
        return new MemoryBlock(engine, offset, engine.heap().usableSize(offset), true);
    }

    /**
     * A non-transactional handle: writes go straight to the pool and the caller flushes them.
     *
     * @param offset an allocated block's pool offset
     * @return the handle
     * @throws IllegalArgumentException if {@code offset} is not an allocated block
     */
    public MemoryBlock nonTransactionalBlock(long offset) {
        return new MemoryBlock(engine, offset, engine.heap().usableSize(offset), false);
    }

    /**
     * Frees a block when the running transaction commits.
     *
     * @param block a block handle of this pool
     * @throws IllegalStateException if no transaction runs on this thread
     */
    public void free(MemoryBlock block) {
        requireTx("free").free(block.offset());
    }

    /**
     * A Chronicle {@code Bytes} reading the block, bounded to it. The view reads a copy taken now:
     * the pool's mapping lives in a shared arena, from which the JDK gives no {@code ByteBuffer}.
     * Needs Chronicle's JVM flags.
     *
     * @param block the block to read
     * @return a read-only view of a copy of the block's bytes
     */
    public Bytes<?> readBytes(MemoryBlock block) {
        byte[] copy = new byte[(int) block.size()];
        block.getBytes(0, copy, 0, copy.length);
        return Bytes.wrapForRead(copy);
    }

    /**
     * Lets {@code writer} fill a Chronicle {@code Bytes} bounded to the block, inside the running
     * transaction; the written prefix is saved and stored when the writer returns.
     *
     * @param block  the block to write, transactional
     * @param writer writes from position 0; it must not write more than {@code block.size()} bytes
     * @throws IllegalStateException if no transaction runs on this thread
     */
    public void writeBytes(MemoryBlock block, Consumer<Bytes<?>> writer) {
        Bytes<byte[]> bytes = Bytes.wrapForWrite(new byte[(int) block.size()]);
        writer.accept(bytes);
        int n = (int) bytes.writePosition();
        block.setBytes(0, bytes.underlyingObject(), 0, n);
    }

    // ---- objects ---------------------------------------------------------------------------------

    private int idOf(Class<?> type) {
        int id = layout.idOf(type);
        if (id < 0) {
            throw new IllegalArgumentException("class " + type.getName() + " is not registered in layout '"
                    + layout.name() + "'; add ObjectLayout.register(" + type.getSimpleName() + ".class, id)");
        }
        return id;
    }

    /**
     * Serializes {@code value} into a new block in the running transaction.
     *
     * @param <T>   the object's class
     * @param value the object; its class must be registered in the layout
     * @return a reference to the new object
     * @throws IllegalStateException    if no transaction runs on this thread
     * @throws IllegalArgumentException if the class is not registered or Kryo cannot serialize the value
     */
    @SuppressWarnings("unchecked")
    public <T> Ref<T> store(T value) {
        Transaction tx = requireTx("store");
        int id = idOf(value.getClass());
        byte[] bytes = serialize(value);
        long b = tx.alloc(LENGTH_PREFIX + bytes.length, id);
        medium.putInt(b, bytes.length);
        medium.putBytes(b + LENGTH_PREFIX, bytes, 0, bytes.length);
        return new Ref<>(b, (Class<T>) value.getClass());
    }

    private byte[] serialize(Object value) {
        Output out = new Output(256, -1);
        try {
            kryo.get().writeClassAndObject(out, value);
        } catch (KryoException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
        return out.toBytes();
    }

    /**
     * Reads the object a reference names; only registered classes are instantiated.
     *
     * @param <T> the object's class
     * @param ref the reference; a null reference reads as null
     * @return the object, a fresh copy on each call
     * @throws UnregisteredClassException if the block's class id is not registered or Kryo cannot read it
     * @throws dev.engram.pool.PoolCorruptedException if the recorded length does not fit the block
     * @throws ClassCastException if the object is not of {@code ref.type()}
     */
    public <T> T read(Ref<T> ref) {
        if (ref.isNull()) {
            return null;
        }
        int type = engine.heap().typeNum(ref.offset());
        Class<?> registered = classes.get(type);
        if (registered == null) {
            throw new UnregisteredClassException("pool " + pool.path() + ": block at offset=" + ref.offset()
                    + " has class id " + type + ", which layout '" + layout.name() + "' does not register", null);
        }
        long usable = engine.heap().usableSize(ref.offset());
        int length = medium.getInt(ref.offset());
        if (length < 0 || length > usable - LENGTH_PREFIX) {
            throw new dev.engram.pool.PoolCorruptedException("object at offset=" + ref.offset() + " records length "
                    + length + ", expected 0.." + (usable - LENGTH_PREFIX));
        }
        byte[] bytes = new byte[length];
        medium.getBytes(ref.offset() + LENGTH_PREFIX, bytes, 0, length);
        Object value;
        try {
            value = kryo.get().readClassAndObject(new Input(bytes));
        } catch (KryoException e) {
            throw new UnregisteredClassException("pool " + pool.path() + ": object at offset=" + ref.offset()
                    + " cannot be read with layout '" + layout.name() + "': " + e.getMessage(), e);
        }
        return ref.type().cast(value);
    }

    /**
     * Replaces the object a reference names with {@code value} (new block, old freed), in the running transaction.
     *
     * @param <T>   the object's class
     * @param ref   the old object's reference; a null reference only stores
     * @param value the new value
     * @return a reference to the new object; store it wherever the old one was referenced
     * @throws IllegalStateException if no transaction runs on this thread
     */
    public <T> Ref<T> update(Ref<T> ref, T value) {
        Ref<T> fresh = store(value);
        if (!ref.isNull()) {
            requireTx("update").free(ref.offset());
        }
        return fresh;
    }

    /**
     * Frees an object at commit.
     *
     * @param ref the object's reference
     * @throws IllegalStateException if no transaction runs on this thread
     */
    public void delete(Ref<?> ref) {
        requireTx("delete").free(ref.offset());
    }

    /**
     * The root object reference (null reference if none was set).
     *
     * @param <T>  the root object's class
     * @param type the class to read the root as
     * @return the root reference, a null reference if none was set
     */
    public <T> Ref<T> root(Class<T> type) {
        return new Ref<>(medium.getLong(RootLayout.rootObjectOffset(pool.rootAreaOffset())), type);
    }

    /**
     * Sets the root object, in the running transaction.
     *
     * @param ref the new root, or a null reference to clear it
     * @throws IllegalStateException if no transaction runs on this thread
     */
    public void setRoot(Ref<?> ref) {
        Transaction tx = requireTx("setRoot");
        long word = RootLayout.rootObjectOffset(pool.rootAreaOffset());
        tx.addRange(word, Long.BYTES);
        medium.putLong(word, ref.offset());
    }

    /**
     * References to every stored object of {@code type}, in address order.
     *
     * @param <T>  the class
     * @param type a registered class
     * @return the references, read from the heap now
     * @throws IllegalArgumentException if the class is not registered
     */
    public <T> List<Ref<T>> objects(Class<T> type) {
        List<Ref<T>> refs = new ArrayList<>();
        engine.heap().forEach(idOf(type), b -> refs.add(new Ref<>(b, type)));
        return refs;
    }

    /**
     * A monitor for one object, for callers that write the same object from several threads:
     * {@code synchronized (pool.lockFor(ref)) { pool.transaction(...); }}. Volatile only.
     *
     * @param ref the object
     * @return the same monitor for every call with the same offset, for the life of this pool object
     */
    public Object lockFor(Ref<?> ref) {
        return locks.computeIfAbsent(ref.offset(), k -> new Object());
    }

    /** Makes every committed transaction durable (see {@link Transaction} for the durability point). */
    public void drain() {
        engine.drain();
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            pool.close();
        }
    }
}
