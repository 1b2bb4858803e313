package dev.engram.cli;

import dev.engram.pool.ListFileBadBlockSource;
import dev.engram.pool.SysfsBadBlockSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code engram check [--repair] [--dry-run]}: consistency check, and repair of what can be repaired without data loss. */
@Command(name = "check", description = {
    "Check a pool's headers, lanes, heap metadata, root pointer, leaked blocks (when every live block's type declares its",
    "references) and (with --badblocks or --device-badblocks) known bad blocks.",
    "--repair fixes what can be fixed without losing committed data (restores headers, runs recovery, rebuilds heap",
    "metadata, frees leaked blocks, quarantines bad free space) and lists every action; --dry-run shows the plan only.",
    "Exit 0: consistent; 1: inconsistencies found (or repaired: the output says which); 3: I/O error or pool busy."})
final class CheckCommand extends PoolCommand {
    @Option(names = "--repair", description = "Repair what can be repaired (takes the pool's exclusive lock).")
    boolean repair;

    @Option(names = {"-n", "--dry-run"}, description = "Show what --repair would do; change nothing.")
    boolean dryRun;

    @Option(names = "--badblocks", paramLabel = "LIST", description = "Bad ranges from a list file ('offset length' per line, pool-file bytes).")
    Path badBlockList;

    @Option(names = "--device-badblocks", description = "Bad ranges from the pmem device's sysfs badblocks list.")
    boolean deviceBadBlocks;

    @Override
    public Integer call() {
        if (badBlockList != null && !Files.isReadable(badBlockList)) {
            throw CliException.usage("bad-block list " + badBlockList + " does not exist or is not readable");
        }
        var source = badBlockList != null ? new ListFileBadBlockSource(badBlockList)
                : deviceBadBlocks ? new SysfsBadBlockSource() : null;
        Progress progress = Progress.forPool(err(), fileSize());
        PoolChecker.Result before = PoolChecker.check(poolPath, source, progress);
        String mode = repair && !dryRun ? "repair" : dryRun ? "dry-run" : "check";
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", poolPath.toString());
        doc.put("mode", mode);
        doc.put("consistent", before.consistent());
        doc.put("findings", before.findings().stream().map(Finding::toJson).toList());
        doc.put("notes", before.notes());
        doc.put("summary", before.summary());
        StringBuilder human = new StringBuilder();
        human.append(report(before, mode));
        if (mode.equals("repair") && before.repairable() > 0) {
            List<String> actions = PoolRepairer.repair(poolPath, before, source, progress);
            PoolChecker.Result after = PoolChecker.check(poolPath, source, Progress.none());
            doc.put("repaired", actions);
            Map<String, Object> afterDoc = new LinkedHashMap<>();
            afterDoc.put("consistent", after.consistent());
            afterDoc.put("findings", after.findings().stream().map(Finding::toJson).toList());
            doc.put("after", afterDoc);
            human.append("\nrepaired:\n");
            for (String a : actions) {
                human.append("  ").append(a).append('\n');
            }
            human.append(after.consistent() ? "after repair: consistent\n"
                    : "after repair: " + after.findings().size() + " inconsistencies remain:\n" + list(after.findings(), false));
        } else if (mode.equals("repair")) {
            doc.put("repaired", List.of());
        }
        emit(doc, human.toString());
        return before.consistent() ? ExitCodes.OK : ExitCodes.INCONSISTENT;
    }

    private long fileSize() {
        try {
            return Files.size(poolPath);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private String report(PoolChecker.Result r, String mode) {
        StringBuilder sb = new StringBuilder();
        sb.append("check ").append(poolPath).append('\n');
        if (!r.summary().isEmpty()) {
            sb.append("  heap: ").append(r.summary().get("objects")).append(" objects, ").append(r.summary().get("runs"))
                    .append(" runs, ").append(r.summary().get("spans")).append(" spans, ")
                    .append(r.summary().get("freeChunks")).append(" free chunks\n");
        }
        for (String n : r.notes()) {
            sb.append("  note: ").append(n).append('\n');
        }
        if (r.consistent()) {
            sb.append("consistent\n");
            return sb.toString();
        }
        sb.append(r.findings().size()).append(" inconsistencies, ").append(r.repairable()).append(" repairable:\n");
        sb.append(list(r.findings(), true));
        if (mode.equals("check") && r.repairable() > 0) {
            sb.append("run 'engram check --repair ").append(poolPath).append("' to repair (preview: --dry-run)\n");
        } else if (mode.equals("dry-run")) {
            sb.append("dry run: nothing was changed\n");
        }
        return sb.toString();
    }

    private static String list(List<Finding> findings, boolean plans) {
        StringBuilder sb = new StringBuilder();
        List<String> lines = new ArrayList<>();
        for (Finding f : findings) {
            lines.add("  [" + f.kind() + "] " + f.message());
            if (plans) {
                lines.add("      " + (f.repairable() ? "repair: " + f.repair().description()
                        : "not repairable without losing data: restore from a clone or backup"));
            }
        }
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
