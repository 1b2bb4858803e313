package dev.engram.crashtest;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Saves and loads a {@link Trace} in Engram's own binary format, so that a failure can be replayed
 * bit for bit later. Big-endian (DataOutput), in this order:
 *
 * <pre>
 * field          | size            | meaning
 * magic          | 8               | "ENGTRACE"
 * version        | 4               | 1
 * baseSize       | 8               | bytes of base image that follow
 * base           | baseSize        | the medium when tracing began
 * events         | 4               | event count n
 * kinds          | n               | STORE=1 FLUSH=2 DRAIN=3 GROW=4
 * arg0, arg1     | 8n each         | offset/new size, length
 * firstGranule   | 4n              | first granule record of each store
 * granules       | 4               | granule record count g
 * offsets,values | 8g each         | aligned offset and word value after the store
 * </pre>
 */
public final class TraceFile {
    private static final long MAGIC = 0x454E475452414345L; // "ENGTRACE"
    private static final int VERSION = 1;
    private static final int CHUNK = 1 << 16;

    private TraceFile() {
    }

    /**
     * Writes {@code trace} to {@code file}, replacing it.
     *
     * @param trace the trace
     * @param file  the file to write
     * @throws IOException if the file cannot be written
     */
    public static void write(Trace trace, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), CHUNK))) {
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            long baseSize = trace.baseSize();
            out.writeLong(baseSize);
            byte[] buf = new byte[CHUNK];
            for (long done = 0; done < baseSize; ) {
                int n = (int) Math.min(CHUNK, baseSize - done);
                MemorySegment.copy(trace.base(), ValueLayout.JAVA_BYTE, done, buf, 0, n);
                out.write(buf, 0, n);
                done += n;
            }
            int events = trace.eventCount();
            out.writeInt(events);
            out.write(trace.kinds(), 0, events);
            for (int i = 0; i < events; i++) {
                out.writeLong(trace.arg0()[i]);
            }
            for (int i = 0; i < events; i++) {
                out.writeLong(trace.arg1()[i]);
            }
            for (int i = 0; i < events; i++) {
                out.writeInt(trace.firstGranules()[i]);
            }
            int granules = trace.granuleCount();
            out.writeInt(granules);
            for (int i = 0; i < granules; i++) {
                out.writeLong(trace.granuleOffsets()[i]);
            }
            for (int i = 0; i < granules; i++) {
                out.writeLong(trace.granuleValues()[i]);
            }
        }
    }

    /**
     * Reads a trace written by {@link #write}.
     *
     * @param file the file to read
     * @return the trace, its base image held in memory
     * @throws IOException if the file cannot be read, is not a trace file (magic) or has another version
     */
    public static Trace read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), CHUNK))) {
            long magic = in.readLong();
            if (magic != MAGIC) {
                throw new IOException("not an Engram trace file: " + file + ", expected magic 0x" + Long.toHexString(MAGIC)
                        + ", got 0x" + Long.toHexString(magic));
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("unsupported trace file version in " + file + ": expected " + VERSION + ", got " + version);
            }
            long baseSize = in.readLong();
            MemorySegment base = Arena.ofAuto().allocate(Math.max(baseSize, 1), Trace.GRANULE).asSlice(0, baseSize);
            byte[] buf = new byte[CHUNK];
            for (long done = 0; done < baseSize; ) {
                int n = (int) Math.min(CHUNK, baseSize - done);
                in.readFully(buf, 0, n);
                MemorySegment.copy(buf, 0, base, ValueLayout.JAVA_BYTE, done, n);
                done += n;
            }
            int events = in.readInt();
            byte[] kinds = new byte[events];
            in.readFully(kinds);
            long[] arg0 = new long[events];
            long[] arg1 = new long[events];
            int[] first = new int[events];
            for (int i = 0; i < events; i++) {
                arg0[i] = in.readLong();
            }
            for (int i = 0; i < events; i++) {
                arg1[i] = in.readLong();
            }
            for (int i = 0; i < events; i++) {
                first[i] = in.readInt();
            }
            int granules = in.readInt();
            long[] offsets = new long[granules];
            long[] values = new long[granules];
            for (int i = 0; i < granules; i++) {
                offsets[i] = in.readLong();
            }
            for (int i = 0; i < granules; i++) {
                values[i] = in.readLong();
            }
            return new Trace(base, kinds, arg0, arg1, first, events, offsets, values, granules);
        }
    }
}
