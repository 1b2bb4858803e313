package dev.engram.pool.medium;

import dev.engram.pool.Bits;
import dev.engram.pool.PoolIoException;

import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A plain MAP_SHARED mapping on the page cache. {@link #flush} only remembers the dirty pages (no
 * syscall); {@link #drain} msyncs exactly the coalesced pages flushed since the last drain.
 *
 * <p>Persistence order: drains are serialized by one lock held across the msyncs, so a drain never
 * returns while another thread's drain is still writing back ranges this caller flushed.
 */
public final class PageCacheMedium extends SegmentMedium {
    private final MappedFile file;
    private final DirtyRanges dirty = new DirtyRanges();
    private final ReentrantLock drainLock = new ReentrantLock();

    /**
     * Wraps a mapping; the medium owns it from now on and unmaps it on close.
     *
     * @param file a writable MAP_SHARED mapping
     */
    public PageCacheMedium(MappedFile file) {
        super(MediumKind.PAGE_CACHE, file.path().toString(), file.segment());
        this.file = file;
    }

    @Override
    protected long linesFor(long offset, long length) {
        return 0;
    }

    @Override
    protected void flushChecked(long offset, long length) {
        dirty.add(Bits.alignDown(offset, Bits.PAGE_SIZE), Math.min(size(), Bits.alignUp(offset + length, Bits.PAGE_SIZE)));
    }

    @Override
    protected void drainChecked() {
        drainLock.lock();
        try {
            long[] runs = dirty.take();
            for (int i = 0; i < runs.length; i += 2) {
                long start = runs[i];
                long length = runs[i + 1] - start;
                try {
                    segment().asSlice(start, length).force();
                } catch (UncheckedIOException e) {
                    throw failStop(new PoolIoException("msync failed on " + name() + " at offset " + start
                            + " (" + length + " bytes): " + e.getCause().getMessage()
                            + "; the pool refuses further writes, reopen it to recover", e));
                }
                recordMsync(length);
            }
        } finally {
            drainLock.unlock();
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
