package dev.engram.crashtest;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * Writes a {@link Trace} as a pmreorder store log, so that PMDK users can run the same trace
 * through pmreorder and compare. The log is one line of {@code |}-separated entries between
 * {@code START} and {@code STOP}:
 *
 * <pre>
 * REGISTER_FILE;&lt;pool file&gt;;&lt;mapping address&gt;;&lt;size&gt;;0x0   the pool, mapped at a fixed address
 * STORE;&lt;address&gt;;&lt;value&gt;;&lt;size&gt;                  value: the stored bytes as a little-endian integer
 * FLUSH;&lt;address&gt;;&lt;size&gt;
 * FENCE                                             a drain
 * </pre>
 *
 * Numbers are hexadecimal with {@code 0x}. Stores are emitted as the pieces the engine persists:
 * each store split at 8-byte boundaries, so no piece is larger than a granule. A grow has no
 * pmreorder equivalent; the file is registered at the trace's final size.
 */
public final class PmreorderExport {
    /** Where the pool is pretended to be mapped; pmreorder subtracts it to find file offsets. */
    public static final long MAPPING_ADDRESS = 0x7F00_0000_0000L;

    private PmreorderExport() {
    }

    /**
     * Writes {@code trace} as a pmreorder log to {@code out}; {@code poolFile} is the name it registers.
     *
     * @param trace    the trace to export
     * @param poolFile the file name registered in the log (pmreorder reopens it)
     * @param out      where the log goes; not closed
     * @throws IOException if writing to {@code out} fails
     */
    public static void write(Trace trace, Path poolFile, Writer out) throws IOException {
        out.write("START|REGISTER_FILE;" + poolFile + ";" + hex(MAPPING_ADDRESS) + ";" + hex(trace.finalSize()) + ";0x0");
        for (int e = 0; e < trace.eventCount(); e++) {
            switch (trace.kind(e)) {
                case Trace.STORE -> writeStore(trace, e, out);
                case Trace.FLUSH -> out.write("|FLUSH;" + hex(MAPPING_ADDRESS + trace.offset(e)) + ";" + hex(trace.length(e)));
                case Trace.DRAIN -> out.write("|FENCE");
                default -> {
                    // GROW: no pmreorder counterpart (see class comment)
                }
            }
        }
        out.write("|STOP");
        out.flush();
    }

    private static void writeStore(Trace trace, int event, Writer out) throws IOException {
        long start = trace.offset(event);
        long end = start + trace.length(event);
        int g = trace.firstGranule(event);
        for (long granule = Trace.alignDown(start); granule < end; granule += Trace.GRANULE, g++) {
            long from = Math.max(start, granule);
            long to = Math.min(end, granule + Trace.GRANULE);
            int size = (int) (to - from);
            long word = trace.granuleValue(g) >>> (8 * (from - granule));
            long value = size == Long.BYTES ? word : word & ((1L << (8 * size)) - 1);
            out.write("|STORE;" + hex(MAPPING_ADDRESS + from) + ";0x" + Long.toHexString(value) + ";" + hex(size));
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
