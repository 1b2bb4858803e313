package dev.engram.cli;

import dev.engram.allocator.BlockHeaderLayout;
import dev.engram.allocator.ChunkHeaderLayout;
import dev.engram.allocator.HeapLayout;
import dev.engram.allocator.RunLayout;
import dev.engram.allocator.SizeClasses;
import dev.engram.allocator.ZoneLayout;
import dev.engram.pool.Pool;
import dev.engram.pool.PoolHeader;
import dev.engram.pool.PoolHeaderLayout;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.MemoryBlock;
import dev.engram.tx.ObjectPool;
import dev.engram.tx.RootLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One injected corruption per test: {@code check} detects it (exit 1, the finding's kind and
 * offset), {@code --dry-run} changes nothing, {@code --repair} fixes it where the rules allow and
 * says what it did, and a second {@code check} finds the pool consistent with its data intact.
 */
class CorruptionTest {
    @TempDir
    Path dir;

    private Path pool;
    private List<Long> objects;

    private void smallObjects() {
        pool = dir.resolve("p.pool");
        objects = TestPools.create(pool, 40, 100, 21);
    }

    private long zoneBase(int zone) {
        PoolHeader h = TestPools.header(pool);
        return ZoneLayout.zoneBase(h.heapOffset(), TestPools.chunksPerZone(pool), zone);
    }

    /** The header word of the chunk holding {@code offset} (zone 0). */
    private long chunkHeaderOf(long offset) {
        PoolHeader h = TestPools.header(pool);
        int cpz = TestPools.chunksPerZone(pool);
        long data = ZoneLayout.zoneDataStart(h.heapOffset(), cpz, 0);
        int chunk = (int) ((offset - data) / HeapLayout.CHUNK_SIZE);
        return ZoneLayout.chunkHeaderOffset(ZoneLayout.zoneBase(h.heapOffset(), cpz, 0), chunk);
    }

