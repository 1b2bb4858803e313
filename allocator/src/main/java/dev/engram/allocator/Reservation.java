package dev.engram.allocator;

/**
 * A block taken from the heap's volatile state and not yet published: nothing on the media says
 * it is allocated, so a crash before {@link PersistentHeap#publish} leaves it free. Its header is
 * written; the caller may fill the object before publishing. Exactly one of publish or
 * {@link PersistentHeap#cancel} must follow.
 *
 * <p>Thread safety: hand a reservation between threads only with a happens-before edge.
 */
public final class Reservation {
    static final int RESERVED = 0;
    static final int PUBLISHED = 1;
    static final int CANCELLED = 2;

    final PersistentHeap heap;
    final long objectOffset;
    final long typeNum;
    /** The run the block is in, or null for a chunk span. */
    final RunState run;
    final int block;
    final ZoneState zone;
    final int chunk;
    final int chunks;
    /** The thread that wrote and flushed the header: a publish on another thread flushes it again. */
    final Thread reserver = Thread.currentThread();
    int state = RESERVED;

    Reservation(PersistentHeap heap, long objectOffset, long typeNum, RunState run, int block,
                ZoneState zone, int chunk, int chunks) {
        this.heap = heap;
        this.objectOffset = objectOffset;
        this.typeNum = typeNum;
        this.run = run;
        this.block = block;
        this.zone = zone;
        this.chunk = chunk;
        this.chunks = chunks;
    }

    /** {@return the pool offset of the object: the handle; its 16-byte header sits just before it} */
    public long objectOffset() {
        return objectOffset;
    }

    /** {@return the pool offset of the block, which is its header} */
    public long blockOffset() {
        return BlockHeaderLayout.blockOffsetOf(objectOffset);
    }

    /** {@return the bytes the object may use, at least the size reserved} */
    public long usableSize() {
        return run != null ? SizeClasses.objectCapacity(run.cls)
                : (long) chunks * HeapLayout.CHUNK_SIZE - BlockHeaderLayout.HEADER_SIZE;
    }

    /** {@return the type number written into the block header} */
    public long typeNum() {
        return typeNum;
    }

    /** {@return whether the reservation is neither published nor cancelled yet} */
    public boolean isPending() {
        return state == RESERVED;
    }

    @Override
    public String toString() {
        return "Reservation[object=" + objectOffset + ", usable=" + usableSize() + ", type=" + typeNum
                + (state == RESERVED ? "" : state == PUBLISHED ? ", published" : ", cancelled") + "]";
    }
}
