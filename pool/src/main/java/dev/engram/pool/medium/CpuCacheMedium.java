package dev.engram.pool.medium;

import dev.engram.pool.Bits;
import dev.engram.pool.MediaErrorException;

import java.lang.foreign.MemorySegment;

/**
 * A mapping whose stores reach durability by CPU cache-line write-back: DAX (a MAP_SYNC mapping) or
 * forced pmem (any mapping, for tests and benchmarks, like PMDK's PMEM_IS_PMEM_FORCE=1). No syscall on
 * the persistence path.
 *
 * <p>A flush starts the write-back of its lines and a drain fences the calling thread's write-backs
 * (when the path allows it: {@link CacheWriteBack#completesEachWriteBack}); lines flushed with
 * {@link #flushShared} are written back again by whichever thread drains next.
 */
public final class CpuCacheMedium extends SegmentMedium {
    private final MappedFile file;
    private final CacheWriteBack writeBack;
    private final SharedFlushes shared = new SharedFlushes();
    /** Probed at registration (see {@link #flushSharedChecked}), so written back here without a probe. */
    private final SharedFlushes.LineWriter rewriteLine = this::rewriteLine;
    private final Runnable fence;

    /**
     * Wraps a mapping; the medium owns it from now on and unmaps it on close.
     *
     * @param kind      {@link MediumKind#DAX} or {@link MediumKind#FORCED_PMEM}
     * @param file      the mapping
     * @param writeBack the CPU write-back path to flush through
     * @throws IllegalArgumentException if {@code kind} is another kind
     */
    public CpuCacheMedium(MediumKind kind, MappedFile file, CacheWriteBack writeBack) {
        super(kind, file.path().toString(), file.segment());
        if (kind != MediumKind.DAX && kind != MediumKind.FORCED_PMEM) {
            throw new IllegalArgumentException("CPU write-back serves DAX or FORCED_PMEM, not " + kind);
        }
        this.file = file;
        this.writeBack = writeBack;
        this.fence = writeBack::fence;
    }

    /** {@return the write-back path in use} */
    public WriteBackPath writeBackPath() {
        return writeBack.path();
    }

    /**
     * Probes every page of the range through the segment before writing it back: a write-back of a
     * page the file lost (truncated or poisoned) kills the JVM, the probe's fault is catchable
     * ({@link PageProbe}). The probe's cost is one load per page, next to one write-back per line.
     */
    @Override
    protected void flushChecked(long offset, long length) {
        MemorySegment mapping = segment();
        probe(mapping, offset, length);
        writeBack.writeBack(mapping, offset, length);
    }

    private void rewriteLine(long line) {
        writeBack.writeBack(segment(), line, Bits.CACHE_LINE);
    }

    private void probe(MemorySegment mapping, long offset, long length) {
        long faulted = PageProbe.firstFaultingPage(mapping, offset, length);
        if (faulted >= 0) {
            throw failStop(new MediaErrorException(faulted, "cache write-back of " + name() + " refused: the page"
                    + " is gone (SIGBUS: file truncated under the mapping, or poisoned); writing it back would"
                    + " crash the JVM. The medium refuses further writes: check the pool file and reopen it"));
        }
    }

    /**
     * Registers the lines so that the next drain on any thread writes them back just before its fence
     * (see {@link SharedFlushes}). A path that fences every write-back needs no registry, and a full
     * registry falls back to writing back and fencing at once.
     */
    @Override
    protected void flushSharedChecked(long offset, long length) {
        flushSharedChecked(offset, length, SharedFlushes.GUARD_ALL_START, SharedFlushes.GUARD_ALL_END);
    }

    @Override
    protected void flushSharedChecked(long offset, long length, long guardStart, long guardEnd) {
        // Probed now, while the line is surely cached (it was just stored): at drain time another
        // write-back may have evicted it, and the probe's load would wait for memory.
        probe(segment(), offset, length);
        if (writeBack.completesEachWriteBack() || !shared.register(offset, length, guardStart, guardEnd)) {
            flushChecked(offset, length);
            writeBack.fence();
        }
    }

    @Override
    protected void drainChecked() {
        if (writeBack.completesEachWriteBack()) {
            writeBack.fence();
        } else {
            shared.drain(rewriteLine, fence);
        }
    }

    @Override
    protected void drainCheckedBeforeChanging(long scopeStart, long scopeEnd) {
        if (writeBack.completesEachWriteBack()) {
            writeBack.fence();
        } else {
            shared.drain(rewriteLine, fence, scopeStart, scopeEnd);
        }
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
