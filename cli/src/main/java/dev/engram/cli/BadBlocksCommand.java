package dev.engram.cli;

import dev.engram.pool.BadBlockSource;
import dev.engram.pool.BadRange;
import dev.engram.pool.ListFileBadBlockSource;
import dev.engram.pool.SysfsBadBlockSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code engram badblocks}: known bad ranges (a list file, or the pmem device), mapped to the structures and objects they hit. */
@Command(name = "badblocks", description = {
    "List known bad ranges of the pool file and what each hits: header copies, root area, lanes, heap metadata, objects,",
    "free space. 'engram check --badblocks' says what --repair can do about each (quarantine free space).",
    "Ranges come from --list, else from the pmem device's sysfs badblocks. Exit 0: none; 1: some."})
final class BadBlocksCommand extends PoolCommand {
    @Option(names = "--list", paramLabel = "FILE", description = "Bad ranges, 'offset length' per line in pool-file bytes (decimal or 0x).")
    Path list;

    @Override
    public Integer call() {
        if (list != null && !Files.isReadable(list)) {
            throw CliException.usage("bad-block list " + list + " does not exist or is not readable");
        }
        BadBlockSource source = list != null ? new ListFileBadBlockSource(list) : new SysfsBadBlockSource();
        List<BadRange> ranges;
        try {
            ranges = source.badRanges(poolPath);
        } catch (IOException e) {
            throw new CliException(ExitCodes.IO_ERROR, "cannot read the bad-block list for " + poolPath + ": " + e.getMessage(), e);
        }
        // Opened ignoring bad blocks: the library refuses a pool with bad metadata, but here we only look.
        try (PoolSession s = PoolSession.open(poolPath, null)) {
            List<BadBlockMapper.Hit> hits = BadBlockMapper.map(s, ranges);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", poolPath.toString());
            doc.put("source", list != null ? list.toString() : "device");
            doc.put("ranges", hits.stream().map(BadBlockMapper.Hit::toJson).toList());
            StringBuilder human = new StringBuilder();
            human.append(hits.size()).append(" bad range(s) in ").append(poolPath)
                    .append(list != null ? " (from " + list + ")" : " (from the device)").append('\n');
            for (BadBlockMapper.Hit h : hits) {
                human.append("  ").append(h.describe()).append('\n');
            }
            if (hits.stream().anyMatch(BadBlockMapper.Hit::hitsMetadata)) {
                human.append("metadata is damaged: restore the pool from a clone or backup (with a bad header, root area or"
                        + " lane the library refuses to open it)\n");
            }
            emit(doc, human.toString());
            return hits.isEmpty() ? ExitCodes.OK : ExitCodes.INCONSISTENT;
        }
    }
}
