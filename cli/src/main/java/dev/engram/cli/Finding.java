package dev.engram.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One inconsistency {@code check} found.
 *
 * @param kind    stable identifier (see cli/README.md): header, header-copy, lanes, lane, root,
 *                heap-header, zone-header, chunk-header, run-bitmap, block-header, bad-block
 * @param offset  pool offset of the bad structure, -1 where none applies
 * @param message what is wrong: the structure, expected and actual value
 * @param repair  the planned repair, or null when {@code --repair} cannot fix it without losing data
 */
record Finding(String kind, long offset, String message, Repair repair) {
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
        return m;
    }
}
