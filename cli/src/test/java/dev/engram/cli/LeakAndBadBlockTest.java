package dev.engram.cli;

import dev.engram.allocator.HeapLayout;
import dev.engram.allocator.ZoneLayout;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.MemoryBlock;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;
import dev.engram.tx.Ref;
import dev.engram.tx.References;
import dev.engram.tx.TypeTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leak detection and bad-block quarantine, run as a user does ({@code engram} in a child JVM): the
 * pools declare their block types' references, so {@code check} can walk the object graph.
 */
class LeakAndBadBlockTest {
    static final int NODE = 40;
    static final int LEAF = 41;
    static final int OPAQUE = 42;
    static final ObjectLayout LAYOUT = ObjectLayout.named("cli-graph")
            .declareBlockType(NODE, "node", References.at(0, 8))
            .declareBlockType(LEAF, "leaf", References.none());
    static final long LEAF_MARK = 0x1EAF;

    @TempDir
    Path dir;

    private Path pool;
    private long root;
    private long leaf;
    private long leaked;

    /** root node -> leaf; one more node allocated and never linked; {@code extra} runs in the same transaction. */
    private void create(java.util.function.Consumer<ObjectPool> extra) {
        pool = dir.resolve("g.pool");
        try (ObjectPool p = ObjectPool.create(pool, LAYOUT, TestPools.options())) {
            p.run(tx -> {
                MemoryBlock r = p.allocateBlock(16, NODE);
                MemoryBlock l = p.allocateBlock(100, LEAF);
                MemoryBlock lost = p.allocateBlock(16, NODE);
                l.setLong(0, LEAF_MARK);
                l.setLong(8, LEAF_MARK + 1);
                r.setLong(0, l.offset());
                lost.setLong(8, 0xDEAD);
                p.setRoot(new Ref<>(r.offset(), Object.class));
                root = r.offset();
                leaf = l.offset();
                leaked = lost.offset();
                extra.accept(p);
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> findings(Cli.Run r) {
        return (List<Map<String, Object>>) r.json().get("findings");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> finding) {
        return (Map<String, Object>) finding.get("details");
    }

    private Path badList(long offset, long length) throws IOException {
        return Files.writeString(dir.resolve("bad-" + offset + ".txt"), offset + " " + length + "\n");
    }

    private long typeCount(long type) {
        Cli.Run objs = Cli.run("objects", pool, "--type", type, "--json");
        assertThat(objs.exit()).as(objs.toString()).isZero();
        return (Long) objs.json().get("total");
    }

    private void assertLeafIntact() {
        try (ObjectPool p = ObjectPool.open(pool, LAYOUT, PoolOptions.defaults())) {
            assertThat(p.root(Object.class).offset()).isEqualTo(root);
            assertThat(p.block(root).getLong(0)).isEqualTo(leaf);
            assertThat(p.block(leaf).getLong(0)).isEqualTo(LEAF_MARK);
            assertThat(p.block(leaf).getLong(8)).isEqualTo(LEAF_MARK + 1);
        }
    }

    private int chunksPerZone() {
        try (ObjectPool p = ObjectPool.open(pool, LAYOUT, PoolOptions.defaults())) {
            return TestPools.heapOf(p).chunksPerZone();
        }
    }

    /** A chunk of zone 0 that nothing uses in these small pools: the last one. */
    private long lastChunk() {
        PoolHeader h = TestPools.header(pool);
        int cpz = chunksPerZone();
        return ZoneLayout.zoneDataStart(h.heapOffset(), cpz, 0)
                + (ZoneLayout.chunkCount(cpz, h.heapSize(), 0) - 1L) * HeapLayout.CHUNK_SIZE;
    }

    @Test
    void shouldReportALeakedBlockAndFreeItOnRepairAfterADryRunThatChangesNothing() throws IOException {
        create(p -> { });
        Cli.Run check = Cli.run("check", pool, "--json");
        assertThat(check.exit()).as(check.toString()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(findings(check)).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("kind", "leak").containsEntry("offset", leaked).containsEntry("repairable", true);
            assertThat(details(f)).containsEntry("offset", leaked).containsEntry("type", (long) NODE)
                    .containsEntry("typeName", "node").containsEntry("size", 16L);
        });
        assertThat(Cli.run("check", pool).out()).contains("[leak] leaked block " + Units.hex(leaked) + " (type 40 node, 16 bytes)");

        byte[] before = Files.readAllBytes(pool);
        Cli.Run dry = Cli.run("check", pool, "--repair", "--dry-run");
        assertThat(dry.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(dry.out()).contains("[leak] leaked block " + Units.hex(leaked))
                .contains("repair: free it through the allocator's redo-logged free path")
                .contains("dry run: nothing was changed");
        assertThat(Files.readAllBytes(pool)).as("a dry run writes nothing").isEqualTo(before);

        Cli.Run repair = Cli.run("check", pool, "--repair", "--json");
        assertThat(repair.exit()).as(repair.toString()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat((List<?>) repair.json().get("repaired")).singleElement().asString()
                .isEqualTo("leak at " + Units.hex(leaked) + ": freed the block (type 40 node, 16 bytes)");
        assertThat(repair.json().get("after").toString()).contains("consistent=true");
        Cli.Run again = Cli.run("check", pool);
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("consistent");
        assertThat(typeCount(NODE)).isEqualTo(1);
        assertLeafIntact();
    }

    @Test
    void shouldClaimNoLeakWhileAnObjectHasAnUnknownLayout() throws IOException {
        create(p -> p.allocateBlock(64, OPAQUE));
        Cli.Run check = Cli.run("check", pool, "--json");
        assertThat(check.exit()).as(check.toString()).isZero();
        assertThat(findings(check)).isEmpty();
        assertThat(check.json().get("notes").toString()).contains("leaked blocks not claimed: object graph not fully"
                + " known: no reference layout for types 42 [1 block]");
        byte[] before = Files.readAllBytes(pool);
        Cli.Run repair = Cli.run("check", pool, "--repair", "--json");
        assertThat(repair.exit()).isZero();
        assertThat((List<?>) repair.json().get("repaired")).isEmpty();
        assertThat(Files.readAllBytes(pool)).isEqualTo(before);
        assertThat(typeCount(NODE)).as("the unreachable node is kept").isEqualTo(2);
    }

    @Test
    void shouldReportADanglingReferenceAsNotRepairable() {
        create(p -> p.block(root).setLong(8, leaf + 8));
        Cli.Run check = Cli.run("check", pool, "--json");
        assertThat(check.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(findings(check)).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("kind", "dangling-reference").containsEntry("offset", root + 8)
                    .containsEntry("repairable", false);
            assertThat(details(f)).containsEntry("block", root).containsEntry("value", leaf + 8);
            assertThat((String) f.get("message")).contains("in block " + Units.hex(root) + " (type 40 node)");
        });
        assertThat(check.json().get("notes").toString()).contains("leaked blocks not claimed");
    }

    @Test
    void shouldQuarantineBadBlocksInFreeSpaceSoTheAllocatorNeverHandsThemOut() throws IOException {
        long[] freed = new long[1];
        create(p -> { });
        try (ObjectPool p = ObjectPool.open(pool, LAYOUT, PoolOptions.defaults())) {
            p.run(tx -> {
                MemoryBlock a = p.allocateBlock(100, LEAF);
                MemoryBlock b = p.allocateBlock(100, LEAF);
                p.block(root).setLong(8, a.offset());
                freed[0] = b.offset();
            });
            p.run(tx -> p.free(p.block(freed[0])));   // a free block between live ones
            p.run(tx -> p.free(p.block(leaked)));     // no leak in this test
        }
        long chunk = lastChunk();
        Path list = Files.writeString(dir.resolve("bad.txt"), (freed[0] + 8) + " 16\n" + (chunk + 4096) + " 512\n");
        Cli.Run check = Cli.run("check", pool, "--badblocks", list, "--json");
        assertThat(check.exit()).as(check.toString()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(findings(check)).hasSize(2).allSatisfy(f -> {
            assertThat(f).containsEntry("kind", "bad-block").containsEntry("repairable", true);
            assertThat(details(f)).containsEntry("hits", "free");
        });
        Cli.Run bb = Cli.run("badblocks", pool, "--list", list, "--json");
        assertThat(bb.json().get("ranges").toString()).contains("areas=[free space]");

        byte[] before = Files.readAllBytes(pool);
        Cli.Run dry = Cli.run("check", pool, "--badblocks", list, "--repair", "--dry-run");
        assertThat(dry.out()).contains("repair: quarantine: allocate the free blocks and chunks under the bad range");
        assertThat(Files.readAllBytes(pool)).isEqualTo(before);

        Cli.Run repair = Cli.run("check", pool, "--badblocks", list, "--repair", "--json");
        assertThat(repair.exit()).as(repair.toString()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(repair.json().get("repaired").toString())
                .contains("quarantined [" + Units.hex(freed[0] + 8) + ", " + Units.hex(freed[0] + 24) + ") in block "
                        + Units.hex(freed[0]))
                .contains("in block " + Units.hex(chunk + 16) + " (" + (HeapLayout.CHUNK_SIZE - 16) + " bytes");
        assertThat(repair.json().get("after").toString()).contains("consistent=true");

        Cli.Run again = Cli.run("check", pool, "--badblocks", list, "--json");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.json().get("notes").toString()).contains("is quarantined in block " + Units.hex(freed[0]))
                .contains("2 block(s) quarantined for bad media");
        assertThat(typeCount(TypeTable.TYPE_QUARANTINE)).isEqualTo(2);
        // the allocator never hands the quarantined block out: the next block of the class is another one
        try (ObjectPool p = ObjectPool.open(pool, LAYOUT, PoolOptions.defaults())) {
            for (int i = 0; i < 50; i++) {
                long fresh = p.transaction(tx -> p.allocateBlock(100, LEAF).offset());
                assertThat(fresh).isNotEqualTo(freed[0]);
            }
        }
        assertLeafIntact();
    }

    @Test
    void shouldReportABadBlockInALiveObjectAndLeaveItsDataUntouched() throws IOException {
        create(p -> { });
        try (ObjectPool p = ObjectPool.open(pool, LAYOUT, PoolOptions.defaults())) {
            p.run(tx -> p.free(p.block(leaked)));
        }
        Path list = badList(leaf + 8, 8);
        Cli.Run check = Cli.run("check", pool, "--badblocks", list, "--json");
        assertThat(check.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(findings(check)).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("kind", "bad-block").containsEntry("offset", leaf + 8).containsEntry("repairable", false);
            assertThat(details(f)).containsEntry("hits", "object");
            assertThat(details(f).get("object").toString()).contains("offset=" + leaf).contains("typeName=leaf")
                    .contains("headerHit=false");
            assertThat((String) f.get("message")).contains("hits bytes [8, 16) of object " + Units.hex(leaf))
                    .contains("read the object to see whether it is intact");
        });
        byte[] before = Files.readAllBytes(pool);
        Cli.Run repair = Cli.run("check", pool, "--badblocks", list, "--repair", "--json");
        assertThat(repair.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat((List<?>) repair.json().get("repaired")).isEmpty();
        assertThat(Files.readAllBytes(pool)).as("the object's data is left untouched").isEqualTo(before);
        assertLeafIntact();
    }

    @Test
    void shouldFreeALeakedBlockOnBadMediaThenQuarantineItsBadPart() throws IOException {
        create(p -> { });
        Path list = badList(leaked, 8);
        Cli.Run check = Cli.run("check", pool, "--badblocks", list, "--json");
        assertThat(check.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(findings(check)).extracting(f -> f.get("kind")).containsExactly("leak", "bad-block");
        assertThat(findings(check).get(0).get("repair").toString()).endsWith("then quarantine its bad range");
        assertThat(details(findings(check).get(1))).containsEntry("hits", "leaked");
        Cli.Run repair = Cli.run("check", pool, "--badblocks", list, "--repair", "--json");
        assertThat(repair.json().get("repaired").toString()).contains("leak at " + Units.hex(leaked) + ": freed")
                .contains("quarantined [" + Units.hex(leaked) + ", " + Units.hex(leaked + 8) + ") in block " + Units.hex(leaked));
        Cli.Run again = Cli.run("check", pool, "--badblocks", list);
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(typeCount(NODE)).isEqualTo(1);
        assertThat(typeCount(TypeTable.TYPE_QUARANTINE)).isEqualTo(1);
        assertLeafIntact();
    }

    @Test
    void shouldReportABadBlockInHeapMetadataAsNotRepairable() throws IOException {
        create(p -> { });
        PoolHeader h = TestPools.header(pool);
        long table = ZoneLayout.chunkHeaderOffset(ZoneLayout.zoneBase(h.heapOffset(), chunksPerZone(), 0), 0);
        Path list = badList(table, 64);
        Cli.Run check = Cli.run("check", pool, "--badblocks", list, "--json");
        assertThat(check.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(findings(check)).filteredOn(f -> f.get("kind").equals("bad-block")).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("repairable", false);
            assertThat(details(f)).containsEntry("hits", "metadata")
                    .containsEntry("areas", List.of("zone 0 metadata (header, chunk table)"));
        });
        assertThat(Cli.run("check", pool, "--badblocks", list).out())
                .contains("not repairable without losing data: restore from a clone or backup");
    }
}
