package dev.engram.pool;

import dev.engram.pool.linux.CloneMethod;

import java.util.UUID;

/**
 * What {@link Pool#clone} did: how the bytes got there (a reflink shares extents and is instant; the
 * fallbacks copy), how many, why a fallback was taken, and the clone's new identity.
 */
public record CloneReport(CloneMethod method, long bytes, String fallbackReason, UUID uuid) {
    /** True when the clone shares extents with its source (copy-on-write). */
    public boolean shared() {
        return method == CloneMethod.REFLINK;
    }
}
