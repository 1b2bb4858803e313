package dev.engram.pool.medium;

/**
 * A mapping whose stores reach durability by CPU cache-line write-back: DAX (a MAP_SYNC mapping) or
 * forced pmem (any mapping, for tests and benchmarks, like PMDK's PMEM_IS_PMEM_FORCE=1). No syscall on
 * the persistence path.
 */
public final class CpuCacheMedium extends SegmentMedium {
    private final MappedFile file;
    private final CacheWriteBack writeBack;

    public CpuCacheMedium(MediumKind kind, MappedFile file, CacheWriteBack writeBack) {
        super(kind, file.path().toString(), file.segment());
        if (kind != MediumKind.DAX && kind != MediumKind.FORCED_PMEM) {
            throw new IllegalArgumentException("CPU write-back serves DAX or FORCED_PMEM, not " + kind);
        }
        this.file = file;
        this.writeBack = writeBack;
    }

    /** The write-back path in use. */
    public WriteBackPath writeBackPath() {
        return writeBack.path();
    }

    @Override
    protected void flushChecked(long offset, long length) {
        writeBack.writeBack(segment(), offset, length);
    }

    @Override
    protected void drainChecked() {
        writeBack.fence();
    }

    @Override
    public void grow(long newSize) {
        replaceSegment(file.grow(newSize));
    }

    @Override
    public void close() {
        file.close();
    }
}
