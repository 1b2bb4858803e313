package dev.engram.tx;

import dev.engram.pool.InvalidOptionException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    private final Map<Integer, TypeTable.Entry> types;

    private ObjectLayout(String name, Map<Class<?>, Integer> ids, Map<Integer, TypeTable.Entry> types) {
        this.name = name;
        this.ids = ids;
        this.types = types;
    }

    /**
     * {@return an empty layout with the given name}
     *
     * @param name the layout name, recorded at create and checked at open; at most 1024 bytes of UTF-8
     */
    public static ObjectLayout named(String name) {
        return new ObjectLayout(name, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /**
     * A copy with {@code type} registered under {@code id} ({@value #MIN_ID}..{@value #MAX_ID}); its
     * references are unknown to checkers (Kryo encodes fields with variable length).
     *
     * @param type the class to allow
     * @param id   its id, stable for the life of the pool
     * @return the new layout
     * @throws dev.engram.pool.InvalidOptionException if {@code id} is out of range, or the class or the id is
     *         already registered
     */
    public ObjectLayout register(Class<?> type, int id) {
        return register(type, id, References.unknown());
    }

    /**
     * A copy with {@code type} registered under {@code id}, declaring where its objects keep
     * references: {@link References#none()} for a class that holds none (no {@code Ref} offsets in
     * its fields), else {@link References#unknown()}. Kryo's encoding has no fixed positions, so
     * other kinds are refused.
     *
     * @param type       the class to allow
     * @param id         its id ({@value #MIN_ID}..{@value #MAX_ID}), stable for the life of the pool
     * @param references {@link References#none()} or {@link References#unknown()}
     * @return the new layout
     * @throws dev.engram.pool.InvalidOptionException if {@code id} is out of range, the class or the id is
     *         already registered, or {@code references} is of another kind
     */
    public ObjectLayout register(Class<?> type, int id, References references) {
        if (id < MIN_ID || id > MAX_ID) {
            throw new InvalidOptionException("class id must be " + MIN_ID + ".." + MAX_ID + ", id=" + id + " for " + type.getName());
        }
        if (ids.containsValue(id) || ids.containsKey(type) || types.containsKey(id)) {
            throw new InvalidOptionException("class " + type.getName() + " or id " + id + " registered twice");
        }
        if (references.kind() != References.Kind.NONE && references.kind() != References.Kind.UNKNOWN) {
            throw new InvalidOptionException("a Kryo-serialized class's references are none() or unknown(), not "
                    + references + " (class " + type.getName() + ")");
        }
        Map<Class<?>, Integer> copy = new LinkedHashMap<>(ids);
        copy.put(type, id);
        Map<Integer, TypeTable.Entry> t = new LinkedHashMap<>(types);
        t.put(id, new TypeTable.Entry(id, type.getSimpleName(), references));
        return new ObjectLayout(name, copy, t);
    }

    /**
     * A copy declaring the blocks of type number {@code typeNum} (allocated with
     * {@link ObjectPool#allocateBlock}; 1..{@value #MAX_ID}, not a registered class id) and where
     * they keep their references, under a short {@code name} for reports.
     *
     * @param typeNum    the block type number, 1..{@value #MAX_ID}
     * @param name       a short name for reports (cut to {@value TypeTableLayout#NAME_LENGTH} UTF-8 bytes)
     * @param references where each block of this type keeps its references
     * @return the new layout
     * @throws dev.engram.pool.InvalidOptionException if {@code typeNum} is out of range or already declared
     */
    public ObjectLayout declareBlockType(int typeNum, String name, References references) {
        if (typeNum < 1 || typeNum > MAX_ID) {
            throw new InvalidOptionException("block type number must be 1.." + MAX_ID + ", typeNum=" + typeNum);
        }
        if (types.containsKey(typeNum)) {
            throw new InvalidOptionException("type number " + typeNum + " declared twice");
        }
        Map<Integer, TypeTable.Entry> t = new LinkedHashMap<>(types);
        t.put(typeNum, new TypeTable.Entry(typeNum, name, references));
        return new ObjectLayout(this.name, ids, t);
    }

    /** {@return the layout name} */
    public String name() {
        return name;
    }

    Map<Class<?>, Integer> ids() {
        return ids;
    }

    /** The type-table entries this layout declares, in declaration order. */
    List<TypeTable.Entry> typeEntries() {
        return new ArrayList<>(types.values());
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
