package dev.engram.pool.medium;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class PageCacheTruncatedMappingTest extends TruncatedMappingContract {
    @TempDir
    Path dir;

    @Override
    Path directory() {
        return dir;
    }

    @Override
    SegmentMedium open(MappedFile mapped) {
        return new PageCacheMedium(mapped);
    }
}
