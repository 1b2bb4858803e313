package dev.engram.allocator;

/**
 * Division by a fixed positive divisor without a 64-bit divide instruction, which takes tens of
 * cycles on the CPUs Engram is measured on and sat on every free's path (zone and block index of
 * the freed object). Two forms:
 *
 * <ul>
 *   <li>{@link #quotient}: any dividend in {@code [0, 2^52)}, through a double multiply corrected
 *       by at most one step;</li>
 *   <li>{@link #exactQuotient}: a dividend below {@link #MAX_EXACT_DIVIDEND} and a divisor up to
 *       {@link #MAX_EXACT_DIVISOR}, by an integer multiply and shift (exact in that range: the
 *       multiplier's rounding error stays below one over the dividend range), returning -1 unless
 *       the division leaves no remainder.</li>
 * </ul>
 *
 * <p>Immutable; thread-safe.
 */
final class Reciprocal {
    /** Shift of the integer form's fixed-point multiplier. */
    private static final int SHIFT = 42;
    /** Largest dividend plus one that {@link #exactQuotient} accepts: 2^23 (8 MiB). */
    static final long MAX_EXACT_DIVIDEND = 1L << 23;
    /** Largest divisor for which {@link #exactQuotient} is exact: 2^{42-23}. */
    static final long MAX_EXACT_DIVISOR = 1L << (SHIFT - 23);

    private final long divisor;
    private final double inverse;
    private final long multiplier;

    Reciprocal(long divisor) {
        if (divisor <= 0) {
            throw new IllegalArgumentException("divisor must be positive, divisor=" + divisor);
        }
        this.divisor = divisor;
        this.inverse = 1.0 / divisor;
        this.multiplier = ((1L << SHIFT) + divisor - 1) / divisor;
    }

    /** {@return the divisor} */
    long divisor() {
        return divisor;
    }

    /**
     * {@return {@code dividend / divisor}} The dividend must lie in {@code [0, 2^52)} (not checked:
     * the callers pass offsets inside a mapping).
     *
     * @param dividend the value to divide
     */
    long quotient(long dividend) {
        long q = (long) (dividend * inverse);
        final long r = dividend - q * divisor;
        if (r < 0) {
            q--;
        } else if (r >= divisor) {
            q++;
        }
        return q;
    }

    /**
     * {@return {@code dividend / divisor} when the divisor divides {@code dividend}, else -1} Requires
     * {@code 0 <= dividend < MAX_EXACT_DIVIDEND} and a divisor of at most {@link #MAX_EXACT_DIVISOR}
     * (not checked: the caller range-checks the dividend, the constructor's caller the divisor).
     *
     * @param dividend the value to divide
     */
    long exactQuotient(long dividend) {
        final long q = (dividend * multiplier) >>> SHIFT;
        return q * divisor == dividend ? q : -1;
    }
}
