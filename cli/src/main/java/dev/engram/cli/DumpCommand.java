package dev.engram.cli;

import dev.engram.pool.medium.MediumReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code engram dump}: hex dump of one object or a byte range, bounds-checked against the pool. */
@Command(name = "dump", description = "Hex dump of an object (--object) or a byte range (--offset, --length).")
final class DumpCommand extends PoolCommand {
    /** Dumps larger than this must be asked for explicitly: a terminal full of hex helps nobody. */
    static final long DEFAULT_MAX = 4096;

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--object", required = true, description = "Offset of a live object (as 'engram objects' lists it).")
        String object;

        @Option(names = "--offset", required = true, description = "Pool offset of the first byte.")
        String offset;
    }

    @Option(names = "--length", description = "Bytes to dump (default: the object's usable size, or 256 for a range; at most 4096 unless given).")
    String length;

    @Override
    public Integer call() {
        try (PoolSession s = PoolSession.open(poolPath, null)) {
            long poolSize = s.info().poolSize();
            long start;
            long len;
            Long objectSize = null;
            if (target.object != null) {
                start = Units.parseSize(target.object);
                try {
                    objectSize = s.heap().usableSize(start);
                } catch (IllegalArgumentException e) {
                    throw CliException.usage("no live object at offset " + Units.hex(start) + " in " + poolPath + " ("
                            + e.getMessage() + "); list objects with 'engram objects " + poolPath + "'");
                }
                long max = length != null ? Units.parseSize(length) : Math.min(objectSize, DEFAULT_MAX);
                if (max > objectSize) {
                    throw CliException.usage("--length " + max + " exceeds the object's usable size " + objectSize);
                }
                len = max;
            } else {
                start = Units.parseSize(target.offset);
                len = length != null ? Units.parseSize(length) : 256;
            }
            if (start < 0 || len < 0 || start > poolSize || len > poolSize - start) {
                throw CliException.usage("range [" + Units.hex(start) + ", +" + len + ") lies outside pool " + poolPath
                        + " of " + poolSize + " bytes");
            }
            if (len > Integer.MAX_VALUE - 8) {
                throw CliException.usage("--length " + len + " is too large for one dump; dump it in pieces");
            }
            byte[] bytes = new byte[(int) len];
            MediumReader r = s.reader();
            r.getBytes(start, bytes, 0, bytes.length);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", poolPath.toString());
            doc.put("offset", start);
            doc.put("length", len);
            if (objectSize != null) {
                doc.put("objectSize", objectSize);
                doc.put("type", s.heap().typeNum(start));
            }
            doc.put("hex", HexFormat.of().formatHex(bytes));
            String head = objectSize != null
                    ? "object " + Units.hex(start) + ", type " + s.heap().typeNum(start) + ", " + objectSize + " bytes usable\n"
                    : "";
            emit(doc, head + hexDump(start, bytes));
        }
        return ExitCodes.OK;
    }

    /** Classic 16-bytes-per-line dump: offset, hex bytes in two groups of 8, printable ASCII. */
    static String hexDump(long base, byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i += 16) {
            sb.append(String.format("%016x ", base + i));
            StringBuilder ascii = new StringBuilder();
            for (int j = 0; j < 16; j++) {
                if (j == 8) {
                    sb.append(' ');
                }
                if (i + j < b.length) {
                    int v = b[i + j] & 0xFF;
                    sb.append(String.format(" %02x", v));
                    ascii.append(v >= 0x20 && v < 0x7F ? (char) v : '.');
                } else {
                    sb.append("   ");
                }
            }
            sb.append("  |").append(ascii).append("|\n");
        }
        return sb.toString();
    }
}
