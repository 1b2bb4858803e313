package dev.engram.tx;

import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reachability walk over real pools: roots, each kind of reference layout, and when it refuses to claim leaks. */
class ObjectGraphTest {
    static final int NODE = 20;
    static final int ARRAY = 22;
    static final int BAG = 23;
    static final int LEAF = 24;
    static final int OPAQUE = 25;

    public static final class Note {
        String text = "n";
    }

    static final ObjectLayout LAYOUT = ObjectLayout.named("graph")
            .declareBlockType(NODE, "node", References.at(0, 8))
            .declareBlockType(ARRAY, "array", References.at().thenEvery(8, 16, 0, 0))
            .declareBlockType(BAG, "bag", References.scan())
            .declareBlockType(LEAF, "leaf", References.none())
            .register(Note.class, 30, References.none());
    static final PoolOptions OPTIONS = PoolOptions.defaults().withSize(8 << 20).withLanes(2, 8192)
            .withPolicy(MappingPolicy.PAGE_CACHE);

    @TempDir
    Path dir;

    private ObjectPool create() {
        return ObjectPool.create(dir.resolve("g.pool"), LAYOUT, OPTIONS);
    }

    private static long alloc(ObjectPool p, long size, int type) {
        return p.engine().current().zalloc(size, type);
    }

    private static void put(ObjectPool p, long at, long value) {
        p.engine().current().addRange(at, Long.BYTES);
        p.engine().medium().putLong(at, value);
    }

    private static void setRoot(ObjectPool p, long block) {
        p.setRoot(new Ref<>(block, Object.class));
    }

    @Test
    void shouldReachEveryBlockLinkedThroughFixedWordsAndClaimTheRestAsLeaks() {
        try (ObjectPool p = create()) {
            long[] b = p.transaction(tx -> {
                long root = alloc(p, 16, NODE);
                long left = alloc(p, 16, NODE);
                long right = alloc(p, 100, LEAF);
                long lost = alloc(p, 16, NODE);
                long lostChild = alloc(p, 40, LEAF);
                put(p, root, left);
                put(p, root + 8, right);
                put(p, left + 8, root);            // a cycle
                put(p, lost, lostChild);
                setRoot(p, root);
                return new long[] {root, left, right, lost, lostChild};
            });
            ObjectGraph.Result r = ObjectGraph.walk(p.engine());
            assertThat(r.complete()).as(r.reasons().toString()).isTrue();
            assertThat(r.liveBlocks()).isEqualTo(5);
            assertThat(r.reachable()).isEqualTo(3);
            assertThat(r.leaks()).extracting(ObjectGraph.Block::offset).containsExactly(b[3], b[4]);
            assertThat(r.leaks().getFirst()).satisfies(l -> {
                assertThat(l.type()).isEqualTo(NODE);
                assertThat(l.typeName()).isEqualTo("node");
                assertThat(l.size()).isEqualTo(p.engine().heap().usableSize(b[3]));
            });
        }
    }

    @Test
    void shouldClaimNoLeakWhileAnyLiveBlockHasAnUnknownLayout() {
        try (ObjectPool p = create()) {
            p.run(tx -> {
                long root = alloc(p, 16, NODE);
                alloc(p, 16, NODE);                // unreachable
                alloc(p, 64, OPAQUE);              // undeclared: maybe found by iterating its type
                alloc(p, 64, OPAQUE);
                setRoot(p, root);
            });
            ObjectGraph.Result r = ObjectGraph.walk(p.engine());
            assertThat(r.complete()).isFalse();
            assertThat(r.leaks()).isEmpty();
            assertThat(r.unknown()).containsExactly(new ObjectGraph.UnknownType(OPAQUE, "", 2));
            assertThat(r.reasons()).singleElement().asString()
                    .isEqualTo("object graph not fully known: no reference layout for types 25 [2 blocks]");
        }
    }

    @Test
    void shouldNameAKryoClassWhoseReferencesAreUnknown() {
        ObjectLayout withOrder = LAYOUT.register(ObjectPoolTest.Account.class, 31);
        try (ObjectPool p = ObjectPool.create(dir.resolve("k.pool"), withOrder, OPTIONS)) {
            p.run(tx -> {
                p.setRoot(p.store(new ObjectPoolTest.Account("a", 1)));
                p.store(new Note());
            });
            ObjectGraph.Result r = ObjectGraph.walk(p.engine());
            assertThat(r.complete()).isFalse();
            assertThat(r.unknown()).containsExactly(new ObjectGraph.UnknownType(31, "Account", 1));
        }
    }

