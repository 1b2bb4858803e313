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
 *
 * @param majorVersion       format major version; a reader refuses a larger one
 * @param minorVersion       format minor version (informational)
 * @param compatFeatures     {@link PoolFeatures} compat bits; unknown ones are ignored
 * @param incompatFeatures   incompat bits; an unknown one refuses the open
 * @param roCompatFeatures   ro-compat bits; an unknown one allows read-only opens only
 * @param uuid               the pool's identity, random at create and new for each clone
 * @param creationTimeMillis when the pool was created, in ms since the epoch
 * @param poolSize           bytes, a multiple of 4096, equal to the file length
 * @param maxPoolSize        growth limit in bytes; equal to {@code poolSize} when the pool never grows
 * @param laneAreaOffset     pool offset of the lane area, page-aligned
 * @param laneAreaSize       bytes, {@code laneCount * laneSize}
 * @param laneCount          lanes, 1 to 1024
 * @param laneSize           bytes per lane, a multiple of 64
 * @param heapOffset         pool offset of the heap region, page-aligned, after the lane area
 * @param heapSize           bytes; {@code heapOffset + heapSize == poolSize}
 * @param rootAreaOffset     pool offset of the page the object layer owns (root pointer)
 * @param openMode           {@code MediumKind} ordinal + 1 of the last writable open; 0 if never opened
 * @param flags              header flag bits ({@link PoolHeaderLayout#FLAG_CLEAN_SHUTDOWN})
 * @param generation         +1 on every header update; of two valid copies the higher one wins
 * @param shutdownCount      the device's unsafe-shutdown count at the last writable open, -1 if it has none
 * @param holderPid          the process holding the pool open for writing, 0 when closed
 * @param layoutName         the layout name recorded at create, "" for none; at most 1024 bytes of UTF-8
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

    /** {@return whether the last writer closed the pool cleanly, so that no recovery is needed} */
    public boolean cleanShutdown() {
        return (flags & FLAG_CLEAN_SHUTDOWN) != 0;
    }

    /** {@return this header with the generation bumped by one, so that it wins over the copy it replaces} */
    public PoolHeader next() {
        return withGeneration(generation + 1);
    }

    /**
     * Returns this header with another generation number.
     *
     * @param g the generation to record
     * @return a copy with {@code generation == g}
     */
    public PoolHeader withGeneration(long g) {
        return new PoolHeader(majorVersion, minorVersion, compatFeatures, incompatFeatures, roCompatFeatures, uuid,
                creationTimeMillis, poolSize, maxPoolSize, laneAreaOffset, laneAreaSize, laneCount, laneSize,
                heapOffset, heapSize, rootAreaOffset, openMode, flags, g, shutdownCount, holderPid, layoutName);
    }

    /**
     * The header as recorded by a writable open: in use, in {@code mode}, by {@code pid}.
     *
     * Clears the clean-shutdown flag and bumps the generation.
     *
     * @param mode                {@code MediumKind} ordinal + 1 of the medium mapped
     * @param pid                 the opening process's id
     * @param deviceShutdownCount the device's unsafe-shutdown count now, -1 if it has none
     * @return the header to write before the pool is used
     */
    public PoolHeader opened(int mode, long pid, long deviceShutdownCount) {
        return new PoolHeader(majorVersion, minorVersion, compatFeatures, incompatFeatures, roCompatFeatures, uuid,
                creationTimeMillis, poolSize, maxPoolSize, laneAreaOffset, laneAreaSize, laneCount, laneSize,
                heapOffset, heapSize, rootAreaOffset, mode, flags & ~FLAG_CLEAN_SHUTDOWN, generation + 1,
                deviceShutdownCount, pid, layoutName);
    }

    /**
     * The header as recorded by a clean close.
     *
     * Sets the clean-shutdown flag, clears the holder pid and bumps the generation.
     *
     * @return the header to write last at close
     */
    public PoolHeader closedCleanly() {
        return new PoolHeader(majorVersion, minorVersion, compatFeatures, incompatFeatures, roCompatFeatures, uuid,
                creationTimeMillis, poolSize, maxPoolSize, laneAreaOffset, laneAreaSize, laneCount, laneSize,
                heapOffset, heapSize, rootAreaOffset, openMode, flags | FLAG_CLEAN_SHUTDOWN, generation + 1,
                shutdownCount, 0, layoutName);
    }

    /**
     * The header after the pool grew to {@code newSize}: the heap takes the new space.
     *
     * @param newSize the new pool size in bytes (the new file length)
     * @return the header to write once the file has grown, generation bumped
     */
    public PoolHeader grownTo(long newSize) {
        return new PoolHeader(majorVersion, minorVersion, compatFeatures, incompatFeatures, roCompatFeatures, uuid,
                creationTimeMillis, newSize, maxPoolSize, laneAreaOffset, laneAreaSize, laneCount, laneSize,
                heapOffset, newSize - heapOffset, rootAreaOffset, openMode, flags, generation + 1,
                shutdownCount, holderPid, layoutName);
    }

    /**
     * The header of a clone: a new identity, marked cloned.
     *
     * @param newUuid the clone's identity
     * @return the header to write into the clone, with {@link PoolFeatures#COMPAT_CLONED} set, no holder and
     *         the generation bumped
     */
    public PoolHeader cloned(UUID newUuid) {
        return new PoolHeader(majorVersion, minorVersion, compatFeatures | PoolFeatures.COMPAT_CLONED,
                incompatFeatures, roCompatFeatures, newUuid, creationTimeMillis, poolSize, maxPoolSize,
                laneAreaOffset, laneAreaSize, laneCount, laneSize, heapOffset, heapSize, rootAreaOffset, openMode,
                flags, generation + 1, shutdownCount, 0, layoutName);
    }

    // ---- encoding -----------------------------------------------------------------------------

    /**
     * The 4096 bytes of this header, checksum included.
     *
     * @return a new {@link PoolHeaderLayout#HEADER_LENGTH}-byte array, little-endian, CRC32C in the last 4 bytes
     * @throws InvalidOptionException if the layout name is longer than {@link PoolHeaderLayout#MAX_LAYOUT_NAME}
     *         bytes of UTF-8
     */
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
     *
     * @param raw   the {@link PoolHeaderLayout#HEADER_LENGTH} bytes of one copy
     * @param where the copy and file, e.g. {@code "/mnt/pmem/p (backup header)"}, for messages
     * @return the decoded header
     * @throws PoolCorruptedException if the signature, checksum, header length or layout name length is
     *         wrong; the message names the field, its offset, and the expected and actual values
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
