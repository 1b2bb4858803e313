/**
 * Engram's lowest layer: the medium (mapping plus flush/drain), the pool file, locking, reflink and
 * media errors. See DESIGN.md §2.
 */
module dev.engram.pool {
    requires jdk.nio.mapmode;
    requires java.logging;
    requires java.management;
    requires jdk.management;

    exports dev.engram.pool;
    exports dev.engram.pool.medium;
    exports dev.engram.pool.linux;
}
