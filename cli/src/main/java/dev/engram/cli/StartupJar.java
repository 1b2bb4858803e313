package dev.engram.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassElement;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Writes the copy of the tool's jar that {@code bin/engram} starts from once its start-up cache is
 * made: the same entries, with every class file older than Java 6 (version 50) re-emitted as a
 * Java 8 class file (version 52) by the JDK's {@link ClassFile} API, which adds the stack maps such
 * files carry. The bytecode is the same; only the class-file format changes.
 *
 * <p>Why: picocli ships Java 5 class files, and the JVM's AOT cache (like its class-data sharing
 * before it) cannot hold classes that old, so every command would load and verify picocli's
 * classes from the jar at every start-up (about a fifth of a short command's time). Converted,
 * they go into the cache with the rest. A class that cannot be converted is copied unchanged.
 *
 * <p>The launcher uses the copy only if the training run ({@link AotTraining}), which runs every
 * command on it, succeeded; otherwise it starts the original jar. Not part of the tool's interface.
 */
public final class StartupJar {
    /** Class files below this major version (Java 6) have no stack maps and stay out of the AOT cache. */
    static final int FIRST_CACHEABLE_VERSION = 50;
    /** The version old class files are re-emitted as (Java 8). */
    static final int TARGET_VERSION = 52;

    private StartupJar() {
    }

    /**
     * Writes the converted copy.
     *
     * @param args the tool's jar, then the copy to write (replaced if it exists)
     * @throws IOException if the jar cannot be read or the copy written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: StartupJar JAR COPY");
        }
        int converted = write(Path.of(args[0]), Path.of(args[1]));
        System.out.println(converted + " class files converted");
    }

    /**
     * Copies {@code jar} to {@code copy}, converting old class files.
     *
     * @return how many class files were converted
     */
    static int write(Path jar, Path copy) throws IOException {
        ClassFile cf = ClassFile.of();
        int converted = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
             OutputStream os = Files.newOutputStream(copy);
             ZipOutputStream out = new ZipOutputStream(os)) {
            out.setLevel(Deflater.BEST_SPEED);
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                if (!e.isDirectory() && e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    byte[] upgraded = upgrade(cf, bytes);
                    if (upgraded != bytes) {
                        converted++;
                        bytes = upgraded;
                    }
                }
                ZipEntry o = new ZipEntry(e.getName());
                o.setTime(e.getTime());
                out.putNextEntry(o);
                out.write(bytes);
                out.closeEntry();
            }
        }
        return converted;
    }

    /** The class file re-emitted at {@link #TARGET_VERSION}, or {@code bytes} itself if it is recent or cannot be. */
    static byte[] upgrade(ClassFile cf, byte[] bytes) {
        if (bytes.length < 8 || (((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff)) >= FIRST_CACHEABLE_VERSION) {
            return bytes;
        }
        try {
            ClassModel model = cf.parse(bytes);
            return cf.build(model.thisClass().asSymbol(), cb -> {
                cb.withVersion(TARGET_VERSION, 0);
                for (ClassElement el : model) {
                    if (!(el instanceof ClassFileVersion)) {
                        cb.with(el);
                    }
                }
            });
        } catch (RuntimeException e) {
            // any failure to convert (a jsr instruction, a type whose hierarchy is not on the class
            // path, ...) only leaves this class out of the cache
            return bytes;
        }
    }
}
