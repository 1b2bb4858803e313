package dev.engram.pool.medium;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JDK's {@code Unsafe.writebackMemory} intrinsic (CLWB + SFENCE), bound with a full-privilege
 * lookup. Test-only twin of {@link UnsafeWriteBack}: the child JVMs of {@link TruncatedWriteBackTest}
 * need the real instruction, and {@code UnsafeWriteBack}'s public lookup cannot see a package that
 * is exported to ALL-UNNAMED only (reported to the owner of that class).
 */
final class IntrinsicWriteBack implements CacheWriteBack {
    static final MethodHandle WRITEBACK;

    static {
        try {
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Object unsafe = lookup.findStatic(unsafeClass, "getUnsafe", MethodType.methodType(unsafeClass)).invoke();
            WRITEBACK = lookup.findVirtual(unsafeClass, "writebackMemory",
                    MethodType.methodType(void.class, long.class, long.class)).bindTo(unsafe);
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    @Override
    public void writeBack(MemorySegment mapping, long offset, long length) {
        writeBackRaw(mapping.address() + offset, length);
    }

    /** The bare intrinsic, without the medium's probe: only the crash demonstration calls it directly. */
    static void writeBackRaw(long address, long length) {
        try {
            WRITEBACK.invokeExact(address, length);
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
