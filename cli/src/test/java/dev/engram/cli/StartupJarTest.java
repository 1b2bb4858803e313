package dev.engram.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's jar copy: old class files re-emitted at Java 8 with valid stack maps, everything else unchanged. */
class StartupJarTest {
    private static final ClassDesc OLD = ClassDesc.of("demo.Old");

    @TempDir
    Path dir;

    /** A Java 5 class with a branch and a loop (code that needs stack maps at Java 6+): max(a, b) + sum(0..n). */
    private static byte[] java5Class() {
        return ClassFile.of().build(OLD, cb -> cb.withVersion(49, 0).withFlags(ClassFile.ACC_PUBLIC)
                .withSuperclass(ConstantDescs.CD_Object)
                .withMethodBody("f", MethodTypeDesc.of(ConstantDescs.CD_int, ConstantDescs.CD_int, ConstantDescs.CD_int),
                        ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> {
                            var bigger = code.newLabel();
                            var loop = code.newLabel();
                            var done = code.newLabel();
                            code.iload(0).iload(1).if_icmpge(bigger).iload(1).istore(0).labelBinding(bigger);
                            code.iconst_0().istore(2).labelBinding(loop);
                            code.iload(2).iload(1).if_icmpgt(done);
                            code.iload(0).iload(2).iadd().istore(0).iinc(2, 1).goto_(loop);
                            code.labelBinding(done).iload(0).ireturn();
                        }));
    }

    @Test
    void shouldReEmitOldClassFilesAsJava8AndKeepEveryOtherEntry() throws Exception {
        Path jar = dir.resolve("in.jar");
        byte[] recent = ClassFile.of().build(ClassDesc.of("demo.Recent"), cb -> cb.withVersion(65, 0)
                .withSuperclass(ConstantDescs.CD_Object));
        try (OutputStream os = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(os)) {
            put(z, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            put(z, "demo/Old.class", java5Class());
            put(z, "demo/Recent.class", recent);
            put(z, "demo/Broken.class", new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 49, 1});
            put(z, "demo/data.txt", "kept".getBytes(StandardCharsets.UTF_8));
        }
        Path copy = dir.resolve("out.jar");
        assertThat(StartupJar.write(jar, copy)).isEqualTo(1);

        try (ZipFile z = new ZipFile(copy.toFile())) {
            assertThat(z.stream().map(ZipEntry::getName))
                    .containsExactly("META-INF/MANIFEST.MF", "demo/Old.class", "demo/Recent.class", "demo/Broken.class",
                            "demo/data.txt");
            assertThat(ClassFile.of().parse(z.getInputStream(z.getEntry("demo/Old.class")).readAllBytes()).majorVersion())
                    .isEqualTo(StartupJar.TARGET_VERSION);
            assertThat(z.getInputStream(z.getEntry("demo/Recent.class")).readAllBytes()).isEqualTo(recent);
            assertThat(z.getInputStream(z.getEntry("demo/Broken.class")).readAllBytes()).hasSize(9);
            assertThat(z.getInputStream(z.getEntry("demo/data.txt")).readAllBytes()).asString(StandardCharsets.UTF_8)
                    .isEqualTo("kept");
        }
        // The JVM verifies a version-52 class by its stack maps: loading and running it proves they are right.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {copy.toUri().toURL()}, null)) {
            Method f = Class.forName("demo.Old", true, loader).getMethod("f", int.class, int.class);
            assertThat(f.invoke(null, 3, 5)).isEqualTo(5 + 15);
            assertThat(f.invoke(null, 9, 2)).isEqualTo(9 + 3);
        }
    }

    private static void put(ZipOutputStream z, String name, byte[] bytes) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(bytes);
        z.closeEntry();
    }
}
