package dev.engram.allocator;

import dev.engram.pool.medium.Medium;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The heap's chunk-level volatile state: zones (loaded lazily), free chunk spans indexed for best
 * fit, the runs of each class that have free blocks and no owner, and growth.
 *
 * <p>All methods hold this object's monitor. Lock order: arena, then this, then run locks; code
 * holding a run lock never calls in here.
 *
 * <p>Persistence: loading a zone whose header is all zero (never initialized, e.g. the heap grew
 * into it and the process stopped) zeroes its chunk table, persists it, then persists the zone
 * header. Nothing else here writes the media except a new run's zeroed bitmap, written and flushed
 * while its chunks are still free on the media (the publish that names the run drains first).
 */
final class ChunkSpace {
    private static final int CHUNK_BITS = 20;
    private static final int SIZE_SHIFT = 40;

    private final Medium medium;
    private final long heapOffset;
    private final int chunksPerZone;
    private final long maxSize;
    private final HeapExtender extender;
    private final List<ZoneState> zones = new ArrayList<>();
    /** Copy of {@link #zones} for {@link #runHint}, replaced (never changed) when zones are added. */
    private volatile ZoneState[] zoneArray = new ZoneState[0];
    /** Free spans as {@code length << 40 | zone << 20 | chunk}: the ceiling of a length is the best fit. */
    private final TreeSet<Long> freeSpans = new TreeSet<>();
    @SuppressWarnings("unchecked")
    private final ArrayDeque<RunState>[] partial = new ArrayDeque[SizeClasses.COUNT];
    private long heapSize;
    private int loadedZones;
    /** Pool offset of zone 0's header. */
    private final long zonesStart;
    /** Division by the zone size, on every free's path ({@link #runHint}). */
    private final Reciprocal perZone;

    ChunkSpace(Medium medium, long heapOffset, long heapSize, int chunksPerZone, long maxSize, HeapExtender extender) {
        this.medium = medium;
        this.heapOffset = heapOffset;
        this.heapSize = heapSize;
        this.chunksPerZone = chunksPerZone;
        this.maxSize = maxSize;
        this.extender = extender;
        this.zonesStart = ZoneLayout.zoneBase(heapOffset, chunksPerZone, 0);
        this.perZone = new Reciprocal(ZoneLayout.zoneSize(chunksPerZone));
        for (int i = 0; i < partial.length; i++) {
            partial[i] = new ArrayDeque<>();
        }
        addZones();
    }

    private void addZones() {
        final int count = ZoneLayout.zoneCount(chunksPerZone, heapSize);
        for (ZoneState z : zones) {
            final int chunks = ZoneLayout.chunkCount(chunksPerZone, heapSize, z.index);
            if (chunks > z.chunkCount) {
                final int old = z.chunkCount;
                z.chunkCount = chunks;
                if (z.loaded) {
                    releaseSpan(z, old, chunks - old);
                }
            }
        }
        for (int i = zones.size(); i < count; i++) {
            zones.add(new ZoneState(i, ZoneLayout.zoneBase(heapOffset, chunksPerZone, i),
                    ZoneLayout.zoneDataStart(heapOffset, chunksPerZone, i),
                    ZoneLayout.chunkCount(chunksPerZone, heapSize, i)));
        }
        zoneArray = zones.toArray(new ZoneState[0]);
    }

    synchronized long heapSize() {
        return heapSize;
    }

    long maxSize() {
        return maxSize;
    }

    int chunksPerZone() {
        return chunksPerZone;
    }

    synchronized int zoneCount() {
        return zones.size();
    }

    synchronized int loadedZones() {
        return loadedZones;
    }

    // ---- zones --------------------------------------------------------------------------------

    /** The loaded zone holding {@code offset}, or null when the offset is in no zone's chunks. */
    synchronized ZoneState zoneFor(long offset) {
        final long rel = offset - zonesStart;
        if (rel < 0 || rel >= medium.size()) {
            return null;
        }
        final long index = perZone.quotient(rel);
        if (index >= zones.size()) {
            return null;
        }
        final ZoneState z = zones.get((int) index);
        if (offset < z.dataStart || offset >= z.chunkOffset(z.chunkCount)) {
            return null;
        }
        load(z);
        return z;
    }

