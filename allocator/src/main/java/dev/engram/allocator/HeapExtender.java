package dev.engram.allocator;

/**
 * Grows the heap region in place, supplied by the layer that owns the file (the pool: grow the
 * file, the mapping and the pool header). Handles are offsets, so growth never moves an object.
 */
@FunctionalInterface
public interface HeapExtender {
    /**
     * Makes the heap region at least {@code minBytes} larger and returns the new heap size in
     * bytes (which the owner records durably before returning). May return the old size when the
     * region cannot grow.
     *
     * @param minBytes bytes the heap needs at least
     * @return the new heap size in bytes, or the old one if the region could not grow
     */
    long extend(long minBytes);
}
