package dev.engram.allocator;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the heap's usage, built from the volatile state of every zone (all zones are loaded
 * to build it). "Now" means without growing the heap.
 *
 * @param heapSize                  current heap region size in bytes
 * @param maxSize                   the size the heap may grow to
 * @param chunks                    chunks in all zones
 * @param freeChunks                chunks in free spans
 * @param largestFreeSpanChunks     the longest free span, in chunks
 * @param usedSpans                 spans holding one large object (published or reserved)
 * @param usedSpanChunks            chunks those spans cover
 * @param metadataBytes             heap header, zone headers and chunk tables, run bitmaps (block headers excluded)
 * @param blockHeaderBytes          16 bytes per taken block or span
 * @param freeBytes                 bytes in free run blocks plus free chunks
 * @param largestAllocatableObject  the largest object size a reservation succeeds for now
 * @param fragmentation             1 - largest free span / free chunks (0 when nothing or one span is free)
 * @param classes                   per size class usage, for classes with at least one run
 */
public record HeapStats(long heapSize, long maxSize, long chunks, long freeChunks, long largestFreeSpanChunks,
                        long usedSpans, long usedSpanChunks, long metadataBytes, long blockHeaderBytes, long freeBytes,
                        long largestAllocatableObject, double fragmentation, List<ClassStats> classes) {

    /**
     * Usage of one size class.
     *
     * @param classId       the class
     * @param blockSize     block size in bytes, header included
     * @param runs          runs of the class
     * @param blocksUsed    blocks published or reserved
     * @param blocksFree    free blocks in those runs
     * @param objectsThatFit objects of this class that can still be reserved now: free blocks plus
     *                      the runs that fit in the free spans
     */
    public record ClassStats(int classId, int blockSize, long runs, long blocksUsed, long blocksFree, long objectsThatFit) {
    }

    /** {@return metadata bytes as a fraction of the heap size} */
    public double metadataFraction() {
        return (double) metadataBytes / heapSize;
    }

    /** {@return blocks used across all classes plus used spans} */
    public long objectsUsed() {
        long n = usedSpans;
        for (ClassStats c : classes) {
            n += c.blocksUsed;
        }
        return n;
    }

    static HeapStats collect(PersistentHeap heap) {
        final ChunkSpace space = heap.chunks();
        space.loadAll();
        final long[] runs = new long[SizeClasses.COUNT];
        final long[] used = new long[SizeClasses.COUNT];
        final long[] free = new long[SizeClasses.COUNT];
        long chunkTotal = 0;
        long usedSpans = 0;
        long usedSpanChunks = 0;
        long metadata = HeapLayout.HEADER_SIZE;
        final Map<RunState, Boolean> seen = new IdentityHashMap<>();
        for (ZoneState z : space.zonesSnapshot()) {
            metadata += ZoneLayout.metadataSize(heap.chunksPerZone());
            synchronized (space) {
                chunkTotal += z.chunkCount;
                for (int c = 0; c < z.chunkCount; c++) {
                    final RunState run = z.runs[c];
                    if (run != null && seen.put(run, Boolean.TRUE) == null) {
                        run.lock.lock();
                        try {
                            runs[run.cls]++;
                            used[run.cls] += run.takenCount;
                            free[run.cls] += run.retiring ? 0 : run.blocks - run.takenCount;
                        } finally {
                            run.lock.unlock();
                        }
                        metadata += RunLayout.dataOffset(run.blocks);
                    } else if (run == null && z.spanLength[c] > 0) {
                        usedSpans++;
                        usedSpanChunks += z.spanLength[c];
                    }
                }
            }
        }
        final int[] spans = space.freeSpanLengths();
        long freeChunks = 0;
        long largest = 0;
        for (int s : spans) {
            freeChunks += s;
            largest = Math.max(largest, s);
        }
        long freeBytes = freeChunks * HeapLayout.CHUNK_SIZE;
        long largestObject = largest > 0 ? largest * HeapLayout.CHUNK_SIZE - BlockHeaderLayout.HEADER_SIZE : 0;
        final List<ClassStats> classes = new ArrayList<>();
        long headers = usedSpans * BlockHeaderLayout.HEADER_SIZE;
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            final int rc = SizeClasses.runChunks(cls);
            long fit = free[cls];
            if (rc <= heap.chunksPerZone()) {
                for (int s : spans) {
                    fit += (long) (s / rc) * SizeClasses.blocksPerRun(cls);
                }
            }
            if (free[cls] > 0) {
                largestObject = Math.max(largestObject, SizeClasses.objectCapacity(cls));
            }
            freeBytes += free[cls] * SizeClasses.blockSize(cls);
            headers += used[cls] * BlockHeaderLayout.HEADER_SIZE;
            if (runs[cls] > 0) {
                classes.add(new ClassStats(cls, SizeClasses.blockSize(cls), runs[cls], used[cls], free[cls], fit));
            }
        }
        final double fragmentation = freeChunks == 0 ? 0.0 : 1.0 - (double) largest / freeChunks;
        return new HeapStats(heap.size(), heap.maxSize(), chunkTotal, freeChunks, largest, usedSpans, usedSpanChunks,
                metadata, headers, freeBytes, largestObject, fragmentation, List.copyOf(classes));
    }

    /**
     * Objects of {@code size} bytes that still fit now (without growth).
     *
     * @param size object bytes, not counting the header
     * @return how many more such objects can be reserved without growing the heap
     */
    public long objectsThatFit(long size) {
        final int cls = SizeClasses.classOf(size);
        if (cls == SizeClasses.SPAN) {
            return -1;
        }
        for (ClassStats c : classes) {
            if (c.classId == cls) {
                return c.objectsThatFit;
            }
        }
        final int rc = SizeClasses.runChunks(cls);
        return freeChunks / rc * SizeClasses.blocksPerRun(cls);
    }
}
