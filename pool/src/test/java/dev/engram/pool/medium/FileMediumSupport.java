package dev.engram.pool.medium;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Creates mapped files for medium tests and removes them afterwards. */
final class FileMediumSupport implements AutoCloseable {
    private final Path dir;
    private final List<FileChannel> channels = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();

    FileMediumSupport(Path dir) {
        this.dir = dir;
    }

    MappedFile map(long size) throws IOException {
        Path file = Files.createTempFile(dir, "medium", ".pool");
        files.add(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channels.add(ch);
        dev.engram.pool.linux.FileSpace.reserve(file, ch, 0, size);
        return MappedFile.map(file, ch, FileChannel.MapMode.READ_WRITE, size);
    }

    @Override
    public void close() throws IOException {
        for (FileChannel c : channels) {
            c.close();
        }
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
    }
}
