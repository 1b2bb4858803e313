package dev.engram.pool;

/**
 * Recognises the JDK's report of a SIGBUS on a mapping and turns it into a
 * {@link MediaErrorException}.
 *
 * <p>Why this exists beside the medium's own translation: interpreted and C1-compiled code raise the
 * {@link InternalError} synchronously, inside the accessor, where {@code SegmentMedium} catches it.
 * C2-compiled code raises it asynchronously ("a fault occurred in a recent unsafe memory access
 * operation in compiled Java code"), at the thread's next safepoint poll, which can lie past the
 * accessor. So every public entry point of the layers above the medium (transactions, object and
 * collection operations, {@link Pool}'s own methods) wraps its body with {@link #translate} and the
 * error still reaches the user as a typed exception, naming the operation if not the exact offset.
 */
public final class MediaFaults {
    private MediaFaults() {
    }

    /**
     * True for the JDK's unsafe-access fault (a poisoned or truncated page), false for other errors.
     *
     * @param t any throwable
     * @return whether {@code t} is the JVM's report of a fault in an unsafe memory access
     */
    public static boolean isMediaFault(Throwable t) {
        return t instanceof InternalError e && e.getMessage() != null
                && e.getMessage().contains("fault occurred") && e.getMessage().contains("unsafe memory access");
    }

    /**
     * The typed form of a fault raised late; {@code where} names the operation and the pool.
     *
     * @param e     the fault, as the JVM raised it
     * @param where the operation and the pool, e.g. {@code "commit of pool /mnt/p"}
     * @return the exception to throw; its offset is -1 because the JVM does not report it
     */
    public static MediaErrorException translate(InternalError e, String where) {
        return new MediaErrorException(-1, "media error (SIGBUS) during " + where
                + ": a page of the pool is poisoned or the file was truncated under the mapping;"
                + " the exact offset was not reported by the JVM. Check the pool file (engram check)", e);
    }

    /**
     * Runs {@code body}, translating a late media fault; other errors pass through unchanged.
     *
     * @param <T>   what {@code body} returns
     * @param where the operation and the pool, for the message
     * @param body  the operation
     * @return what {@code body} returned
     * @throws MediaErrorException if {@code body} raised a media fault
     */
    public static <T> T guard(String where, java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (InternalError e) {
            if (isMediaFault(e)) {
                throw translate(e, where);
            }
            throw e;
        }
    }
}
