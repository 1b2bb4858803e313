/**
 * Engram's transactions and object API (DESIGN.md §4): undo-log transactions over lanes, recovery on
 * open, and {@code ObjectPool} with Kryo-serialized objects and Chronicle Bytes views of blocks.
 */
@SuppressWarnings("requires-transitive-automatic") // chronicle.bytes: a stable Automatic-Module-Name, not a jar file name
module dev.engram.tx {
    requires transitive dev.engram.pool;
    requires transitive dev.engram.allocator;
    // automatic modules (Automatic-Module-Name in their manifests). Chronicle Bytes is transitive
    // because ObjectPool.readBytes/writeBytes hand out its Bytes type; Kryo stays internal.
    requires com.esotericsoftware.kryo;
    requires transitive chronicle.bytes;

    exports dev.engram.tx;
}
