package dev.engram.pool.medium;

import dev.engram.pool.MissingJvmFlagException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * CPU write-back through libpmem ({@code pmem_flush} then {@code pmem_drain}), called through FFM;
 * libpmem picks CLWB or CLFLUSHOPT itself.
 *
 * <p>Why each write-back fences at once instead of leaving the SFENCE to {@link #fence}: a store
 * fence orders only the write-backs of the core that executes it, while {@link Medium#drain} promises
 * durability of every range flushed before it on <em>any</em> thread (the transaction layer relies on
 * that to fold a log invalidation into another thread's next drain). Fencing per write-back keeps that
 * promise, as the JDK intrinsic does by construction.
 */
final class LibPmemWriteBack implements CacheWriteBack {
    private static final MethodHandle FLUSH;
    private static final MethodHandle DRAIN;
    private static final Throwable LOAD_FAILURE;

    static {
        MethodHandle flush = null;
        MethodHandle drain = null;
        Throwable failure = null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = SymbolLookup.libraryLookup("libpmem.so.1", Arena.global());
            flush = linker.downcallHandle(lib.find("pmem_flush").orElseThrow(),
                    FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG), Linker.Option.critical(false));
            drain = linker.downcallHandle(lib.find("pmem_drain").orElseThrow(), FunctionDescriptor.ofVoid(),
                    Linker.Option.critical(false));
        } catch (Throwable t) {
            failure = t;
            flush = null;
            drain = null;
        }
        FLUSH = flush;
        DRAIN = drain;
        LOAD_FAILURE = failure;
    }

    private static final LibPmemWriteBack INSTANCE = new LibPmemWriteBack();

    private LibPmemWriteBack() {
    }

    static LibPmemWriteBack create() {
        if (FLUSH == null) {
            throw new MissingJvmFlagException("WriteBackPath.LIBPMEM needs libpmem.so.1 (Debian: apt-get install libpmem1)"
                    + " and --enable-native-access for Engram's module: " + LOAD_FAILURE, LOAD_FAILURE);
        }
        return INSTANCE;
    }

    static boolean isAvailable() {
        return FLUSH != null;
    }

    @Override
    public void writeBack(MemorySegment mapping, long offset, long length) {
        try {
            FLUSH.invokeExact(mapping.address() + offset, length);
            DRAIN.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void fence() {
        // Each write-back already ended with pmem_drain; only the compiler must not move stores above this.
        java.lang.invoke.VarHandle.storeStoreFence();
    }

    @Override
    public WriteBackPath path() {
        return WriteBackPath.LIBPMEM;
    }

}
