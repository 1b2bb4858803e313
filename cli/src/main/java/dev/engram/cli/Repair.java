package dev.engram.cli;

import java.util.List;

/**
 * A planned repair: what it does, in words, and the 8-byte stores that do it. Every store is to a
 * metadata word whose correct value is derived from redundant information still on the media (a
 * twin header, a block header, a run's size class), so no committed data is lost. Header, lane,
 * leak and bad-block repairs have no stores of their own: the library's writable open, recovery
 * and transactions (a free, a quarantine allocation) perform them.
 *
 * @param description what the repair does, for the report
 * @param stores      (offset, value) pairs, applied in order, each persisted
 */
record Repair(String description, List<Store> stores) {
    record Store(long offset, long value) {
    }

    static Repair byLibrary(String description) {
        return new Repair(description, List.of());
    }
}
