package dev.engram.pool.medium;

import dev.engram.pool.MediaErrorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DESIGN.md §2.4 without hardware: the file is truncated under a live mapping, so pages past the new
 * end vanish and any access raises SIGBUS. Every medium must turn that into {@link MediaErrorException}
 * with the offset and keep the JVM running. These run in this JVM, so the accessors are interpreted;
 * JIT-compiled accessors can let the InternalError escape (see the issue note of #3), which is why
 * these tests fault once per access instead of in a loop.
 */
abstract class TruncatedMappingContract {
    static final long MAPPED = 16 * 4096;
    static final long KEPT = 4 * 4096;

    private FileChannel channel;
    private MappedFile mapped;
    private Path file;
    SegmentMedium medium;

    /** The directory the pool file lives in (ext4 for page cache, tmpfs for forced pmem). */
    abstract Path directory() throws IOException;

    abstract SegmentMedium open(MappedFile mapped);

    @BeforeEach
    void mapThenTruncate() throws IOException {
        file = directory().resolve("truncated-" + getClass().getSimpleName() + "-" + ProcessHandle.current().pid());
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.write(ByteBuffer.allocate((int) MAPPED), 0);
        mapped = MappedFile.map(file, channel, FileChannel.MapMode.READ_WRITE, MAPPED);
        medium = open(mapped);
        for (long off = 0; off < MAPPED; off += 4096) {
            medium.putLong(off, off + 1); // every page resident before it vanishes
        }
        channel.truncate(KEPT);
    }

    @AfterEach
    void unmapAndDelete() throws IOException {
        mapped.close();
        channel.close();
        Files.deleteIfExists(file);
    }

    @Test
    void readPastTheNewEndRaisesMediaErrorWithTheOffset() {
        long offset = KEPT + 3 * 4096 + 8;

        assertThatThrownBy(() -> medium.getLong(offset))
                .isInstanceOf(MediaErrorException.class)
                .satisfies(e -> assertThat(((MediaErrorException) e).offset()).isEqualTo(offset));
    }

    @Test
    void writePastTheNewEndRaisesMediaErrorWithTheOffset() {
        long offset = KEPT + 16;

        assertThatThrownBy(() -> medium.putLong(offset, 1))
                .isInstanceOf(MediaErrorException.class)
                .satisfies(e -> assertThat(((MediaErrorException) e).offset()).isEqualTo(offset));
    }

    @Test
    void bulkReadCrossingTheNewEndRaisesMediaError() {
        byte[] dst = new byte[8192];

        assertThatThrownBy(() -> medium.getBytes(KEPT - 4096, dst, 0, dst.length))
                .isInstanceOf(MediaErrorException.class)
                .hasMessageContaining("truncated under the mapping")
                .hasMessageContaining("(pool offset " + (KEPT - 4096) + ")");
    }

    @Test
    void pagesBeforeTheNewEndStillWorkAfterAMediaError() {
        assertThatThrownBy(() -> medium.getLong(KEPT)).isInstanceOf(MediaErrorException.class);

        medium.putLong(8, 77);

        assertThat(medium.getLong(0)).isEqualTo(1);
        assertThat(medium.getLong(8)).isEqualTo(77);
    }
}
