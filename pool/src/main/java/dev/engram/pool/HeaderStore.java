package dev.engram.pool;

import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import static dev.engram.pool.PoolHeaderLayout.BACKUP_OFFSET;
import static dev.engram.pool.PoolHeaderLayout.HEADER_LENGTH;
import static dev.engram.pool.PoolHeaderLayout.PRIMARY_OFFSET;

/**
 * Reads and writes the two header copies.
 *
 * <p>Persistence order of an update: the backup copy is written and persisted first, then the
 * primary. A crash while the primary is being written leaves a torn or older primary and a newer
 * valid backup; a crash while the backup is written leaves the old valid primary. Reading picks the
 * valid copy with the higher generation, so either way the open sees one whole header.
 */
final class HeaderStore {
    private HeaderStore() {
    }

    /** Which copy a read chose, and why the other was not used (null if it was fine). */
    record Choice(PoolHeader header, boolean fromBackup, String otherProblem) {
        boolean needsRepair() {
            return otherProblem != null;
        }
    }

    static void write(Medium medium, PoolHeader header) {
        byte[] raw = header.encode();
        medium.putBytesPersist(BACKUP_OFFSET, raw, 0, HEADER_LENGTH);
        medium.putBytesPersist(PRIMARY_OFFSET, raw, 0, HEADER_LENGTH);
    }

    static Choice read(FileChannel channel, String file) throws IOException {
        return choose(readCopy(channel, PRIMARY_OFFSET), readCopy(channel, BACKUP_OFFSET), file);
    }

    static Choice read(MediumReader medium, String file) {
        return choose(readCopy(medium, PRIMARY_OFFSET), readCopy(medium, BACKUP_OFFSET), file);
    }

    private static byte[] readCopy(FileChannel channel, long offset) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH);
        while (b.hasRemaining()) {
            if (channel.read(b, offset + b.position()) < 0) {
                break;
            }
        }
        return b.array();
    }

    private static byte[] readCopy(MediumReader medium, long offset) {
        byte[] raw = new byte[HEADER_LENGTH];
        medium.getBytes(offset, raw, 0, HEADER_LENGTH);
        return raw;
    }

    private static Choice choose(byte[] primaryRaw, byte[] backupRaw, String file) {
        PoolHeader primary = null;
        PoolHeader backup = null;
        PoolCorruptedException primaryProblem = null;
        PoolCorruptedException backupProblem = null;
        try {
            primary = PoolHeader.decode(primaryRaw, file + " (primary header)");
        } catch (PoolCorruptedException e) {
            primaryProblem = e;
        }
        try {
            backup = PoolHeader.decode(backupRaw, file + " (backup header)");
        } catch (PoolCorruptedException e) {
            backupProblem = e;
        }
        if (primary != null && backup != null) {
            if (backup.generation() > primary.generation()) {
                return new Choice(backup, true, "primary header is older (generation " + primary.generation()
                        + " < " + backup.generation() + ")");
            }
            String problem = backup.generation() == primary.generation() ? null
                    : "backup header is older (generation " + backup.generation() + ")";
            return new Choice(primary, false, problem);
        }
        if (primary != null) {
            return new Choice(primary, false, backupProblem.getMessage());
        }
        if (backup != null) {
            return new Choice(backup, true, primaryProblem.getMessage());
        }
        PoolCorruptedException both = new PoolCorruptedException(file + ": both header copies are invalid: "
                + primaryProblem.getMessage() + "; " + backupProblem.getMessage()
                + ". Not an Engram pool, or damaged beyond automatic repair (engram check --repair may help)");
        both.addSuppressed(backupProblem);
        throw both;
    }
}
