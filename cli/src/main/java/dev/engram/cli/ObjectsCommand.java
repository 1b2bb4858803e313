package dev.engram.cli;

import dev.engram.allocator.PersistentHeap;
import dev.engram.tx.TypeTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code engram objects}: live objects by type number, with offsets and sizes. */
@Command(name = "objects", description = "List live objects by type number (with the names the pool's type table records),"
        + " with offsets and usable sizes.")
final class ObjectsCommand extends PoolCommand {
    @Option(names = "--type", description = "Only objects of this type number.")
    Long type;

    @Option(names = "--limit", defaultValue = "20",
            description = "List at most this many objects (0: none, -1: all); the per-type summary always counts all. Default: ${DEFAULT-VALUE}.")
    long limit;

    @Override
    public Integer call() {
        try (PoolSession s = PoolSession.open(poolPath, null)) {
            PersistentHeap heap = s.heap();
            TreeMap<Long, long[]> byType = new TreeMap<>();
            List<Map<String, Object>> listed = new ArrayList<>();
            long[] total = new long[1];
            heap.forEachObject(offset -> {
                long t = heap.typeNum(offset);
                if (type != null && t != type) {
                    return;
                }
                long size = heap.usableSize(offset);
                long[] c = byType.computeIfAbsent(t, k -> new long[2]);
                c[0]++;
                c[1] += size;
                if (limit < 0 || total[0] < limit) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("offset", offset);
                    o.put("type", t);
                    o.put("size", size);
                    listed.add(o);
                }
                total[0]++;
            });
            Map<Long, String> names = new java.util.HashMap<>();
            TypeTable.read(s.reader(), s.pool().rootAreaOffset()).entries().values()
                    .forEach(e -> names.put((long) e.typeNum(), e.name()));
            List<Map<String, Object>> types = new ArrayList<>();
            Table tt = new Table("type", "name", "objects", "bytes").numeric(0, 2, 3);
            for (Map.Entry<Long, long[]> e : byType.entrySet()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", e.getKey());
                String name = typeName(e.getKey(), names);
                m.put("name", name);
                m.put("count", e.getValue()[0]);
                m.put("bytes", e.getValue()[1]);
                types.add(m);
                tt.row(e.getKey(), name, e.getValue()[0], e.getValue()[1]);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", poolPath.toString());
            doc.put("rootObject", s.rootObject());
            doc.put("total", total[0]);
            doc.put("types", types);
            doc.put("objects", listed);
            doc.put("truncated", listed.size() < total[0]);
            StringBuilder human = new StringBuilder();
            human.append(total[0]).append(" objects").append(type != null ? " of type " + type : "").append('\n');
            if (!types.isEmpty()) {
                human.append(tt.render());
            }
            if (!listed.isEmpty()) {
                Table ot = new Table("offset", "type", "size").numeric(1, 2);
                for (Map<String, Object> o : listed) {
                    ot.row(Units.hex((Long) o.get("offset")), o.get("type"), o.get("size"));
                }
                human.append('\n').append(ot.render());
                if (listed.size() < total[0]) {
                    human.append("... ").append(total[0] - listed.size()).append(" more (use --limit -1 to list all)\n");
                }
            }
            emit(doc, human.toString());
        }
        return ExitCodes.OK;
    }

    /** The transaction layer's own block types have names; other types the name the pool's type table records, if any. */
    static String typeName(long type, Map<Long, String> table) {
        String builtin = TypeTable.builtinName(type);
        return builtin != null ? builtin : table.getOrDefault(type, "");
    }
}
