package dev.engram.pool.medium;

import dev.engram.pool.MediaErrorException;
import dev.engram.pool.PoolClosedException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Runs in a child JVM for {@link TruncatedWriteBackTest}, because the outcome under study may be the
 * death of the process. Maps a two-page file as a forced-pmem medium, truncates it to one page, then
 * writes back the lost page. Prints what happened on stdout, one fact per line.
 *
 * <p>Modes: {@code raw} calls the CLWB intrinsic directly (what flush did before the page probe);
 * {@code flush} goes through {@link CpuCacheMedium#flush}; {@code flush-compiled} first calls flush on
 * the live page often enough for the JIT to compile the path, then flushes the lost page many times.
 */
public final class TruncatedWriteBackChild {
    static final int PAGE = 4096;
    static final int WARM_UP = 200_000;
    static final int FAULTS = 20_000;

    private TruncatedWriteBackChild() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        Path file = Path.of(args[1]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(2 * PAGE), 0);
            CacheWriteBack writeBack = WriteBackPath.UNSAFE_WRITEBACK.bind();
            MappedFile mapped = MappedFile.map(file, ch, FileChannel.MapMode.READ_WRITE, 2 * PAGE);
            CpuCacheMedium medium = new CpuCacheMedium(MediumKind.FORCED_PMEM, mapped, writeBack);
            medium.putLong(PAGE, 42);
            if (mode.equals("flush-compiled")) {
                for (int i = 0; i < WARM_UP; i++) {
                    medium.flush(PAGE + (i & 63), 8);
                }
            } else {
                medium.flush(PAGE, 64);
            }
            System.out.println("WRITEBACK_BEFORE_TRUNCATE_OK");
            ch.truncate(PAGE);
            switch (mode) {
                case "raw" -> {
                    // Straight to the intrinsic, past the medium's page probe.
                    writeBack.writeBack(mapped.segment(), PAGE, 64);
                    System.out.println("RAW_WRITEBACK_RETURNED");
                }
                case "flush" -> {
                    flushLostPage(mapped, writeBack, 1);
                    reportFailStop(medium);
                }
                case "flush-compiled" -> flushLostPage(mapped, writeBack, FAULTS);
                default -> throw new IllegalArgumentException(mode);
            }
            System.out.println("ALIVE");
            mapped.close();
        }
    }

    /**
     * Flushes the lost page {@code times} times, each through a fresh medium over the same mapping:
     * a medium is fail-stop after its first media error, and a fresh one makes every attempt reach the
     * (by then compiled) probe.
     */
    private static void flushLostPage(MappedFile mapped, CacheWriteBack writeBack, int times) {
        int caught = 0;
        long offset = -1;
        for (int i = 0; i < times; i++) {
            CpuCacheMedium medium = new CpuCacheMedium(MediumKind.FORCED_PMEM, mapped, writeBack);
            try {
                medium.flush(PAGE, 64);
            } catch (MediaErrorException e) {
                caught++;
                offset = e.offset();
            }
        }
        System.out.println("MEDIA_ERRORS=" + caught + " OFFSET=" + offset);
    }

    /** After a media error, the medium refuses further writes instead of touching the mapping again. */
    private static void reportFailStop(CpuCacheMedium medium) {
        try {
            medium.flush(PAGE, 64);
        } catch (MediaErrorException first) {
            try {
                medium.putLong(0, 1);
                System.out.println("WRITE_AFTER_MEDIA_ERROR_ACCEPTED");
            } catch (PoolClosedException refused) {
                System.out.println("WRITE_AFTER_MEDIA_ERROR_REFUSED");
            }
        }
    }
}
