package dev.engram.cli;

import dev.engram.pool.CloneReport;
import dev.engram.pool.Pool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code engram clone}: an instant reflink copy where the file system shares extents, else a plain copy, and says which. */
@Command(name = "clone", description = "Clone a closed pool: a reflink (instant, copy-on-write) where possible, else a copy. The clone gets a new UUID.")
final class CloneCommand extends PoolCommand {
    @Parameters(index = "1", paramLabel = "TARGET", description = "The new pool file (must not exist).")
    Path target;

    @Override
    public Integer call() {
        CloneReport r = Pool.clone(poolPath, target);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("source", poolPath.toString());
        doc.put("target", target.toString());
        doc.put("method", r.method().name());
        doc.put("shared", r.shared());
        doc.put("bytes", r.bytes());
        doc.put("fallbackReason", r.fallbackReason());
        doc.put("uuid", r.uuid().toString());
        String how = r.shared()
                ? "by reflink: the clone shares every extent with the source (copy-on-write, no data copied)"
                : "by COPYING " + Units.bytes(r.bytes()) + " (" + r.method().name().toLowerCase().replace('_', '-')
                        + "): " + (r.fallbackReason() == null ? "reflink not attempted" : "no reflink: " + r.fallbackReason());
        emit(doc, "cloned " + poolPath + " -> " + target + "\n  " + how + "\n  new uuid " + r.uuid() + "\n");
        return ExitCodes.OK;
    }
}
