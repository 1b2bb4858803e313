package dev.engram.tx;

/**
 * Seventy-two bytes that the JVM lays out ahead of every field of a per-lane object
 * ({@link Transaction}, {@link UndoLog}, {@link RangeSet}): superclass fields come first, so a
 * subclass's fields never share a cache line with whatever the collector placed just before the
 * object. Objects of one lane are written on every transaction by the thread that holds the lane,
 * and the collector copies the lanes' objects next to each other (it evacuates an array's elements
 * in order), so without the gap two threads on two lanes would write the same line on every
 * transaction.
 *
 * <p>The leading {@code int} fills the slot after the object header, where the JVM would
 * otherwise put a subclass field.
 */
@SuppressWarnings("unused")
abstract class LanePadding {
    private int p0;
    private long p1;
    private long p2;
    private long p3;
    private long p4;
    private long p5;
    private long p6;
    private long p7;
    private long p8;

    LanePadding() {
    }
}
