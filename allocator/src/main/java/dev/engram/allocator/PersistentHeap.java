package dev.engram.allocator;

import dev.engram.pool.Bits;
import dev.engram.pool.OutOfPoolMemoryException;
import dev.engram.pool.medium.Medium;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * The persistent heap over a region {@code [heapOffset, heapOffset + heapSize)} of a medium
 * (DESIGN.md §3): zones of 256 KiB chunks, runs of equal blocks for the {@link SizeClasses size
 * classes}, chunk spans (best fit) for larger objects, every object behind a 16-byte
 * {@link BlockHeaderLayout header}. Handles are pool offsets of the object (after its header).
 *
 * <p><b>Verbs.</b> {@link #reserve} takes a block in volatile state only; {@link #publish} makes a
 * set of reservations and frees durable, together with the 8-byte stores into their destination
 * words, through one {@link RedoLog}: after a crash either all of it happened or none;
 * {@link #cancel} returns a reservation. {@link #allocate}, {@link #free} and {@link #realloc} are
 * the one-object forms.
 *
 * <p><b>Recovery order.</b> The owner of the redo logs (the lanes) must
 * {@link RedoLog#recover recover} every log <em>before</em> calling {@link #open}; open reads only
 * the heap header, and each zone's free lists are rebuilt from the media the first time the zone
 * is needed (so opening a large heap costs the same as a small one).
 *
 * <p><b>Persistence order of a publish.</b> Block headers (written at reserve time), new runs'
 * zeroed bitmaps and anything the caller flushed into reserved objects are drained before the log
 * is committed: the log's checksum cannot vouch for them, so the valid word must not be able to
 * reach the media first (a free-only publish has nothing to drain here). Then the log is committed
 * (entries, valid word, one drain), applied (bitmap OR/AND, chunk-header and destination stores, one drain)
 * and cleared (see {@link RedoLog}). Freed blocks and chunks return to the volatile free lists only
 * after the clear.
 *
 * <p><b>Threads and lock order.</b> All methods are thread-safe. Each thread allocates from its own
 * {@link Arena} (per-class current runs): an exclusive one, held without a lock, for the first
 * {@link #ARENAS} threads alive at once, a shared one under its monitor beyond that; so threads
 * that allocate at once never share a run, its lock or its bitmap's cache line. Locks, outermost
 * first: a shared arena's monitor, the {@link ChunkSpace} monitor (zones, free spans, partial runs,
 * growth), then run locks in ascending offset order (held while a publish applies its log, because
 * OR/AND entries read and write shared bitmap words). {@link #allocate} and {@link #free} of a run
 * block hold that one run's lock from the block's take (or check) to the log's clear: one lock
 * per operation, no other lock, no allocation. After a media failure during a publish the volatile
 * state may disagree with the media: close and reopen (recovery reconciles).
 */
public final class PersistentHeap {
    /** A destination of 0 means "no destination store". */
    public static final long NO_DESTINATION = 0;

    /** Exclusive arenas: the first this many threads (live at once) allocate without any arena lock. */
    static final int ARENAS = Math.max(4, 4 * Runtime.getRuntime().availableProcessors());
    /** Shared arenas, for threads beyond {@link #ARENAS}, used under their monitors. */
    static final int SHARED_ARENAS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Medium medium;
    private final long heapOffset;
    private final int chunksPerZone;
    private final ChunkSpace chunks;
    private final Arena[] arenas;
    private final Arena[] sharedArenas;
    private final AtomicInteger nextArena = new AtomicInteger();
    private final ThreadLocal<Arena> threadArena;

    private PersistentHeap(Medium medium, long heapOffset, long heapSize, int chunksPerZone, long maxSize,
                           HeapExtender extender, int exclusiveArenas, int sharedArenas) {
        this.medium = medium;
        this.heapOffset = heapOffset;
        this.chunksPerZone = chunksPerZone;
        this.chunks = new ChunkSpace(medium, heapOffset, heapSize, chunksPerZone, maxSize, extender);
        this.arenas = new Arena[exclusiveArenas];
        this.sharedArenas = new Arena[sharedArenas];
        for (int i = 0; i < exclusiveArenas; i++) {
            arenas[i] = new Arena(i, true);
        }
        for (int i = 0; i < sharedArenas; i++) {
            this.sharedArenas[i] = new Arena(exclusiveArenas + i, false);
        }
        this.threadArena = ThreadLocal.withInitial(this::claimArena);
    }

    /**
     * Same as {@link #create(Medium, long, long, long, int, HeapExtender)} with a given number of
     * arenas (tests).
     */
    static PersistentHeap create(Medium medium, long heapOffset, long heapSize, long maxSize, int chunksPerZone,
                                 HeapExtender extender, int exclusiveArenas, int sharedArenas) {
        format(medium, heapOffset, heapSize, maxSize, chunksPerZone);
        return new PersistentHeap(medium, heapOffset, heapSize, chunksPerZone, maxSize, extender,
                exclusiveArenas, sharedArenas);
    }

    /**
     * The calling thread's arena: a free exclusive one (or one whose thread has died), claimed for
     * good, else one of the shared arenas. Threads start their search at different arenas.
     */
    private Arena claimArena() {
        final int start = nextArena.getAndIncrement();
        for (int i = 0; i < arenas.length; i++) {
            final Arena a = arenas[Math.floorMod(start + i, arenas.length)];
            if (a.tryClaim()) {
                return a;
            }
        }
        return sharedArenas[Math.floorMod(start, sharedArenas.length)];
    }

    /**
     * Formats a new heap: header, zone headers and zeroed chunk tables, persisted. Not crash-atomic:
     * the pool marks itself valid only after this returns.
     *
     * @param medium        the medium the heap lives on
     * @param heapOffset    pool offset of the region, page-aligned
     * @param heapSize      bytes in the region now, at least {@link HeapLayout#minHeapSize}
     * @param maxSize       the heap never grows past this (use {@code heapSize} for a fixed heap)
     * @param chunksPerZone chunks per zone, 1 to {@link HeapLayout#MAX_CHUNKS_PER_ZONE}
     * @param extender      grows the region on demand; null for a fixed heap
     * @return the heap, empty and ready for use
     * @throws IllegalArgumentException if the offset is not page-aligned, the region is too small, lies outside
     *         the medium, or {@code maxSize < heapSize}
     * @throws dev.engram.pool.PoolCorruptedException if {@code chunksPerZone} is out of range
     */
    public static PersistentHeap create(Medium medium, long heapOffset, long heapSize, long maxSize,
                                        int chunksPerZone, HeapExtender extender) {
        format(medium, heapOffset, heapSize, maxSize, chunksPerZone);
        return new PersistentHeap(medium, heapOffset, heapSize, chunksPerZone, maxSize, extender, ARENAS, SHARED_ARENAS);
    }

    private static void format(Medium medium, long heapOffset, long heapSize, long maxSize, int chunksPerZone) {
        HeapLayout.checkChunksPerZone(chunksPerZone, -1);
        if ((heapOffset & (Bits.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("heap offset must be page-aligned, heapOffset=" + heapOffset);
        }
        if (heapSize < HeapLayout.minHeapSize(chunksPerZone) || maxSize < heapSize) {
            throw new IllegalArgumentException("heap too small or max below size: heapSize=" + heapSize
                    + " maxSize=" + maxSize + " minSize=" + HeapLayout.minHeapSize(chunksPerZone));
        }
        if (heapOffset < 0 || heapOffset > medium.size() - heapSize) {
            throw new IllegalArgumentException("heap region outside the medium: heapOffset=" + heapOffset
                    + " heapSize=" + heapSize + " mediumSize=" + medium.size());
        }
        final int zones = ZoneLayout.zoneCount(chunksPerZone, heapSize);
        final long tableBytes = (long) chunksPerZone * ZoneLayout.CHUNK_HEADER_SIZE;
        for (int z = 0; z < zones; z++) {
            final long base = ZoneLayout.zoneBase(heapOffset, chunksPerZone, z);
            medium.fill(base + ZoneLayout.CHUNK_TABLE_OFFSET, tableBytes, (byte) 0);
            medium.flush(base + ZoneLayout.CHUNK_TABLE_OFFSET, tableBytes);
            ChunkSpace.writeZoneHeaderPersist(medium, base, z);
        }
        HeapLayout.writePersist(medium, heapOffset, chunksPerZone, maxSize);
    }

    /**
     * A fixed-size heap with the default zone size.
     *
     * @param medium     the medium the heap lives on
     * @param heapOffset pool offset of the region, page-aligned
     * @param heapSize   bytes in the region, at least {@link HeapLayout#minHeapSize} for the default zone size
     * @return the heap, empty and ready for use
     * @throws IllegalArgumentException if the region is misaligned, too small or outside the medium
     */
    public static PersistentHeap create(Medium medium, long heapOffset, long heapSize) {
        return create(medium, heapOffset, heapSize, heapSize, HeapLayout.DEFAULT_CHUNKS_PER_ZONE, null);
    }

    /**
     * Opens a heap after its redo logs were recovered. Reads and validates the header only; zones
     * are loaded (and validated) on first use.
     *
     * @param medium     the medium the heap lives on
     * @param heapOffset pool offset of the region, as the pool header records it
     * @param heapSize   the current size of the region, as the pool header records it
     * @param extender   grows the region on demand; null for a fixed heap
     * @return the heap
     * @throws dev.engram.pool.PoolCorruptedException if the header is invalid
     * @throws dev.engram.pool.UnsupportedFormatException if the header has another major version
     */
    public static PersistentHeap open(Medium medium, long heapOffset, long heapSize, HeapExtender extender) {
        final HeapLayout.Header header = HeapLayout.read(medium, heapOffset, heapSize);
        return new PersistentHeap(medium, heapOffset, heapSize, header.chunksPerZone(), header.maxSize(), extender,
                ARENAS, SHARED_ARENAS);
    }

    Medium medium() {
        return medium;
    }

    ChunkSpace chunks() {
        return chunks;
    }

    /** {@return the pool offset of the heap region (and of its header)} */
    public long heapOffset() {
        return heapOffset;
    }

    /** {@return the current size of the heap region in bytes} */
    public long size() {
        return chunks.heapSize();
    }

    /** {@return the size in bytes the heap may grow to, as recorded at create} */
    public long maxSize() {
        return chunks.maxSize();
    }

    /** {@return the number of chunks per zone, fixed at create} */
    public int chunksPerZone() {
        return chunksPerZone;
    }

    /** {@return the number of zones whose volatile state has been built so far (lazy rebuild)} */
    public int loadedZones() {
        return chunks.loadedZones();
    }

    // ---- reserve / cancel ----------------------------------------------------------------------

    /**
     * Reserves a block for an object of {@code size} bytes of type {@code typeNum}, or returns null
     * when the heap (grown up to its maximum) has no room: the hot-path form.
     *
     * @param size    object bytes wanted, not counting the 16-byte header; 0 is allowed
     * @param typeNum the object's type number, recorded in its header (for {@link #forEachObject(long, LongConsumer)})
     * @return the reservation, or null if no block fits even after growing
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public Reservation tryReserve(long size, long typeNum) {
        return tryReserve(size, typeNum, true);
    }

    /**
     * {@code flushHeader} false: the caller puts the header words into the publishing redo log
     * instead ({@link #allocate}), so the header line stays in the cache for the log's apply.
     */
    private Reservation tryReserve(long size, long typeNum, boolean flushHeader) {
        if (size < 0) {
            throw new IllegalArgumentException("object size must be >= 0, size=" + size);
        }
        final int cls = SizeClasses.classOf(size);
        if (cls != SizeClasses.SPAN && SizeClasses.runChunks(cls) <= chunksPerZone) {
            return reserveBlock(cls, typeNum, flushHeader);
        }
        final long n = SizeClasses.spanChunks(size);
        if (n > chunksPerZone) {
            return null;
        }
        final long packed = chunks.takeSpan((int) n);
        if (packed < 0) {
            return null;
        }
        final ZoneState z = chunks.zone(packed);
        final int chunk = ChunkSpace.chunkOf(packed);
        final long block = z.chunkOffset(chunk);
        writeBlockHeader(block, n * HeapLayout.CHUNK_SIZE, BlockHeaderLayout.SPAN_CLASS, typeNum, flushHeader);
        return new Reservation(this, BlockHeaderLayout.objectOffset(block), typeNum, null, -1, z, chunk, (int) n);
    }

    private Reservation reserveBlock(int cls, long typeNum, boolean flushHeader) {
        final RunState run = lockRunWithRoom(cls);
        if (run == null) {
            return null;
        }
        final int block;
        try {
            block = run.takeLocked();
        } finally {
            run.lock.unlock();
        }
        final long blockOffset = run.blockOffset(block);
        writeBlockHeader(blockOffset, run.blockSize, cls, typeNum, flushHeader);
        return new Reservation(this, BlockHeaderLayout.objectOffset(blockOffset), typeNum, run, block, null, -1, 0);
    }

    /**
     * The calling thread's current run of class {@code cls}, locked, with a block free to take
     * ({@link RunState#hasRoomLocked}); a full run is replaced by a partial or new one. Null (and no
     * lock held) when the heap has no room for another run. Lock order: the arena's monitor for a
     * shared arena (none for the thread's exclusive one), the chunk space, the run: the run is locked
     * only after the chunk space is left.
     */
    private RunState lockRunWithRoom(int cls) {
        final Arena arena = threadArena.get();
        final RunState run;
        if (arena.exclusive) {
            run = lockRunWithRoom(arena, cls);
        } else {
            synchronized (arena) {
                run = lockRunWithRoom(arena, cls);
            }
        }
        return run != null ? run : lockOtherArenasRunWithRoom(arena, cls);
    }

    /**
     * The last resort before "out of memory": a run of class {@code cls} that another arena holds as
     * its current one and that still has a free block, locked. Without it a thread could fail while
     * another (live, idle) thread's arena keeps a partly used run. The other arena's slot is read
     * without its owner's synchronization; whatever run it yields is checked again under the run's
     * lock (still that arena's, room left), and blocks are only ever taken under that lock.
     */
    private RunState lockOtherArenasRunWithRoom(Arena self, int cls) {
        for (Arena[] group : new Arena[][] {arenas, sharedArenas}) {
            for (Arena other : group) {
                if (other == self) {
                    continue;
                }
                final RunState run = other.current[cls];
                if (run == null) {
                    continue;
                }
                run.lock.lock();
                if (run.owner == other && run.hasFreeBlockLocked()) {
                    return run;
                }
                run.lock.unlock();
            }
        }
        return null;
    }

    private RunState lockRunWithRoom(Arena arena, int cls) {
        RunState run = arena.current[cls];
        while (true) {
            if (run != null) {
                run.lock.lock();
                if (run.hasRoomLocked()) {
                    return run;
                }
                run.lock.unlock();
                arena.current[cls] = null;
            }
            run = chunks.acquireRun(cls, arena);
            if (run == null) {
                return null;
            }
            arena.current[cls] = run;
        }
    }

    /**
     * Reserves every free block and every free chunk that overlaps {@code [offset, offset + length)},
     * tagged {@code typeNum}: run blocks one by one, and each stretch of consecutive free chunks of
     * one zone as one span. Used to quarantine known bad media, so that the allocator never hands it
     * out again: publish the reservations (their bytes are not touched, apart from the block
     * header each carries, written and flushed here as for any reservation), or cancel them. Parts
     * of the range that are heap metadata, live or reserved blocks, or a run's unused tail are
     * skipped; an empty list means nothing there is free.
     *
     * @param offset  pool offset of the range's first byte
     * @param length  bytes in the range, positive
     * @param typeNum type number the reserved blocks are tagged with
     * @return the reservations, in address order
     * @throws IllegalArgumentException if the range is empty or outside the heap
     */
    public List<Reservation> reserveFreeIn(long offset, long length, long typeNum) {
        if (length <= 0 || offset < heapOffset || offset > heapOffset + size() - length) {
            throw new IllegalArgumentException("range outside the heap: offset=" + offset + " length=" + length
                    + " heap=[" + heapOffset + ", " + (heapOffset + size()) + ")");
        }
        final List<Reservation> out = new ArrayList<>();
        final long end = offset + length;
        final long first = Math.max(offset, ZoneLayout.zoneBase(heapOffset, chunksPerZone, 0));
        long p = first;
        while (p < end) {
            final ZoneState z = chunks.zoneFor(p);
            if (z == null) {
                p = nextChunkData(p, end);
                continue;
            }
            final int c = (int) ((p - z.dataStart) / HeapLayout.CHUNK_SIZE);
            final RunState run = chunks.runAt(z, c);
            if (run != null) {
                p = reserveRunBlocks(run, p, end, typeNum, out);
                continue;
            }
            int n = 0;
            while (c + n < z.chunkCount && z.chunkOffset(c + n) < end && chunks.isFreeChunk(z, c + n)) {
                n++;
            }
            if (n > 0 && chunks.takeSpanAt(z, c, n)) {
                final long block = z.chunkOffset(c);
                writeBlockHeader(block, (long) n * HeapLayout.CHUNK_SIZE, BlockHeaderLayout.SPAN_CLASS, typeNum, true);
                out.add(new Reservation(this, BlockHeaderLayout.objectOffset(block), typeNum, null, -1, z, c, n));
            }
            p = z.chunkOffset(c + Math.max(n, 1));
        }
        return out;
    }

    /** Reserves the free blocks of {@code run} overlapping {@code [from, end)}; returns the offset after the run's part. */
    private long reserveRunBlocks(RunState run, long from, long end, long typeNum, List<Reservation> out) {
        final long runEnd = run.runStart + (long) SizeClasses.runChunks(run.cls) * HeapLayout.CHUNK_SIZE;
        final long lo = Math.max(from, run.dataStart);
        final long hi = Math.min(end, run.dataStart + (long) run.blocks * run.blockSize);
        if (lo < hi) {
            final int firstBlock = (int) ((lo - run.dataStart) / run.blockSize);
            final int lastBlock = (int) ((hi - 1 - run.dataStart) / run.blockSize);
            for (int b = firstBlock; b <= lastBlock; b++) {
                if (run.tryTakeBlock(b)) {
                    final long block = run.blockOffset(b);
                    writeBlockHeader(block, run.blockSize, run.cls, typeNum, true);
                    out.add(new Reservation(this, BlockHeaderLayout.objectOffset(block), typeNum, run, b, null, -1, 0));
                }
            }
        }
        return Math.min(runEnd, Math.max(end, from + 1));
    }

    /** The first chunk-data offset after {@code p} (past zone metadata), or {@code end}. */
    private long nextChunkData(long p, long end) {
        final int zones = ZoneLayout.zoneCount(chunksPerZone, size());
        for (int i = 0; i < zones; i++) {
            final long data = ZoneLayout.zoneDataStart(heapOffset, chunksPerZone, i);
            final long dataEnd = data + (long) ZoneLayout.chunkCount(chunksPerZone, size(), i) * HeapLayout.CHUNK_SIZE;
            if (p < data) {
                return Math.min(data, end);
            }
            if (p < dataEnd) {
                return p + 1;
            }
        }
        return end;
    }

    private void writeBlockHeader(long block, long blockSize, int cls, long typeNum, boolean flush) {
        medium.putLong(block + BlockHeaderLayout.SIZE_WORD_OFFSET, BlockHeaderLayout.packSizeWord(blockSize, cls, 0));
        medium.putLong(block + BlockHeaderLayout.TYPE_OFFSET, typeNum);
        if (flush) {
            medium.flush(block, BlockHeaderLayout.HEADER_SIZE);
        }
    }

    /**
     * Reserves a block, or fails at the public edge.
     *
     * @param size    object bytes wanted, not counting the 16-byte header; 0 is allowed
     * @param typeNum the object's type number, recorded in its header
     * @return the reservation; publish or cancel it
     * @throws OutOfPoolMemoryException when no block fits even after growing to the maximum size
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public Reservation reserve(long size, long typeNum) {
        final Reservation r = tryReserve(size, typeNum);
        if (r == null) {
            throw outOfMemory(size);
        }
        return r;
    }

    private OutOfPoolMemoryException outOfMemory(long size) {
        return new OutOfPoolMemoryException("no free block for an object of " + size + " bytes in the heap at offset="
                + heapOffset + " (size " + size() + " of max " + maxSize() + " bytes); free objects or create the pool with a larger maximum size");
    }

    /**
     * Returns a reservation's block to the free lists; nothing on the media changes.
     *
     * @param r a pending reservation of this heap
     * @throws IllegalArgumentException if {@code r} belongs to another heap
     * @throws IllegalStateException    if {@code r} was already published or cancelled
     */
    public void cancel(Reservation r) {
        checkPending(r);
        r.state = Reservation.CANCELLED;
        if (r.run != null) {
            releaseTaken(r.run, r.block);
        } else {
            chunks.releaseSpan(r.zone, r.chunk, r.chunks);
        }
    }

    private void releaseTaken(RunState run, int block) {
        boolean offer = false;
        run.lock.lock();
        try {
            RunState.clear(run.taken, block);
            run.takenCount--;
            if (run.owner == null && !run.inPartial && !run.retiring) {
                run.inPartial = true;
                offer = true;
            }
        } finally {
            run.lock.unlock();
        }
        if (offer) {
            chunks.offerPartial(run);
        }
    }

    void checkPending(Reservation r) {
        if (r.heap != this) {
            throw new IllegalArgumentException("reservation of another heap: " + r);
        }
        if (r.state != Reservation.RESERVED) {
            throw new IllegalStateException("reservation already published or cancelled: " + r);
        }
    }

    // ---- publish ------------------------------------------------------------------------------

    /**
     * Publishes reservations and frees atomically through {@code log}: the bitmap and chunk-header
     * changes, {@code destinations[i] := reservations[i].objectOffset()} and
     * {@code freeDestinations[i] := 0} all happen, or after a crash none does. Entries the caller
     * already put in {@code log} are committed with them. Object contents the caller wrote into a
     * reservation need only be flushed: publish drains before it commits. Any array may be null (none);
     * destination 0 means no store.
     *
     * @param reservations     pending reservations of this heap, or null
     * @param destinations     per reservation, the pool offset of an 8-byte word to receive its object offset
     *                         (0: none); null for no stores
     * @param frees            object offsets of published objects to free, or null
     * @param freeDestinations per freed object, the pool offset of a word to set to 0 (0: none); null for no stores
     * @param log              the caller's redo log (its lane's); empty, or holding entries to commit together
     * @throws IllegalArgumentException if a freed offset is not a published object of this heap, a
     *         reservation belongs to another heap or is listed twice, an array length does not match, or
     *         a destination is not an 8-aligned offset inside the medium
     * @throws IllegalStateException    if a reservation was already published or cancelled, or the entries
     *         do not fit in the redo log
     */
    public void publish(Reservation[] reservations, long[] destinations, long[] frees, long[] freeDestinations,
                        RedoLog log) {
        HeapPublish.publish(this, reservations, destinations, frees, freeDestinations, log, HeapPublish.CONTENTS_FLUSHED);
    }

    /**
     * {@link #publish(Reservation[], long[], long[], long[], RedoLog)} for a caller that has already
     * drained, on this thread, after everything it wrote into the reservations was flushed (a
     * transaction's commit does): the publish skips its own first drain unless it has to write back
     * something another thread flushed (a header reserved there, a run's new bitmap). Saves one fence.
     *
     * @param reservations     blocks to publish, or null
     * @param destinations     per reservation, the word that receives its offset (0: none)
     * @param frees            objects to free, or null
     * @param freeDestinations per free, the word set to 0 (0: none), or null
     * @param log              the caller's lane's redo log
     */
    public void publishDrained(Reservation[] reservations, long[] destinations, long[] frees,
                               long[] freeDestinations, RedoLog log) {
        HeapPublish.publish(this, reservations, destinations, frees, freeDestinations, log, HeapPublish.CONTENTS_DRAINED);
    }

    /**
     * {@link #publish(Reservation[], long[], long[], long[], RedoLog)} for a caller that flushed, without
     * a drain, everything it wrote into the reservations and elsewhere, and witnessed each such range
     * in {@code log} ({@link RedoLog#witness}) before flushing it: the log's commit drains once for
     * both, so a transaction's commit saves the fence of its data. The block headers go into the log.
     *
     * @param reservations     blocks to publish, or null
     * @param destinations     per reservation, the word that receives its offset (0: none)
     * @param frees            objects to free, or null
     * @param freeDestinations per free, the word set to 0 (0: none), or null
     * @param log              the caller's lane's redo log, holding the witnesses
     */
    public void publishWitnessed(Reservation[] reservations, long[] destinations, long[] frees,
                                 long[] freeDestinations, RedoLog log) {
        HeapPublish.publish(this, reservations, destinations, frees, freeDestinations, log,
                HeapPublish.CONTENTS_WITNESSED);
    }

    /**
     * Publishes one reservation, storing its object offset at {@code destination} (0: none).
     *
     * @param reservation a pending reservation of this heap
     * @param destination pool offset of the word to receive the object offset, or 0
     * @param log         the caller's redo log
     */
    public void publish(Reservation reservation, long destination, RedoLog log) {
        HeapPublish.publish(this, new Reservation[] {reservation}, new long[] {destination}, null, null, log,
                HeapPublish.CONTENTS_FLUSHED);
    }

    /**
     * Allocates and publishes an object, storing its offset at {@code destination}; returns the offset.
     * On return the object and the destination store are durable together.
     *
     * The block is returned to the free lists if the publish fails. Nothing is written into the
     * object: its block header goes into the redo log with the bitmap and destination entries, so
     * that an allocation in an existing run costs two drains (commit, apply).
     *
     * @param size        object bytes wanted, not counting the header
     * @param typeNum     the object's type number
     * @param destination pool offset of the word to receive the object offset, or 0
     * @param log         the caller's redo log
     * @return the new object's pool offset
     * @throws OutOfPoolMemoryException if no block fits even after growing
     * @throws IllegalArgumentException if {@code size} is negative or {@code destination} is not an
     *         8-aligned offset inside the medium
     */
    public long allocate(long size, long typeNum, long destination, RedoLog log) {
        if (size < 0) {
            throw new IllegalArgumentException("object size must be >= 0, size=" + size);
        }
        final int cls = SizeClasses.classOf(size);
        if (cls != SizeClasses.SPAN && SizeClasses.runChunks(cls) <= chunksPerZone) {
            HeapPublish.checkDestination(medium, destination);
            final RunState run = lockRunWithRoom(cls);
            if (run == null) {
                throw outOfMemory(size);
            }
            try {
                return HeapPublish.allocateLocked(this, run, typeNum, destination, log);
            } finally {
                run.lock.unlock();
            }
        }
        final Reservation r = tryReserve(size, typeNum, false);
        if (r == null) {
            throw outOfMemory(size);
        }
        try {
            HeapPublish.publish(this, new Reservation[] {r}, new long[] {destination}, null, null, log,
                    HeapPublish.NO_CONTENTS);
        } finally {
            if (r.state == Reservation.RESERVED) {
                cancel(r);
            }
        }
        return r.objectOffset;
    }

    /**
     * Frees an object and stores 0 at {@code destination} (0: none), atomically; both durable on return.
     *
     * @param objectOffset a published object of this heap
     * @param destination  pool offset of the word to set to 0, or 0
     * @param log          the caller's redo log
     * @throws IllegalArgumentException if {@code objectOffset} is not a published object of this heap
     */
    public void free(long objectOffset, long destination, RedoLog log) {
        HeapPublish.checkDestination(medium, destination);
        final RunState hint = chunks.runHint(objectOffset);
        if (hint != null && HeapPublish.freeInRun(this, hint, objectOffset, destination, log)) {
            return;
        }
        HeapPublish.publish(this, null, null, new long[] {objectOffset}, new long[] {destination}, log,
                HeapPublish.CONTENTS_FLUSHED);
    }

    /**
     * Resizes an object: returns it unchanged when it already fits and has the same type, else moves
     * it (the first {@code min(old, new)} bytes copied) and publishes "allocate new, store it at
     * {@code destination}, free old" as one redo log. {@code objectOffset} 0 allocates.
     *
     * @param objectOffset the object, or 0 to allocate a new one
     * @param newSize      object bytes wanted
     * @param typeNum      the type number the result must have
     * @param destination  pool offset of the word to receive the new offset, or 0
     * @param log          the caller's redo log
     * @return the object's offset: {@code objectOffset} if unchanged, else the new object's
     * @throws OutOfPoolMemoryException if a move is needed and no block fits
     * @throws IllegalArgumentException if {@code objectOffset} is not a published object of this heap
     */
    public long realloc(long objectOffset, long newSize, long typeNum, long destination, RedoLog log) {
        if (objectOffset == 0) {
            return allocate(newSize, typeNum, destination, log);
        }
        final long usable = usableSize(objectOffset);
        if (newSize <= usable && typeNum(objectOffset) == typeNum) {
            return objectOffset;
        }
        final Reservation r = reserve(newSize, typeNum);
        try {
            final long copy = Math.min(usable, newSize);
            if (copy > 0) {
                medium.copy(objectOffset, r.objectOffset, copy);
                medium.flush(r.objectOffset, copy);
            }
            HeapPublish.publish(this, new Reservation[] {r}, new long[] {destination}, new long[] {objectOffset},
                    null, log, HeapPublish.CONTENTS_FLUSHED);
        } finally {
            if (r.state == Reservation.RESERVED) {
                cancel(r);
            }
        }
        return r.objectOffset;
    }

    /**
     * Bytes usable by a published object.
     *
     * @param objectOffset a published object of this heap
     * @return the object's capacity in bytes, at least the size it was allocated with
     * @throws IllegalArgumentException if {@code objectOffset} is not a published object of this heap
     */
    public long usableSize(long objectOffset) {
        return blockSizeOf(objectOffset) - BlockHeaderLayout.HEADER_SIZE;
    }

    /**
     * Type number of a published object.
     *
     * @param objectOffset a published object of this heap
     * @return the type number recorded in its header
     * @throws IllegalArgumentException if {@code objectOffset} is not a published object of this heap
     */
    public long typeNum(long objectOffset) {
        blockSizeOf(objectOffset);
        return medium.getLong(BlockHeaderLayout.blockOffsetOf(objectOffset) + BlockHeaderLayout.TYPE_OFFSET);
    }

    private long blockSizeOf(long objectOffset) {
        // Most objects are run blocks: found through the unlocked hint and checked under the run's
        // lock alone (tx reads an object's size whenever it opens a handle; the chunk-space lock is
        // every thread's).
        final RunState hint = chunks.runHint(objectOffset);
        if (hint != null && hint.isPublished(hint.blockIndexOf(objectOffset))) {
            return hint.blockSize;
        }
        final ZoneState z = chunks.zoneFor(objectOffset);
        if (z == null) {
            throw notAnObject(objectOffset, "outside the heap's chunks");
        }
        final int chunk = (int) ((objectOffset - z.dataStart) / HeapLayout.CHUNK_SIZE);
        final RunState run = chunks.runAt(z, chunk);
        if (run != null) {
            final int block = run.blockIndexOf(objectOffset);
            if (!run.isPublished(block)) {
                throw notAnObject(objectOffset, "no published block starts there");
            }
            return run.blockSize;
        }
        final int length = chunks.publishedSpanAt(z, chunk, objectOffset);
        if (length <= 0) {
            throw notAnObject(objectOffset, "no published object starts there");
        }
        return (long) length * HeapLayout.CHUNK_SIZE;
    }

    static IllegalArgumentException notAnObject(long objectOffset, String why) {
        return new IllegalArgumentException("not a published object of this heap: offset=" + objectOffset + " (" + why + ")");
    }

    // ---- growth, iteration, statistics, check ---------------------------------------------------

    /**
     * Grows the heap by at least {@code minBytes} through the extender; returns the bytes gained.
     *
     * @param minBytes bytes wanted; the extender may give more, the maximum size may allow less
     * @return bytes gained, 0 for a fixed heap or one already at its maximum size
     */
    public long grow(long minBytes) {
        return chunks.grow(minBytes);
    }

    /**
     * Calls {@code action} with the offset of every published object of type {@code typeNum}, read
     * from the media (weakly consistent with concurrent publishes).
     *
     * @throws dev.engram.pool.PoolCorruptedException at the first inconsistency met
     *
     * @param typeNum the type number to match
     * @param action   receives each object's pool offset
     */
    public void forEachObject(long typeNum, LongConsumer action) {
        walk(typeNum, true, action);
    }

    /**
     * Calls {@code action} with every published object's offset, any type.
     *
     * @param action receives each object's pool offset
     * @throws dev.engram.pool.PoolCorruptedException at the first inconsistency met
     */
    public void forEachObject(LongConsumer action) {
        walk(0, false, action);
    }

    /** Receives a published object with its type number and usable size. */
    @FunctionalInterface
    public interface ObjectVisitor {
        /**
         * One published object.
         *
         * @param objectOffset the object's pool offset (its handle)
         * @param typeNum      the type number recorded at allocation
         * @param usableSize   bytes the object may use
         */
        void object(long objectOffset, long typeNum, long usableSize);
    }

    /**
     * Calls {@code visitor} with every published object, its type number and usable size, read from
     * the media in one pass (no per-object lookups): for checkers that need all three.
     *
     * @param visitor receives each object
     * @throws dev.engram.pool.PoolCorruptedException at the first inconsistency met
     */
    public void visitObjects(ObjectVisitor visitor) {
        new HeapWalker(medium, heapOffset, chunksPerZone, size()).walk(new HeapWalker.Visitor() {
            @Override
            public void object(long objectOffset, long type, long blockSize, int cls) {
                visitor.object(objectOffset, type, blockSize - BlockHeaderLayout.HEADER_SIZE);
            }

            @Override
            public boolean corruption(Corruption c) {
                throw c.toException();
            }
        }, true);
    }

    private void walk(long typeNum, boolean filter, LongConsumer action) {
        new HeapWalker(medium, heapOffset, chunksPerZone, size()).walk(new HeapWalker.Visitor() {
            @Override
            public void object(long objectOffset, long type, long blockSize, int cls) {
                if (!filter || type == typeNum) {
                    action.accept(objectOffset);
                }
            }

            @Override
            public boolean corruption(Corruption c) {
                throw c.toException();
            }
        }, true);
    }

    /** {@return usage, free space, metadata and per-class statistics} Loads every zone. */
    public HeapStats stats() {
        return HeapStats.collect(this);
    }

    /**
     * {@return every inconsistency found by walking the whole heap on the media} Never throws for
     * inconsistencies; they are in the report.
     */
    public HeapCheckReport check() {
        return HeapCheckReport.run(medium, heapOffset, size());
    }
}
