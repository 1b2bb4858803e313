package dev.engram.crashtest;

import dev.engram.crashtest.corpus.CrashCorpus;
import dev.engram.crashtest.corpus.CrashVariant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CrashReplayTest {

    private static CrashVariant variant(String name) {
        return CrashCorpus.builtIn().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void shouldRebuildEverySavedFailureBitForBitAndFailAgain(@TempDir Path dir) throws Exception {
        CrashVariant v = variant("transfer-missing-snapshot");
        Trace trace = TracingMedium.record(v.mediumSize(), v.setup(), v.workload());

        CrashReport report = CrashExplorer.builder().saveFailuresTo(dir).maxReportedFailures(5).build()
                .explore(trace, v.invariant());

        assertThat(report.failures()).hasSize(5);
        for (CrashFailure f : report.failures()) {
            assertThat(f.savedAs()).exists();
            CrashReplay replay = CrashReplay.load(f.savedAs());
            assertThat(replay.selection()).isEqualTo(f.selection());
            assertThat(replay.strategy()).isEqualTo(f.strategy());
            assertThat(replay.seed()).isEqualTo(f.seed());
            assertThat(replay.rebuildImage()).isEqualTo(replay.savedImage());
            Optional<Throwable> again = replay.check(v.invariant());
            assertThat(again).get().extracting(Throwable::getMessage).isEqualTo(f.cause().getMessage());
        }
    }

    @Test
    void shouldReadBackTheTraceItWrote(@TempDir Path dir) throws Exception {
        CrashVariant v = variant("list-push");
        Trace trace = TracingMedium.record(v.mediumSize(), v.setup(), v.workload());
        Path file = dir.resolve("t.engtrace");

        TraceFile.write(trace, file);
        Trace back = TraceFile.read(file);

        assertThat(back.eventCount()).isEqualTo(trace.eventCount());
        assertThat(back.granuleCount()).isEqualTo(trace.granuleCount());
        assertThat(back.base().mismatch(trace.base())).isEqualTo(-1);
        for (int g = 0; g < trace.granuleCount(); g++) {
            assertThat(back.granuleValue(g)).isEqualTo(trace.granuleValue(g));
        }
        CrashReport a = CrashExplorer.defaults().explore(trace, v.invariant());
        CrashReport b = CrashExplorer.defaults().explore(back, v.invariant());
        assertThat(b.distinctImages()).isEqualTo(a.distinctImages());
        assertThat(Files.size(file)).isGreaterThan(v.mediumSize());
    }
}