    @Test
    void shouldTreatAKryoLeafClassAsKnown() {
        try (ObjectPool p = create()) {
            Ref<Note> kept = p.transaction(tx -> {
                long root = alloc(p, 16, NODE);
                Ref<Note> n = p.store(new Note());
                put(p, root, n.offset());
                setRoot(p, root);
                return n;
            });
            Ref<Note> lost = p.transaction(tx -> p.store(new Note()));
            ObjectGraph.Result r = ObjectGraph.walk(p.engine());
            assertThat(r.complete()).isTrue();
            assertThat(r.leaks()).extracting(ObjectGraph.Block::offset).containsExactly(lost.offset());
            assertThat(r.leaks().getFirst().typeName()).isEqualTo("Note");
            assertThat(kept.offset()).isNotEqualTo(lost.offset());
        }
    }

    @Test
    void shouldFollowOnlyTheCountedElementsOfAGroup() {
        try (ObjectPool p = create()) {
            long[] b = p.transaction(tx -> {
                long array = alloc(p, 8 + 4 * 16, ARRAY);
                long first = alloc(p, 8, LEAF);
                long second = alloc(p, 8, LEAF);
                long stale = alloc(p, 8, LEAF);
                p.engine().medium().putInt(array, 2);
                put(p, array + 8, first);
                put(p, array + 8 + 16, second);
                put(p, array + 8 + 2 * 16, stale);   // past the count: not a reference
                setRoot(p, array);
                return new long[] {array, first, second, stale};
            });
            ObjectGraph.Result r = ObjectGraph.walk(p.engine());
            assertThat(r.complete()).isTrue();
            assertThat(r.reachable()).isEqualTo(3);
            assertThat(r.leaks()).extracting(ObjectGraph.Block::offset).containsExactly(b[3]);
        }
    }

    @Test
    void shouldReportAGroupCountThatTheBlockCannotHold() {
        try (ObjectPool p = create()) {
            p.run(tx -> {
                long array = alloc(p, 40, ARRAY);
                p.engine().medium().putInt(array, 1000);
                setRoot(p, array);
            });
            ObjectGraph.Result r = ObjectGraph.walk(p.engine());
            assertThat(r.complete()).isFalse();
            assertThat(r.leaks()).isEmpty();
            assertThat(r.reasons().toString()).contains("records 1000 group elements of 16 bytes from offset 8");
        }
    }

    @Test
    void shouldFindReferencesAtAnyBytePositionWhenScanning() {
        try (ObjectPool p = create()) {
            long[] b = p.transaction(tx -> {
                long bag = alloc(p, 64, BAG);
                long hidden = alloc(p, 8, LEAF);
                long lost = alloc(p, 8, LEAF);
                p.engine().medium().putInt(bag, 0x7777);
                p.engine().medium().putLong(bag + 13, hidden);   // unaligned, as a packed cell may be
                p.engine().medium().putLong(bag + 40, lost + 8); // not an object's offset: ignored
                setRoot(p, bag);
                return new long[] {bag, hidden, lost};
            });
            ObjectGraph.Result r = ObjectGraph.walk(p.engine());
            assertThat(r.complete()).isTrue();
            assertThat(r.dangling()).isEmpty();
            assertThat(r.leaks()).extracting(ObjectGraph.Block::offset).containsExactly(b[2]);
        }
    }

    @Test
    void shouldReportADanglingExactReferenceAndClaimNothing() {
        try (ObjectPool p = create()) {
            long[] b = p.transaction(tx -> {
                long root = alloc(p, 16, NODE);
                long leaf = alloc(p, 64, LEAF);
                alloc(p, 16, NODE);                        // would be a leak
                put(p, root + 8, leaf + 16);               // inside the leaf, not its start
                setRoot(p, root);
                return new long[] {root, leaf};
            });
            ObjectGraph.Result r = ObjectGraph.walk(p.engine());
            assertThat(r.complete()).isFalse();
            assertThat(r.leaks()).isEmpty();
            assertThat(r.dangling()).containsExactly(new ObjectGraph.Dangling(b[0], b[0] + 8, b[1] + 16));
        }
    }

