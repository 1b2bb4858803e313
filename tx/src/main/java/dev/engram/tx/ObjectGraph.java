package dev.engram.tx;

import dev.engram.allocator.PersistentHeap;
import dev.engram.pool.medium.MediumReader;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A read-only walk of a pool's object graph: which live blocks can be reached from the roots
 * through the references the {@link TypeTable type table} locates, and so which are leaked.
 *
 * <p>Roots: the root object, each lane's chain of undo-log overflow buffers, and every quarantined
 * block ({@link TypeTable#TYPE_QUARANTINE}: bad media, kept on purpose). The transaction layer's
 * own types have built-in layouts; every other type's layout comes from the table.
 *
 * <p>When the walk may claim leaks ({@link Result#complete()}): the table is intact, every live
 * block's type has a known layout (so a block found only through another type's iteration, or
 * referenced from a block whose references cannot be seen, is never claimed), the root pointer and
 * every exact reference word hold 0 or a live object's offset, and every declared word lies inside
 * its block. Otherwise the result says why and lists no leaks: a block that might be referenced is
 * never called leaked.
 *
 * <p>Reads only; the heap must have been recovered and be free of corruption (its iteration throws
 * at the first inconsistency). Not thread-safe against writers of the same pool.
 */
public final class ObjectGraph {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * A live block of the heap, as the walk reports it.
     *
     * @param offset   pool offset of the object (the handle the heap returns)
     * @param size     usable size of the block in bytes
     * @param type     the block's type number
     * @param typeName the type's name from the type table, or "" if it has none
     */
    public record Block(long offset, long size, long type, String typeName) {
    }

    /**
     * An exact reference word that names no live object: the declared layout or the data is wrong.
     *
     * @param from  object offset of the block holding the word, or 0 for a root word
     * @param at    pool offset of the word
     * @param value the word's value (neither 0 nor a live object's offset)
     */
    public record Dangling(long from, long at, long value) {
    }

    /**
     * A type number of live blocks whose references are unknown; while one exists the walk claims no leaks.
     *
     * @param type   the type number
     * @param name   the type's name from the type table, or "" if it has none
     * @param blocks how many live blocks have this type
     */
    public record UnknownType(long type, String name, long blocks) {
    }

    /**
     * What the walk found.
     *
     * @param liveBlocks  blocks the heap holds
     * @param reachable   blocks reached from the roots
     * @param complete    true when {@code leaks} is authoritative (see the class comment)
     * @param reasons     why the walk is not complete (empty when it is)
     * @param unknown     live blocks' types without a known layout
     * @param dangling    exact reference words naming no live object
     * @param leaks       live blocks not reached; empty unless complete
     * @param quarantined blocks quarantined for bad media
     */
    public record Result(long liveBlocks, long reachable, boolean complete, List<String> reasons,
                         List<UnknownType> unknown, List<Dangling> dangling, List<Block> leaks, List<Block> quarantined) {
    }

    private final MediumReader r;
    private final long[] offsets;
    private final long[] types;
    private final long[] sizes;
    private final BitSet marked;
    private final Map<Long, References> layouts = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final List<Dangling> dangling = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final java.util.Set<Long> typesWithProblems = new java.util.HashSet<>();
    private int[] stack = new int[64];
    private int depth;
    private byte[] buffer = new byte[256];
    private long cachedType;
    private References cachedRefs;

    private ObjectGraph(MediumReader r, PersistentHeap heap) {
        this.r = r;
        long[][] cols = {new long[1024], new long[1024], new long[1024]};
        int[] n = {0};
        boolean[] sorted = {true};
        heap.visitObjects((offset, type, size) -> {
            if (n[0] == cols[0].length) {
                for (int c = 0; c < cols.length; c++) {
                    cols[c] = Arrays.copyOf(cols[c], n[0] * 2);
                }
            }
            if (n[0] > 0 && cols[0][n[0] - 1] >= offset) {
                sorted[0] = false;
            }
            cols[0][n[0]] = offset;
            cols[1][n[0]] = type;
            cols[2][n[0]] = size;
            n[0]++;
        });
        if (!sorted[0]) {
            sortByOffset(cols, n[0]);
        }
        this.offsets = Arrays.copyOf(cols[0], n[0]);
        this.types = Arrays.copyOf(cols[1], n[0]);
        this.sizes = Arrays.copyOf(cols[2], n[0]);
        this.marked = new BitSet(offsets.length);
    }

    /** Sorts the three columns by the first (the heap's walk yields address order; this is a safeguard). */
    private static void sortByOffset(long[][] cols, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(cols[0][a], cols[0][b]));
        for (int c = 0; c < cols.length; c++) {
            long[] copy = new long[n];
            for (int i = 0; i < n; i++) {
                copy[i] = cols[c][order[i]];
            }
            cols[c] = copy;
        }
    }

    /**
     * Walks the graph of a recovered pool through its transaction engine (on the allocator's heap).
     *
     * @param engine the pool's engine, recovered; its heap must be the allocator's
     * @return what the walk found
     * @throws IllegalArgumentException if the engine's heap is not the allocator's
     * @throws dev.engram.pool.PoolCorruptedException if the heap's iteration meets an inconsistency
     */
    public static Result walk(TxEngine engine) {
        if (!(engine.heap() instanceof AllocatorTxHeap h)) {
            throw new IllegalArgumentException("the object graph walk needs the allocator's heap, not " + engine.heap());
        }
        long[] undo = new long[engine.pool().header().laneCount()];
        for (int i = 0; i < undo.length; i++) {
            undo[i] = engine.laneLayout().undoOffset(engine.pool().laneOffset(i));
        }
        return walk(engine.medium(), engine.pool().rootAreaOffset(), undo, h.heap());
    }

    /**
     * Walks the graph.
     *
     * @param r        the pool's bytes
     * @param rootArea pool offset of the root area
     * @param undoLogs pool offsets of every lane's inline undo log
     * @param heap     the pool's heap, recovered and open over the same bytes
     * @return what the walk found
     * @throws dev.engram.pool.PoolCorruptedException if the heap's iteration meets an inconsistency
     */
    public static Result walk(MediumReader r, long rootArea, long[] undoLogs, PersistentHeap heap) {
        return new ObjectGraph(r, heap).run(rootArea, undoLogs);
    }

    private Result run(long rootArea, long[] undoLogs) {
        TypeTable.Contents table = TypeTable.read(r, rootArea);
        for (String d : table.damage()) {
            problems.add("type table damaged: " + d);
        }
        for (TypeTable.Entry e : table.entries().values()) {
            long t = e.typeNum(); // as the heap stores an int type number: sign-extended
            layouts.put(t, e.references());
            names.put(t, e.name());
        }
        for (long t : new long[] {TxEngine.TYPE_UNDO_OVERFLOW, TypeTable.TYPE_QUARANTINE}) {
            layouts.put(t, TypeTable.builtinReferences(t));
            names.put(t, TypeTable.builtinName(t));
        }

        reference(0, RootLayout.rootObjectOffset(rootArea), r.getLong(RootLayout.rootObjectOffset(rootArea)), true);
        for (long log : undoLogs) {
            long word = UndoLogLayout.firstOverflowOffset(log);
            reference(0, word, r.getLong(word), true);
        }
        List<Block> quarantined = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            if (types[i] == TypeTable.TYPE_QUARANTINE) {
                quarantined.add(block(i));
                mark(i);
            }
        }
        while (depth > 0) {
            visit(stack[--depth]);
        }

        Map<Long, long[]> unknownCounts = new TreeMap<>();
        long lastType = 0;
        long[] lastCount = null;
        boolean lastKnown = false;
        for (int i = 0; i < offsets.length; i++) {
            long t = types[i];
            if (i == 0 || t != lastType) {
                // blocks of one type cluster in runs: look the layout up once per change of type
                lastType = t;
                References refs = layouts.get(t);
                lastKnown = refs != null && refs.kind() != References.Kind.UNKNOWN;
                lastCount = lastKnown ? null : unknownCounts.computeIfAbsent(t, k -> new long[1]);
            }
            if (!lastKnown) {
                lastCount[0]++;
            }
        }
        List<UnknownType> unknown = new ArrayList<>();
        unknownCounts.forEach((t, n) -> unknown.add(new UnknownType(t, names.getOrDefault(t, ""), n[0])));

        List<String> reasons = new ArrayList<>(problems);
        if (!unknown.isEmpty()) {
            StringBuilder sb = new StringBuilder("object graph not fully known: no reference layout for types ");
            for (int i = 0; i < unknown.size(); i++) {
                UnknownType u = unknown.get(i);
                sb.append(i == 0 ? "" : ", ").append(u.type()).append(u.name().isEmpty() ? "" : " (" + u.name() + ")")
                        .append(" [").append(u.blocks()).append(u.blocks() == 1 ? " block]" : " blocks]");
            }
            reasons.add(sb.toString());
        }
        if (!dangling.isEmpty()) {
            reasons.add(dangling.size() + " reference word(s) name no live object, so the declared layouts or the"
                    + " data cannot be trusted");
        }
        boolean complete = reasons.isEmpty();
        List<Block> leaks = new ArrayList<>();
        if (complete) {
            for (int i = marked.nextClearBit(0); i < offsets.length; i = marked.nextClearBit(i + 1)) {
                leaks.add(block(i));
            }
        }
        return new Result(offsets.length, marked.cardinality(), complete, List.copyOf(reasons), List.copyOf(unknown),
                List.copyOf(dangling), List.copyOf(leaks), List.copyOf(quarantined));
    }

    private Block block(int i) {
        return new Block(offsets[i], sizes[i], types[i], names.getOrDefault(types[i], ""));
    }

    private void mark(int i) {
        if (marked.get(i)) {
            return;
        }
        marked.set(i);
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = i;
    }

    /** A reference word's value: marks the object it names; an exact word naming none is dangling. */
    private void reference(long from, long at, long value, boolean exact) {
        if (value == 0) {
            return;
        }
        int i = Arrays.binarySearch(offsets, value);
        if (i >= 0) {
            mark(i);
        } else if (exact) {
            dangling.add(new Dangling(from, at, value));
        }
    }

    private void visit(int i) {
        References refs = layoutOf(types[i]);
        if (refs == null) {
            return;
        }
        long o = offsets[i];
        long size = sizes[i];
        switch (refs.kind()) {
            case UNKNOWN, NONE -> {
            }
            case WORDS -> words(o, size, refs);
            case SCAN -> scan(o, size);
        }
    }

    /** The layout of a type (null: unknown), remembering the last lookup: a graph's nodes are mostly of few types. */
    private References layoutOf(long type) {
        if (type != cachedType || cachedRefs == null) {
            cachedType = type;
            cachedRefs = layouts.get(type);
        }
        return cachedRefs;
    }

    private void words(long o, long size, References refs) {
        for (int k = 0; k < refs.fixedCount(); k++) {
            int f = refs.fixedAt(k);
            if (!fits(o, size, f, Long.BYTES)) {
                return;
            }
            reference(o, o + f, r.getLong(o + f), true);
        }
        if (!refs.hasGroup()) {
            return;
        }
        long start = refs.groupStart();
        long stride = refs.groupStride();
        long count;
        if (refs.groupCountAt() == References.AS_MANY_AS_FIT) {
            count = size > start ? (size - start) / stride : 0;
        } else {
            if (!fits(o, size, refs.groupCountAt(), Integer.BYTES)) {
                return;
            }
            count = r.getInt(o + refs.groupCountAt());
            if (count < 0 || start + count * stride > size) {
                problem(typeOf(o), "block " + o + " of type " + typeOf(o) + " records " + count + " group elements of "
                        + stride + " bytes from offset " + start + ", which its " + size + " bytes cannot hold");
                return;
            }
        }
        for (long e = 0; e < count; e++) {
            long element = o + start + e * stride;
            for (int k = 0; k < refs.groupRefCount(); k++) {
                long at = element + refs.groupRefAt(k);
                reference(o, at, r.getLong(at), true);
            }
        }
    }

    private boolean fits(long o, long size, long field, int length) {
        if (field + length <= size) {
            return true;
        }
        problem(typeOf(o), "type " + typeOf(o) + " declares a " + length + "-byte field at offset " + field
                + ", beyond block " + o + " of " + size + " bytes");
        return false;
    }

    /** Records a layout problem once per type (the first block shows it; a million more would not help). */
    private void problem(long type, String message) {
        if (typesWithProblems.add(type)) {
            problems.add(message);
        }
    }

    private long typeOf(long o) {
        return types[Arrays.binarySearch(offsets, o)];
    }

    /** Every 8 bytes at every position of the block: a value naming a live object is a reference. */
    private void scan(long o, long size) {
        if (size < Long.BYTES) {
            return;
        }
        if (size > Integer.MAX_VALUE - 8) {
            problem(typeOf(o), "block " + o + " of " + size + " bytes is too large to scan for references");
            return;
        }
        int n = (int) size;
        if (buffer.length < n) {
            buffer = new byte[Math.max(n, buffer.length * 2)];
        }
        r.getBytes(o, buffer, 0, n);
        final long lo = offsets[0];
        final long hi = offsets[offsets.length - 1];
        for (int p = 0; p <= n - Long.BYTES; p++) {
            long v = (long) LONG_LE.get(buffer, p);
            if (v >= lo && v <= hi) {
                reference(o, o + p, v, false);
            }
        }
    }
}
