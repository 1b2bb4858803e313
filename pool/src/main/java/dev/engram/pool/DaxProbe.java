package dev.engram.pool;

/**
 * The answer of {@link DaxSupport#probe}: whether a file can be mapped with MAP_SYNC, and why, in words
 * fit for {@code info} and for a {@link DaxUnavailableException} message.
 *
 * @param dax    true when stores through a mapping of the file reach the media without the page cache
 * @param reason how that was decided (statx attribute, or the outcome of a MAP_SYNC mapping attempt)
 */
public record DaxProbe(boolean dax, String reason) {
}