    private long chunkStartOf(long offset) {
        PoolHeader h = TestPools.header(pool);
        long data = ZoneLayout.zoneDataStart(h.heapOffset(), TestPools.chunksPerZone(pool), 0);
        return data + (offset - data) / HeapLayout.CHUNK_SIZE * HeapLayout.CHUNK_SIZE;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> findings(Cli.Run r) {
        return (List<Map<String, Object>>) r.json().get("findings");
    }

    /** check finds exactly the kinds given; dry-run leaves the file byte-identical; repair fixes; check is clean. */
    private Cli.Run detectAndRepair(String... kinds) throws IOException {
        Cli.Run check = Cli.run("check", pool, "--json");
        assertThat(check.exit()).as(check.toString()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(findings(check)).extracting(f -> f.get("kind")).containsOnly((Object[]) kinds);
        assertThat(findings(check)).allSatisfy(f -> assertThat(f.get("repairable")).isEqualTo(true));
        byte[] before = Files.readAllBytes(pool);
        Cli.Run dry = Cli.run("check", pool, "--repair", "--dry-run");
        assertThat(dry.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(dry.out()).contains("repair: ").contains("dry run: nothing was changed");
        assertThat(Files.readAllBytes(pool)).as("dry run must not write").isEqualTo(before);
        Cli.Run repair = Cli.run("check", pool, "--repair", "--json");
        assertThat(repair.exit()).as(repair.toString()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat((List<?>) repair.json().get("repaired")).isNotEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) repair.json().get("after");
        assertThat(after).as(repair.toString()).containsEntry("consistent", true);
        Cli.Run again = Cli.run("check", pool);
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("consistent");
        return repair;
    }

    private void assertDataIntact() {
        try (ObjectPool p = TestPools.open(pool)) {
            for (int i = 0; i < objects.size(); i++) {
                assertThat(p.block(objects.get(i)).getLong(0)).isEqualTo(1000 + i);
            }
        }
    }

    @Test
    void shouldRestoreATornPrimaryHeaderFromItsTwin() throws IOException {
        smallObjects();
        TestPools.writeLong(pool, PoolHeaderLayout.PRIMARY_OFFSET + PoolHeaderLayout.POOL_SIZE_OFFSET, 12345);
        Cli.Run repair = detectAndRepair("header-copy");
        assertThat(repair.json().get("repaired").toString()).contains("header: rewrote both copies");
        assertThat(TestPools.readLong(pool, PoolHeaderLayout.POOL_SIZE_OFFSET)).isEqualTo(TestPools.SIZE);
        assertDataIntact();
    }

    @Test
    void shouldReportBothHeadersDamagedAsNotRepairable() {
        smallObjects();
        TestPools.writeLong(pool, PoolHeaderLayout.PRIMARY_OFFSET + PoolHeaderLayout.SIGNATURE_OFFSET, 7);
        TestPools.writeLong(pool, PoolHeaderLayout.BACKUP_OFFSET + PoolHeaderLayout.SIGNATURE_OFFSET, 7);
        Cli.Run r = Cli.run("check", pool, "--repair", "--json");
        assertThat(r.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(findings(r)).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("kind", "header").containsEntry("repairable", false);
            assertThat((String) f.get("message")).contains("both header copies are invalid");
        });
        assertThat((List<?>) r.json().get("repaired")).isEmpty();
    }

    @Test
    void shouldRollBackAnUnfinishedTransactionThroughRecovery() throws IOException {
        smallObjects();
        Path crash = dir.resolve("crash.pool");
        long target = objects.get(3);
        try (ObjectPool p = TestPools.open(pool)) {
            p.run(tx -> {
                MemoryBlock b = p.block(target);
                b.setLong(0, 999_999);
                p.pool().cloneTo(crash);
            });
        }
        pool = crash;
        Cli.Run info = Cli.run("info", pool, "--json");
        assertThat(info.json()).containsEntry("cleanShutdown", false).containsEntry("recoveryNeeded", true);
        assertThat(TestPools.readLong(pool, target)).isEqualTo(999_999);
        Cli.Run check = Cli.run("check", pool, "--json");
        assertThat(findings(check)).singleElement().satisfies(f ->
                assertThat((String) f.get("message")).contains("roll back 1 undo entries"));
        Cli.Run repair = detectAndRepair("lanes");
        assertThat(repair.json().get("repaired").toString()).contains("1 undo entries rolled back");
        assertThat(TestPools.readLong(pool, target)).isEqualTo(1003);
        assertDataIntact();
    }

    @Test
    void shouldRewriteASpanHeaderThatPointsOutsideTheHeapFromItsBlockHeader() throws IOException {
        pool = dir.resolve("p.pool");
        objects = TestPools.create(pool, 2, 600 << 10, 30);
        long header = chunkHeaderOf(objects.get(1));
        long good = TestPools.readLong(pool, header);
        assertThat(ChunkHeaderLayout.type(good)).isEqualTo(ChunkHeaderLayout.TYPE_USED);
        TestPools.writeLong(pool, header, ChunkHeaderLayout.used(100_000));
        Cli.Run check = Cli.run("check", pool, "--json");
        assertThat(findings(check)).anySatisfy(f -> {
            assertThat(f).containsEntry("kind", "chunk-header").containsEntry("offset", header);
            assertThat((String) f.get("message")).contains("points outside the heap");
        });
        detectAndRepair("chunk-header");
        assertThat(TestPools.readLong(pool, header)).isEqualTo(good);
        assertDataIntact();
    }

    @Test
    void shouldClearAChunkHeaderOverlappingASpan() throws IOException {
        pool = dir.resolve("p.pool");
        objects = TestPools.create(pool, 1, 600 << 10, 30);
        long inner = chunkHeaderOf(objects.get(0)) + ZoneLayout.CHUNK_HEADER_SIZE;
        TestPools.writeLong(pool, inner, ChunkHeaderLayout.used(1));
        Cli.Run repair = detectAndRepair("chunk-header");
        assertThat(repair.json().get("repaired").toString()).contains("overlaps");
        assertThat(TestPools.readLong(pool, inner)).isZero();
        assertDataIntact();
    }

    @Test
    void shouldRebuildABitmapWordWithBitsPastItsRunFromTheBlockHeaders() throws IOException {
        smallObjects();
        int cls = SizeClasses.classOf(100);
        int blocks = SizeClasses.blocksPerRun(cls);
        assertThat(RunLayout.tailMask(blocks)).as("class %d needs a partial last bitmap word", cls).isNotZero();
        long runStart = chunkStartOf(objects.get(0));
        long lastWord = runStart + (long) (RunLayout.bitmapWords(blocks) - 1) * Long.BYTES;
        long good = TestPools.readLong(pool, lastWord);
        TestPools.writeLong(pool, lastWord, -1L);
        Cli.Run check = Cli.run("check", pool, "--json");
        assertThat(findings(check)).anySatisfy(f -> assertThat(f).containsEntry("kind", "run-bitmap").containsEntry("offset", lastWord));
        Cli.Run repair = detectAndRepair("run-bitmap", "block-header");
        assertThat(repair.json().get("repaired").toString()).contains("rebuild bitmap word");
        assertThat(TestPools.readLong(pool, lastWord)).isEqualTo(good);
        assertDataIntact();
    }

    @Test
    void shouldRewriteADamagedBlockHeaderFromItsRunKeepingTypeAndData() throws IOException {
        smallObjects();
        long block = BlockHeaderLayout.blockOffsetOf(objects.get(5));
        long good = TestPools.readLong(pool, block + BlockHeaderLayout.SIZE_WORD_OFFSET);
        TestPools.writeLong(pool, block + BlockHeaderLayout.SIZE_WORD_OFFSET, 0xDEAD);
        detectAndRepair("block-header");
        assertThat(TestPools.readLong(pool, block + BlockHeaderLayout.SIZE_WORD_OFFSET)).isEqualTo(good);
        Cli.Run objs = Cli.run("objects", pool, "--type", "21", "--json");
        assertThat(objs.json()).containsEntry("total", 40L);
        assertDataIntact();
    }

    @Test
    void shouldClearTheBitOfABlockWhoseHeaderWasNeverWritten() throws IOException {
        smallObjects();
        long runStart = chunkStartOf(objects.get(0));
        // Block 60 of the run was never allocated: its header is zero. Set its bit as a stray write would.
        long word = RunLayout.bitmapWordOffset(runStart, 60);
        long good = TestPools.readLong(pool, word);
        TestPools.writeLong(pool, word, good | RunLayout.bitMask(60));
        Cli.Run repair = detectAndRepair("block-header");
        assertThat(repair.json().get("repaired").toString()).contains("clear the bitmap bit of block 60");
        assertThat(TestPools.readLong(pool, word)).isEqualTo(good);
        assertDataIntact();
    }

    @Test
    void shouldRewriteADamagedZoneHeader() throws IOException {
        smallObjects();
        long base = zoneBase(0);
        TestPools.writeLong(pool, base + ZoneLayout.MAGIC_OFFSET, 0x1234);
        detectAndRepair("zone-header");
        assertThat(TestPools.readLong(pool, base + ZoneLayout.MAGIC_OFFSET)).isEqualTo(ZoneLayout.MAGIC);
        assertDataIntact();
    }

    @Test
    void shouldReportADanglingRootPointerAsNotRepairable() {
        smallObjects();
        PoolHeader h = TestPools.header(pool);
        TestPools.writeLong(pool, RootLayout.rootObjectOffset(h.rootAreaOffset()), objects.get(0) + 8);
        Cli.Run r = Cli.run("check", pool, "--json");
        assertThat(r.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(findings(r)).singleElement().satisfies(f ->
                assertThat(f).containsEntry("kind", "root").containsEntry("repairable", false));
    }

    @Test
    void shouldMapBadBlocksToTheObjectsAndMetadataTheyHit() throws IOException {
        smallObjects();
        PoolHeader h = TestPools.header(pool);
        long obj = objects.get(7);
        Path list = Files.writeString(dir.resolve("bad.txt"),
                obj + " 8\n" + Long.toString(h.laneAreaOffset() + h.laneSize(), 10) + " 512\n");
        Cli.Run check = Cli.run("check", pool, "--badblocks", list, "--json");
        assertThat(check.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        assertThat(findings(check)).hasSize(2).allSatisfy(f -> assertThat(f).containsEntry("kind", "bad-block")
                .containsEntry("repairable", false));
        Cli.Run bb = Cli.run("badblocks", pool, "--list", list, "--json");
        assertThat(bb.exit()).isEqualTo(ExitCodes.INCONSISTENT);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ranges = (List<Map<String, Object>>) bb.json().get("ranges");
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0).get("areas")).isEqualTo(List.of("lanes 1"));
        assertThat(ranges.get(1).get("areas")).isEqualTo(List.of("objects"));
        assertThat(ranges.get(1).get("objects").toString()).contains("offset=" + obj).contains("type=21");
        assertThat(Cli.run("badblocks", pool, "--list", list).out()).contains("metadata is damaged");
    }

    @Test
    void shouldRefuseToRepairAPoolOpenElsewhere() {
        smallObjects();
        TestPools.writeLong(pool, zoneBase(0) + ZoneLayout.MAGIC_OFFSET, 0x1234);
        try (Pool writer = Pool.open(pool, PoolOptions.defaults())) {
            Cli.Run r = Cli.run("check", pool, "--repair");
            assertThat(r.exit()).isEqualTo(ExitCodes.IO_ERROR);
            assertThat(r.err()).contains("is open elsewhere").doesNotContain("at dev.engram");
            assertThat(writer.header().cleanShutdown()).isFalse();
        }
    }
}
