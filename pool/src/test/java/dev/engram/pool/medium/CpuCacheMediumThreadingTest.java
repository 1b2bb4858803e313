package dev.engram.pool.medium;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The threading rule of {@link Medium#drain} on CPU-cache media: a fence completes its own thread's
 * write-backs, so lines flushed with {@code flushShared} are written back again by whichever thread
 * drains next. A recording write-back path stands in for the CPU, which cannot be observed.
 */
class CpuCacheMediumThreadingTest {
    @TempDir
    Path dir;
    private FileMediumSupport files;
    private CpuCacheMedium medium;
    private final Recorder recorder = new Recorder();

    /** Records which thread wrote back which line and which thread fenced. */
    static final class Recorder implements CacheWriteBack {
        final List<String> events = new ArrayList<>();

        @Override
        public synchronized void writeBack(MemorySegment mapping, long offset, long length) {
            events.add(Thread.currentThread().getName() + " writeBack " + offset + "+" + length);
        }

        @Override
        public synchronized void fence() {
            events.add(Thread.currentThread().getName() + " fence");
        }

        @Override
        public boolean completesEachWriteBack() {
            return false;
        }

        @Override
        public WriteBackPath path() {
            return WriteBackPath.LIBPMEM;
        }

        synchronized List<String> take() {
            List<String> copy = List.copyOf(events);
            events.clear();
            return copy;
        }
    }

    @AfterEach
    void close() throws Exception {
        if (medium != null) {
            medium.close();
            files.close();
        }
    }

    private void open() throws Exception {
        files = new FileMediumSupport(dir);
        medium = new CpuCacheMedium(MediumKind.FORCED_PMEM, files.map(1 << 16), recorder);
    }

    @Test
    void shouldFenceOncePerDrainNotPerFlush() throws Exception {
        open();
        Thread.currentThread().setName("main");
        medium.flush(0, 8);
        medium.flush(4096, 8);
        medium.drain();

        assertThat(recorder.take()).containsExactly("main writeBack 0+8", "main writeBack 4096+8", "main fence");
    }

    @Test
    void shouldWriteASharedFlushBackAgainOnTheThreadThatDrains() throws Exception {
        open();
        Thread writer = new Thread(() -> {
            medium.putLong(8192, 42);
            medium.flushShared(8192, 8);
        }, "writer");
        writer.start();
        writer.join();
        recorder.take();

        Thread drainer = new Thread(medium::drain, "drainer");
        drainer.start();
        drainer.join();

        assertThat(recorder.take()).containsExactly("drainer writeBack 8192+64", "drainer fence");
    }

    @Test
    void shouldLeaveAGuardedSharedFlushToADrainThatChangesOtherBytes() throws Exception {
        open();
        Thread writer = new Thread(() -> {
            medium.putLong(8192, 42);
            medium.flushShared(8192, 8, 16384, 256);
        }, "writer");
        writer.start();
        writer.join();
        recorder.take();

        Thread elsewhere = new Thread(() -> medium.drainBeforeChanging(32768, 64), "elsewhere");
        elsewhere.start();
        elsewhere.join();
        Thread overlapping = new Thread(() -> medium.drainBeforeChanging(16384 + 200, 64), "overlapping");
        overlapping.start();
        overlapping.join();

        assertThat(recorder.take()).containsExactly(
                "elsewhere fence",
                "overlapping writeBack 8192+64", "overlapping fence");
    }

    @Test
    void shouldCompleteTheCallersOwnGuardedFlushInAnyScopedDrain() throws Exception {
        open();
        Thread.currentThread().setName("main");
        medium.putLong(8192, 42);
        medium.flushShared(8192, 8, 16384, 256);
        medium.drainBeforeChanging(0, 0);
        medium.drain();

        assertThat(recorder.take()).containsExactly("main writeBack 8192+64", "main fence", "main fence");
    }

    @Test
    void shouldRejectANegativeScopeOrGuard() throws Exception {
        open();
        assertThatThrownBy(() -> medium.drainBeforeChanging(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> medium.flushShared(0, 8, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNotWriteAPlainFlushBackOnAnotherThread() throws Exception {
        open();
        Thread writer = new Thread(() -> medium.flush(8192, 8), "writer");
        writer.start();
        writer.join();
        recorder.take();

        Thread drainer = new Thread(medium::drain, "drainer");
        drainer.start();
        drainer.join();

        assertThat(recorder.take()).containsExactly("drainer fence");
    }

    @Test
    void shouldUseThePerLineIntrinsicWhenTheTestJvmOpensJdkInternalMisc() {
        // The build's argLine passes --add-opens java.base/jdk.internal.misc (pom.xml engram.jvm.flags).
        assertThat(UnsafeWriteBack.isAvailable()).isTrue();
        assertThat(UnsafeWriteBack.perLine()).isTrue();
        assertThat(WriteBackPath.UNSAFE_WRITEBACK.bind().completesEachWriteBack()).isFalse();
    }
}
