package dev.engram.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command, run as a user runs it, on a pool fresh from {@code engram create}. */
class FreshPoolCommandsTest {
    @TempDir
    Path dir;

    private Path created() {
        Path pool = dir.resolve("fresh.pool");
        Cli.Run r = Cli.run("create", pool, "--size", "8M", "--layout", "orders", "--lanes", "4", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        Map<String, Object> j = r.json();
        assertThat(j).containsEntry("layout", "orders").containsEntry("poolSize", 8L << 20).containsEntry("lanes", 4L);
        return pool;
    }

    @Test
    void shouldCreateAPoolAndDescribeItInText() {
        Path pool = dir.resolve("text.pool");
        Cli.Run r = Cli.run("create", pool, "--size", "8M", "--mode", "page-cache");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("created " + pool).contains("mode:   PAGE_CACHE");
        assertThat(pool).exists();
    }

    @Test
    void shouldReportHeaderModeAndHeapInInfo() {
        Path pool = created();
        Cli.Run r = Cli.run("info", pool, "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        Map<String, Object> j = r.json();
        assertThat(j).containsEntry("layout", "orders").containsEntry("version", "1.0").containsEntry("laneCount", 4L)
                .containsEntry("cleanShutdown", true).containsEntry("recoveryNeeded", false)
                .containsEntry("objectLayer", true).containsEntry("rootObject", 0L).containsEntry("headerProblem", null)
                .containsEntry("lastWriterMode", "PAGE_CACHE").containsEntry("daxCapable", false);
        assertThat((String) j.get("autoModeReason")).contains("MAP_SYNC");
        assertThat((List<?>) j.get("features")).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> heap = (Map<String, Object>) j.get("heap");
        assertThat(heap).containsEntry("objects", 0L).containsEntry("usedBytes", 0L);
        Cli.Run text = Cli.run("info", pool);
        assertThat(text.out()).contains("shutdown:", "clean").contains("auto mode:").contains("layout:", "'orders'");
    }

    @Test
    void shouldReportNoRunsAndMetadataBelowOnePercentOfTheHeapInStats() {
        Path pool = created();
        Cli.Run r = Cli.run("stats", pool, "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        Map<String, Object> j = r.json();
        assertThat((List<?>) j.get("classes")).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) j.get("metadata");
        assertThat((Long) meta.get("heapBytes")).isPositive();
        assertThat((Long) meta.get("totalBytes")).isEqualTo((Long) meta.get("poolBytes") + (Long) meta.get("heapBytes"));
    }

    @Test
    void shouldListNoObjects() {
        Path pool = created();
        Cli.Run r = Cli.run("objects", pool, "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json()).containsEntry("total", 0L).containsEntry("truncated", false);
        assertThat(Cli.run("objects", pool).out()).startsWith("0 objects");
    }

    @Test
    void shouldDumpTheHeaderSignatureAndRefuseARangePastTheEnd() {
        Path pool = created();
        Cli.Run r = Cli.run("dump", pool, "--offset", "0", "--length", "16");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("0000000000000000  45 4e 47 52 41 4d 00 01").contains("|ENGRAM");
        Cli.Run j = Cli.run("dump", pool, "--offset", "0xc", "--length", "4", "--json");
        assertThat(j.json()).containsEntry("offset", 12L).containsEntry("length", 4L).containsEntry("hex", "00100000");
        Cli.Run past = Cli.run("dump", pool, "--offset", "8M", "--length", "1");
        assertThat(past.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(past.err()).contains("lies outside pool " + pool);
    }

    @Test
    void shouldFindAFreshPoolConsistent() {
        Path pool = created();
        Cli.Run r = Cli.run("check", pool, "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json()).containsEntry("consistent", true).containsEntry("mode", "check");
        assertThat((List<?>) r.json().get("findings")).isEmpty();
        assertThat(Cli.run("check", pool).out()).contains("consistent");
    }

    @Test
    void shouldSayWhetherACloneWasReflinkedOrCopied() {
        Path pool = created();
        Path copy = dir.resolve("copy.pool");
        Cli.Run r = Cli.run("clone", pool, copy, "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        Map<String, Object> j = r.json();
        assertThat(j.get("method")).isIn("REFLINK", "COPY_FILE_RANGE", "COPY");
        assertThat(j.get("shared")).isEqualTo(j.get("method").equals("REFLINK"));
        Cli.Run info = Cli.run("info", copy, "--json");
        assertThat(info.json()).containsEntry("uuid", j.get("uuid"));
        assertThat(info.json().get("features")).isEqualTo(List.of("cloned"));
        Cli.Run text = Cli.run("clone", pool, dir.resolve("copy2.pool"));
        assertThat(text.out()).containsAnyOf("by reflink", "by COPYING");
    }

    @Test
    void shouldListNoBadBlocksFromAnEmptyList() throws IOException {
        Path pool = created();
        Path list = Files.writeString(dir.resolve("bad.txt"), "# none\n");
        Cli.Run r = Cli.run("badblocks", pool, "--list", list, "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat((List<?>) r.json().get("ranges")).isEmpty();
    }

    @Test
    void shouldDrawAHeapmapPng() throws IOException {
        Path pool = created();
        Path png = dir.resolve("map.png");
        Cli.Run r = Cli.run("heapmap", pool, "-o", png, "--width", "256", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(256);
        assertThat(r.json()).containsEntry("width", 256L).containsEntry("height", (long) img.getHeight());
        // The first pixel is the heap header: metadata colour.
        assertThat(img.getRGB(0, 0)).isEqualTo(HeapmapRenderer.METADATA.getRGB());
    }

    @Test
    void shouldGenerateBashCompletion() {
        Cli.Run r = Cli.run("generate-completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F").contains("heapmap").contains("badblocks");
    }

    @Test
    void shouldDocumentExitCodesInHelp() {
        Cli.Run r = Cli.run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Exit codes:").contains("3  I/O or media error");
    }
}
