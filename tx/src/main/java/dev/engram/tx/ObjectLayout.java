package dev.engram.tx;

import dev.engram.pool.InvalidOptionException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The layout of an object pool: its name (checked at open) and the classes that may be stored,
 * each with a fixed id that is also the block's type number. Only these classes (and Kryo's
 * built-in primitives and String) are ever deserialized from a pool. Immutable.
 */
public final class ObjectLayout {
    /** Lowest user class id (Kryo reserves the ids below for primitives and String). */
    public static final int MIN_ID = 16;
    /** Ids at or above this are the transaction layer's own block types. */
    public static final int MAX_ID = TxEngine.TYPE_UNDO_OVERFLOW - 1;

    private final String name;
    private final Map<Class<?>, Integer> ids;

    private ObjectLayout(String name, Map<Class<?>, Integer> ids) {
        this.name = name;
        this.ids = ids;
    }

    /**
     * {@return an empty layout with the given name}
     *
     * @param name the layout name, recorded at create and checked at open; at most 1024 bytes of UTF-8
     */
    public static ObjectLayout named(String name) {
        return new ObjectLayout(name, new LinkedHashMap<>());
    }

    /**
     * A copy with {@code type} registered under {@code id} ({@value #MIN_ID}..{@value #MAX_ID}).
     *
     * @param type the class to allow
     * @param id   its id, stable for the life of the pool
     * @return the new layout
     * @throws dev.engram.pool.InvalidOptionException if {@code id} is out of range, or the class or the id is
     *         already registered
     */
    public ObjectLayout register(Class<?> type, int id) {
        if (id < MIN_ID || id > MAX_ID) {
            throw new InvalidOptionException("class id must be " + MIN_ID + ".." + MAX_ID + ", id=" + id + " for " + type.getName());
        }
        if (ids.containsValue(id) || ids.containsKey(type)) {
            throw new InvalidOptionException("class " + type.getName() + " or id " + id + " registered twice");
        }
        Map<Class<?>, Integer> copy = new LinkedHashMap<>(ids);
        copy.put(type, id);
        return new ObjectLayout(name, copy);
    }

    /** {@return the layout name} */
    public String name() {
        return name;
    }

    Map<Class<?>, Integer> ids() {
        return ids;
    }

    /**
     * The id of a registered class, or -1.
     *
     * @param type a class
     * @return its id, or -1 if it is not registered
     */
    public int idOf(Class<?> type) {
        Integer id = ids.get(type);
        return id == null ? -1 : id;
    }
}