    synchronized void loadAll() {
        for (ZoneState z : zones) {
            load(z);
        }
    }

    synchronized List<ZoneState> zonesSnapshot() {
        return new ArrayList<>(zones);
    }

    private boolean loadNext() {
        for (ZoneState z : zones) {
            if (!z.loaded) {
                load(z);
                return true;
            }
        }
        return false;
    }

    private void load(ZoneState z) {
        if (z.loaded) {
            return;
        }
        z.allocateArrays(chunksPerZone);
        final long magic = medium.getLong(z.base + ZoneLayout.MAGIC_OFFSET);
        if (magic == 0) {
            initializeZone(z);
        } else {
            checkZoneHeader(z, magic);
        }
        int freeStart = -1;
        int c = 0;
        while (c < z.chunkCount) {
            final long hdrOffset = z.chunkHeaderOffset(c);
            final long word = medium.getLong(hdrOffset);
            final Corruption bad = ChunkHeaderLayout.check(word, hdrOffset, c, z.chunkCount);
            if (bad != null) {
                throw bad.toException();
            }
            if (word == ChunkHeaderLayout.FREE) {
                if (freeStart < 0) {
                    freeStart = c;
                }
                c++;
                continue;
            }
            if (freeStart >= 0) {
                addFree(z, freeStart, c - freeStart);
                freeStart = -1;
            }
            final int size = (int) ChunkHeaderLayout.sizeChunks(word);
            if (ChunkHeaderLayout.type(word) == ChunkHeaderLayout.TYPE_USED) {
                z.spanLength[c] = size;
                z.spanState[c] = ZoneState.SPAN_PUBLISHED;
            } else {
                loadRun(z, c, ChunkHeaderLayout.classId(word), size);
            }
            c += size;
        }
        if (freeStart >= 0) {
            addFree(z, freeStart, c - freeStart);
        }
        z.loaded = true;
        loadedZones++;
    }

    private void initializeZone(ZoneState z) {
        final long tableBytes = (long) chunksPerZone * ZoneLayout.CHUNK_HEADER_SIZE;
        medium.fill(z.base + ZoneLayout.CHUNK_TABLE_OFFSET, tableBytes, (byte) 0);
        medium.persist(z.base + ZoneLayout.CHUNK_TABLE_OFFSET, tableBytes);
        writeZoneHeaderPersist(medium, z.base, z.index);
    }

    static void writeZoneHeaderPersist(Medium medium, long base, int index) {
        medium.fill(base, ZoneLayout.CHUNK_TABLE_OFFSET, (byte) 0);
        medium.putInt(base + ZoneLayout.INDEX_OFFSET, index);
        medium.flush(base, ZoneLayout.CHUNK_TABLE_OFFSET);
        medium.drain();
        medium.putLongPersist(base + ZoneLayout.MAGIC_OFFSET, ZoneLayout.MAGIC);
    }

    private void checkZoneHeader(ZoneState z, long magic) {
        if (magic != ZoneLayout.MAGIC) {
            throw new Corruption("zone header", z.base + ZoneLayout.MAGIC_OFFSET,
                    "magic 0x" + Long.toHexString(ZoneLayout.MAGIC), "0x" + Long.toHexString(magic)).toException();
        }
        final int index = medium.getInt(z.base + ZoneLayout.INDEX_OFFSET);
        if (index != z.index) {
            throw new Corruption("zone header", z.base + ZoneLayout.INDEX_OFFSET, "zone index " + z.index,
                    "zone index " + index).toException();
        }
    }

