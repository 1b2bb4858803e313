package dev.engram.pool;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32C;

import static dev.engram.pool.PoolHeaderLayout.*;

/**
 * One copy of the pool header, decoded. Immutable; {@code withXxx} methods give the next version
 * (with the generation bumped by {@link #next()}). Encoding and decoding go through
 * {@link PoolHeaderLayout} only.
 */
public record PoolHeader(
        int majorVersion,
        int minorVersion,
        long compatFeatures,
        long incompatFeatures,
        long roCompatFeatures,
        UUID uuid,
        long creationTimeMillis,
        long poolSize,
        long maxPoolSize,
        long laneAreaOffset,
        long laneAreaSize,
        int laneCount,
        int laneSize,
        long heapOffset,
        long heapSize,
        long rootAreaOffset,
        int openMode,
        int flags,
        long generation,
        long shutdownCount,
        long holderPid,
        String layoutName) {

    public boolean cleanShutdown() {
        return (flags & FLAG_CLEAN_SHUTDOWN) != 0;
    }

    public PoolHeader next() {
        return withGeneration(generation + 1);
    }

    public PoolHeader withGeneration(long g) {
        return new PoolHeader(majorVersion, minorVersion, compatFeatures, incompatFeatures, roCompatFeatures, uuid,
                creationTimeMillis, poolSize, maxPoolSize, laneAreaOffset, laneAreaSize, laneCount, laneSize,
                heapOffset, heapSize, rootAreaOffset, openMode, flags, g, shutdownCount, holderPid, layoutName);
    }

    /** The header as recorded by a writable open: in use, in {@code mode}, by {@code pid}. */
    public PoolHeader opened(int mode, long pid, long deviceShutdownCount) {
        return new PoolHeader(majorVersion, minorVersion, compatFeatures, incompatFeatures, roCompatFeatures, uuid,
                creationTimeMillis, poolSize, maxPoolSize, laneAreaOffset, laneAreaSize, laneCount, laneSize,
                heapOffset, heapSize, rootAreaOffset, mode, flags & ~FLAG_CLEAN_SHUTDOWN, generation + 1,
                deviceShutdownCount, pid, layoutName);
    }

    /** The header as recorded by a clean close. */
    public PoolHeader closedCleanly() {
        return new PoolHeader(majorVersion, minorVersion, compatFeatures, incompatFeatures, roCompatFeatures, uuid,
                creationTimeMillis, poolSize, maxPoolSize, laneAreaOffset, laneAreaSize, laneCount, laneSize,
                heapOffset, heapSize, rootAreaOffset, openMode, flags | FLAG_CLEAN_SHUTDOWN, generation + 1,
                shutdownCount, 0, layoutName);
    }

    /** The header after the pool grew to {@code newSize}: the heap takes the new space. */
    public PoolHeader grownTo(long newSize) {
        return new PoolHeader(majorVersion, minorVersion, compatFeatures, incompatFeatures, roCompatFeatures, uuid,
                creationTimeMillis, newSize, maxPoolSize, laneAreaOffset, laneAreaSize, laneCount, laneSize,
                heapOffset, newSize - heapOffset, rootAreaOffset, openMode, flags, generation + 1,
                shutdownCount, holderPid, layoutName);
    }

    /** The header of a clone: a new identity, marked cloned. */
    public PoolHeader cloned(UUID newUuid) {
        return new PoolHeader(majorVersion, minorVersion, compatFeatures | PoolFeatures.COMPAT_CLONED,
                incompatFeatures, roCompatFeatures, newUuid, creationTimeMillis, poolSize, maxPoolSize,
                laneAreaOffset, laneAreaSize, laneCount, laneSize, heapOffset, heapSize, rootAreaOffset, openMode,
                flags, generation + 1, shutdownCount, 0, layoutName);
    }

    // ---- encoding -----------------------------------------------------------------------------

    /** The 4096 bytes of this header, checksum included. */
    public byte[] encode() {
        byte[] nameBytes = layoutName.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > MAX_LAYOUT_NAME) {
            throw new InvalidOptionException("layout name is " + nameBytes.length + " bytes of UTF-8; at most "
                    + MAX_LAYOUT_NAME + " allowed");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(SIGNATURE_OFFSET, SIGNATURE);
        b.putShort(MAJOR_OFFSET, (short) majorVersion);
        b.putShort(MINOR_OFFSET, (short) minorVersion);
        b.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        b.putLong(COMPAT_OFFSET, compatFeatures);
        b.putLong(INCOMPAT_OFFSET, incompatFeatures);
        b.putLong(RO_COMPAT_OFFSET, roCompatFeatures);
        b.putLong(UUID_OFFSET, uuid.getMostSignificantBits());
        b.putLong(UUID_OFFSET + 8, uuid.getLeastSignificantBits());
        b.putLong(CREATION_TIME_OFFSET, creationTimeMillis);
        b.putLong(POOL_SIZE_OFFSET, poolSize);
        b.putLong(MAX_POOL_SIZE_OFFSET, maxPoolSize);
        b.putLong(LANE_AREA_OFFSET_OFFSET, laneAreaOffset);
        b.putLong(LANE_AREA_SIZE_OFFSET, laneAreaSize);
        b.putInt(LANE_COUNT_OFFSET, laneCount);
        b.putInt(LANE_SIZE_OFFSET, laneSize);
        b.putLong(HEAP_OFFSET_OFFSET, heapOffset);
        b.putLong(HEAP_SIZE_OFFSET, heapSize);
        b.putLong(ROOT_AREA_OFFSET_OFFSET, rootAreaOffset);
        b.putInt(OPEN_MODE_OFFSET, openMode);
        b.putInt(FLAGS_OFFSET, flags);
        b.putLong(GENERATION_OFFSET, generation);
        b.putLong(SHUTDOWN_COUNT_OFFSET, shutdownCount);
        b.putLong(HOLDER_PID_OFFSET, holderPid);
        b.putShort(LAYOUT_LENGTH_OFFSET, (short) nameBytes.length);
        b.put(LAYOUT_NAME_OFFSET, nameBytes);
        b.putInt(CHECKSUM_OFFSET, checksum(b.array()));
        return b.array();
    }

    static int checksum(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, CHECKSUM_OFFSET);
        return (int) crc.getValue();
    }

    /**
     * Decodes and validates one copy. {@code where} names the copy and file for messages.
     * Structural checks here need nothing but the header itself; checks against the file length
     * and the caller's layout happen in {@link PoolHeaderValidator}.
     */
    public static PoolHeader decode(byte[] raw, String where) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long signature = b.getLong(SIGNATURE_OFFSET);
        if (signature != SIGNATURE) {
            throw corrupt(where, SIGNATURE_OFFSET, "signature", "ENGRAM\\0\\1", hex(signature)
                    + " (not an Engram pool, or the header was overwritten)");
        }
        int stored = b.getInt(CHECKSUM_OFFSET);
        int actual = checksum(raw);
        if (stored != actual) {
            throw corrupt(where, CHECKSUM_OFFSET, "CRC32C", hex(actual), hex(stored) + " (torn or damaged header)");
        }
        int length = b.getInt(HEADER_LENGTH_OFFSET);
        if (length != HEADER_LENGTH) {
            throw corrupt(where, HEADER_LENGTH_OFFSET, "header length", String.valueOf(HEADER_LENGTH), String.valueOf(length));
        }
        int nameLength = Short.toUnsignedInt(b.getShort(LAYOUT_LENGTH_OFFSET));
        if (nameLength > MAX_LAYOUT_NAME) {
            throw corrupt(where, LAYOUT_LENGTH_OFFSET, "layout name length", "0.." + MAX_LAYOUT_NAME, String.valueOf(nameLength));
        }
        String name = new String(raw, LAYOUT_NAME_OFFSET, nameLength, StandardCharsets.UTF_8);
        return new PoolHeader(
                Short.toUnsignedInt(b.getShort(MAJOR_OFFSET)),
                Short.toUnsignedInt(b.getShort(MINOR_OFFSET)),
                b.getLong(COMPAT_OFFSET),
                b.getLong(INCOMPAT_OFFSET),
                b.getLong(RO_COMPAT_OFFSET),
                new UUID(b.getLong(UUID_OFFSET), b.getLong(UUID_OFFSET + 8)),
                b.getLong(CREATION_TIME_OFFSET),
                b.getLong(POOL_SIZE_OFFSET),
                b.getLong(MAX_POOL_SIZE_OFFSET),
                b.getLong(LANE_AREA_OFFSET_OFFSET),
                b.getLong(LANE_AREA_SIZE_OFFSET),
                b.getInt(LANE_COUNT_OFFSET),
                b.getInt(LANE_SIZE_OFFSET),
                b.getLong(HEAP_OFFSET_OFFSET),
                b.getLong(HEAP_SIZE_OFFSET),
                b.getLong(ROOT_AREA_OFFSET_OFFSET),
                b.getInt(OPEN_MODE_OFFSET),
                b.getInt(FLAGS_OFFSET),
                b.getLong(GENERATION_OFFSET),
                b.getLong(SHUTDOWN_COUNT_OFFSET),
                b.getLong(HOLDER_PID_OFFSET),
                name);
    }

    static PoolCorruptedException corrupt(String where, long offset, String field, String expected, String actual) {
        return new PoolCorruptedException(where + ": header field '" + field + "' at offset " + offset
                + ": expected " + expected + ", got " + actual);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
