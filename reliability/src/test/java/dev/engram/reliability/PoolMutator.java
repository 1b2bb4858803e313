package dev.engram.reliability;

import dev.engram.allocator.RedoLogLayout;
import dev.engram.pool.PoolHeaderLayout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Structure-aware mutations of a valid pool image: bit flips, byte runs, truncations, and fields
 * of the pool header (either copy), heap header, zone headers, chunk headers, run bitmaps, block
 * headers and redo logs set to 0, -1, the edges and values pointing outside. With
 * {@code rechecksum} every CRC the format has (both header copies, the heap header, each live redo
 * log's valid word) is recomputed afterwards, so the structure validators behind the checksums are
 * exercised and not only the checksums.
 *
 * <p>Every decision comes from a {@link Choices}: the same code serves the seeded campaign and
 * Jazzer. {@link Mutated#description()} lists what was done, byte for byte, for the failure report.
 */
final class PoolMutator {
    /** A mutated image and how it was made. */
    record Mutated(SeedImage seed, byte[] bytes, List<String> steps, boolean rechecksum) {
        String description() {
            return "seed=" + seed.name() + " rechecksum=" + rechecksum + " length=" + bytes.length + " steps=" + steps;
        }
    }

    /** Offsets and widths of the pool header's fields (the layout name's first byte stands for the name). */
    private static final int[][] HEADER_FIELDS = {
            {PoolHeaderLayout.SIGNATURE_OFFSET, 8}, {PoolHeaderLayout.MAJOR_OFFSET, 2}, {PoolHeaderLayout.MINOR_OFFSET, 2},
            {PoolHeaderLayout.HEADER_LENGTH_OFFSET, 4}, {PoolHeaderLayout.COMPAT_OFFSET, 8},
            {PoolHeaderLayout.INCOMPAT_OFFSET, 8}, {PoolHeaderLayout.RO_COMPAT_OFFSET, 8}, {PoolHeaderLayout.UUID_OFFSET, 8},
            {PoolHeaderLayout.CREATION_TIME_OFFSET, 8}, {PoolHeaderLayout.POOL_SIZE_OFFSET, 8},
            {PoolHeaderLayout.MAX_POOL_SIZE_OFFSET, 8}, {PoolHeaderLayout.LANE_AREA_OFFSET_OFFSET, 8},
            {PoolHeaderLayout.LANE_AREA_SIZE_OFFSET, 8}, {PoolHeaderLayout.LANE_COUNT_OFFSET, 4},
            {PoolHeaderLayout.LANE_SIZE_OFFSET, 4}, {PoolHeaderLayout.HEAP_OFFSET_OFFSET, 8},
            {PoolHeaderLayout.HEAP_SIZE_OFFSET, 8}, {PoolHeaderLayout.ROOT_AREA_OFFSET_OFFSET, 8},
            {PoolHeaderLayout.OPEN_MODE_OFFSET, 4}, {PoolHeaderLayout.FLAGS_OFFSET, 4},
            {PoolHeaderLayout.GENERATION_OFFSET, 8}, {PoolHeaderLayout.SHUTDOWN_COUNT_OFFSET, 8},
            {PoolHeaderLayout.HOLDER_PID_OFFSET, 8}, {PoolHeaderLayout.LAYOUT_LENGTH_OFFSET, 2},
            {PoolHeaderLayout.LAYOUT_NAME_OFFSET, 1}};
    /** Heap header fields (HeapLayout): signature, major, minor, chunk size, chunks per zone, reserved, max size, offset, reserved, checksum. */
    private static final int[][] HEAP_FIELDS = {{0, 8}, {8, 4}, {12, 4}, {16, 8}, {24, 4}, {28, 4}, {32, 8}, {40, 8}, {48, 8}, {60, 4}};
    private static final int KINDS = 12;

    private final Choices c;
    private final SeedImage seed;
    private byte[] image;
    private final List<String> steps = new ArrayList<>();

    private PoolMutator(Choices c, SeedImage seed) {
        this.c = c;
        this.seed = seed;
        this.image = seed.copy();
    }

    /** Picks a seed and applies 1..{@code maxSteps} mutations to a copy of it. */
    static Mutated mutate(Choices c, List<SeedImage> seeds, int maxSteps) {
        PoolMutator m = new PoolMutator(c, seeds.get(c.nextInt(seeds.size())));
        int n = 1 + c.nextInt(maxSteps);
        boolean truncate = false;
        for (int i = 0; i < n; i++) {
            int kind = c.nextInt(KINDS);
            if (kind == 2) {
                truncate = true; // applied last, so that field mutations still land inside the image
            } else {
                m.step(kind);
            }
        }
        boolean recrc = c.nextBoolean();
        if (recrc) {
            m.rechecksum();
        }
        if (truncate) {
            m.truncate();
        }
        return new Mutated(m.seed, m.image, List.copyOf(m.steps), recrc);
    }

    private void step(int kind) {
        switch (kind) {
            case 0 -> bitFlip();
            case 1 -> byteRun();
            case 3 -> poolHeaderField();
            case 4 -> field("heap-header", seed.heapOffset(), HEAP_FIELDS[c.nextInt(HEAP_FIELDS.length)]);
            case 5 -> field("zone-header", pick(seed.zoneBases()), new int[] {c.nextBoolean() ? 0 : 8, c.nextBoolean() ? 8 : 4});
            case 6 -> chunkHeader();
            case 7 -> put("bitmap", pick(seed.runStarts()) + 8L * c.nextInt(4), 8, interesting(8));
            case 8 -> blockHeader();
            case 9 -> redoLog();
            case 10 -> coherentGeometry();
            default -> byteRun();
        }
    }

    // ---- generic mutations ----------------------------------------------------------------------

    private long anyOffset() {
        // Half of the time inside the metadata-dense first 64 KiB, else anywhere.
        int bound = c.nextBoolean() ? Math.min(image.length, 65536) : image.length;
        return c.nextInt(bound);
    }

    private void bitFlip() {
        long at = anyOffset();
        int bit = c.nextInt(8);
        image[(int) at] ^= (byte) (1 << bit);
        steps.add("flip@" + at + ":" + bit);
    }

    private void byteRun() {
        long at = anyOffset();
        int len = 1 + c.nextInt(64);
        byte v = switch (c.nextInt(3)) {
            case 0 -> 0;
            case 1 -> (byte) 0xFF;
            default -> (byte) c.nextInt(256);
        };
        int end = (int) Math.min(image.length, at + len);
        Arrays.fill(image, (int) at, end, v);
        steps.add("run@" + at + "+" + (end - at) + "=" + (v & 0xFF));
    }

    private void truncate() {
        int len = image.length;
        int n = switch (c.nextInt(6)) {
            case 0 -> c.nextInt(len);
            case 1 -> (int) (c.nextInt(len) & ~4095L);
            case 2 -> len - 1;
            case 3 -> len - 4096;
            case 4 -> (int) PoolHeaderLayout.FIXED_AREA_END - 1 - c.nextInt(16384);
            default -> (int) seed.heapOffset() + c.nextInt(65536);
        };
        n = Math.max(1, Math.min(len - 1, n));
        image = Arrays.copyOf(image, n);
        steps.add("truncate=" + n);
    }

    // ---- structure-aware mutations --------------------------------------------------------------

    private void poolHeaderField() {
        int[] f = HEADER_FIELDS[c.nextInt(HEADER_FIELDS.length)];
        long v = interesting(f[1]);
        switch (c.nextInt(3)) {
            case 0 -> put("hdr-primary", f[0], f[1], v);
            case 1 -> put("hdr-backup", PoolHeaderLayout.BACKUP_OFFSET + f[0], f[1], v);
            default -> {
                put("hdr-both", f[0], f[1], v);
                put("hdr-both", PoolHeaderLayout.BACKUP_OFFSET + f[0], f[1], v);
            }
        }
    }

    private void field(String what, long base, int[] f) {
        put(what, base + f[0], f[1], interesting(f[1]));
    }

    private void chunkHeader() {
        long at;
        if (c.nextBoolean()) {
            at = pick(seed.chunkHeaders());
        } else {
            at = pick(seed.zoneBases()) + 64 + 8L * c.nextInt(EngramStack.CHUNKS_PER_ZONE + 2);
        }
        long v;
        if (c.nextInt(4) == 0) {
            v = interesting(8);
        } else {
            long type = new long[] {0, 1, 2, 3, 255}[c.nextInt(5)];
            long cls = new long[] {0, 1, 6, 94, 95, 255, c.nextInt(256)}[c.nextInt(7)];
            long flags = c.nextInt(8) == 0 ? c.nextInt(65536) : 0;
            long size = new long[] {0, 1, 2, 3, 4, 5, 255, 1L << 31, 0xFFFF_FFFFL, c.nextInt(64)}[c.nextInt(10)];
            v = type | cls << 8 | flags << 16 | size << 32;
        }
        put("chunk-header", at, 8, v);
    }

    private void blockHeader() {
        long at = pick(seed.blockHeaders());
        if (c.nextBoolean()) {
            put("block-type", at + 8, 8, interesting(8));
            return;
        }
        long size = new long[] {0, 16, 32, 48, 64, 4096, 262_144, 524_288, (1L << 48) - 1, c.nextInt(1 << 20)}[c.nextInt(10)];
        long cls = new long[] {0, 1, 94, 95, 0xFF, c.nextInt(256)}[c.nextInt(6)];
        long flags = c.nextInt(4) == 0 ? c.nextInt(256) : 0;
        put("block-size-word", at, 8, c.nextInt(5) == 0 ? interesting(8) : size | cls << 48 | flags << 56);
    }

    /** A live redo log: count, generation and entries aimed at edges; the checksum made valid if rechecksum. */
    private void redoLog() {
        long lane = pick(seed.laneOffsets());
        int capacity = RedoLogLayout.capacityEntries(seed.laneSize());
        int n = switch (c.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 1 + c.nextInt(8);
            case 3 -> capacity;
            case 4 -> capacity + 1;
            default -> 0xFFFF;
        };
        int written = Math.min(Math.max(n, 1), Math.min(capacity, 16));
        for (int i = 0; i < written; i++) {
            long e = RedoLogLayout.entryOffset(lane, i);
            long target = switch (c.nextInt(9)) {
                case 0 -> 0;
                case 1 -> -8;
                case 2 -> image.length;
                case 3 -> image.length - 8L;
                case 4 -> Long.MAX_VALUE & ~7L;
                case 5 -> pick(seed.chunkHeaders());
                case 6 -> seed.heapOffset() + 8L * c.nextInt(8);
                case 7 -> c.nextInt(image.length) & ~7L;
                default -> c.nextInt(image.length);
            };
            int op = c.nextInt(5) == 0 ? c.nextInt(8) : 1 + c.nextInt(3);
            putQuiet(e, 8, (target & ~7L) | op | (c.nextInt(8) == 0 ? target & 7 : 0));
            putQuiet(e + 8, 8, interesting(8));
        }
        long valid = (c.nextLong() & 0xFFFF_FFFFL) | ((long) (n & 0xFFFF) << 32) | ((long) c.nextInt(65536) << 48);
        putQuiet(lane, 8, valid);
        steps.add("redo@" + lane + ":count=" + n + ",entries=" + written + ",valid=0x" + Long.toHexString(valid));
    }

    /** Changes sizes consistently so that the geometry validator passes and later checks must catch it. */
    private void coherentGeometry() {
        long heapOffset = seed.heapOffset();
        long poolSize = switch (c.nextInt(5)) {
            case 0 -> image.length - 4096L;
            case 1 -> image.length + 4096L;
            case 2 -> 1L << 20;
            case 3 -> heapOffset + 4096;
            default -> 1L << 40;
        };
        for (long base : new long[] {0, PoolHeaderLayout.BACKUP_OFFSET}) {
            putQuiet(base + PoolHeaderLayout.POOL_SIZE_OFFSET, 8, poolSize);
            putQuiet(base + PoolHeaderLayout.HEAP_SIZE_OFFSET, 8, poolSize - heapOffset);
            if (c.nextBoolean()) {
                putQuiet(base + PoolHeaderLayout.MAX_POOL_SIZE_OFFSET, 8, Math.max(poolSize, 8L << 20));
            }
        }
        steps.add("geometry:poolSize=" + poolSize);
    }

    // ---- values ---------------------------------------------------------------------------------

    /** A value chosen to sit on an edge of a field of {@code width} bytes. */
    private long interesting(int width) {
        long len = image.length;
        return switch (c.nextInt(16)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> 1;
            case 3 -> width == 8 ? Long.MAX_VALUE : (1L << (8 * width - 1)) - 1;
            case 4 -> width == 8 ? Long.MIN_VALUE : 1L << (8 * width - 1);
            case 5 -> len;
            case 6 -> len - 8;
            case 7 -> len + 4096;
            case 8 -> 4096;
            case 9 -> 4095;
            case 10 -> seed.heapOffset();
            case 11 -> 1L << 32;
            case 12 -> 64;
            case 13 -> 1024 + c.nextInt(3) - 1;
            case 14 -> c.nextInt((int) len);
            default -> c.nextLong();
        };
    }

    private long pick(List<Long> offsets) {
        return offsets.get(c.nextInt(offsets.size()));
    }

    private void put(String what, long at, int width, long value) {
        putQuiet(at, width, value);
        steps.add(what + "@" + at + "/" + width + "=0x" + Long.toHexString(value));
    }

    private void putQuiet(long at, int width, long value) {
        for (int i = 0; i < width; i++) {
            if (at + i >= 0 && at + i < image.length) {
                image[(int) (at + i)] = (byte) (value >>> (8 * i));
            }
        }
    }

    // ---- checksums ------------------------------------------------------------------------------

    /** Recomputes every checksum the format has, over the mutated bytes. */
    private void rechecksum() {
        fixImage(image, seed);
    }

    static void fixImage(byte[] image, SeedImage seed) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (long base : new long[] {PoolHeaderLayout.PRIMARY_OFFSET, PoolHeaderLayout.BACKUP_OFFSET}) {
            if (base + PoolHeaderLayout.HEADER_LENGTH <= image.length) {
                b.putInt((int) base + PoolHeaderLayout.CHECKSUM_OFFSET,
                        crc(image, base, PoolHeaderLayout.CHECKSUM_OFFSET));
            }
        }
        long heap = seed.heapOffset();
        if (heap + 64 <= image.length) {
            b.putInt((int) heap + 60, crc(image, heap, 60));
        }
        int capacity = RedoLogLayout.capacityEntries(seed.laneSize());
        for (long lane : seed.laneOffsets()) {
            long valid = b.getLong((int) lane);
            int n = RedoLogLayout.count(valid);
            if (valid == 0 || n < 1 || n > capacity) {
                continue;
            }
            long entries = RedoLogLayout.entryOffset(lane, 0);
            int mixed = RedoLogLayout.mixChecksum(crc(image, entries, n * RedoLogLayout.ENTRY_SIZE), n,
                    RedoLogLayout.generation(valid), lane);
            b.putLong((int) lane, (mixed & 0xFFFF_FFFFL) | (valid & 0xFFFF_FFFF_0000_0000L));
        }
    }

    private static int crc(byte[] image, long offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(image, (int) offset, length);
        return (int) crc.getValue();
    }
}
