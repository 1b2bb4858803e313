package dev.engram.crashtest;

import java.io.IOException;
import java.io.Writer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Saves failing crash images for {@link CrashReplay}. In the directory:
 * <ul>
 *   <li>{@code trace.engtrace}: the trace, base image included ({@link TraceFile}), written once;</li>
 *   <li>{@code failure-NNNN.pool}: the crash image's raw bytes, as the checker received it;</li>
 *   <li>{@code failure-NNNN.properties}: crash point, strategy, seed, sample, the per-line prefixes
 *       and the cause.</li>
 * </ul>
 */
final class FailureArtifacts {
    static final String TRACE_FILE = "trace.engtrace";

    private final Path dir;
    private final Trace trace;
    private boolean traceWritten;
    private int saved;

    FailureArtifacts(Path dir, Trace trace) {
        this.dir = dir;
        this.trace = trace;
    }

    Path directory() {
        return dir;
    }

    /** Writes the image and its description; returns the failure with {@code savedAs} set. */
    CrashFailure save(CrashFailure f, MemorySegment image, boolean unflushedInFlight) throws IOException {
        Files.createDirectories(dir);
        if (!traceWritten) {
            TraceFile.write(trace, dir.resolve(TRACE_FILE));
            traceWritten = true;
        }
        String name = String.format("failure-%04d", ++saved);
        Path pool = dir.resolve(name + ".pool");
        Files.write(pool, image.toArray(ValueLayout.JAVA_BYTE));
        CrashSelection s = f.selection();
        Properties p = new Properties();
        p.setProperty("trace", TRACE_FILE);
        p.setProperty("image", pool.getFileName().toString());
        p.setProperty("imageSize", Long.toString(image.byteSize()));
        p.setProperty("point", Integer.toString(f.point()));
        p.setProperty("traceEvent", Integer.toString(f.traceEvent()));
        p.setProperty("endOfTrace", Boolean.toString(f.endOfTrace()));
        p.setProperty("strategy", f.strategy());
        p.setProperty("seed", Long.toString(f.seed()));
        p.setProperty("sample", Long.toString(f.sample()));
        p.setProperty("unflushedInFlight", Boolean.toString(unflushedInFlight));
        p.setProperty("lines", Arrays.stream(s.lines()).mapToObj(Long::toString).collect(Collectors.joining(",")));
        p.setProperty("prefixes", Arrays.stream(s.prefixes()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        p.setProperty("inFlight", Arrays.stream(s.inFlight()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        p.setProperty("cause", String.valueOf(f.cause()));
        Path props = dir.resolve(name + ".properties");
        try (Writer w = Files.newBufferedWriter(props, StandardCharsets.UTF_8)) {
            p.store(w, "Engram crash failure: replay with dev.engram.crashtest.CrashReplay.load(this file)");
        }
        return new CrashFailure(f.point(), f.traceEvent(), f.endOfTrace(), f.strategy(), f.seed(), f.sample(),
                f.selection(), f.cause(), props);
    }
}