    private void loadRun(ZoneState z, int chunk, int cls, int size) {
        final RunState run = new RunState(z, chunk, z.chunkOffset(chunk), cls, true);
        final Corruption bad = HeapWalker.readBitmap(medium, run.runStart, run.blocks, run.taken);
        if (bad != null) {
            throw bad.toException();
        }
        System.arraycopy(run.taken, 0, run.durable, 0, run.taken.length);
        run.taken[run.taken.length - 1] |= RunLayout.tailMask(run.blocks);
        int count = 0;
        for (long w : run.taken) {
            count += Long.bitCount(w);
        }
        run.takenCount = count - Long.bitCount(RunLayout.tailMask(run.blocks));
        for (int i = 0; i < size; i++) {
            z.runs[chunk + i] = run;
        }
        if (run.takenCount < run.blocks) {
            run.inPartial = true;
            partial[cls].addLast(run);
        }
    }

    // ---- spans --------------------------------------------------------------------------------

    private static long key(int length, int zone, int chunk) {
        return ((long) length << SIZE_SHIFT) | ((long) zone << CHUNK_BITS) | chunk;
    }

    private void addFree(ZoneState z, int start, int length) {
        z.freeLengthAt[start] = length;
        z.freeStartAt[start + length - 1] = start;
        freeSpans.add(key(length, z.index, start));
    }

    private void removeFree(ZoneState z, int start) {
        final int length = z.freeLengthAt[start];
        z.freeLengthAt[start] = 0;
        z.freeStartAt[start + length - 1] = -1;
        freeSpans.remove(key(length, z.index, start));
    }

    /**
     * Takes {@code length} free chunks (best fit, loading zones and then growing the heap when no
     * loaded span fits) and marks them reserved; returns the zone and chunk packed as
     * {@code zone << 20 | chunk}, or -1 when the heap cannot provide them.
     */
    synchronized long takeSpan(int length) {
        if (length > chunksPerZone) {
            return -1;
        }
        while (true) {
            final Long fit = freeSpans.ceiling((long) length << SIZE_SHIFT);
            if (fit != null) {
                final long k = fit;
                final ZoneState z = zones.get((int) (k >>> CHUNK_BITS) & ((1 << CHUNK_BITS) - 1));
                final int start = (int) (k & ((1 << CHUNK_BITS) - 1));
                final int have = (int) (k >>> SIZE_SHIFT);
                removeFree(z, start);
                if (have > length) {
                    addFree(z, start + length, have - length);
                }
                z.spanLength[start] = length;
                z.spanState[start] = ZoneState.SPAN_RESERVED;
                return ((long) z.index << CHUNK_BITS) | start;
            }
            if (!loadNext() && !growFor(length)) {
                return -1;
            }
        }
    }

    /**
     * Takes the free chunks {@code [start, start + length)} of a loaded zone and marks them a
     * reserved span, if every one of them is free; returns false (and changes nothing) otherwise.
     * The free span holding them keeps its chunks before and after.
     */
    synchronized boolean takeSpanAt(ZoneState z, int start, int length) {
        if (length < 1 || start < 0 || start + length > z.chunkCount) {
            return false;
        }
        final int s = freeSpanStartCovering(z, start);
        if (s < 0 || s + z.freeLengthAt[s] < start + length) {
            return false;
        }
        final int have = z.freeLengthAt[s];
        removeFree(z, s);
        if (start > s) {
            addFree(z, s, start - s);
        }
        if (s + have > start + length) {
            addFree(z, start + length, s + have - start - length);
        }
        z.spanLength[start] = length;
        z.spanState[start] = ZoneState.SPAN_RESERVED;
        return true;
    }

    /** The first chunk of the free span holding chunk {@code c}, or -1 when {@code c} is not free. */
    private static int freeSpanStartCovering(ZoneState z, int c) {
        for (int s = c; s >= 0; s--) {
            if (z.freeLengthAt[s] > 0) {
                return s + z.freeLengthAt[s] > c ? s : -1;
            }
            if (z.runs[s] != null || z.spanState[s] != ZoneState.SPAN_NONE) {
                return -1;
            }
        }
        return -1;
    }

    /** True when chunk {@code c} of a loaded zone is in a free span. */
    synchronized boolean isFreeChunk(ZoneState z, int c) {
        return c >= 0 && c < z.chunkCount && freeSpanStartCovering(z, c) >= 0;
    }

