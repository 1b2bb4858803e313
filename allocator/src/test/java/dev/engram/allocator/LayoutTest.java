package dev.engram.allocator;

import dev.engram.pool.medium.MemoryMedium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Each layout's documented table, checked byte by byte against what the code writes. */
class LayoutTest {
    private static final long HEAP = 4096;

    @Test
    void heapHeaderFieldsSitAtTheDocumentedOffsets() {
        try (MemoryMedium m = MemoryMedium.allocate(HEAP + HeapLayout.minHeapSize(8))) {
            HeapLayout.writePersist(m, HEAP, 8, 1 << 30);
            assertThat(m.getLong(HEAP)).isEqualTo(0x0050414548474E45L);
            final byte[] sig = new byte[8];
            m.getBytes(HEAP, sig, 0, 8);
            assertThat(new String(sig, 0, 7, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ENGHEAP");
            assertThat(m.getInt(HEAP + 8)).isEqualTo(1);
            assertThat(m.getInt(HEAP + 12)).isEqualTo(0);
            assertThat(m.getLong(HEAP + 16)).isEqualTo(256 * 1024);
            assertThat(m.getInt(HEAP + 24)).isEqualTo(8);
            assertThat(m.getInt(HEAP + 28)).isZero();
            assertThat(m.getLong(HEAP + 32)).isEqualTo(1L << 30);
            assertThat(m.getLong(HEAP + 40)).isEqualTo(HEAP);
            assertThat(m.getInt(HEAP + 60)).isEqualTo(m.crc32c(HEAP, 60));
            assertThat(HeapLayout.HEADER_SIZE).isEqualTo(4096);
        }
    }

    @Test
    void zoneHeaderAndChunkTableSitAtTheDocumentedOffsets() {
        try (MemoryMedium m = MemoryMedium.allocate(1 << 20)) {
            ChunkSpace.writeZoneHeaderPersist(m, 8192, 3);
            final byte[] magic = new byte[8];
            m.getBytes(8192, magic, 0, 8);
            assertThat(new String(magic, 0, 7, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ENGZONE");
            assertThat(m.getInt(8192 + 8)).isEqualTo(3);
            assertThat(ZoneLayout.chunkHeaderOffset(8192, 5)).isEqualTo(8192 + 64 + 5 * 8);
            assertThat(ZoneLayout.metadataSize(4096)).isEqualTo(36864);
            assertThat(ZoneLayout.zoneDataStart(4096, 4096, 1))
                    .isEqualTo(4096 + 4096 + 36864 + 4096L * 256 * 1024 + 36864);
        }
    }

    @Test
    void chunkHeaderWordPacksTypeClassFlagsAndSizeInTheDocumentedBits() {
        final long word = ChunkHeaderLayout.pack(ChunkHeaderLayout.TYPE_RUN, 0x2A, 0x1234, 7);
        assertThat(word).isEqualTo(0x0000_0007_1234_2A02L);
        assertThat(ChunkHeaderLayout.type(word)).isEqualTo(2);
        assertThat(ChunkHeaderLayout.classId(word)).isEqualTo(0x2A);
        assertThat(ChunkHeaderLayout.flags(word)).isEqualTo(0x1234);
        assertThat(ChunkHeaderLayout.sizeChunks(word)).isEqualTo(7);
        assertThat(ChunkHeaderLayout.used(3)).isEqualTo(0x0000_0003_0000_0001L);
    }

    @Test
    void blockHeaderPacksSizeClassFlagsAndHoldsTheTypeAtOffset8() {
        final long word = BlockHeaderLayout.packSizeWord(80, 3, 0);
        assertThat(word).isEqualTo(0x0003_0000_0000_0050L);
        assertThat(BlockHeaderLayout.blockSize(word)).isEqualTo(80);
        assertThat(BlockHeaderLayout.classId(word)).isEqualTo(3);
        assertThat(BlockHeaderLayout.flags(word)).isZero();
        assertThat(BlockHeaderLayout.TYPE_OFFSET).isEqualTo(8);
        assertThat(BlockHeaderLayout.HEADER_SIZE).isEqualTo(16);
    }

    @Test
    void heapWritesBlockHeaderBitmapAndChunkHeaderWhereTheLayoutsSay() {
        try (MemoryMedium m = MemoryMedium.allocate(HEAP + HeapLayout.minHeapSize(8) + 4 * HeapLayout.CHUNK_SIZE)) {
            final PersistentHeap heap = PersistentHeap.create(m, HEAP, m.size() - HEAP, m.size() - HEAP, 8, null);
            final RedoLog log = RedoLog.format(m, 0, 1024);
            final long obj = heap.allocate(64, 77, 512, log);
            final long zoneBase = HEAP + 4096;
            final long chunk0 = zoneBase + ZoneLayout.metadataSize(8);
            final int blocks = SizeClasses.blocksPerRun(SizeClasses.classOf(64));
            assertThat(m.getLong(zoneBase + 64)).isEqualTo(ChunkHeaderLayout.run(3, 1));
            assertThat(m.getLong(chunk0) & 1).isEqualTo(1);
            assertThat(obj).isEqualTo(chunk0 + RunLayout.dataOffset(blocks) + 16);
            assertThat(m.getLong(obj - 16)).isEqualTo(BlockHeaderLayout.packSizeWord(80, 3, 0));
            assertThat(m.getLong(obj - 8)).isEqualTo(77);
            assertThat(m.getLong(512)).isEqualTo(obj);
            assertThat(RunLayout.dataOffset(blocks)).isEqualTo(448);
        }
    }

    @Test
    void redoLogEntriesAndValidWordSitAtTheDocumentedOffsets() {
        try (MemoryMedium m = MemoryMedium.allocate(8192)) {
            final RedoLog log = RedoLog.format(m, 1024, 1024);
            log.set(4096, 0x55);
            log.or(4104, 0x3);
            log.commit();
            final long valid = m.getLong(1024);
            assertThat(RedoLogLayout.count(valid)).isEqualTo(2);
            assertThat(RedoLogLayout.generation(valid)).isEqualTo(1);
            assertThat(m.getLong(1024 + 64)).isEqualTo(4096L | RedoLogLayout.OP_SET);
            assertThat(m.getLong(1024 + 72)).isEqualTo(0x55);
            assertThat(m.getLong(1024 + 80)).isEqualTo(4104L | RedoLogLayout.OP_OR);
            assertThat(m.getLong(1024 + 88)).isEqualTo(0x3);
            assertThat(RedoLogLayout.checksum(valid))
                    .isEqualTo(RedoLogLayout.mixChecksum(m.crc32c(1024 + 64, 32), 2, 1, 1024));
        }
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1,0", "16,0", "17,1", "64,3", "112,6", "113,7", "128,7", "129,8", "240,14",
            "241,15", "262128,94", "262129,-1"})
    void sizeMapsToItsClassAtTheBoundaries(long size, int cls) {
        assertThat(SizeClasses.classOf(size)).isEqualTo(cls);
    }

    @Test
    void everyClassFitsItsRequestsWithAtMostOneEighthWasteAbove128Bytes() {
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            final int block = SizeClasses.blockSize(cls);
            assertThat(block % 16).isZero();
            final long smallest = cls == 0 ? 1 : SizeClasses.objectCapacity(cls - 1) + 1;
            assertThat(SizeClasses.classOf(smallest)).isEqualTo(cls);
            assertThat(SizeClasses.classOf(SizeClasses.objectCapacity(cls))).isEqualTo(cls);
            if (block > 128) {
                assertThat((double) (block - (smallest + 16)) / block).isLessThanOrEqualTo(0.125);
            }
            final long runBytes = SizeClasses.runChunks(cls) * HeapLayout.CHUNK_SIZE;
            assertThat(RunLayout.dataOffset(SizeClasses.blocksPerRun(cls)) + (long) SizeClasses.blocksPerRun(cls) * block)
                    .isLessThanOrEqualTo(runBytes);
            assertThat(runBytes - (long) SizeClasses.blocksPerRun(cls) * block).isLessThanOrEqualTo(runBytes / 8);
        }
    }
}
