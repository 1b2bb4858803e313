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
 * CPU write-back through libpmem, called through FFM: {@code pmem_flush} starts the write-back of the
 * lines (libpmem picks CLWB or CLFLUSHOPT), {@code pmem_drain} is the fence. Several flushes share one
 * fence, which is where the time goes (a fence waits for the lines to reach the media; the write-back
 * instructions themselves are cheap).
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
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void fence() {
        try {
            DRAIN.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public boolean completesEachWriteBack() {
        return false;
    }

    @Override
    public WriteBackPath path() {
        return WriteBackPath.LIBPMEM;
    }

}
