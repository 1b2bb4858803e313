package dev.engram.tx;

import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumReader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The pool's persistent type table: for each declared block type number, its name and where its
 * blocks keep their references ({@link References}). It lives in the root area
 * ({@link RootLayout}, entries in {@link TypeTableLayout}) and changes only inside transactions, so
 * a crash leaves the old or the new table. The object layer writes it: {@link ObjectPool} for the
 * classes and block types of its {@link ObjectLayout}, the collections for their node types.
 * Checkers read it to walk the object graph ({@link ObjectGraph}).
 *
 * <p>Full table: {@link RootLayout#TYPE_CAPACITY} (63) entries fit. Declarations with known references take
 * precedence over name-only ({@link References#unknown()}) entries; a type that does not fit is
 * simply not recorded, which a checker treats as unknown (it then claims no leaks). That is logged.
 *
 * <p>Thread safety: {@link #declare} runs in a transaction; concurrent declarations of the same
 * pool must be ordered by the caller (the object layer declares at create/open time only).
 */
public final class TypeTable {
    /** Type number of blocks quarantined because they lie on known bad media ({@code engram check --repair}). */
    public static final int TYPE_QUARANTINE = 0x1_0000;

    private static final System.Logger LOG = System.getLogger(TypeTable.class.getName());

    /**
     * One declared type: what a type-table entry records.
     *
     * @param typeNum    the block type number described
     * @param name       a short name for reports; cut to {@value TypeTableLayout#NAME_LENGTH} UTF-8 bytes,
     *                   null is taken as ""
     * @param references where blocks of this type keep their references; not null
     */
    public record Entry(int typeNum, String name, References references) {
        /** The name is cut (at a character boundary) to the {@value TypeTableLayout#NAME_LENGTH} UTF-8 bytes stored. */
        public Entry {
            name = fitName(name == null ? "" : name);
            if (references == null) {
                throw new IllegalArgumentException("references must not be null for type " + typeNum);
            }
        }
    }

    /**
     * What {@link #read} found.
     *
     * @param entries the valid entries by type number, in table order
     * @param damage  a description of each damaged entry or count (empty if none)
     */
    public record Contents(Map<Integer, Entry> entries, List<String> damage) {
        /** {@return true when the table had no damage, so {@code entries} is the whole table} */
        public boolean intact() {
            return damage.isEmpty();
        }
    }

    private TypeTable() {
    }

    /**
     * The name the transaction layer gives its own block types (undo-log overflow, quarantine).
     *
     * @param typeNum a block type number
     * @return the built-in type's name, or null if {@code typeNum} is not one of the transaction layer's
     */
    public static String builtinName(long typeNum) {
        if (typeNum == TxEngine.TYPE_UNDO_OVERFLOW) {
            return "undo-overflow";
        }
        if (typeNum == TYPE_QUARANTINE) {
            return "quarantine";
        }
        return null;
    }

    /** Where the transaction layer's own block types keep their references, or null for other types. */
    static References builtinReferences(long typeNum) {
        if (typeNum == TxEngine.TYPE_UNDO_OVERFLOW) {
            return References.at(UndoLogLayout.NEXT_OVERFLOW_OFFSET);
        }
        if (typeNum == TYPE_QUARANTINE) {
            return References.none();
        }
        return null;
    }

    /**
     * Reads and validates the table of the pool whose root area is at {@code rootArea}: count in
     * range, each entry's checksum and fields. Damaged entries are left out and described.
     *
     * @param r        the pool's bytes
     * @param rootArea pool offset of the root area
     * @return the valid entries and the damage found
     */
    public static Contents read(MediumReader r, long rootArea) {
        Map<Integer, Entry> entries = new LinkedHashMap<>();
        List<String> damage = new ArrayList<>();
        int count = r.getInt(RootLayout.typeCountOffset(rootArea));
        int slots = count;
        if (count < 0 || count > RootLayout.TYPE_CAPACITY) {
            damage.add("type table at offset=" + RootLayout.typeCountOffset(rootArea) + " records " + count
                    + " entries, expected 0.." + RootLayout.TYPE_CAPACITY);
            slots = RootLayout.TYPE_CAPACITY;
        }
        byte[] raw = new byte[TypeTableLayout.ENTRY_LENGTH];
        for (int i = 0; i < slots; i++) {
            long at = RootLayout.typeEntryOffset(rootArea, i);
            r.getBytes(at, raw, 0, raw.length);
            String problem = validate(raw);
            if (problem != null) {
                if (count == slots) {
                    damage.add("type-table entry " + i + " at offset=" + at + ": " + problem);
                }
                continue;
            }
            Entry e = decode(raw);
            if (entries.put(e.typeNum(), e) != null) {
                damage.add("type-table entry " + i + " at offset=" + at + " declares type " + e.typeNum() + " twice");
            }
        }
        return new Contents(entries, damage);
    }

    /**
     * Records {@code declared} in the pool's table, in the running transaction or a new one:
     * entries with the same type number are replaced, others added; damaged entries are dropped.
     * Does nothing (no transaction) when the table already holds exactly these entries.
     *
     * @param engine   the pool's engine
     * @param declared the entries to record; beyond {@link RootLayout#TYPE_CAPACITY} some are left out
     *                 (see the class comment)
     * @throws IllegalArgumentException if an entry uses a type number of the transaction layer's own
     */
    public static void declare(TxEngine engine, Collection<Entry> declared) {
        if (declared.isEmpty()) {
            return;
        }
        long rootArea = engine.pool().rootAreaOffset();
        Contents now = read(engine.medium(), rootArea);
        Map<Integer, Entry> merged = new LinkedHashMap<>(now.entries());
        for (Entry e : declared) {
            if (builtinReferences(e.typeNum()) != null) {
                throw new IllegalArgumentException("type " + e.typeNum() + " is the transaction layer's own ("
                        + builtinName(e.typeNum()) + "); declare another type number");
            }
            merged.put(e.typeNum(), e);
        }
        if (now.intact() && merged.equals(now.entries())) {
            return;
        }
        List<Entry> table = fit(new ArrayList<>(merged.values()), engine);
        int oldCount = Math.max(0, Math.min(RootLayout.TYPE_CAPACITY, engine.medium().getInt(RootLayout.typeCountOffset(rootArea))));
        engine.transaction(tx -> {
            tx.addRange(RootLayout.typeCountOffset(rootArea), Integer.BYTES);
            int slots = now.intact() ? Math.max(oldCount, table.size()) : RootLayout.TYPE_CAPACITY;
            long first = RootLayout.typeEntryOffset(rootArea, 0);
            tx.addRange(first, (long) slots * TypeTableLayout.ENTRY_LENGTH);
            Medium m = engine.medium();
            m.fill(first, (long) slots * TypeTableLayout.ENTRY_LENGTH, (byte) 0);
            for (int i = 0; i < table.size(); i++) {
                byte[] raw = encode(table.get(i));
                m.putBytes(RootLayout.typeEntryOffset(rootArea, i), raw, 0, raw.length);
            }
            m.putInt(RootLayout.typeCountOffset(rootArea), table.size());
            return null;
        });
        if (!now.intact()) {
            LOG.log(System.Logger.Level.WARNING, "pool {0}: rewrote a damaged type table ({1})", engine.pool().path(),
                    String.join("; ", now.damage()));
        }
    }

    /** Keeps at most the capacity: entries with known references first, name-only ones while room remains. */
    private static List<Entry> fit(List<Entry> all, TxEngine engine) {
        if (all.size() <= RootLayout.TYPE_CAPACITY) {
            return all;
        }
        List<Entry> out = new ArrayList<>();
        List<Entry> dropped = new ArrayList<>();
        for (Entry e : all) {
            (e.references().kind() != References.Kind.UNKNOWN ? out : dropped).add(e);
        }
        for (Entry e : List.copyOf(dropped)) {
            if (out.size() < RootLayout.TYPE_CAPACITY) {
                out.add(e);
                dropped.remove(e);
            }
        }
        while (out.size() > RootLayout.TYPE_CAPACITY) {
            dropped.add(out.removeLast());
        }
        LOG.log(System.Logger.Level.WARNING, "pool {0}: the type table holds {1} entries; not recorded: types {2}"
                + " (a checker treats them as unknown and claims no leaks)", engine.pool().path(),
                RootLayout.TYPE_CAPACITY, dropped.stream().map(Entry::typeNum).toList());
        return out;
    }

    // ---- entry bytes --------------------------------------------------------------------------

    static byte[] encode(Entry e) {
        References refs = e.references();
        ByteBuffer b = ByteBuffer.allocate(TypeTableLayout.ENTRY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(TypeTableLayout.TYPE_NUM_OFFSET, e.typeNum());
        b.put(TypeTableLayout.KIND_OFFSET, (byte) refs.kind().ordinal());
        b.put(TypeTableLayout.FIXED_COUNT_OFFSET, (byte) refs.fixedCount());
        for (int i = 0; i < refs.fixedCount(); i++) {
            b.putInt(TypeTableLayout.FIXED_OFFSET + i * Integer.BYTES, refs.fixedAt(i));
        }
        b.putInt(TypeTableLayout.GROUP_START_OFFSET, refs.groupStart());
        b.putInt(TypeTableLayout.GROUP_STRIDE_OFFSET, refs.groupStride());
        b.putInt(TypeTableLayout.GROUP_COUNT_AT_OFFSET, refs.groupCountAt());
        b.putShort(TypeTableLayout.GROUP_REF_A_OFFSET, (short) (refs.groupRefCount() > 0 ? refs.groupRefAt(0) : -1));
        b.putShort(TypeTableLayout.GROUP_REF_B_OFFSET, (short) (refs.groupRefCount() > 1 ? refs.groupRefAt(1) : -1));
        byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
        b.put(TypeTableLayout.NAME_OFFSET, name, 0, name.length);
        byte[] raw = b.array();
        b.putInt(TypeTableLayout.CHECKSUM_OFFSET, checksum(raw));
        return raw;
    }

    /** The longest prefix of {@code name}, cut at a character boundary, whose UTF-8 fits the name field. */
    private static String fitName(String name) {
        String n = name;
        while (n.getBytes(StandardCharsets.UTF_8).length > TypeTableLayout.NAME_LENGTH) {
            n = n.substring(0, n.offsetByCodePoints(n.length(), -1));
        }
        return n;
    }

    private static int checksum(byte[] raw) {
        CRC32C crc = new CRC32C();
        crc.update(raw, 0, TypeTableLayout.CHECKSUM_OFFSET);
        return (int) crc.getValue();
    }

    /** Null when the entry's checksum and every field are valid, else what is wrong (expected, actual). */
    static String validate(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int stored = b.getInt(TypeTableLayout.CHECKSUM_OFFSET);
        if (stored != checksum(raw)) {
            return "checksum " + Integer.toHexString(stored) + ", expected " + Integer.toHexString(checksum(raw));
        }
        int kind = raw[TypeTableLayout.KIND_OFFSET];
        if (kind < 0 || kind >= References.Kind.values().length) {
            return "kind " + kind + ", expected 0.." + (References.Kind.values().length - 1);
        }
        int fixed = raw[TypeTableLayout.FIXED_COUNT_OFFSET];
        if (fixed < 0 || fixed > TypeTableLayout.MAX_FIXED || (fixed > 0 && kind != References.Kind.WORDS.ordinal())) {
            return "fixed count " + fixed + " for kind " + kind + ", expected 0.." + TypeTableLayout.MAX_FIXED
                    + " and only for kind 2";
        }
        if (b.getShort(TypeTableLayout.RESERVED_OFFSET) != 0) {
            return "reserved bytes not zero";
        }
        try {
            decode(raw);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "fields out of range: " + e.getMessage();
        }
        return null;
    }

    static Entry decode(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        References.Kind kind = References.Kind.values()[raw[TypeTableLayout.KIND_OFFSET]];
        int[] fixed = new int[raw[TypeTableLayout.FIXED_COUNT_OFFSET]];
        for (int i = 0; i < fixed.length; i++) {
            fixed[i] = b.getInt(TypeTableLayout.FIXED_OFFSET + i * Integer.BYTES);
        }
        int start = b.getInt(TypeTableLayout.GROUP_START_OFFSET);
        int stride = b.getInt(TypeTableLayout.GROUP_STRIDE_OFFSET);
        int countAt = b.getInt(TypeTableLayout.GROUP_COUNT_AT_OFFSET);
        short refA = b.getShort(TypeTableLayout.GROUP_REF_A_OFFSET);
        short refB = b.getShort(TypeTableLayout.GROUP_REF_B_OFFSET);
        int[] refs = refB >= 0 ? new int[] {refA, refB} : refA >= 0 ? new int[] {refA} : new int[0];
        if ((kind != References.Kind.WORDS || stride == 0) && (stride != 0 || refs.length != 0 || start != 0
                || countAt != References.AS_MANY_AS_FIT)) {
            throw new IllegalArgumentException("group fields set without a group (kind " + kind + ", stride " + stride + ")");
        }
        int nameLength = 0;
        while (nameLength < TypeTableLayout.NAME_LENGTH && raw[TypeTableLayout.NAME_OFFSET + nameLength] != 0) {
            nameLength++;
        }
        String name = new String(raw, TypeTableLayout.NAME_OFFSET, nameLength, StandardCharsets.UTF_8);
        return new Entry(b.getInt(TypeTableLayout.TYPE_NUM_OFFSET), name,
                References.decode(kind, fixed, start, stride, countAt, refs));
    }
}
