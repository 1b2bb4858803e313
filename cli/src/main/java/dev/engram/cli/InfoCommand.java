package dev.engram.cli;

import dev.engram.allocator.HeapStats;
import dev.engram.pool.DaxProbe;
import dev.engram.pool.DaxSupport;
import dev.engram.pool.PoolFeatures;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolInfo;
import dev.engram.pool.medium.MediumKind;
import picocli.CommandLine.Command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code engram info}: identity, format, mode and why, DAX and reflink status, shutdown state, heap summary. */
@Command(name = "info", description = "Show the pool header, mode, DAX and reflink status, shutdown state and a heap summary.")
final class InfoCommand extends PoolCommand {
    @Override
    public Integer call() {
        try (PoolSession s = PoolSession.open(poolPath, null)) {
            PoolInfo i = s.info();
            PoolHeader h = s.pool().header();
            DaxProbe dax = DaxSupport.probe(poolPath);
            HeapStats stats = s.hasObjectLayer() ? s.heap().stats() : null;
            String lastMode = lastWriterMode(h.openMode());
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", poolPath.toString());
            doc.put("uuid", i.uuid().toString());
            doc.put("layout", i.layout());
            doc.put("version", i.majorVersion() + "." + i.minorVersion());
            doc.put("created", Instant.ofEpochMilli(i.creationTimeMillis()).toString());
            doc.put("poolSize", i.poolSize());
            doc.put("maxPoolSize", i.maxPoolSize());
            doc.put("laneCount", i.laneCount());
            doc.put("laneSize", i.laneSize());
            doc.put("heapOffset", i.heapOffset());
            doc.put("heapSize", i.heapSize());
            doc.put("features", features(i));
            doc.put("lastWriterMode", lastMode);
            doc.put("autoMode", dax.dax() ? "DAX" : "PAGE_CACHE");
            doc.put("autoModeReason", dax.reason());
            doc.put("daxCapable", dax.dax());
            doc.put("sharedFraction", i.sharedFraction());
            doc.put("cleanShutdown", i.cleanShutdownAtOpen());
            doc.put("recoveryNeeded", i.recoveryNeeded());
            doc.put("unsafeShutdownCount", h.shutdownCount());
            doc.put("headerProblem", i.headerRepaired());
            doc.put("generation", h.generation());
            doc.put("objectLayer", s.hasObjectLayer());
            doc.put("rootObject", s.hasObjectLayer() ? s.rootObject() : 0);
            doc.put("heap", stats == null ? null : HeapFacts.summary(stats));
            emit(doc, human(i, h, dax, lastMode, stats, s));
        }
        return ExitCodes.OK;
    }

    private static String lastWriterMode(int openMode) {
        MediumKind[] kinds = MediumKind.values();
        return openMode > 0 && openMode <= kinds.length ? kinds[openMode - 1].name() : "NONE";
    }

    private static List<String> features(PoolInfo i) {
        List<String> f = new ArrayList<>();
        if ((i.compatFeatures() & PoolFeatures.COMPAT_CLONED) != 0) {
            f.add("cloned");
        }
        long unknownCompat = i.compatFeatures() & ~PoolFeatures.KNOWN_COMPAT;
        if (unknownCompat != 0) {
            f.add("compat:" + Units.hex(unknownCompat));
        }
        if (i.incompatFeatures() != 0) {
            f.add("incompat:" + Units.hex(i.incompatFeatures()));
        }
        if (i.roCompatFeatures() != 0) {
            f.add("ro-compat:" + Units.hex(i.roCompatFeatures()));
        }
        return f;
    }

    private String human(PoolInfo i, PoolHeader h, DaxProbe dax, String lastMode, HeapStats stats, PoolSession s) {
        List<String[]> kv = new ArrayList<>();
        kv.add(new String[] {"file", poolPath.toString()});
        kv.add(new String[] {"uuid", i.uuid().toString()});
        kv.add(new String[] {"layout", "'" + i.layout() + "'"});
        kv.add(new String[] {"format", i.majorVersion() + "." + i.minorVersion() + ", features: "
                + (features(i).isEmpty() ? "none" : String.join(" ", features(i)))});
        kv.add(new String[] {"created", Instant.ofEpochMilli(i.creationTimeMillis()).toString()});
        kv.add(new String[] {"size", Units.bytes(i.poolSize()) + (i.maxPoolSize() > i.poolSize()
                ? " (grows to " + Units.bytes(i.maxPoolSize()) + ")" : "")});
        kv.add(new String[] {"lanes", i.laneCount() + " x " + Units.bytes(i.laneSize())});
        kv.add(new String[] {"heap", Units.bytes(i.heapSize()) + " at " + Units.hex(i.heapOffset())});
        kv.add(new String[] {"last mode", lastMode + " (mode of the last writable open)"});
        kv.add(new String[] {"auto mode", (dax.dax() ? "DAX" : "PAGE_CACHE") + ": " + dax.reason()});
        kv.add(new String[] {"reflink shared", Units.percent(i.sharedFraction())});
        kv.add(new String[] {"shutdown", i.cleanShutdownAtOpen() ? "clean" : "NOT clean: recovery runs at the next writable open"});
        kv.add(new String[] {"unsafe shutdowns", h.shutdownCount() < 0 ? "not counted by this device" : String.valueOf(h.shutdownCount())});
        if (i.headerRepaired() != null) {
            kv.add(new String[] {"header", "one copy is damaged: " + i.headerRepaired() + " (engram check --repair)"});
        }
        if (stats != null) {
            kv.add(new String[] {"root object", s.rootObject() == 0 ? "none" : Units.hex(s.rootObject())});
            kv.add(new String[] {"objects", stats.objectsUsed() + " using " + Units.bytes(HeapFacts.usedBytes(stats))});
            kv.add(new String[] {"free", Units.bytes(stats.freeBytes()) + ", fragmentation "
                    + Units.percent(stats.fragmentation())});
            kv.add(new String[] {"metadata", Units.bytes(stats.metadataBytes()) + " ("
                    + Units.percent(stats.metadataFraction()) + " of the heap)"});
        } else {
            kv.add(new String[] {"heap state", "no object layer"});
        }
        return Table.keyValues(kv);
    }
}