    /** Returns a span to the free index, merging it with free neighbours. */
    synchronized void releaseSpan(ZoneState z, int start, int length) {
        z.spanLength[start] = 0;
        z.spanState[start] = ZoneState.SPAN_NONE;
        int s = start;
        int n = length;
        if (s > 0 && z.freeStartAt[s - 1] >= 0) {
            final int before = z.freeStartAt[s - 1];
            n += z.freeLengthAt[before];
            removeFree(z, before);
            s = before;
        }
        final int after = start + length;
        if (after < z.chunkCount && z.freeLengthAt[after] > 0) {
            n += z.freeLengthAt[after];
            removeFree(z, after);
        }
        addFree(z, s, n);
    }

    /**
     * The run that probably holds {@code objectOffset}, read without this lock, or null. Every free
     * would otherwise take this lock twice ({@link #zoneFor}, {@link #runAt}), and the monitor's
     * cache line would then move between the cores of threads that share nothing else. The answer
     * may be stale (a run retired since, an entry not yet visible): the caller must validate it under
     * the run's lock (not retiring, block taken) and fall back to the locked lookups.
     */
    RunState runHint(long objectOffset) {
        final long rel = objectOffset - zonesStart;
        final ZoneState[] zs = zoneArray;
        if (rel < 0 || rel >= medium.size()) {
            return null;
        }
        final long index = perZone.quotient(rel);
        if (index >= zs.length) {
            return null;
        }
        final ZoneState z = zs[(int) index];
        if (!z.loaded || objectOffset < z.dataStart) {
            return null;
        }
        final long chunk = (objectOffset - z.dataStart) / HeapLayout.CHUNK_SIZE;
        return chunk < z.runs.length ? z.runs[(int) chunk] : null;
    }

    synchronized RunState runAt(ZoneState z, int chunk) {
        return chunk < z.chunkCount ? z.runs[chunk] : null;
    }

    /** Length of the published span whose object is at {@code objectOffset}, else -1. */
    synchronized int publishedSpanAt(ZoneState z, int chunk, long objectOffset) {
        if (chunk >= z.chunkCount || z.spanState[chunk] != ZoneState.SPAN_PUBLISHED
                || objectOffset != BlockHeaderLayout.objectOffset(z.chunkOffset(chunk))) {
            return -1;
        }
        return z.spanLength[chunk];
    }

    /** Marks a published span as being freed and returns its length, or -1 if it is not published. */
    synchronized int markSpanFreeing(ZoneState z, int chunk, long objectOffset) {
        final int length = publishedSpanAt(z, chunk, objectOffset);
        if (length > 0) {
            z.spanState[chunk] = ZoneState.SPAN_FREEING;
        }
        return length;
    }

    synchronized void setSpanState(ZoneState z, int chunk, byte state) {
        z.spanState[chunk] = state;
    }

    ZoneState zone(long packed) {
        synchronized (this) {
            return zones.get((int) (packed >>> CHUNK_BITS));
        }
    }

    static int chunkOf(long packed) {
        return (int) (packed & ((1 << CHUNK_BITS) - 1));
    }

    // ---- runs ---------------------------------------------------------------------------------

    /** A run of {@code cls} with a free block for {@code arena}: an unowned partial run, or a new one. */
    synchronized RunState acquireRun(int cls, Arena arena) {
        if (loadedZones == 0) {
            // the first run after open: load a zone first so that its partly used runs are offered
            // before a new run is carved out of its free chunks
            loadNext();
        }
        final ArrayDeque<RunState> queue = partial[cls];
        RunState run;
        while ((run = queue.pollFirst()) != null) {
            run.lock.lock();
            try {
                run.inPartial = false;
                if (run.owner == null && run.hasFreeBlockLocked()) {
                    run.owner = arena;
                    return run;
                }
            } finally {
                run.lock.unlock();
            }
        }
        final long packed = takeSpan(SizeClasses.runChunks(cls));
        if (packed < 0) {
            return null;
        }
        final ZoneState z = zones.get((int) (packed >>> CHUNK_BITS));
        final int chunk = chunkOf(packed);
        z.spanLength[chunk] = 0;
        z.spanState[chunk] = ZoneState.SPAN_NONE;
        run = new RunState(z, chunk, z.chunkOffset(chunk), cls, false);
        for (int i = 0; i < SizeClasses.runChunks(cls); i++) {
            z.runs[chunk + i] = run;
        }
        final long bitmapBytes = RunLayout.dataOffset(run.blocks);
        medium.fill(run.runStart, bitmapBytes, (byte) 0);
        medium.flush(run.runStart, bitmapBytes);
        run.owner = arena;
        return run;
    }

