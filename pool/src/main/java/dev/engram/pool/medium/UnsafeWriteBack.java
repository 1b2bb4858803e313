package dev.engram.pool.medium;

import dev.engram.pool.MissingJvmFlagException;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * CPU write-back through the JDK's intrinsic {@code jdk.internal.misc.Unsafe.writebackMemory}, which
 * HotSpot compiles to a CLWB (or CLFLUSHOPT) per line followed by an SFENCE.
 *
 * <p>The method is looked up reflectively because {@code javac --release} refuses the export; the
 * handle is a static final constant so the JIT inlines it. Because the intrinsic ends with its own
 * SFENCE, each {@link #writeBack} is already ordered and {@link #fence} only has to stop the
 * compiler reordering later stores above it.
 *
 * <p>The intrinsic checks nothing: it must only see addresses inside a live mapping, which the
 * medium guarantees by bounds-checking before calling.
 */
final class UnsafeWriteBack implements CacheWriteBack {
    private static final String FLAG = "--add-exports java.base/jdk.internal.misc=";
    private static final MethodHandle WRITEBACK;
    private static final Throwable LOOKUP_FAILURE;

    static {
        MethodHandle mh = null;
        Throwable failure = null;
        try {
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            if (!unsafeClass.getModule().isExported("jdk.internal.misc", UnsafeWriteBack.class.getModule())) {
                throw new IllegalAccessException("jdk.internal.misc is not exported to " + moduleName());
            }
            MethodHandles.Lookup lookup = MethodHandles.lookup(); // publicLookup cannot see a qualified (flag-given) export
            Object unsafe = lookup.findStatic(unsafeClass, "getUnsafe", MethodType.methodType(unsafeClass)).invoke();
            mh = lookup.findVirtual(unsafeClass, "writebackMemory",
                    MethodType.methodType(void.class, long.class, long.class)).bindTo(unsafe);
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
        } catch (Throwable t) {
            mh = null;
            failure = t;
        }
        WRITEBACK = mh;
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
        if (WRITEBACK == null) {
            if (LOOKUP_FAILURE instanceof UnsupportedOperationException u) {
                throw new MissingJvmFlagException(u.getMessage() + "; remove that flag, or choose WriteBackPath.LIBPMEM"
                        + " or page-cache mode", u);
            }
            throw new MissingJvmFlagException("CPU write-back through jdk.internal.misc.Unsafe needs the JVM flag "
                    + FLAG + moduleName() + " (or choose WriteBackPath.LIBPMEM, or page-cache mode)", LOOKUP_FAILURE);
        }
        return INSTANCE;
    }

    static boolean isAvailable() {
        return WRITEBACK != null;
    }

    private static String moduleName() {
        Module m = UnsafeWriteBack.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }

    @Override
    public void writeBack(MemorySegment mapping, long offset, long length) {
        try {
            WRITEBACK.invokeExact(mapping.address() + offset, length);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void fence() {
        java.lang.invoke.VarHandle.storeStoreFence();
    }

    @Override
    public WriteBackPath path() {
        return WriteBackPath.UNSAFE_WRITEBACK;
    }
}
