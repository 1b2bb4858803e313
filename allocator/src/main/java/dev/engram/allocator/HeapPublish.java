package dev.engram.allocator;

import dev.engram.pool.medium.Medium;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The publish operation of {@link PersistentHeap}: turns reservations and frees into redo-log
 * entries, processes the log, then updates the volatile state.
 *
 * <p>Steps: (1) validate reservations and destinations; (2) resolve each freed offset to its run
 * block or span and mark it "freeing" (a second free of the same object fails here); (3) collect
 * entries: OR of the bitmap bit and, for a run not yet durable, its chunk header; a used-span chunk
 * header; AND of a freed bit or a free chunk header; destination stores; an empty run whose last
 * blocks this publish frees, and which no arena owns, is retired (its chunk header cleared in the
 * same log); (4) drain what the reservations flushed (headers, new runs' bitmaps, object contents)
 * unless the caller already did or wrote nothing (then the headers are logged too), commit; apply holding the touched runs' locks in ascending offset order; clear;
 * (5) only then return freed blocks, retired runs and spans to the free lists.
 *
 * <p>{@link #allocateLocked} and {@link #freeInRun} are the same steps for one run block, with the
 * run's lock held throughout instead of taken per step, and no arrays: the hot paths of
 * {@link PersistentHeap#allocate} and {@link PersistentHeap#free}. Whether a block is published is
 * read from the run's {@link RunState#durable} copy of its bitmap, never from the media, and so is
 * the bitmap word's value that the apply stores ({@link RedoLog#orKnowing}).
 */
final class HeapPublish {
    private static final Comparator<RunState> BY_OFFSET = Comparator.comparingLong(r -> r.runStart);

    private HeapPublish() {
    }

    /** The caller wrote into the reservations and only flushed: drain before the log commits. */
    static final int CONTENTS_FLUSHED = 0;
    /** The caller drained, on this thread, after flushing everything it wrote (a transaction's commit). */
    static final int CONTENTS_DRAINED = 1;
    /**
     * The caller wrote nothing into the reservations ({@code allocate}): their headers go into the log
     * too, so that replay rewrites them, and the drain before the commit is needed only for a new
     * run's bitmap.
     */
    static final int NO_CONTENTS = 2;
    /**
     * The caller flushed, without a drain, what it wrote into the reservations and elsewhere, and put
     * a witness of every such range into the log ({@link RedoLog#witness}): the commit's drain makes
     * them durable with the log, and a crash that tore them discards the log. The headers go into the
     * log as for {@link #NO_CONTENTS}; the drain before the commit is needed only for a new run's bitmap.
     */
    static final int CONTENTS_WITNESSED = 3;

    static void publish(PersistentHeap heap, Reservation[] reservations, long[] destinations, long[] frees,
                        long[] freeDestinations, RedoLog log, int contents) {
        final Medium medium = heap.medium();
        final ChunkSpace chunks = heap.chunks();
        final int nr = reservations == null ? 0 : reservations.length;
        final int nf = frees == null ? 0 : frees.length;
        if ((destinations == null ? 0 : destinations.length) != nr
                || (freeDestinations != null && freeDestinations.length != nf)) {
            throw new IllegalArgumentException("one destination per reservation and per free: reservations=" + nr
                    + " destinations=" + (destinations == null ? 0 : destinations.length) + " frees=" + nf
                    + " freeDestinations=" + (freeDestinations == null ? "none" : freeDestinations.length));
        }
        for (int i = 0; i < nr; i++) {
            heap.checkPending(reservations[i]);
            for (int j = 0; j < i; j++) {
                if (reservations[j] == reservations[i]) {
                    throw new IllegalArgumentException("reservation listed twice: " + reservations[i]);
                }
            }
            checkDestination(medium, destinations[i]);
        }
        for (int i = 0; i < nf; i++) {
            if (freeDestinations != null) {
                checkDestination(medium, freeDestinations[i]);
            }
        }

        final RunState[] freeRuns = new RunState[nf];
        final int[] freeBlocks = new int[nf];
        final ZoneState[] freeZones = new ZoneState[nf];
        final int[] freeLengths = new int[nf];
        final RunState[] retired = new RunState[nf];
        int resolved = 0;
        int retiredCount = 0;
        try {
            for (; resolved < nf; resolved++) {
                resolveFree(heap, frees[resolved], resolved, freeRuns, freeBlocks, freeZones, freeLengths);
            }
            for (int i = 0; i < nr; i++) {
                final Reservation r = reservations[i];
                if (r.run != null) {
                    log.or(RunLayout.bitmapWordOffset(r.run.runStart, r.block), RunLayout.bitMask(r.block));
                    if (!r.run.persistent) {
                        log.set(r.run.zone.chunkHeaderOffset(r.run.chunk),
                                ChunkHeaderLayout.run(r.run.cls, SizeClasses.runChunks(r.run.cls)));
                    }
                } else {
                    log.set(r.zone.chunkHeaderOffset(r.chunk), ChunkHeaderLayout.used(r.chunks));
                }
                if (destinations[i] != PersistentHeap.NO_DESTINATION) {
                    log.set(destinations[i], r.objectOffset);
                }
                if (contents == NO_CONTENTS || contents == CONTENTS_WITNESSED) {
                    // The values reserve wrote, recomputed: reading them back would miss the cache
                    // (their write-back may have evicted the line).
                    final long block = r.blockOffset();
                    final long sizeWord = r.run != null
                            ? BlockHeaderLayout.packSizeWord(r.run.blockSize, r.run.cls, 0)
                            : BlockHeaderLayout.packSizeWord((long) r.chunks * HeapLayout.CHUNK_SIZE,
                                    BlockHeaderLayout.SPAN_CLASS, 0);
                    log.set(block + BlockHeaderLayout.SIZE_WORD_OFFSET, sizeWord);
                    log.set(block + BlockHeaderLayout.TYPE_OFFSET, r.typeNum);
                }
            }
            for (int i = 0; i < nf; i++) {
                if (freeRuns[i] != null) {
                    log.and(RunLayout.bitmapWordOffset(freeRuns[i].runStart, freeBlocks[i]), ~RunLayout.bitMask(freeBlocks[i]));
                } else {
                    log.set(freeZones[i].chunkHeaderOffset(freeBlocks[i]), ChunkHeaderLayout.FREE);
                }
                if (freeDestinations != null && freeDestinations[i] != PersistentHeap.NO_DESTINATION) {
                    log.set(freeDestinations[i], 0L);
                }
            }
            retiredCount = decideRetirements(freeRuns, nf, retired, log);
        } catch (RuntimeException e) {
            unmarkFrees(chunks, resolved, freeRuns, freeBlocks, freeZones);
            for (int i = 0; i < retiredCount; i++) {
                retired[i].lock.lock();
                retired[i].retiring = false;
                retired[i].lock.unlock();
            }
            log.discard();
            throw e;
        }

        if (log.size() > 0) {
            // A witnessed range the apply would change cannot vouch for the data: drain it instead.
            final boolean witnessesDropped = contents == CONTENTS_WITNESSED && log.witnessesTouched();
            if (witnessesDropped) {
                log.dropWitnesses();
            }
            boolean drain = witnessesDropped;
            if (nr > 0) {
                // Block headers, new runs' zeroed bitmaps and whatever the caller put in the objects
                // (a realloc's copy) were only flushed. The log's checksum covers its entries, not
                // these: without this drain the valid word can reach the media before them and
                // recovery would publish a block with no header or a run with a stale bitmap.
                // Frees write nothing outside the log, so a free-only publish skips it.
                // A caller that drained its own writes already (contentsDrained) still needs a drain
                // for whatever another thread flushed.
                final boolean reflushed = reflushForeignWrites(medium, reservations, nr);
                drain |= switch (contents) {
                    case CONTENTS_DRAINED -> reflushed;
                    case NO_CONTENTS -> reflushed || anyNewRun(reservations, nr);
                    // what another thread flushed is written back again above, so the commit's drain
                    // covers it, and the witnesses cover the contents
                    case CONTENTS_WITNESSED -> anyNewRun(reservations, nr);
                    default -> true;
                };
            }
            if (drain) {
                medium.drain();
            }
            log.commit();
            final RunState[] locked = runsToLock(reservations, nr, freeRuns, nf);
            for (RunState run : locked) {
                run.lock.lock();
            }
            try {
                log.apply();
                for (int i = 0; i < nr; i++) {
                    if (reservations[i].run != null) {
                        RunState.set(reservations[i].run.durable, reservations[i].block);
                    }
                }
                for (int i = 0; i < nf; i++) {
                    if (freeRuns[i] != null) {
                        RunState.clear(freeRuns[i].durable, freeBlocks[i]);
                    }
                }
            } finally {
                for (int i = locked.length - 1; i >= 0; i--) {
                    locked[i].lock.unlock();
                }
            }
            log.clear();
        }

        for (int i = 0; i < nr; i++) {
            final Reservation r = reservations[i];
            r.state = Reservation.PUBLISHED;
            if (r.run != null) {
                if (!r.run.persistent) {
                    r.run.persistent = true;
                }
            } else {
                chunks.setSpanState(r.zone, r.chunk, ZoneState.SPAN_PUBLISHED);
            }
        }
        for (int i = 0; i < nf; i++) {
            if (freeRuns[i] != null) {
                releaseFreed(chunks, freeRuns[i], freeBlocks[i]);
            } else {
                chunks.releaseSpan(freeZones[i], freeBlocks[i], freeLengths[i]);
            }
        }
        for (int i = 0; i < retiredCount; i++) {
            chunks.retireRun(retired[i]);
        }
    }

    /**
     * {@code allocate} of a block of {@code run}, whose lock the caller holds (and keeps until this
     * returns): takes a block, logs its bitmap OR (and the run's chunk header if the run is new), the
     * destination store and the block header, commits, applies and clears the log. Nothing touches the
     * block before the apply, which writes its header; no array, reservation or other lock on the way.
     * On a failure the block is returned and the log discarded.
     */
    static long allocateLocked(PersistentHeap heap, RunState run, long typeNum, long destination, RedoLog log) {
        final int block = run.takeLocked();
        final long blockOffset = run.blockOffset(block);
        final long objectOffset = BlockHeaderLayout.objectOffset(blockOffset);
        final boolean newRun = !run.persistent;
        boolean done = false;
        try {
            log.orKnowing(RunLayout.bitmapWordOffset(run.runStart, block), RunLayout.bitMask(block), run.durableWord(block));
            if (newRun) {
                log.set(run.zone.chunkHeaderOffset(run.chunk), ChunkHeaderLayout.run(run.cls, SizeClasses.runChunks(run.cls)));
            }
            if (destination != PersistentHeap.NO_DESTINATION) {
                log.set(destination, objectOffset);
            }
            log.set(blockOffset + BlockHeaderLayout.SIZE_WORD_OFFSET,
                    BlockHeaderLayout.packSizeWord(run.blockSize, run.cls, 0));
            log.set(blockOffset + BlockHeaderLayout.TYPE_OFFSET, typeNum);
            if (newRun) {
                // The run's zeroed bitmap was only flushed (by the thread that carved the run): it
                // must be durable before the log that names the run can be.
                final Medium medium = heap.medium();
                if (run.bitmapWriter != Thread.currentThread()) {
                    medium.flush(run.runStart, RunLayout.dataOffset(run.blocks));
                }
                medium.drain();
            }
            log.commit();
            log.apply();
            log.clear();
            done = true;
        } finally {
            if (!done) {
                log.discard();
                RunState.clear(run.taken, block);
                run.takenCount--;
            }
        }
        RunState.set(run.durable, block);
        if (newRun) {
            run.persistent = true;
        }
        return objectOffset;
    }

    /**
     * {@code free} of a block of {@code run} (the chunk space's unlocked hint for the object) under that
     * run's lock alone: validates, logs the bitmap AND, the destination store and, when the free
     * empties a run no arena owns, the run's retirement; commits, applies and clears. False, with
     * nothing done, when the hint is stale or the object is not a published block of it: the
     * caller then takes the general path, which looks the object up under the chunk-space lock and
     * reports what is wrong.
     */
    static boolean freeInRun(PersistentHeap heap, RunState run, long objectOffset, long destination, RedoLog log) {
        final int block = run.blockIndexOf(objectOffset);
        if (block < 0) {
            return false;
        }
        boolean retire = false;
        boolean offer = false;
        run.lock.lock();
        try {
            if (run.retiring || !RunState.isSet(run.taken, block) || RunState.isSet(run.freeing, block)
                    || !RunState.isSet(run.durable, block)) {
                return false;
            }
            boolean done = false;
            try {
                log.andKnowing(RunLayout.bitmapWordOffset(run.runStart, block), ~RunLayout.bitMask(block),
                        run.durableWord(block));
                if (destination != PersistentHeap.NO_DESTINATION) {
                    log.set(destination, 0L);
                }
                retire = run.owner == null && run.persistent && run.takenCount == 1 && run.pendingFrees == 0;
                if (retire) {
                    log.set(run.zone.chunkHeaderOffset(run.chunk), ChunkHeaderLayout.FREE);
                }
                log.commit();
                log.apply();
                log.clear();
                done = true;
            } finally {
                if (!done) {
                    log.discard();
                }
            }
            RunState.clear(run.durable, block);
            RunState.clear(run.taken, block);
            run.takenCount--;
            if (retire) {
                run.retiring = true;
            } else if (run.owner == null && !run.inPartial) {
                run.inPartial = true;
                offer = true;
            }
        } finally {
            run.lock.unlock();
        }
        if (retire) {
            heap.chunks().retireRun(run);
        } else if (offer) {
            heap.chunks().offerPartial(run);
        }
        return true;
    }

    static void checkDestination(Medium medium, long destination) {
        if (destination != PersistentHeap.NO_DESTINATION
                && ((destination & 7) != 0 || destination < 0 || destination > medium.size() - Long.BYTES)) {
            throw new IllegalArgumentException("destination must be an 8-aligned offset inside the medium, destination="
                    + destination + " mediumSize=" + medium.size());
        }
    }

    private static void resolveFree(PersistentHeap heap, long objectOffset, int i, RunState[] freeRuns, int[] freeBlocks,
                                    ZoneState[] freeZones, int[] freeLengths) {
        final ChunkSpace chunks = heap.chunks();
        final RunState hint = chunks.runHint(objectOffset);
        if (hint != null && markFreeing(hint, objectOffset)) {
            freeRuns[i] = hint;
            freeBlocks[i] = hint.blockIndexOf(objectOffset);
            return;
        }
        final ZoneState z = chunks.zoneFor(objectOffset);
        if (z == null) {
            throw PersistentHeap.notAnObject(objectOffset, "outside the heap's chunks");
        }
        final int chunk = (int) ((objectOffset - z.dataStart) / HeapLayout.CHUNK_SIZE);
        final RunState run = chunks.runAt(z, chunk);
        if (run != null) {
            final int block = run.blockIndexOf(objectOffset);
            if (block < 0) {
                throw PersistentHeap.notAnObject(objectOffset, "not at a block boundary of its run");
            }
            run.lock.lock();
            try {
                if (!RunState.isSet(run.taken, block) || RunState.isSet(run.freeing, block)
                        || !RunState.isSet(run.durable, block)) {
                    throw PersistentHeap.notAnObject(objectOffset, "block not published, or already being freed");
                }
                RunState.set(run.freeing, block);
                run.pendingFrees++;
            } finally {
                run.lock.unlock();
            }
            freeRuns[i] = run;
            freeBlocks[i] = block;
            return;
        }
        final int length = chunks.markSpanFreeing(z, chunk, objectOffset);
        if (length <= 0) {
            throw PersistentHeap.notAnObject(objectOffset, "no published object starts there");
        }
        freeZones[i] = z;
        freeBlocks[i] = chunk;
        freeLengths[i] = length;
    }

    /**
     * Marks the block of {@code objectOffset} in {@code run} as being freed if {@code run} is live and
     * the block published; false (nothing changed) otherwise, and the caller looks the run up under
     * the chunk-space lock. A retired run never comes back, so a stale hint fails here.
     */
    private static boolean markFreeing(RunState run, long objectOffset) {
        final int block = run.blockIndexOf(objectOffset);
        if (block < 0) {
            return false;
        }
        run.lock.lock();
        try {
            if (run.retiring || !RunState.isSet(run.taken, block) || RunState.isSet(run.freeing, block)
                    || !RunState.isSet(run.durable, block)) {
                return false;
            }
            RunState.set(run.freeing, block);
            run.pendingFrees++;
            return true;
        } finally {
            run.lock.unlock();
        }
    }

    private static void unmarkFrees(ChunkSpace chunks, int resolved, RunState[] freeRuns, int[] freeBlocks,
                                    ZoneState[] freeZones) {
        for (int i = 0; i < resolved; i++) {
            final RunState run = freeRuns[i];
            if (run != null) {
                run.lock.lock();
                try {
                    RunState.clear(run.freeing, freeBlocks[i]);
                    run.pendingFrees--;
                } finally {
                    run.lock.unlock();
                }
            } else {
                chunks.setSpanState(freeZones[i], freeBlocks[i], ZoneState.SPAN_PUBLISHED);
            }
        }
    }

    /** Retires runs this publish empties; adds their chunk-header clears to the log. */
    private static int decideRetirements(RunState[] freeRuns, int nf, RunState[] retired, RedoLog log) {
        int count = 0;
        for (int i = 0; i < nf; i++) {
            final RunState run = freeRuns[i];
            if (run == null) {
                continue;
            }
            boolean seen = false;
            int k = 0;
            for (int j = 0; j < nf; j++) {
                if (freeRuns[j] == run) {
                    seen |= j < i;
                    k++;
                }
            }
            if (seen) {
                continue;
            }
            run.lock.lock();
            try {
                if (run.persistent && !run.retiring && run.owner == null && run.takenCount == k && run.pendingFrees == k) {
                    run.retiring = true;
                    retired[count++] = run;
                    log.set(run.zone.chunkHeaderOffset(run.chunk), ChunkHeaderLayout.FREE);
                }
            } finally {
                run.lock.unlock();
            }
        }
        return count;
    }

    private static RunState[] runsToLock(Reservation[] reservations, int nr, RunState[] freeRuns, int nf) {
        final RunState[] all = new RunState[nr + nf];
        int n = 0;
        for (int i = 0; i < nr; i++) {
            if (reservations[i].run != null) {
                all[n++] = reservations[i].run;
            }
        }
        for (int i = 0; i < nf; i++) {
            if (freeRuns[i] != null) {
                all[n++] = freeRuns[i];
            }
        }
        if (n <= 1) {
            return n == 1 ? new RunState[] {all[0]} : new RunState[0];
        }
        Arrays.sort(all, 0, n, BY_OFFSET);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || all[distinct - 1] != all[i]) {
                all[distinct++] = all[i];
            }
        }
        return Arrays.copyOf(all, distinct);
    }

    private static void releaseFreed(ChunkSpace chunks, RunState run, int block) {
        boolean offer = false;
        run.lock.lock();
        try {
            RunState.clear(run.taken, block);
            RunState.clear(run.freeing, block);
            run.takenCount--;
            run.pendingFrees--;
            if (!run.retiring && run.owner == null && !run.inPartial) {
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

    private static boolean anyNewRun(Reservation[] reservations, int nr) {
        for (int i = 0; i < nr; i++) {
            if (reservations[i].run != null && !reservations[i].run.persistent) {
                return true;
            }
        }
        return false;
    }

    /**
     * A drain completes only the calling thread's write-backs (Medium's threading rule). A run's
     * zeroed bitmap may have been flushed by whichever thread created the run, and a reservation's
     * header and contents by the thread that reserved it: write those back again here, so that this
     * thread's drain covers them. On the usual path (reserved and published on one thread, in a run
     * already durable) this writes nothing.
     */
    private static boolean reflushForeignWrites(Medium medium, Reservation[] reservations, int nr) {
        final Thread self = Thread.currentThread();
        boolean any = false;
        for (int i = 0; i < nr; i++) {
            final Reservation r = reservations[i];
            if (r.run != null && !r.run.persistent && r.run.bitmapWriter != self) {
                medium.flush(r.run.runStart, RunLayout.dataOffset(r.run.blocks));
                any = true;
            }
            if (r.reserver != self) {
                medium.flush(r.blockOffset(), BlockHeaderLayout.HEADER_SIZE + r.usableSize());
                any = true;
            }
        }
        return any;
    }
}
