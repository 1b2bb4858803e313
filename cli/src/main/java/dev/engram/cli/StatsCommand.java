package dev.engram.cli;

import dev.engram.allocator.HeapStats;
import dev.engram.pool.PoolInfo;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code engram stats}: usage per size class, spans, free space, fragmentation and metadata overhead. */
@Command(name = "stats", description = "Heap usage per size class, free space, fragmentation and metadata overhead.")
final class StatsCommand extends PoolCommand {
    @Override
    public Integer call() {
        try (PoolSession s = PoolSession.open(poolPath, null)) {
            PoolInfo i = s.info();
            HeapStats st = s.heap().stats();
            // Pool metadata: everything before the heap (two header copies, root area, lanes).
            long poolMeta = i.heapOffset();
            long totalMeta = poolMeta + st.metadataBytes() + st.blockHeaderBytes();
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("poolBytes", poolMeta);
            meta.put("heapBytes", st.metadataBytes());
            meta.put("blockHeaderBytes", st.blockHeaderBytes());
            meta.put("totalBytes", totalMeta);
            meta.put("fractionOfPool", (double) totalMeta / i.poolSize());
            meta.put("heapMetadataFractionOfPool", (double) (poolMeta + st.metadataBytes()) / i.poolSize());
            Map<String, Object> heap = HeapFacts.summary(st);
            heap.put("chunks", st.chunks());
            heap.put("freeChunks", st.freeChunks());
            heap.put("largestFreeSpanChunks", st.largestFreeSpanChunks());
            heap.put("usedSpans", st.usedSpans());
            heap.put("usedSpanChunks", st.usedSpanChunks());
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", poolPath.toString());
            doc.put("poolSize", i.poolSize());
            doc.put("heap", heap);
            doc.put("classes", HeapFacts.classes(st));
            doc.put("metadata", meta);
            emit(doc, human(i, st, poolMeta, totalMeta));
        }
        return ExitCodes.OK;
    }

    private String human(PoolInfo i, HeapStats st, long poolMeta, long totalMeta) {
        Table t = new Table("class", "block", "runs", "blocks", "used", "free", "frag").numeric(0, 1, 2, 3, 4, 5, 6);
        for (HeapStats.ClassStats c : st.classes()) {
            t.row(c.classId(), c.blockSize(), c.runs(), c.blocksUsed() + c.blocksFree(), c.blocksUsed(), c.blocksFree(),
                    Units.percent(HeapFacts.classFragmentation(c)));
        }
        String spans = "spans: " + st.usedSpans() + " large objects in " + st.usedSpanChunks() + " chunks\n";
        String free = "free: " + Units.bytes(st.freeBytes()) + "; " + st.freeChunks() + " of " + st.chunks()
                + " chunks free, largest free span " + st.largestFreeSpanChunks() + " chunks, fragmentation "
                + Units.percent(st.fragmentation()) + "\n";
        String meta = Table.keyValues(List.of(
                new String[] {"metadata: pool", Units.bytes(poolMeta) + " (headers, root area, lanes)"},
                new String[] {"metadata: heap", Units.bytes(st.metadataBytes()) + " (heap header, zone tables, run bitmaps)"},
                new String[] {"metadata: block headers", Units.bytes(st.blockHeaderBytes())},
                new String[] {"metadata: total", Units.bytes(totalMeta) + " = " + Units.percent((double) totalMeta / i.poolSize())
                        + " of the pool"}));
        return (st.classes().isEmpty() ? "no runs\n" : t.render()) + spans + free + meta;
    }
}
