package dev.engram.cli;

import dev.engram.allocator.HeapStats;
import dev.engram.allocator.SizeClasses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Heap statistics as the CLI shows them (shared by {@code info} and {@code stats}). */
final class HeapFacts {
    private HeapFacts() {
    }

    /** Free blocks stranded in a class's runs, as a fraction of the class's blocks. */
    static double classFragmentation(HeapStats.ClassStats c) {
        long total = c.blocksUsed() + c.blocksFree();
        return total == 0 ? 0 : (double) c.blocksFree() / total;
    }

    static long usedBytes(HeapStats s) {
        long used = s.usedSpanChunks() * dev.engram.allocator.HeapLayout.CHUNK_SIZE;
        for (HeapStats.ClassStats c : s.classes()) {
            used += c.blocksUsed() * (long) c.blockSize();
        }
        return used;
    }

    static Map<String, Object> summary(HeapStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heapSize", s.heapSize());
        m.put("objects", s.objectsUsed());
        m.put("usedBytes", usedBytes(s));
        m.put("freeBytes", s.freeBytes());
        m.put("metadataBytes", s.metadataBytes());
        m.put("largestAllocatableObject", s.largestAllocatableObject());
        m.put("fragmentation", s.fragmentation());
        return m;
    }

    static List<Map<String, Object>> classes(HeapStats s) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (HeapStats.ClassStats c : s.classes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", c.classId());
            m.put("blockSize", c.blockSize());
            m.put("runs", c.runs());
            m.put("blocks", c.blocksUsed() + c.blocksFree());
            m.put("used", c.blocksUsed());
            m.put("free", c.blocksFree());
            m.put("fragmentation", classFragmentation(c));
            m.put("runBytes", c.runs() * SizeClasses.runChunks(c.classId()) * dev.engram.allocator.HeapLayout.CHUNK_SIZE);
            out.add(m);
        }
        return out;
    }
}
