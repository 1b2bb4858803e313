package dev.engram.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where benchmark pools live. {@code bench/run} points the JMH forks and the PMDK harness at the same
 * two directories (environment variables, which forks inherit), so Engram and its peers are measured
 * on the same file systems in the same run:
 * <ul>
 *   <li>{@code ENGRAM_BENCH_SHM} — tmpfs, for forced-pmem media (default {@code /dev/shm/engram-bench});</li>
 *   <li>{@code ENGRAM_BENCH_DISK} — a disk file system, for page-cache media (default
 *       {@code /var/tmp/engram-bench}). Never tmpfs: msync there has nothing to write.</li>
 * </ul>
 */
public final class BenchFiles {
    private BenchFiles() {
    }

    /**
     * {@return the tmpfs directory for forced-pmem pools, created if missing}
     *
     * @throws java.io.UncheckedIOException if the directory cannot be created
     */
    public static Path shmDir() {
        return dir("ENGRAM_BENCH_SHM", "/dev/shm/engram-bench");
    }

    /**
     * {@return the disk directory for page-cache pools, created if missing}
     *
     * @throws java.io.UncheckedIOException if the directory cannot be created
     */
    public static Path diskDir() {
        return dir("ENGRAM_BENCH_DISK", "/var/tmp/engram-bench");
    }

    private static Path dir(String variable, String fallback) {
        String v = System.getenv(variable);
        Path p = Path.of(v == null || v.isBlank() ? fallback : v);
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create benchmark directory " + p + " (set " + variable + ")", e);
        }
    }

    /**
     * Opens a fresh read-write file, replacing any left by an earlier run.
     *
     * @param file the file to create
     * @return a channel open for reading and writing
     * @throws IOException if the file cannot be deleted or created
     */
    public static FileChannel createFresh(Path file) throws IOException {
        Files.deleteIfExists(file);
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * Makes the file {@code size} bytes long without allocating blocks: one byte written at the end
     * leaves a hole before it, so a 4 GiB pool costs no disk space or time to create.
     *
     * @param channel a channel open for writing, on an empty or shorter file
     * @param size    the new length in bytes, positive
     * @throws IOException if the write fails
     */
    public static void extendSparse(FileChannel channel, long size) throws IOException {
        channel.write(ByteBuffer.wrap(new byte[] {0}), size - 1);
    }
}
