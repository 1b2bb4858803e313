package dev.engram.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/engram} as a user runs it: its start-up cache (an AOT cache and the copy of the jar it was
 * trained on) is made on the first run and used after,
 * and a stale, damaged or missing cache (or one that cannot be made) changes nothing a user sees:
 * same output, same exit code, nothing on stderr. The launcher runs a runnable jar built here from
 * the test's class path (the shaded jar only exists after {@code package}).
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("bin", "engram").toAbsolutePath();

    @TempDir
    static Path shared;

    private static Path jar;
    private static Path pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildJarAndPool() throws IOException {
        jar = shared.resolve("engram-cli-test-all.jar");
        writeRunnableJar(jar);
        pool = shared.resolve("launcher.pool");
        TestPools.create(pool, 50, 64, 7);
    }

    @Test
    void shouldMakeTheCacheOnTheFirstRunAndStartFromItAfterwards() throws IOException {
        Path cacheDir = dir.resolve("cache");
        Cli.Run first = launch(Map.of("ENGRAM_CACHE_DIR", cacheDir.toString()), "check", pool);
        assertConsistentAndQuiet(first);
        assertThat(caches(cacheDir)).hasSize(1);

        Path classLog = dir.resolve("classes.log");
        Cli.Run second = launch(Map.of("ENGRAM_CACHE_DIR", cacheDir.toString(),
                "ENGRAM_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "check", pool);
        assertConsistentAndQuiet(second);
        assertThat(second.out()).isEqualTo(first.out());
        // The cache holds the tool's classes and picocli's (their copy in the cache's jar is Java 8 class files).
        assertThat(Files.readString(classLog)).contains("dev.engram.cli.CheckCommand source: shared objects file")
                .contains("picocli.CommandLine source: shared objects file");
        Path copy = Path.of(caches(cacheDir).getFirst().toString().replaceFirst("\\.aot$", ".jar"));
        assertThat(copy).isRegularFile();

        // Errors and exit codes are the tool's own, with the cache as without it.
        Map<String, String> env = Map.of("ENGRAM_CACHE_DIR", cacheDir.toString());
        Cli.Run missing = launch(env, "check", dir.resolve("missing.pool"));
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(missing.err()).startsWith("engram check: ").contains("missing.pool");
        Cli.Run usage = launch(env, "check", "--no-such-option", pool);
        assertThat(usage.exit()).as(usage.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("--no-such-option");
        Cli.Run version = launch(env, "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("engram ");
        assertThat(version.err()).isEmpty();
        assertThat(caches(cacheDir)).hasSize(1);
    }

    @Test
    void shouldMakeANewCacheWhenTheJarChangesAndRunWithoutOneThatIsStaleOrDamaged() throws IOException {
        Path cacheDir = dir.resolve("cache");
        Path myJar = dir.resolve("engram-cli-copy-all.jar");
        Files.copy(jar, myJar);
        Map<String, String> env = Map.of("ENGRAM_CACHE_DIR", cacheDir.toString(), "ENGRAM_JAR", myJar.toString());
        Cli.Run fresh = launch(env, "check", "--json", pool);
        assertConsistentAndQuiet(fresh);
        Path oldCache = caches(cacheDir).getFirst();
        byte[] stale = Files.readAllBytes(oldCache);

        // A rebuilt jar (here: one more entry) gets a new pair, made from it; the old pair goes.
        addEntry(myJar, "rebuilt.txt");
        Path classLog = dir.resolve("rebuilt.log");
        Cli.Run rebuilt = launch(Map.of("ENGRAM_CACHE_DIR", cacheDir.toString(), "ENGRAM_JAR", myJar.toString(),
                "ENGRAM_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "check", "--json", pool);
        assertConsistentAndQuiet(rebuilt);
        assertThat(rebuilt.out()).isEqualTo(fresh.out());
        Path newCache = caches(cacheDir).getFirst();
        assertThat(caches(cacheDir)).hasSize(1);
        assertThat(newCache).isNotEqualTo(oldCache);
        assertThat(oldCache).doesNotExist();
        assertThat(Path.of(oldCache.toString().replaceFirst("\\.aot$", ".jar"))).doesNotExist();
        assertThat(Files.readString(classLog)).contains("dev.engram.cli.CheckCommand source: shared objects file");

        // A cache that is not the one its name promises: trained on another jar (the JVM may or may not
        // notice: JDK 25 before 25.0.4 does not, JDK-8377932), empty, not a cache, cut short.
        for (byte[] damaged : List.of(stale, new byte[0], "not an AOT cache".getBytes(StandardCharsets.UTF_8),
                java.util.Arrays.copyOf(stale, stale.length / 2))) {
            Files.write(newCache, damaged);
            Cli.Run r = launch(env, "check", "--json", pool);
            assertConsistentAndQuiet(r);
            assertThat(r.out()).isEqualTo(fresh.out());
            assertThat(r.json()).containsEntry("consistent", true);
        }
    }

    @Test
    void shouldRunWithoutACacheWhereNoneCanBeMade() throws IOException {
        Path notADir = dir.resolve("a-file");
        Files.writeString(notADir, "x");
        Cli.Run r = launch(Map.of("ENGRAM_CACHE_DIR", notADir.resolve("cache").toString()), "check", pool);
        assertConsistentAndQuiet(r);
        assertThat(Files.readString(notADir)).isEqualTo("x");

        Path cacheDir = dir.resolve("off");
        Cli.Run off = launch(Map.of("ENGRAM_CACHE_DIR", cacheDir.toString(), "ENGRAM_AOT", "off"), "check", pool);
        assertConsistentAndQuiet(off);
        assertThat(off.out()).isEqualTo(r.out());
        assertThat(cacheDir).doesNotExist();
    }

    /** Rewrites {@code jar} with one more entry: a new size, time and inode, as a rebuild gives. */
    private static void addEntry(Path jar, String name) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".new");
        try (JarFile in = new JarFile(jar.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
            for (JarEntry e : in.stream().toList()) {
                out.putNextEntry(new JarEntry(e.getName()));
                try (InputStream s = in.getInputStream(e)) {
                    s.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry(name));
            out.write(name.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void assertConsistentAndQuiet(Cli.Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        assertThat(r.out()).as(r.toString()).contains("consistent");
    }

    private static List<Path> caches(Path cacheDir) throws IOException {
        try (Stream<Path> s = Files.list(cacheDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".aot")).toList();
        }
    }

    /** Runs bin/engram with the test's JDK, {@link #jar} (unless env names another) and {@code env}. */
    private static Cli.Run launch(Map<String, String> env, Object... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("ENGRAM_JAVA_OPTS");
        pb.environment().remove("ENGRAM_AOT");
        pb.environment().put("ENGRAM_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("ENGRAM_JAR", jar.toString());
        pb.environment().putAll(env);
        try {
            File out = Files.createTempFile("engram-out", ".txt").toFile();
            File err = Files.createTempFile("engram-err", ".txt").toFile();
            try {
                Process p = pb.redirectOutput(out).redirectError(err)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("engram did not finish: " + cmd);
                }
                return new Cli.Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                        Files.readString(err.toPath(), StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out.toPath());
                Files.deleteIfExists(err.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One jar holding every class and resource of this JVM's class path, runnable as the tool. */
    private static void writeRunnableJar(Path target) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Engram.class.getName());
        mf.getMainAttributes().putValue("Enable-Native-Access", "ALL-UNNAMED");
        Set<String> seen = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), mf)) {
            out.setLevel(Deflater.BEST_SPEED);
            seen.add(JarFile.MANIFEST_NAME);
            seen.add("META-INF/");
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (Files.isDirectory(p)) {
                    try (Stream<Path> files = Files.walk(p)) {
                        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                            String name = p.relativize(f).toString().replace(File.separatorChar, '/');
                            if (keep(name) && seen.add(name)) {
                                out.putNextEntry(new JarEntry(name));
                                Files.copy(f, out);
                                out.closeEntry();
                            }
                        }
                    }
                } else if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                    try (JarFile in = new JarFile(p.toFile())) {
                        for (JarEntry e : in.stream().filter(e -> !e.isDirectory()).toList()) {
                            if (keep(e.getName()) && seen.add(e.getName())) {
                                out.putNextEntry(new JarEntry(e.getName()));
                                try (InputStream s = in.getInputStream(e)) {
                                    s.transferTo(out);
                                }
                                out.closeEntry();
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean keep(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return !name.equals(JarFile.MANIFEST_NAME) && !name.endsWith("module-info.class")
                && !(upper.startsWith("META-INF/") && (upper.endsWith(".SF") || upper.endsWith(".RSA")
                || upper.endsWith(".DSA") || upper.endsWith(".EC")));
    }
}
