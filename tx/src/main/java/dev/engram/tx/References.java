package dev.engram.tx;

import java.util.Arrays;

/**
 * Where the blocks of one type keep their persistent references (8-byte little-endian pool offsets
 * of other objects, 0 = null), so that a checker can walk the object graph from the root without
 * the application's classes. Declared per type number ({@link ObjectLayout#declareBlockType},
 * {@link TypeTable#declare}) and recorded in the pool's type table ({@link TypeTableLayout}).
 * Offsets count from the object's first byte. Immutable.
 *
 * <ul>
 * <li>{@link #unknown()}: the references cannot be located (the default for a Kryo-serialized
 *     class, whose fields are encoded with variable length). While any live block has an unknown
 *     layout, leak detection claims nothing.</li>
 * <li>{@link #none()}: the block holds no references (a leaf: a string, a byte blob).</li>
 * <li>{@link #at} and {@link #thenEvery}: exact reference words, at fixed offsets and in each
 *     element of one repeated group (an array of entries); every such word must be 0 or the offset
 *     of a live object, and a checker reports one that is not.</li>
 * <li>{@link #scan()}: any 8 bytes of the block may be a reference (the positions depend on
 *     per-instance parameters, like a hash table's cell widths); a value equal to a live object's
 *     offset counts as a reference. Conservative: an unrelated value that happens to equal an
 *     offset keeps that object alive, but no referenced object is ever missed.</li>
 * </ul>
 */
public final class References {
    /** The persisted kinds (their codes are the ordinals, stored in {@link TypeTableLayout#KIND_OFFSET}). */
    public enum Kind {
        /** The references cannot be located; leak detection claims nothing while such a block lives. */
        UNKNOWN,
        /** The block holds no references. */
        NONE,
        /** Exact reference words at fixed offsets and in a repeated group. */
        WORDS,
        /** Any 8 bytes of the block may be a reference. */
        SCAN
    }

    /** {@link #thenEvery} count position meaning "as many whole elements as fit in the block". */
    public static final int AS_MANY_AS_FIT = -1;
    /** Reference words per group element. */
    public static final int MAX_GROUP_REFS = 2;

    private static final int[] NONE_INTS = new int[0];
    private static final References UNKNOWN = new References(Kind.UNKNOWN, NONE_INTS, 0, 0, AS_MANY_AS_FIT, NONE_INTS);
    private static final References NONE = new References(Kind.NONE, NONE_INTS, 0, 0, AS_MANY_AS_FIT, NONE_INTS);
    private static final References SCAN = new References(Kind.SCAN, NONE_INTS, 0, 0, AS_MANY_AS_FIT, NONE_INTS);

    private final Kind kind;
    private final int[] fixed;
    private final int groupStart;
    private final int groupStride;
    private final int groupCountAt;
    private final int[] groupRefs;

    private References(Kind kind, int[] fixed, int groupStart, int groupStride, int groupCountAt, int[] groupRefs) {
        this.kind = kind;
        this.fixed = fixed;
        this.groupStart = groupStart;
        this.groupStride = groupStride;
        this.groupCountAt = groupCountAt;
        this.groupRefs = groupRefs;
    }

    /**
     * {@return the layout of a type whose references cannot be located} Any live block of such a type
     * keeps a checker from claiming leaks.
     */
    public static References unknown() {
        return UNKNOWN;
    }

    /** {@return the layout of a leaf type, whose blocks hold no references} */
    public static References none() {
        return NONE;
    }

    /**
     * {@return the layout of a type whose every 8 bytes, at any position, may be a reference} For
     * blocks whose layout depends on per-instance parameters; conservative (see the class comment).
     */
    public static References scan() {
        return SCAN;
    }

    /**
     * Exact reference words at fixed offsets; follow with {@link #thenEvery} to add a repeated group.
     *
     * @param offsets offsets of the 8-byte reference words in the block, each &gt;= 0; at most
     *                {@value TypeTableLayout#MAX_FIXED}, and may be empty when {@link #thenEvery} follows
     * @return the layout
     * @throws IllegalArgumentException if there are too many offsets or one is negative
     */
    public static References at(int... offsets) {
        if (offsets.length > TypeTableLayout.MAX_FIXED) {
            throw new IllegalArgumentException("at most " + TypeTableLayout.MAX_FIXED + " fixed reference words, got "
                    + offsets.length + "; use thenEvery for arrays or scan() for layouts that vary per block");
        }
        for (int o : offsets) {
            if (o < 0) {
                throw new IllegalArgumentException("reference offset must be >= 0, offset=" + o);
            }
        }
        return new References(Kind.WORDS, offsets.clone(), 0, 0, AS_MANY_AS_FIT, NONE_INTS);
    }

