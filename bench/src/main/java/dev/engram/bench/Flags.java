package dev.engram.bench;

/**
 * JVM flags every JMH fork needs to run Engram (DESIGN.md §2.1): FFM downcalls (libpmem, msync) and
 * the JDK's cache-line write-back intrinsic. Annotation values must be constants, so benchmarks write
 * {@code @Fork(jvmArgsAppend = {Flags.NATIVE_ACCESS, Flags.ADD_OPENS})}; keeping the strings here
 * means a new flag is added once.
 */
public final class Flags {
    /** Allows the FFM downcalls (libc, libpmem) from the class path. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Opens {@code jdk.internal.misc} for the JDK's per-line cache-line write-back intrinsic. */
    public static final String ADD_OPENS = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";

    private Flags() {
    }
}
