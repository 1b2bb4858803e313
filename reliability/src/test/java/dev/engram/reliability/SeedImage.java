package dev.engram.reliability;

import java.util.List;

/**
 * A valid pool image built by {@link FuzzSeeds} and the offsets of its structures, so that the
 * mutator can aim at fields instead of only at random bytes.
 *
 * @param name           seed variant name, printed with every failure
 * @param bytes          the whole pool file
 * @param heapOffset     pool offset of the heap header
 * @param laneOffsets    pool offset of each lane (each lane region is one redo log)
 * @param laneSize       bytes per lane
 * @param zoneBases      pool offset of each zone header
 * @param chunkHeaders   pool offsets of chunk-header words that describe a used span or a run
 * @param runStarts      pool offsets of run starts (the first bitmap word)
 * @param blockHeaders   pool offsets of live objects' 16-byte block headers
 */
record SeedImage(String name, byte[] bytes, long heapOffset, List<Long> laneOffsets, int laneSize,
                 List<Long> zoneBases, List<Long> chunkHeaders, List<Long> runStarts, List<Long> blockHeaders) {
    byte[] copy() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return name + "(" + bytes.length + " bytes)";
    }
}
