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

    // The Java peers of the collections benchmark (issue #7) reach into JDK internals; found by running
    // them on JDK 25, one flag at a time. Only the forks of their own suites get these.

    /** lmdbjava 0.9.3 reads {@code java.nio.Buffer.address} by reflection. */
    public static final String OPENS_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    /** lmdbjava ({@code sun.nio.ch.DirectBuffer}) and Chronicle Core ({@code FileChannelImpl}, to map files). */
    public static final String EXPORTS_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    /** Chronicle Core defines generated classes through {@code ClassLoader.defineClass}. */
    public static final String OPENS_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    /** Chronicle Core's {@code Jvm.getValue} makes private fields accessible. */
    public static final String OPENS_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    /** Chronicle Map compiles its generated code with javac at run time (a JDK, not a JRE). */
    public static final String EXPORTS_JAVAC_FILE = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    /** Chronicle Core's mapping cleaner; without it Chronicle warns and leaves unmapping to the GC. */
    public static final String EXPORTS_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";

    private Flags() {
    }
}