    /** Makes an unowned run with free blocks available to arenas again. */
    synchronized void offerPartial(RunState run) {
        partial[run.cls].addLast(run);
    }

    /** Returns a retired (empty, header cleared on the media) run's chunks to the free index. */
    synchronized void retireRun(RunState run) {
        final ZoneState z = run.zone;
        final int n = SizeClasses.runChunks(run.cls);
        for (int i = 0; i < n; i++) {
            z.runs[run.chunk + i] = null;
        }
        releaseSpan(z, run.chunk, n);
    }

    // ---- growth -------------------------------------------------------------------------------

    private boolean growFor(int chunks) {
        return grow((long) chunks * HeapLayout.CHUNK_SIZE + ZoneLayout.metadataSize(chunksPerZone)) > 0;
    }

    /** Grows the heap by at least {@code minBytes} (capped by the maximum size); returns bytes gained. */
    synchronized long grow(long minBytes) {
        if (extender == null || heapSize >= maxSize) {
            return 0;
        }
        final long want = Math.min(minBytes, maxSize - heapSize);
        final long newSize = Math.min(extender.extend(want), maxSize);
        if (newSize <= heapSize) {
            return 0;
        }
        if (newSize > medium.size() - heapOffset) {
            throw new IllegalStateException("heap extender returned size " + newSize
                    + " beyond the medium: heapOffset=" + heapOffset + " mediumSize=" + medium.size());
        }
        final long old = heapSize;
        heapSize = newSize;
        clearGrownMetadata();
        addZones();
        return newSize - old;
    }

    /**
     * Growth covers bytes nothing was ever published in, but a damaged or crafted file may hold old
     * metadata there; adopting it would hand out chunks that look used or runs that never existed.
     * So the chunk-table entries a zone gains are zeroed, and every zone the growth adds is
     * initialized whatever its magic says, all persisted before the zones come into use.
     */
    private void clearGrownMetadata() {
        for (ZoneState z : zones) {
            final int chunks = ZoneLayout.chunkCount(chunksPerZone, heapSize, z.index);
            if (chunks > z.chunkCount) {
                final long from = z.chunkHeaderOffset(z.chunkCount);
                final long bytes = (long) (chunks - z.chunkCount) * ZoneLayout.CHUNK_HEADER_SIZE;
                medium.fill(from, bytes, (byte) 0);
                medium.persist(from, bytes);
            }
        }
        final int count = ZoneLayout.zoneCount(chunksPerZone, heapSize);
        final long tableBytes = (long) chunksPerZone * ZoneLayout.CHUNK_HEADER_SIZE;
        for (int i = zones.size(); i < count; i++) {
            final long base = ZoneLayout.zoneBase(heapOffset, chunksPerZone, i);
            medium.fill(base + ZoneLayout.CHUNK_TABLE_OFFSET, tableBytes, (byte) 0);
            medium.persist(base + ZoneLayout.CHUNK_TABLE_OFFSET, tableBytes);
            writeZoneHeaderPersist(medium, base, i);
        }
    }

    // ---- statistics ---------------------------------------------------------------------------

    /** Free spans' lengths, for statistics. */
    synchronized int[] freeSpanLengths() {
        final int[] lengths = new int[freeSpans.size()];
        int i = 0;
        for (long k : freeSpans) {
            lengths[i++] = (int) (k >>> SIZE_SHIFT);
        }
        return lengths;
    }
}
