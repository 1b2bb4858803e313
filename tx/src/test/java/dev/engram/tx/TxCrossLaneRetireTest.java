package dev.engram.tx;

import dev.engram.pool.medium.CacheWriteBack;
import dev.engram.pool.medium.CpuCacheMedium;
import dev.engram.pool.medium.MappedFile;
import dev.engram.pool.medium.MediumKind;
import dev.engram.pool.medium.WriteBackPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which thread writes back a lane's pending log retire (Transaction's class comment): a transaction
 * on another lane writes it back only when it is about to change bytes that log could roll back, or
 * when it takes over the lane. A recording write-back path stands in for the CPU, which cannot be
 * observed; the medium is the real CPU-cache medium over a mapped pool file.
 */
class TxCrossLaneRetireTest {
    @TempDir
    Path dir;
    private final Recorder recorder = new Recorder();

    /** Records the lines each thread wrote back. */
    static final class Recorder implements CacheWriteBack {
        private final List<String> events = new ArrayList<>();

        @Override
        public synchronized void writeBack(MemorySegment mapping, long offset, long length) {
            events.add(Thread.currentThread().getName() + " " + offset);
        }

        @Override
        public void fence() {
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

    /** Runs {@code body} on an engine over the base image, mapped with the recording write-back path. */
    private void withEngine(Consumer<TxEngine> body) throws Exception {
        Path file = dir.resolve("cross-lane.pool");
        Files.write(file, CrashFixture.image(dir, e -> e.transaction(tx -> {
            for (int i = 0; i < 2; i++) {
                long b = tx.alloc(256, 1);
                tx.addRange(TxCrashTest.slot(e, i), 8);
                e.medium().putLong(TxCrashTest.slot(e, i), b);
            }
            return null;
        })));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedFile mapped = MappedFile.map(file, channel, FileChannel.MapMode.READ_WRITE, channel.size());
            TxEngine e = CrashFixture.open(new CpuCacheMedium(MediumKind.FORCED_PMEM, mapped, recorder));
            try {
                body.accept(e);
            } finally {
                e.close();
            }
        }
        Files.delete(file);
    }

    /**
     * One 64-byte write to block {@code i} in a transaction on a new thread; returns the lane it used.
     * The lines written back up to the end of its addRange (its snapshot drain) go to {@link #snapshotLines}.
     */
    private int writeOnThread(TxEngine e, String name, int block, int avoidLane) throws InterruptedException {
        AtomicInteger lane = new AtomicInteger(-1);
        Thread t;
        do {
            // Lanes prefer threadId % lanes: pick a thread whose first choice is not the lane to avoid.
            t = new Thread(() -> lane.set(write(e, block)), name);
        } while (avoidLane >= 0 && t.threadId() % lanes(e) == avoidLane);
        t.start();
        t.join();
        return lane.get();
    }

    private List<String> snapshotLines = List.of();

    private static int lanes(TxEngine e) {
        return e.pool().header().laneCount();
    }

    private int write(TxEngine e, int block) {
        return e.transaction(tx -> {
            long offset = TxCrashTest.block(e, block);
            recorder.take();
            tx.addRange(offset, 64);
            snapshotLines = recorder.take();
            e.medium().putLong(offset, 0x5EED);
            return tx.lane();
        });
    }

    /** The lines a full drain on a fresh thread finds pending: the retire words left for others. */
    private List<String> pendingRetires(TxEngine e) throws InterruptedException {
        recorder.take();
        Thread probe = new Thread(() -> e.medium().drain(), "probe");
        probe.start();
        probe.join();
        return recorder.take();
    }

    @Test
    void shouldLeaveAnotherLanesRetireToItsOwnerWhenChangingOtherBytes() throws Exception {
        withEngine(e -> {
            try {
                int first = writeOnThread(e, "first", 0, -1);
                List<String> retire = pendingRetires(e);
                assertThat(retire).as("the first transaction's retire is pending").hasSize(1);
                String line = retire.get(0).substring("probe ".length());

                int second = writeOnThread(e, "second", 1, first);
                assertThat(second).isNotEqualTo(first);
                assertThat(snapshotLines).as("a snapshot of another block leaves the retire alone")
                        .isNotEmpty().doesNotContain("second " + line);
                assertThat(recorder.take()).as("a commit completes every earlier retire: durability in commit order")
                        .contains("second " + line);

                writeOnThread(e, "third", 0, first);
                assertThat(snapshotLines).as("a snapshot of the same block completes it before the block changes")
                        .contains("third " + line);
            } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        });
    }

    @Test
    void shouldCompleteTheLanesLastRetireWhenAnotherThreadTakesTheLaneOver() throws Exception {
        withEngine(e -> {
            try {
                int first = writeOnThread(e, "first", 0, -1);
                String line = pendingRetires(e).get(0).substring("probe ".length());

                int other = (first + 1) % lanes(e);
                int second = writeOnThread(e, "second", 1, other);
                assertThat(second).as("the same lane, on another thread").isEqualTo(first);
                assertThat(snapshotLines).as("its entries count only once the lane's last retire is durable")
                        .contains("second " + line);
            } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        });
    }
}
