package dev.engram.cli;

import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolInfo;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code engram create}: a new, empty object pool (header, lanes, heap, root area). */
@Command(name = "create", description = "Create a new object pool file.")
final class CreateCommand extends PoolCommand {
    @Option(names = "--size", defaultValue = "64M", description = "Pool size (4096-multiple, >= 1M; K/M/G suffixes). Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--max-size", description = "Growth limit (default: the size; the pool never grows).")
    String maxSize;

    @Option(names = "--layout", defaultValue = "engram", description = "Layout name, checked by every later open. Default: ${DEFAULT-VALUE}.")
    String layout;

    @Option(names = "--lanes", defaultValue = "16", description = "Lane count (concurrent transactions). Default: ${DEFAULT-VALUE}.")
    int lanes;

    @Option(names = "--lane-size", defaultValue = "16K", description = "Bytes per lane (undo + redo log). Default: ${DEFAULT-VALUE}.")
    String laneSize;

    @Option(names = "--mode", defaultValue = "auto",
            description = "Mapping mode: auto (DAX if the file supports it, else page cache), dax (fail without DAX),"
                    + " page-cache, force-pmem (CPU write-back on any file: tests). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Override
    public Integer call() {
        long laneBytes = Units.parseSize(laneSize);
        if (laneBytes > Integer.MAX_VALUE) {
            throw CliException.usage("--lane-size " + laneSize + " is too large");
        }
        PoolOptions o = PoolOptions.defaults().withSize(Units.parseSize(size)).withLanes(lanes, (int) laneBytes)
                .withPolicy(policy(mode));
        if (maxSize != null) {
            o = o.withMaxSize(Units.parseSize(maxSize));
        }
        PoolInfo info;
        try (ObjectPool p = ObjectPool.create(poolPath, ObjectLayout.named(layout), o)) {
            info = p.pool().info();
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", poolPath.toString());
        doc.put("uuid", info.uuid().toString());
        doc.put("layout", info.layout());
        doc.put("poolSize", info.poolSize());
        doc.put("lanes", info.laneCount());
        doc.put("laneSize", info.laneSize());
        doc.put("heapSize", info.heapSize());
        doc.put("medium", info.mediumKind().name());
        doc.put("mediumReason", info.mediumReason());
        emit(doc, "created " + poolPath + "\n" + Table.keyValues(List.of(
                new String[] {"uuid", info.uuid().toString()},
                new String[] {"layout", "'" + info.layout() + "'"},
                new String[] {"size", Units.bytes(info.poolSize()) + " (heap " + Units.bytes(info.heapSize()) + ")"},
                new String[] {"lanes", info.laneCount() + " x " + Units.bytes(info.laneSize())},
                new String[] {"mode", info.mediumKind() + ": " + info.mediumReason()})));
        return ExitCodes.OK;
    }

    static MappingPolicy policy(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "auto" -> MappingPolicy.AUTO;
            case "dax" -> MappingPolicy.REQUIRE_DAX;
            case "page-cache" -> MappingPolicy.PAGE_CACHE;
            case "force-pmem" -> MappingPolicy.FORCE_PMEM;
            default -> throw CliException.usage("--mode " + mode + " is not one of auto, dax, page-cache, force-pmem");
        };
    }
}
