package dev.engram.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One inconsistency {@code check} found.
 *
 * @param kind    stable identifier (see cli/README.md): header, header-copy, lanes, lane, root,
 *                heap-header, zone-header, chunk-header, run-bitmap, block-header, leak,
 *                dangling-reference, bad-block
 * @param offset  pool offset of the bad structure, -1 where none applies
 * @param message what is wrong: the structure, expected and actual value
 * @param repair  the planned repair, or null when {@code --repair} cannot fix it without losing data
 * @param details structured facts for scripts (kind-specific, documented in cli/README.md), or null
 */
record Finding(String kind, long offset, String message, Repair repair, Map<String, Object> details) {
    Finding(String kind, long offset, String message, Repair repair) {
        this(kind, offset, message, repair, null);
    }

    boolean repairable() {
        return repair != null;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("offset", offset);
        m.put("message", message);
        m.put("repairable", repairable());
        m.put("repair", repair == null ? null : repair.description());
        if (details != null) {
            m.put("details", details);
        }
        return m;
    }
}
