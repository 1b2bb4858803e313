package dev.engram.crashtest;

import dev.engram.pool.medium.MemoryMedium;

import java.io.IOException;
import java.io.Reader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;

/**
 * Reproduces a saved crash failure exactly: loads the trace and the per-line prefixes written by
 * the explorer, rebuilds the crash image from them, and runs a checker on it.
 *
 * <pre>{@code
 * CrashReplay replay = CrashReplay.load(failure.savedAs());
 * assertThat(replay.rebuildImage()).isEqualTo(replay.savedImage());   // bit for bit
 * Optional<Throwable> again = replay.check(invariant);                 // the same failure
 * }</pre>
 */
public final class CrashReplay {
    private final Path propertiesFile;
    private final Properties properties;
    private final Trace trace;
    private final CrashSelection selection;

    private CrashReplay(Path propertiesFile, Properties properties, Trace trace, CrashSelection selection) {
        this.propertiesFile = propertiesFile;
        this.properties = properties;
        this.trace = trace;
        this.selection = selection;
    }

    /**
     * Loads a {@code failure-NNNN.properties} file and the trace next to it.
     *
     * @param propertiesFile a {@code failure-NNNN.properties} file the explorer saved
     * @return the replay, with the trace loaded
     * @throws IOException if a file cannot be read, a required property is missing or the trace file is not valid
     */
    public static CrashReplay load(Path propertiesFile) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Trace trace = TraceFile.read(propertiesFile.resolveSibling(required(p, "trace", propertiesFile)));
        CrashSelection selection = new CrashSelection(Integer.parseInt(required(p, "point", propertiesFile)),
                parseLongs(p.getProperty("lines", "")), parseInts(p.getProperty("prefixes", "")),
                parseInts(p.getProperty("inFlight", "")));
        return new CrashReplay(propertiesFile, p, trace, selection);
    }

    /** {@return the trace the failure was found in} */
    public Trace trace() {
        return trace;
    }

    /** {@return the crash point and per-line prefixes that made the failing image} */
    public CrashSelection selection() {
        return selection;
    }

    /** {@return the name of the strategy that produced the image, or null if not recorded} */
    public String strategy() {
        return properties.getProperty("strategy");
    }

    /** {@return the strategy's seed, 0 for deterministic strategies} */
    public long seed() {
        return Long.parseLong(properties.getProperty("seed", "0"));
    }

    /**
     * The image bytes saved when the failure happened.
     *
     * @return the saved image file's contents
     * @throws IOException if the image file is missing or cannot be read
     */
    public byte[] savedImage() throws IOException {
        return Files.readAllBytes(propertiesFile.resolveSibling(required(properties, "image", propertiesFile)));
    }

    /**
     * The crash image rebuilt from the trace and the selection.
     *
     * @return the image bytes; equal to {@link #savedImage()} for a faithful replay
     * @throws IllegalArgumentException if the selection does not fit the trace
     */
    public byte[] rebuildImage() {
        return rebuild(trace, selection);
    }

    /**
     * Runs {@code checker} on a fresh medium holding the rebuilt image; the failure it throws, if any.
     *
     * @param checker the oracle to run; it may write to the medium
     * @return what the checker threw, or empty if it passed
     */
    public Optional<Throwable> check(CrashChecker checker) {
        byte[] bytes = rebuildImage();
        try (MemoryMedium medium = MemoryMedium.allocate(bytes.length)) {
            MemorySegment.copy(bytes, 0, medium.segmentForHarness(), ValueLayout.JAVA_BYTE, 0, bytes.length);
            checker.check(medium);
            return Optional.empty();
        } catch (Exception | AssertionError e) {
            return Optional.of(e);
        }
    }

    /**
     * Rebuilds the image of {@code selection}: walks {@code trace} under the persistence model to the
     * selection's crash point and makes the given prefix of each line's in-flight stores durable.
     *
     * @param trace     the trace
     * @param selection the crash point and the prefix of in-flight stores to persist on each line
     * @return the image bytes, as long as the medium was at the crash point
     * @throws IllegalArgumentException if the trace has no such point or the selection names a line or prefix
     *                                  the trace does not have there
     */
    public static byte[] rebuild(Trace trace, CrashSelection selection) {
        CrashImage image = new CrashImage(trace);
        PersistenceState state = new PersistenceState(trace, image, true);
        while (state.point() < selection.point()) {
            if (!state.next()) {
                throw new IllegalArgumentException("the trace has no crash point " + selection.point()
                        + ": it has " + (trace.drainCount() + 1));
            }
        }
        InFlight f = state.inFlight();
        for (int s = 0; s < selection.lines().length; s++) {
            long line = selection.lines()[s];
            int prefix = selection.prefixes()[s];
            int i = indexOf(f, line);
            if (i < 0 || prefix > f.length(i)) {
                throw new IllegalArgumentException("selection does not match the trace at point " + selection.point()
                        + ": line " + line + " has " + (i < 0 ? 0 : f.length(i)) + " stores in flight, prefix=" + prefix);
            }
            for (int j = 0; j < prefix; j++) {
                int g = f.store(i, j);
                image.applyInFlight(trace.granuleOffset(g), trace.granuleValue(g));
            }
        }
        return image.segment(state.size()).toArray(ValueLayout.JAVA_BYTE);
    }

    private static int indexOf(InFlight f, long line) {
        for (int i = 0; i < f.lineCount(); i++) {
            if (f.line(i) == line) {
                return i;
            }
        }
        return -1;
    }

    private static String required(Properties p, String key, Path file) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException("saved crash failure " + file + " lacks the property '" + key + "'");
        }
        return v;
    }

    private static long[] parseLongs(String csv) {
        return csv.isEmpty() ? new long[0] : Arrays.stream(csv.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private static int[] parseInts(String csv) {
        return csv.isEmpty() ? new int[0] : Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
