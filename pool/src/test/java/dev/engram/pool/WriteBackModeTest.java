package dev.engram.pool;

import dev.engram.pool.medium.CacheWriteBack;
import dev.engram.pool.medium.CpuCacheMedium;
import dev.engram.pool.medium.MappedFile;
import dev.engram.pool.medium.MediumKind;
import dev.engram.pool.medium.WriteBackPath;
import org.junit.jupiter.api.Test;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which mode of the JDK write-back intrinsic the JVM's flags select: {@code --add-opens} gives one
 * fence per drain, {@code --add-exports} alone the fenced-per-flush mode, which is slower but keeps
 * the same durability promises. Both are exercised for real in a child JVM.
 */
class WriteBackModeTest {
    /** Child: writes, flushes twice, drains, and reports the mode and what it reads back. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path file = Files.createTempFile(Path.of("/dev/shm"), "wbmode", ".pool");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.write(java.nio.ByteBuffer.allocate(8192), 0);
                MappedFile mapped = MappedFile.map(file, ch, FileChannel.MapMode.READ_WRITE, 8192);
                CacheWriteBack path = WriteBackPath.UNSAFE_WRITEBACK.bind();
                try (CpuCacheMedium medium = new CpuCacheMedium(MediumKind.FORCED_PMEM, mapped, path)) {
                    medium.putLong(0, 7);
                    medium.putLong(4096, 8);
                    medium.flush(0, 8);
                    medium.flushShared(4096, 8);
                    medium.drain();
                    System.out.println("completesEachWriteBack=" + path.completesEachWriteBack()
                            + " values=" + medium.getLong(0) + "," + medium.getLong(4096));
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private static String run(String accessFlag) throws Exception {
        List<String> flags = List.of("--enable-native-access=ALL-UNNAMED", accessFlag,
                "java.base/jdk.internal.misc=ALL-UNNAMED");
        try (ChildJvm child = ChildJvm.start(flags, Child.class)) {
            String line = child.readLine();
            assertThat(child.finish()).as("child output: %s", line).isZero();
            return line;
        }
    }

    @Test
    void shouldFenceOncePerDrainWhenTheJvmOpensTheIntrinsicPackage() throws Exception {
        assertThat(run("--add-opens")).isEqualTo("completesEachWriteBack=false values=7,8");
    }

    @Test
    void shouldFenceEveryWriteBackWhenTheJvmOnlyExportsIt() throws Exception {
        assertThat(run("--add-exports")).isEqualTo("completesEachWriteBack=true values=7,8");
    }
}
