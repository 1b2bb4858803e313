package dev.engram.pool.linux;

/**
 * What {@link Reflink#cloneFile} did.
 *
 * @param method   how the bytes reached the target
 * @param bytes    size of the target, equal to the source's
 * @param fallback why faster methods were not used ("" when {@link CloneMethod#REFLINK} worked)
 */
public record CloneResult(CloneMethod method, long bytes, String fallback) {
}