    /**
     * These fixed references plus a repeated group: elements of {@code stride} bytes from
     * {@code start}, each with reference words at {@code refsInElement} (at most
     * {@value #MAX_GROUP_REFS}); the element count is the int32 at {@code countAt}, or
     * {@link #AS_MANY_AS_FIT}.
     *
     * @param start         offset of the first element in the block, &gt;= 0
     * @param stride        length of an element in bytes, &gt;= 8
     * @param countAt       offset of the int32 element count in the block, or {@link #AS_MANY_AS_FIT}
     * @param refsInElement offsets of the reference words inside an element (1..{@value #MAX_GROUP_REFS}),
     *                      each leaving room for 8 bytes within {@code stride}
     * @return a layout with this one's fixed words and the group
     * @throws IllegalStateException    if this layout is not from {@link #at} or already has a group
     * @throws IllegalArgumentException if a group parameter is out of range
     */
    public References thenEvery(int start, int stride, int countAt, int... refsInElement) {
        if (kind != Kind.WORDS || groupStride != 0) {
            throw new IllegalStateException("thenEvery follows at(...) once, not " + this);
        }
        if (start < 0 || stride < Long.BYTES || countAt < AS_MANY_AS_FIT) {
            throw new IllegalArgumentException("group needs start >= 0, stride >= 8, countAt >= -1: start=" + start
                    + " stride=" + stride + " countAt=" + countAt);
        }
        if (refsInElement.length < 1 || refsInElement.length > MAX_GROUP_REFS) {
            throw new IllegalArgumentException("a group element holds 1.." + MAX_GROUP_REFS + " reference words, got "
                    + refsInElement.length);
        }
        for (int r : refsInElement) {
            if (r < 0 || r > stride - Long.BYTES || r > Short.MAX_VALUE) {
                throw new IllegalArgumentException("reference word at " + r + " does not fit in an element of " + stride
                        + " bytes");
            }
        }
        return new References(kind, fixed, start, stride, countAt, refsInElement.clone());
    }

    /** {@return which kind of layout this is} */
    public Kind kind() {
        return kind;
    }

    /** {@return the offsets of the fixed reference words (a copy; empty unless the kind is WORDS)} */
    public int[] fixed() {
        return fixed.clone();
    }

    /** {@return true when the layout has a repeated group ({@link #thenEvery})} */
    public boolean hasGroup() {
        return groupStride != 0;
    }

    /** {@return the offset of the group's first element in the block (0 without a group)} */
    public int groupStart() {
        return groupStart;
    }

    /** {@return the length of a group element in bytes (0: no group)} */
    public int groupStride() {
        return groupStride;
    }

    /** {@return the offset of the int32 group element count, or {@link #AS_MANY_AS_FIT}} */
    public int groupCountAt() {
        return groupCountAt;
    }

    /** {@return the offsets of the reference words inside each group element (a copy; empty without a group)} */
    public int[] groupRefs() {
        return groupRefs.clone();
    }

    int fixedCount() {
        return fixed.length;
    }

    int fixedAt(int i) {
        return fixed[i];
    }

    int groupRefCount() {
        return groupRefs.length;
    }

    int groupRefAt(int i) {
        return groupRefs[i];
    }

    /** Rebuilds a value read from a type-table entry (the reader validated every field). */
    static References decode(Kind kind, int[] fixed, int groupStart, int groupStride, int groupCountAt, int[] groupRefs) {
        return switch (kind) {
            case UNKNOWN -> UNKNOWN;
            case NONE -> NONE;
            case SCAN -> SCAN;
            case WORDS -> groupStride == 0 ? at(fixed) : at(fixed).thenEvery(groupStart, groupStride, groupCountAt, groupRefs);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof References r && kind == r.kind && Arrays.equals(fixed, r.fixed) && groupStart == r.groupStart
                && groupStride == r.groupStride && groupCountAt == r.groupCountAt && Arrays.equals(groupRefs, r.groupRefs);
    }

    @Override
    public int hashCode() {
        return ((kind.hashCode() * 31 + Arrays.hashCode(fixed)) * 31 + groupStride) * 31 + Arrays.hashCode(groupRefs);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case UNKNOWN -> "unknown";
            case NONE -> "none";
            case SCAN -> "scan";
            case WORDS -> "words " + Arrays.toString(fixed) + (groupStride == 0 ? "" : " then every " + groupStride
                    + " bytes from " + groupStart + " at " + Arrays.toString(groupRefs)
                    + (groupCountAt == AS_MANY_AS_FIT ? " (as many as fit)" : " (count: int32 at " + groupCountAt + ")"));
        };
    }
}
