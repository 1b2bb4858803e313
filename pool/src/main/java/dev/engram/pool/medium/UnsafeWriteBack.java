package dev.engram.pool.medium;

import dev.engram.pool.Bits;
import dev.engram.pool.MissingJvmFlagException;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * CPU write-back through the JDK's intrinsics in {@code jdk.internal.misc.Unsafe}, in one of two
 * modes chosen by the JVM's flags:
 * <ul>
 *   <li><b>per line</b> ({@code --add-opens java.base/jdk.internal.misc=<module>}): the private
 *       {@code writeback0} (one CLWB or CLFLUSHOPT) per line and {@code writebackPostSync0} (SFENCE)
 *       as the fence, so a drain pays one fence for every range flushed before it;</li>
 *   <li><b>fenced</b> ({@code --add-exports} only): the public {@code writebackMemory}, which ends
 *       each call with its own SFENCE, so every flush pays a fence.</li>
 * </ul>
 * On this machine a fence costs about as much as the write-back it waits for, whatever the number
 * of lines (bench/RESULTS.md), so the per-line mode saves one write-back round trip per extra flush.
 *
 * <p>The methods are looked up reflectively because {@code javac --release} refuses the export; the
 * handles are static final constants so the JIT inlines them into the intrinsic instructions.
 *
 * <p>The intrinsics check nothing: they must only see addresses inside a live mapping, which the
 * medium guarantees by bounds-checking before calling.
 */
final class UnsafeWriteBack implements CacheWriteBack {
    private static final String FLAG = "--add-exports java.base/jdk.internal.misc=";
    private static final String OPEN_FLAG = "--add-opens java.base/jdk.internal.misc=";
    private static final MethodHandle WRITEBACK_RANGE;
    private static final MethodHandle WRITEBACK_LINE;
    private static final MethodHandle POST_SYNC;
    /** True in the per-line mode; a constant, so the JIT keeps only one mode's code. */
    private static final boolean PER_LINE;
    private static final Throwable LOOKUP_FAILURE;

    static {
        MethodHandle range = null;
        MethodHandle line = null;
        MethodHandle post = null;
        Throwable failure = null;
        try {
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            Module self = UnsafeWriteBack.class.getModule();
            if (!unsafeClass.getModule().isExported("jdk.internal.misc", self)) {
                throw new IllegalAccessException("jdk.internal.misc is not exported to " + moduleName());
            }
            MethodHandles.Lookup lookup = MethodHandles.lookup(); // publicLookup cannot see a qualified (flag-given) export
            Object unsafe = lookup.findStatic(unsafeClass, "getUnsafe", MethodType.methodType(unsafeClass)).invoke();
            boolean enabled = (boolean) lookup.findStatic(unsafeClass, "isWritebackEnabled",
                    MethodType.methodType(boolean.class)).invoke();
            if (!enabled) {
                throw new UnsupportedOperationException("this CPU/JVM has no cache-line write-back instruction");
            }
            String noC2 = withoutC2();
            if (noC2 != null) {
                throw new UnsupportedOperationException("the JDK's write-back intrinsic needs the C2 compiler, and "
                        + noC2 + " (measured on JDK 25: Unsafe.writebackMemory then crashes the JVM)");
            }
            if (unsafeClass.getModule().isOpen("jdk.internal.misc", self)) {
                MethodHandles.Lookup deep = MethodHandles.privateLookupIn(unsafeClass, lookup);
                line = deep.findVirtual(unsafeClass, "writeback0", MethodType.methodType(void.class, long.class))
                        .bindTo(unsafe);
                post = deep.findVirtual(unsafeClass, "writebackPostSync0", MethodType.methodType(void.class))
                        .bindTo(unsafe);
            }
            range = lookup.findVirtual(unsafeClass, "writebackMemory",
                    MethodType.methodType(void.class, long.class, long.class)).bindTo(unsafe);
        } catch (Throwable t) {
            range = null;
            line = null;
            post = null;
            failure = t;
        }
        WRITEBACK_RANGE = range;
        WRITEBACK_LINE = line;
        POST_SYNC = post;
        PER_LINE = line != null && post != null;
        LOOKUP_FAILURE = failure;
    }

    static final UnsafeWriteBack INSTANCE = new UnsafeWriteBack();

    /**
     * Why C2 is unavailable, or null. Without C2 (-Xint, or tiered compilation stopped below level 4)
     * the JVM has no stub behind writebackMemory and the call jumps to address 0.
     */
    static String withoutC2() {
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return "the JVM runs interpreted only (-Xint)";
        }
        try {
            var diagnostics = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            boolean tiered = Boolean.parseBoolean(diagnostics.getVMOption("TieredCompilation").getValue());
            int stopAt = Integer.parseInt(diagnostics.getVMOption("TieredStopAtLevel").getValue());
            if (tiered && stopAt < 4) {
                return "the JVM stops tiered compilation at level " + stopAt + " (-XX:TieredStopAtLevel=" + stopAt + ")";
            }
        } catch (RuntimeException | LinkageError e) {
            // No HotSpot diagnostics: assume a standard JVM with C2.
        }
        return null;
    }

    private UnsafeWriteBack() {
    }

    static UnsafeWriteBack create() {
        if (WRITEBACK_RANGE == null) {
            if (LOOKUP_FAILURE instanceof UnsupportedOperationException u) {
                throw new MissingJvmFlagException(u.getMessage() + "; remove that flag, or choose WriteBackPath.LIBPMEM"
                        + " or page-cache mode", u);
            }
            throw new MissingJvmFlagException("CPU write-back through jdk.internal.misc.Unsafe needs the JVM flag "
                    + OPEN_FLAG + moduleName() + " (" + FLAG + moduleName() + " also works, with a fence after"
                    + " every write-back; or choose WriteBackPath.LIBPMEM, or page-cache mode)", LOOKUP_FAILURE);
        }
        return INSTANCE;
    }

    static boolean isAvailable() {
        return WRITEBACK_RANGE != null;
    }

    /**
     * True when write-backs are issued per line and fenced only by {@link #fence}; false when each
     * write-back fences (the JVM was given {@code --add-exports} but not {@code --add-opens}).
     */
    static boolean perLine() {
        return PER_LINE;
    }

    /** The flag that enables the per-line mode, for messages. */
    static String perLineFlag() {
        return OPEN_FLAG + moduleName();
    }

    private static String moduleName() {
        Module m = UnsafeWriteBack.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }

    @Override
    public void writeBack(MemorySegment mapping, long offset, long length) {
        long address = mapping.address() + offset;
        try {
            if (PER_LINE) {
                long end = address + length;
                for (long line = Bits.alignDown(address, Bits.CACHE_LINE); line < end; line += Bits.CACHE_LINE) {
                    WRITEBACK_LINE.invokeExact(line);
                }
            } else {
                WRITEBACK_RANGE.invokeExact(address, length);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void fence() {
        if (PER_LINE) {
            try {
                POST_SYNC.invokeExact();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        } else {
            // writebackMemory ended with its own SFENCE; only the compiler must not move stores above this.
            java.lang.invoke.VarHandle.storeStoreFence();
        }
    }

    @Override
    public boolean completesEachWriteBack() {
        return !PER_LINE;
    }

    @Override
    public WriteBackPath path() {
        return WriteBackPath.UNSAFE_WRITEBACK;
    }
}
