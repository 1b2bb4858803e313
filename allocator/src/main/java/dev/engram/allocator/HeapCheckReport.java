package dev.engram.allocator;

import dev.engram.pool.EngramException;
import dev.engram.pool.medium.MediumReader;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link PersistentHeap#check} found walking the heap on the media: every inconsistency (a
 * bad header, a chunk header pointing outside its zone, a bitmap with bits past its run, a block
 * header that disagrees with its run), and counts of what is live.
 *
 * @param problems  inconsistencies, in walk order (empty when consistent)
 * @param objects   live objects (run blocks and spans)
 * @param runs      runs
 * @param spans     used spans
 * @param freeChunks free chunks
 */
public record HeapCheckReport(List<Corruption> problems, long objects, long runs, long spans, long freeChunks) {
    /** {@return whether no inconsistency was found} */
    public boolean isConsistent() {
        return problems.isEmpty();
    }

    /**
     * Checks a heap without opening it for writing (the CLI's {@code check}).
     *
     * @param medium     a read view of the pool
     * @param heapOffset pool offset of the heap region
     * @param heapSize   bytes in the heap region, as the pool header records it
     * @return the report; a bad heap header is reported as one problem, not thrown
     */
    public static HeapCheckReport run(MediumReader medium, long heapOffset, long heapSize) {
        final List<Corruption> problems = new ArrayList<>();
        final int chunksPerZone;
        try {
            chunksPerZone = HeapLayout.read(medium, heapOffset, heapSize).chunksPerZone();
        } catch (EngramException e) {
            problems.add(new Corruption("heap header", heapOffset, "a valid header", e.getMessage()));
            return new HeapCheckReport(List.copyOf(problems), 0, 0, 0, 0);
        }
        final long[] counts = new long[4];
        new HeapWalker(medium, heapOffset, chunksPerZone, heapSize).walk(new HeapWalker.Visitor() {
            @Override
            public void object(long objectOffset, long typeNum, long blockSize, int cls) {
                counts[0]++;
            }

            @Override
            public boolean corruption(Corruption c) {
                problems.add(c);
                return true;
            }

            @Override
            public void run(long runStart, int cls, int takenBlocks) {
                counts[1]++;
            }

            @Override
            public void span(long chunkOffset, int chunks) {
                counts[2]++;
            }

            @Override
            public void freeChunks(int count) {
                counts[3] += count;
            }
        }, true);
        return new HeapCheckReport(List.copyOf(problems), counts[0], counts[1], counts[2], counts[3]);
    }
}
