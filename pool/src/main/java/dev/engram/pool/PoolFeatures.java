package dev.engram.pool;

/**
 * Feature flags of the pool format. A reader refuses unknown incompat bits, opens read-only only
 * with unknown ro-compat bits, and ignores unknown compat bits (DESIGN.md §2.5).
 */
public final class PoolFeatures {
    /** Compat: the pool was created by a reflink clone (informational). */
    public static final long COMPAT_CLONED = 1L;
    /** Every compat bit this version knows; others are ignored. */
    public static final long KNOWN_COMPAT = COMPAT_CLONED;
    /** Every incompat bit this version knows (none yet); any other refuses the open. */
    public static final long KNOWN_INCOMPAT = 0L;
    /** Every ro-compat bit this version knows (none yet); any other allows read-only opens only. */
    public static final long KNOWN_RO_COMPAT = 0L;

    private PoolFeatures() {
    }

    /** Lowest unknown bit set in {@code flags}, or 0. */
    static long firstUnknown(long flags, long known) {
        return Long.lowestOneBit(flags & ~known);
    }
}
