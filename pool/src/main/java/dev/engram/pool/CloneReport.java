package dev.engram.pool;

import dev.engram.pool.linux.CloneMethod;

import java.util.UUID;

/**
 * What {@link Pool#clone} did: how the bytes got there (a reflink shares extents and is instant; the
 * fallbacks copy), how many, why a fallback was taken, and the clone's new identity.
 *
 * @param method         how the bytes got there
 * @param bytes          bytes in the clone (the source's length)
 * @param fallbackReason why a faster method was not used, or null for a reflink
 * @param uuid           the clone's new pool UUID
 */
public record CloneReport(CloneMethod method, long bytes, String fallbackReason, UUID uuid) {
    /** {@return whether the clone shares extents with its source (copy-on-write)} */
    public boolean shared() {
        return method == CloneMethod.REFLINK;
    }
}
