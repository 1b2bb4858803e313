package dev.engram.pool.medium;

import java.lang.foreign.MemorySegment;

/**
 * Write-back through {@link MemorySegment#force()} of the flushed slice: on a MAP_SYNC mapping the JDK
 * writes the lines back with the CPU (and fences); on any other mapping it is an msync of the pages.
 */
final class MappedForceWriteBack implements CacheWriteBack {
    static final MappedForceWriteBack INSTANCE = new MappedForceWriteBack();

    private MappedForceWriteBack() {
    }

    @Override
    public void writeBack(MemorySegment mapping, long offset, long length) {
        mapping.asSlice(offset, length).force();
    }

    @Override
    public void fence() {
        java.lang.invoke.VarHandle.storeStoreFence();
    }

    @Override
    public boolean completesEachWriteBack() {
        return true;
    }

    @Override
    public WriteBackPath path() {
        return WriteBackPath.MAPPED_FORCE;
    }
}