    @Test
    void shouldTreatQuarantinedBlocksAndUndoOverflowBuffersAsRoots() {
        try (ObjectPool p = create()) {
            long big = p.transaction(tx -> {
                long root = alloc(p, 16, NODE);
                long data = alloc(p, 64 << 10, LEAF);
                put(p, root, data);
                setRoot(p, root);
                return data;
            });
            // a snapshot larger than the 8 KiB lane's inline undo log needs an overflow buffer; one that
            // fits the first buffer size stays linked to the lane after the transaction (larger ones are freed)
            p.run(tx -> {
                tx.addRange(big, 16 << 10);
                p.engine().medium().putLong(big, 1);
            });
            List<Long> overflow = new ArrayList<>();
            p.engine().heap().forEach(TxEngine.TYPE_UNDO_OVERFLOW, overflow::add);
            assertThat(overflow).isNotEmpty();
            var heap = ((AllocatorTxHeap) p.engine().heap()).heap();
            int cpz = heap.chunksPerZone();
            long lastChunk = dev.engram.allocator.ZoneLayout.zoneDataStart(heap.heapOffset(), cpz, 0)
                    + (dev.engram.allocator.ZoneLayout.chunkCount(cpz, heap.size(), 0) - 1L)
                    * dev.engram.allocator.HeapLayout.CHUNK_SIZE;
            long free = lastChunk + 4096;   // the last chunk: free in this small pool
            long[] quarantined = p.transaction(tx -> tx.allocFreeIn(free, 100, TypeTable.TYPE_QUARANTINE));
            assertThat(quarantined).isNotEmpty();
            ObjectGraph.Result r = ObjectGraph.walk(p.engine());
            assertThat(r.complete()).as(r.reasons().toString()).isTrue();
            assertThat(r.leaks()).isEmpty();
            assertThat(r.quarantined()).extracting(ObjectGraph.Block::offset).containsExactlyElementsOf(java.util.Arrays.stream(quarantined).boxed().toList());
            assertThat(r.quarantined().getFirst().typeName()).isEqualTo("quarantine");
        }
    }

    @Test
    void shouldForgetQuarantineReservationsWhenTheTransactionAborts() {
        try (ObjectPool p = create()) {
            long leaf = p.transaction(tx -> {
                long root = alloc(p, 16, NODE);
                setRoot(p, root);
                return alloc(p, 100, LEAF);
            });
            p.run(tx -> p.free(p.block(leaf)));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.run(tx -> {
                assertThat(tx.allocFreeIn(leaf + 8, 16, TypeTable.TYPE_QUARANTINE)).containsExactly(leaf);
                tx.abort();
            })).isInstanceOf(TransactionAbortedException.class);
            List<Long> quarantined = new ArrayList<>();
            p.engine().heap().forEach(TypeTable.TYPE_QUARANTINE, quarantined::add);
            assertThat(quarantined).isEmpty();
            long again = p.transaction(tx -> alloc(p, 100, LEAF));
            assertThat(again).as("the block is free again").isEqualTo(leaf);
        }
    }

    @Test
    void shouldClaimNothingWhenATypeTableEntryIsDamaged() {
        try (ObjectPool p = create()) {
            p.run(tx -> {
                setRoot(p, alloc(p, 16, NODE));
                alloc(p, 16, NODE);
            });
            long entry = RootLayout.typeEntryOffset(p.pool().rootAreaOffset(), 0);
            p.engine().medium().putLongPersist(entry + TypeTableLayout.FIXED_OFFSET, 4);
            ObjectGraph.Result r = ObjectGraph.walk(p.engine());
            assertThat(r.complete()).isFalse();
            assertThat(r.leaks()).isEmpty();
            assertThat(r.reasons().getFirst()).startsWith("type table damaged: type-table entry 0 at offset=" + entry
                    + ": checksum ");
        }
    }

    @Test
    void shouldFindNoLeakInAFreshPool() {
        try (ObjectPool p = create()) {
            ObjectGraph.Result r = ObjectGraph.walk(p.engine());
            assertThat(r.complete()).isTrue();
            assertThat(r.liveBlocks()).isZero();
            assertThat(r.leaks()).isEmpty();
        }
    }
}
